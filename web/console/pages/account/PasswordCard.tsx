import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * Changing one's own password: the API checks the password policy and the current password (wrong
 * ones count towards the sign-in lockout); the other sessions end, this one stays.
 */
export function PasswordCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card title={t("account.password.title")}>
      <Typography.Paragraph type="secondary">{t("account.password.help")}</Typography.Paragraph>
      {error && <Alert data-testid="password-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 420 }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const r = await api.post<{ sessionsRevoked: number }>("/auth/password", { currentPassword: v.currentPassword, newPassword: v.newPassword });
            form.resetFields();
            void message.success(t("account.password.changed", { n: r.sessionsRevoked }));
          } catch (e) {
            if (!showFieldErrors(form, e)) setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="currentPassword" label={t("account.password.current")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t("account.password.new")}
          extra={t("account.password.rule")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("account.password.confirm")}
          dependencies={["newPassword"]}
          rules={[
            { required: true, message: t("common.required") },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("account.password.mismatch"))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("account.password.submit")}
        </Button>
      </Form>
    </Card>
  );
}
