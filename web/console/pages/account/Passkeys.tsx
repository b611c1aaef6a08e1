import { KeyOutlined } from "@ant-design/icons";
import { browserSupportsWebAuthn, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { paging } from "../../../shared/tables";

interface Passkey {
  id: string;
  label: string;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** The browser's own refusals (cancelled, timed out, no authenticator) carry no API message. */
export const passkeyErrorText = (error: unknown, t: (key: string) => string) => (error instanceof ApiError ? error.message : t("passkeys.browserRefused"));

/** Account card: add a passkey under a name of your choosing, see when each was last used, remove one. */
export function PasskeysCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ label: string }>();
  const [busy, setBusy] = useState(false);
  const passkeys = useLoad(() => api.get<{ items: Passkey[] }>("/auth/passkeys"), []);
  const supported = browserSupportsWebAuthn();
  const time = (v: string | null) => (v ? formatTime(v, i18n.language) : "—");

  const add = async ({ label }: { label: string }) => {
    setBusy(true);
    try {
      const optionsJSON = await api.post<PublicKeyCredentialCreationOptionsJSON>("/auth/passkeys/register/options");
      const response = await startRegistration({ optionsJSON });
      await api.post<Passkey>("/auth/passkeys/register/verify", { label: label.trim(), response });
      form.resetFields();
      message.success(t("passkeys.added"));
      passkeys.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(passkeyErrorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (passkey: Passkey) => {
    try {
      await api.delete(`/auth/passkeys/${encodeURIComponent(passkey.id)}`);
      message.success(t("passkeys.removed"));
      passkeys.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <Card
      title={
        <Space>
          <KeyOutlined />
          {t("passkeys.title")}
        </Space>
      }
      data-testid="passkeys-card"
    >
      <Typography.Paragraph type="secondary">{t("passkeys.help")}</Typography.Paragraph>
      {supported ? (
        <Form form={form} layout="inline" onFinish={add} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="label" label={t("passkeys.label")} rules={[{ required: true, whitespace: true, message: t("common.required") }, { max: 64 }]}>
            <Input placeholder={t("passkeys.labelPlaceholder")} maxLength={64} style={{ width: 240 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="passkey-add">
            {t("passkeys.add")}
          </Button>
        </Form>
      ) : (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("passkeys.unsupported")} />
      )}
      {passkeys.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={messageOf(passkeys.error)} />}
      <Table<Passkey>
        rowKey="id"
        size="small"
        loading={passkeys.loading}
        dataSource={passkeys.data?.items ?? []}
        pagination={paging({ quiet: true })}
        data-testid="passkeys-table"
        locale={{ emptyText: t("passkeys.none") }}
        columns={[
          { title: t("passkeys.label"), dataIndex: "label" },
          { title: t("passkeys.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("passkeys.lastUsedAt"), dataIndex: "lastUsedAt", render: time },
          {
            title: "",
            key: "actions",
            align: "right",
            render: (_: unknown, passkey) => (
              <Popconfirm title={t("passkeys.removeConfirm")} okButtonProps={{ danger: true }} onConfirm={() => remove(passkey)}>
                <Button danger size="small">
                  {t("passkeys.remove")}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
