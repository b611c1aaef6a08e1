import { KeyOutlined } from "@ant-design/icons";
import { browserSupportsWebAuthn, startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { Alert, Button, Card, Divider, Form, Input, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../shared/api";
import { messageOf, showFieldErrors } from "../shared/errors";
import { LanguageSwitch } from "../shared/LanguageSwitch";
import { AuthenticatorSecret, RecoveryCodeList } from "./Authenticator";

type Step = "password" | "mfa" | "enrolment" | "recovery-codes";
type Status = { status: "signed_in" | "mfa_required" | "enrolment_required" };

const stepOf = (kind: string | null): Step => (kind === "mfa" ? "mfa" : kind === "enrolment" ? "enrolment" : "password");

/** Password, then the authenticator code (or a recovery code); first-time enrolment shows the QR code once. */
export function SignIn({ step: initial, reason, onDone }: { step: string | null; reason?: string | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>(stepOf(initial));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);
  const [form] = Form.useForm();

  useEffect(() => {
    if (step !== "enrolment" || enrolment) return;
    api.post<{ secret: string; uri: string }>("/auth/totp/enrol").then(setEnrolment, (e: unknown) => setError(messageOf(e)));
  }, [step, enrolment]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  // Second factor by passkey: the browser asks the authenticator, the server checks the assertion.
  const usePasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      const optionsJSON = await api.post<PublicKeyCredentialRequestOptionsJSON>("/auth/passkeys/authenticate/options");
      const response = await startAuthentication({ optionsJSON });
      afterStatus(await api.post<Status>("/auth/passkeys/authenticate/verify", { response }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t("passkeys.browserRefused"));
    } finally {
      setBusy(false);
    }
  };

  const afterStatus = (result: Status) => {
    form.resetFields();
    if (result.status === "signed_in") onDone();
    else setStep(result.status === "mfa_required" ? "mfa" : "enrolment");
  };

  return (
    <div style={{ minHeight: "100vh", display: "flex", alignItems: "center", justifyContent: "center", background: "#f0f2f5", padding: 16 }}>
      <Card
        style={{ width: 420, maxWidth: "100%" }}
        title={
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("shell.product")}
          </Typography.Title>
        }
        extra={<LanguageSwitch />}
      >
        {reason && step === "password" && (
          <Alert style={{ marginBottom: 16 }} type={reason === "expired" ? "warning" : "info"} showIcon message={t(`signIn.reason.${reason}`)} />
        )}
        {error && <Alert data-testid="sign-in-error" style={{ marginBottom: 16 }} type="error" showIcon message={error} />}
        {step === "password" && (
          <Form
            form={form}
            layout="vertical"
            onFinish={(v: { email: string; password: string }) => run(async () => afterStatus(await api.post<Status>("/auth/login", v)))}
          >
            <Form.Item name="email" label={t("signIn.email")} rules={[{ required: true, message: t("common.required") }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t("signIn.password")} rules={[{ required: true, message: t("common.required") }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t("signIn.submit")}
            </Button>
          </Form>
        )}
        {step === "mfa" && (
          <Form
            form={form}
            layout="vertical"
            onFinish={(v: { code: string }) =>
              run(async () => afterStatus(await api.post<Status>("/auth/totp", useRecovery ? { recoveryCode: v.code.trim() } : { code: v.code.trim() })))
            }
          >
            <Typography.Paragraph>{t(useRecovery ? "signIn.recoveryHelp" : "signIn.totpHelp")}</Typography.Paragraph>
            <Form.Item
              name="code"
              label={t(useRecovery ? "signIn.recoveryCode" : "signIn.totpCode")}
              rules={[{ required: true, message: t("common.required") }]}
            >
              <Input autoComplete="one-time-code" inputMode={useRecovery ? "text" : "numeric"} autoFocus />
            </Form.Item>
            <Space direction="vertical" style={{ width: "100%" }}>
              <Button type="primary" htmlType="submit" block loading={busy}>
                {t("signIn.verify")}
              </Button>
              <Button type="link" onClick={() => setUseRecovery(!useRecovery)}>
                {t(useRecovery ? "signIn.useTotp" : "signIn.useRecovery")}
              </Button>
            </Space>
            {browserSupportsWebAuthn() && (
              <>
                <Divider plain>{t("passkeys.signIn.or")}</Divider>
                <Button block icon={<KeyOutlined />} loading={busy} onClick={usePasskey} data-testid="passkey-sign-in">
                  {t("passkeys.signIn.use")}
                </Button>
              </>
            )}
          </Form>
        )}
        {step === "enrolment" && (
          <Form
            form={form}
            layout="vertical"
            onFinish={(v: { code: string }) =>
              run(async () => {
                const result = await api.post<{ recoveryCodes: string[] }>("/auth/totp/confirm", { code: v.code.trim() });
                setRecoveryCodes(result.recoveryCodes);
                setStep("recovery-codes");
              })
            }
          >
            <Typography.Paragraph>{t("signIn.enrolHelp")}</Typography.Paragraph>
            {enrolment && <AuthenticatorSecret setup={enrolment} testId="totp-secret" />}
            <Form.Item name="code" label={t("signIn.totpCode")} rules={[{ required: true, message: t("common.required") }]}>
              <Input autoComplete="one-time-code" inputMode="numeric" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t("signIn.confirmEnrolment")}
            </Button>
          </Form>
        )}
        {step === "recovery-codes" && <RecoveryCodeList codes={recoveryCodes} onDone={onDone} />}
      </Card>
    </div>
  );
}
