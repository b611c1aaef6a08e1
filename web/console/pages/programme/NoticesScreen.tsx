import { NotificationOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Popconfirm, Row, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { isoFromLocal, localFromIso, useLabels } from "./codes";
import { openableRow, paging } from "../../../shared/tables";

interface Notice {
  version: number;
  status: "draft" | "published";
  effectiveFrom: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  contentHash: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

const textStyle = { whiteSpace: "pre-wrap" as const, maxHeight: 420, overflow: "auto" };

/** Both language versions next to each other, so a reviewer compares them paragraph by paragraph. */
function SideBySide({ notice }: { notice: Notice }) {
  const { t } = useLabels();
  return (
    <Row gutter={16} data-testid="notice-texts">
      <Col xs={24} md={12}>
        <Card
          size="small"
          title={
            <Space>
              <Tag>{t("notices.zh")}</Tag>
              {notice.titleZh}
            </Space>
          }
        >
          <Typography.Paragraph style={textStyle} lang="zh-CN">
            {notice.bodyZh}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card
          size="small"
          title={
            <Space>
              <Tag>{t("notices.en")}</Tag>
              {notice.titleEn}
            </Space>
          }
        >
          <Typography.Paragraph style={textStyle} lang="en">
            {notice.bodyEn}
          </Typography.Paragraph>
        </Card>
      </Col>
    </Row>
  );
}

function NoticesPage() {
  const { t, time } = useLabels();
  const { message } = App.useApp();
  const list = useLoad(() => api.get<{ items: Notice[] }>("/notices"), []);
  const [selected, setSelected] = useState<number | null>(null);
  const [editing, setEditing] = useState<Notice | "new" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [form] = Form.useForm();

  const items = list.data?.items ?? [];
  const shown = items.find((n) => n.version === selected) ?? items[0] ?? null;

  const openEditor = (notice: Notice | "new") => {
    setError(null);
    form.resetFields();
    if (notice !== "new") form.setFieldsValue({ ...notice, effectiveFrom: localFromIso(notice.effectiveFrom) });
    setEditing(notice);
  };
  const save = async () => {
    const v = await form.validateFields();
    const body = { ...v, effectiveFrom: isoFromLocal(v.effectiveFrom) };
    setBusy(true);
    setError(null);
    try {
      const saved = editing === "new" ? await api.post<Notice>("/notices", body) : await api.patch<Notice>(`/notices/${(editing as Notice).version}`, body);
      setEditing(null);
      setSelected(saved.version);
      void message.success(t("common.saved"));
      list.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const publish = async (version: number) => {
    setPublishError(null);
    try {
      await api.post<Notice>(`/notices/${version}/publish`);
      void message.success(t("notices.published"));
      list.reload();
    } catch (e) {
      setPublishError(messageOf(e));
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={t("notices.title")}
        extra={
          <Space>
            <Button onClick={list.reload}>{t("common.refresh")}</Button>
            <Button type="primary" onClick={() => openEditor("new")}>
              {t("notices.draft")}
            </Button>
          </Space>
        }
      >
        {list.error ? <Alert type="error" showIcon message={t("common.loadFailed")} description={messageOf(list.error)} /> : null}
        {publishError && <Alert type="error" showIcon closable style={{ marginBottom: 16 }} message={publishError} onClose={() => setPublishError(null)} />}
        <Table<Notice>
          rowKey="version"
          size="small"
          data-testid="notices-table"
          loading={list.loading}
          dataSource={items}
          pagination={paging({ pageSize: 10 })}
          rowClassName={(n) => (shown?.version === n.version ? "ant-table-row-selected" : "")}
          onRow={openableRow((n) => setSelected(n.version))}
          columns={[
            { title: t("notices.version"), dataIndex: "version", render: (v: number) => `v${v}` },
            {
              title: t("common.status"),
              dataIndex: "status",
              render: (v: string) => <Tag color={v === "published" ? "green" : "gold"}>{t(`notices.status.${v === "published" ? "published" : "draft"}`)}</Tag>,
            },
            { title: t("notices.titleZh"), dataIndex: "titleZh" },
            { title: t("notices.titleEn"), dataIndex: "titleEn" },
            { title: t("notices.effectiveFrom"), dataIndex: "effectiveFrom", render: time },
            { title: t("notices.publishedAt"), dataIndex: "publishedAt", render: time },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_, n) => (
                <Space onClick={(e) => e.stopPropagation()}>
                  <Button size="small" onClick={() => openEditor(n)}>
                    {t("common.edit")}
                  </Button>
                  {n.status === "draft" && (
                    <Popconfirm
                      title={t("notices.publishConfirm", { version: n.version })}
                      description={t("notices.publishHelp")}
                      onConfirm={() => publish(n.version)}
                      okText={t("notices.publish")}
                      cancelText={t("common.cancel")}
                    >
                      <Button size="small" type="primary">
                        {t("notices.publish")}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {shown && (
        <Card title={t("notices.versionTitle", { version: shown.version })}>
          <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t("common.status")}>{t(`notices.status.${shown.status === "published" ? "published" : "draft"}`)}</Descriptions.Item>
            <Descriptions.Item label={t("notices.effectiveFrom")}>{time(shown.effectiveFrom)}</Descriptions.Item>
            <Descriptions.Item label={t("notices.updatedAt")}>{time(shown.updatedAt)}</Descriptions.Item>
            <Descriptions.Item label={t("notices.hash")} span={3}>
              <Typography.Text code data-testid="notice-hash">
                {shown.contentHash ?? t("notices.noHash")}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <SideBySide notice={shown} />
        </Card>
      )}
      <Modal
        open={editing !== null}
        width={1000}
        title={editing === "new" ? t("notices.draft") : t("notices.editTitle", { version: editing?.version ?? "" })}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy }}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        {editing !== "new" && editing?.status === "published" && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t("notices.immutable")} />
        )}
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="notice-error" />}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="effectiveFrom" label={t("notices.effectiveFrom")} rules={[{ required: true, message: t("common.required") }]}>
            <Input type="datetime-local" />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="titleZh" label={t("notices.titleZh")} rules={[{ required: true, message: t("common.required") }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="bodyZh" label={t("notices.bodyZh")} rules={[{ required: true, message: t("common.required") }]}>
                <Input.TextArea rows={14} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="titleEn" label={t("notices.titleEn")} rules={[{ required: true, message: t("common.required") }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="bodyEn" label={t("notices.bodyEn")} rules={[{ required: true, message: t("common.required") }]}>
                <Input.TextArea rows={14} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </Space>
  );
}

export const noticesScreen: Screen = {
  key: "notices",
  icon: <NotificationOutlined />,
  order: 52,
  group: "compliance",
  permission: "notice.manage",
  component: NoticesPage,
};
