import { Alert, App as AntApp, Form, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import type { ClientDocument } from "./model";

/**
 * A redacted copy: a new document in which what detection found, and the strings marked here,
 * are removed from the content (not covered). The marked strings are sent once and never stored.
 */
export function RedactDialog({ document, onClose, onMade }: { document: ClientDocument; onClose: () => void; onMade: (copy: ClientDocument) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ marked: string[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { marked?: string[] }) => {
    setBusy(true);
    setError(null);
    try {
      const marked = (v.marked ?? []).map((m) => m.trim()).filter(Boolean);
      const copy = await api.post<ClientDocument>(`/documents/${document.id}/redacted-copy`, marked.length ? { marked } : {}, { purpose: true });
      void message.success(t("files.redact.done"));
      onMade(copy);
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("files.redact.title")}
      okText={t("files.redact.submit")}
      okButtonProps={{ loading: busy }}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("files.redact.help")}</Typography.Paragraph>
      {error && <Alert data-testid="redact-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="marked"
          label={t("files.redact.marked")}
          extra={t("files.redact.markedHelp")}
          rules={[
            {
              validator: async (_, value?: string[]) => {
                const bad = (value ?? []).some((m) => m.trim().length < 2 || m.length > 200);
                if (bad || (value ?? []).length > 50) throw new Error(t("files.redact.markedFormat"));
              },
            },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={["\n"]} placeholder={t("files.redact.markedPlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
