import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import type { ApiToken, IssuedToken, StaffUser } from "./types";

interface NewToken {
  userId: string;
  name: string;
  expiresInDays?: number | null;
}

export function TokensTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [userFilter, setUserFilter] = useState<string | undefined>();
  const users = useLoad(() => api.get<{ items: StaffUser[] }>("/users"), []);
  const tokens = useLoad(() => api.get<{ items: ApiToken[] }>(`/tokens${query({ userId: userFilter })}`), [userFilter]);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const byId = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u])), [users.data]);
  const userOptions = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})`, disabled: u.status !== "active" }));
  const time = (v: string | null) => formatTime(v, i18n.language);

  const revoke = async (token: ApiToken) => {
    try {
      await api.post(`/tokens/${encodeURIComponent(token.id)}/revoke`);
      message.success(t("admin.tokens.revoked", { name: token.name }));
      tokens.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
          {t("admin.tokens.create")}
        </Button>
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          style={{ minWidth: 280 }}
          placeholder={t("admin.tokens.filterUser")}
          options={userOptions}
          value={userFilter}
          onChange={setUserFilter}
        />
        <Button onClick={tokens.reload}>{t("common.refresh")}</Button>
      </Space>
      {tokens.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={messageOf(tokens.error)} />}
      <Table<ApiToken>
        rowKey="id"
        size="small"
        loading={tokens.loading}
        dataSource={tokens.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="tokens-table"
        columns={[
          {
            title: t("admin.tokens.name"),
            dataIndex: "name",
            render: (v: string) => (
              <Space>
                <KeyOutlined />
                {v}
              </Space>
            ),
          },
          { title: t("admin.tokens.id"), dataIndex: "id", render: (v: string) => <Typography.Text code>cst_{v}</Typography.Text> },
          { title: t("admin.tokens.user"), dataIndex: "userId", render: (v: string) => byId.get(v)?.displayName ?? v },
          { title: t("admin.tokens.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("admin.tokens.expiresAt"), dataIndex: "expiresAt", render: (v: string | null) => (v ? time(v) : t("admin.tokens.never")) },
          {
            title: t("common.status"),
            key: "status",
            render: (_, tok) =>
              tok.revoked ? (
                <Tag>{t("admin.tokens.revokedAt", { time: time(tok.revokedAt) })}</Tag>
              ) : tok.expiresAt && new Date(tok.expiresAt).getTime() < Date.now() ? (
                <Tag color="orange">{t("admin.tokens.expired")}</Tag>
              ) : (
                <Tag color="green">{t("admin.tokens.active")}</Tag>
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, tok) =>
              !tok.revoked && (
                <Popconfirm
                  title={t("admin.tokens.revokeConfirm", { name: tok.name })}
                  description={t("admin.tokens.revokeHelp")}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => revoke(tok)}
                >
                  <Button size="small" danger>
                    {t("admin.tokens.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CreateToken
        open={creating}
        userOptions={userOptions}
        onClose={() => setCreating(false)}
        onIssued={(tok) => {
          setCreating(false);
          setIssued(tok);
          tokens.reload();
        }}
      />
      <Modal
        open={issued !== null}
        title={t("admin.tokens.issuedTitle")}
        closable={false}
        mask={{ closable: false }}
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setIssued(null)} data-testid="token-secret-done">
            {t("admin.tokens.issuedDone")}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t("admin.tokens.issuedOnce")} style={{ marginBottom: 16 }} />
        <Typography.Paragraph code copyable={{ text: issued?.token ?? "" }} data-testid="token-secret" style={{ wordBreak: "break-all" }}>
          {issued?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary">
          {t("admin.tokens.issuedFor", { name: issued?.name ?? "", user: (issued && byId.get(issued.userId)?.displayName) ?? issued?.userId ?? "" })}
        </Typography.Text>
      </Modal>
    </>
  );
}

function CreateToken({
  open,
  userOptions,
  onClose,
  onIssued,
}: {
  open: boolean;
  userOptions: { value: string; label: string; disabled: boolean }[];
  onClose: () => void;
  onIssued: (t: IssuedToken) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewToken>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: NewToken) => {
    setSaving(true);
    try {
      const issued = await api.post<IssuedToken>("/tokens", {
        userId: values.userId,
        name: values.name.trim(),
        expiresInDays: values.expiresInDays ?? undefined,
      });
      form.resetFields();
      onIssued(issued);
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(messageOf(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("admin.tokens.create")}
      onCancel={onClose}
      okText={t("common.create")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      forceRender
    >
      <Form<NewToken> form={form} layout="vertical" onFinish={submit} initialValues={{ expiresInDays: 90 }}>
        <Form.Item name="userId" label={t("admin.tokens.user")} extra={t("admin.tokens.userHelp")} rules={[{ required: true, message: t("common.required") }]}>
          <Select showSearch={{ optionFilterProp: "label" }} options={userOptions} data-testid="token-user" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("admin.tokens.name")}
          extra={t("admin.tokens.nameHelp")}
          rules={[
            { required: true, message: t("common.required") },
            { pattern: /^[\p{L}\p{N} ._-]{1,64}$/u, message: t("admin.tokens.nameInvalid") },
          ]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t("admin.tokens.expiresInDays")} extra={t("admin.tokens.expiresHelp")}>
          <InputNumber min={1} max={3650} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
