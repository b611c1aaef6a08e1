import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import type { ApiToken, IssuedToken, StaffUser } from "./types";
import { paging } from "../../../shared/tables";

interface NewToken {
  name: string;
  expiresInDays?: number | null;
}

/** The CLI's actor id (`custodia token create`): tokens it issued name it as their creator. */
const CONSOLE_CREATOR = "system:console";

export function TokensTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const [userFilter, setUserFilter] = useState<string | undefined>();
  const users = useLoad(() => api.get<{ items: StaffUser[] }>("/users"), []);
  const tokens = useLoad(() => api.get<{ items: ApiToken[] }>(`/tokens${query({ userId: userFilter })}`), [userFilter]);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const byId = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u])), [users.data]);
  const userOptions = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})`, disabled: u.status !== "active" }));
  const time = (v: string | null) => formatTime(v, i18n.language);
  const nameOf = (id: string) => byId.get(id)?.displayName ?? id;
  // Who issued it: the owner themself, the console, someone else (only before issue #10), or unknown.
  const creator = (tok: ApiToken) =>
    tok.createdBy === null ? (
      <Tag color="orange">{t("admin.tokens.creatorUnknown")}</Tag>
    ) : tok.createdBy === tok.userId ? (
      t("admin.tokens.creatorSelf")
    ) : tok.createdBy === CONSOLE_CREATOR ? (
      t("admin.tokens.creatorConsole")
    ) : (
      <Tag color="red">{t("admin.tokens.creatorOther", { name: nameOf(tok.createdBy) })}</Tag>
    );

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
          aria-label={t("admin.tokens.filterUser")}
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
        pagination={paging()}
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
          { title: t("admin.tokens.user"), dataIndex: "userId", render: nameOf },
          { title: t("admin.tokens.createdBy"), key: "createdBy", render: (_, tok) => creator(tok) },
          { title: t("admin.tokens.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("admin.tokens.expiresAt"), dataIndex: "expiresAt", render: (v: string | null) => (v ? time(v) : t("admin.tokens.never")) },
          {
            title: t("admin.tokens.lastUsedAt"),
            dataIndex: "lastUsedAt",
            render: (v: string | null) => (v ? time(v) : <Typography.Text type="secondary">{t("admin.tokens.neverUsed")}</Typography.Text>),
          },
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
        ownerName={nameOf(me.userId)}
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
          {t("admin.tokens.issuedFor", { name: issued?.name ?? "", user: issued ? nameOf(issued.userId) : "" })}
        </Typography.Text>
      </Modal>
    </>
  );
}

/**
 * A token for oneself only: the API refuses one for anyone else, and asks for a second factor
 * proven in the last 15 minutes (the error says to sign in again when it is older).
 */
function CreateToken({ open, ownerName, onClose, onIssued }: { open: boolean; ownerName: string; onClose: () => void; onIssued: (t: IssuedToken) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewToken>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: NewToken) => {
    setSaving(true);
    try {
      const issued = await api.post<IssuedToken>("/tokens", {
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
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t("admin.tokens.selfOnly", { name: ownerName })}
        description={t("admin.tokens.selfOnlyHelp")}
      />
      <Form<NewToken> form={form} layout="vertical" onFinish={submit} initialValues={{ expiresInDays: 90 }}>
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
