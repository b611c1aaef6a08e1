import { CloudUploadOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Col, Form, Input, Progress, Row, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { upload } from "../../../shared/upload";
import { useLoad } from "../../../shared/useLoad";
import { FileDrop } from "./FileDrop";
import { CATEGORIES, CATEGORY_LEVELS, levelsFor, type Category, type ClientDocument } from "./model";

interface UploadForm {
  title: string;
  category: Category;
  level: number;
  matterId?: string;
}
interface MatterOption {
  id: string;
  number: string;
  title: string | null;
  status: "open" | "closed";
}

/** The file name without its extension: a first guess at the title the user may change. */
const stem = (name: string) => name.replace(/\.[^.]{1,8}$/, "").slice(0, 200);

/**
 * Adding a document: drop or choose the file, give it a title, category, level (never below the
 * category's default; detection may raise it further) and matter, then send it with progress.
 */
export function UploadPanel({ clientId, matterId, onUploaded }: { clientId: string; matterId?: string; onUploaded: (d: ClientDocument) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<UploadForm>();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const category = Form.useWatch("category", form) ?? "case_file";
  const matters = useLoad(
    () => (matterId ? Promise.resolve({ items: [] as MatterOption[] }) : api.get<{ items: MatterOption[] }>(`/clients/${clientId}/matters`, { purpose: true })),
    [clientId, matterId],
  );

  const choose = (chosen: File) => {
    setFile(chosen);
    setError(null);
    if (!form.getFieldValue("title")) form.setFieldValue("title", stem(chosen.name));
  };

  const submit = async (v: UploadForm) => {
    if (!file) return setError(t("files.upload.noFile"));
    setError(null);
    setProgress(0);
    try {
      const created = await upload<ClientDocument>(`/clients/${clientId}/documents`, {
        fields: { title: v.title.trim(), category: v.category, level: v.level, matterId: matterId ?? v.matterId, filename: file.name },
        file,
        purpose: true,
        onProgress: (f) => setProgress(Math.round(f * 100)),
      });
      void message.success(t("files.upload.done"));
      setFile(null);
      form.resetFields();
      onUploaded(created);
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setProgress(null);
    }
  };

  return (
    <div data-testid="document-upload" style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <FileDrop file={file} onChange={choose} hint={t("files.upload.hint")} testId="document-drop" />
        </Col>
        <Col xs={24} md={14}>
          <Form<UploadForm>
            form={form}
            layout="vertical"
            initialValues={{ category: "case_file", level: CATEGORY_LEVELS.case_file }}
            onValuesChange={(changed: Partial<UploadForm>) => {
              // A new category may have a higher default: the level follows it up, never below.
              if (changed.category && (form.getFieldValue("level") as number) < CATEGORY_LEVELS[changed.category])
                form.setFieldValue("level", CATEGORY_LEVELS[changed.category]);
            }}
            onFinish={submit}
          >
            <Form.Item
              name="title"
              label={t("files.fields.title")}
              rules={[
                { required: true, whitespace: true, message: t("common.required") },
                { max: 200, message: t("files.upload.titleTooLong") },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="category" label={t("files.fields.category")} rules={[{ required: true, message: t("common.required") }]}>
                  <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`files.categories.${c}`) }))} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="level"
                  label={t("files.fields.level")}
                  extra={t("files.upload.levelHelp")}
                  rules={[{ required: true, message: t("common.required") }]}
                >
                  <Select options={levelsFor(category).map((l) => ({ value: l, label: `L${l} · ${t(`files.levels.${l}`)}` }))} />
                </Form.Item>
              </Col>
            </Row>
            {!matterId && (
              <Form.Item name="matterId" label={t("files.fields.matter")} extra={t("files.upload.matterHelp")}>
                <Select
                  allowClear
                  loading={matters.loading}
                  placeholder={t("files.upload.noMatter")}
                  options={(matters.data?.items ?? [])
                    .filter((m) => m.status === "open")
                    .map((m) => ({ value: m.id, label: m.title ? `${m.number} · ${m.title}` : m.number }))}
                />
              </Form.Item>
            )}
            {error && (
              <Alert data-testid="upload-error" style={{ marginBottom: 12 }} type="error" showIcon closable title={error} onClose={() => setError(null)} />
            )}
            {progress !== null && (
              <Progress data-testid="upload-progress" aria-label={t("common.uploadProgress")} percent={progress} status="active" style={{ marginBottom: 12 }} />
            )}
            <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined />} loading={progress !== null} disabled={!file}>
              {t("files.upload.submit")}
            </Button>
          </Form>
        </Col>
      </Row>
    </div>
  );
}
