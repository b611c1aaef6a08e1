import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { AuthenticatorSecret, RecoveryCodeList } from "../../Authenticator";

interface SecondFactorStatus {
  totp: { enrolled: boolean; required: boolean; enrolledAt: string | null; replacementPending: boolean };
  recoveryCodesLeft: number;
  passkeys: boolean;
}
type Flow = "enrol" | "codes" | "replace" | "remove";
type Setup = { secret: string; uri: string };

/**
 * The authenticator on the account page (issue #15): turn it on (any role; required at L3+), new
 * recovery codes, a new phone, or off where the role allows. The API asks for a factor again each
 * time and counts wrong ones towards the sign-in lockout; codes and secrets are shown once.
 */
export function SecondFactorCard() {
  const { t, i18n } = useTranslation();
  const status = useLoad(() => api.get<SecondFactorStatus>("/auth/second-factor"), []);
  const [flow, setFlow] = useState<Flow | null>(null);
  const s = status.data;
  return (
    <Card
      data-testid="totp-card"
      title={
        <Space>
          <SafetyCertificateOutlined />
          {t("account.security.title")}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("account.security.help")}</Typography.Paragraph>
      {status.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={messageOf(status.error)} />}
      {s && (
        <>
          <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t("account.security.status")}>
              <Space>
                <Tag color={s.totp.enrolled ? "green" : "orange"} data-testid="totp-status">
                  {t(s.totp.enrolled ? "account.mfaEnrolled" : "account.mfaNotEnrolled")}
                </Tag>
                <Typography.Text type="secondary">{t(s.totp.required ? "account.security.required" : "account.security.optional")}</Typography.Text>
              </Space>
            </Descriptions.Item>
            {s.totp.enrolledAt && <Descriptions.Item label={t("account.security.since")}>{formatTime(s.totp.enrolledAt, i18n.language)}</Descriptions.Item>}
            {s.totp.enrolled && (
              <Descriptions.Item label={t("account.security.codesLeft")}>
                <span data-testid="recovery-codes-left">{s.recoveryCodesLeft}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Space wrap>
            {!s.totp.enrolled && (
              <Button type="primary" data-testid="totp-enable" onClick={() => setFlow("enrol")}>
                {t("account.security.enable")}
              </Button>
            )}
            {s.totp.enrolled && (
              <>
                <Button data-testid="recovery-regenerate" onClick={() => setFlow("codes")}>
                  {t("account.security.newCodes")}
                </Button>
                <Button data-testid="totp-replace" onClick={() => setFlow("replace")}>
                  {t("account.security.replace")}
                </Button>
                {!s.totp.required && (
                  <Button danger data-testid="totp-remove" onClick={() => setFlow("remove")}>
                    {t("account.security.remove")}
                  </Button>
                )}
              </>
            )}
          </Space>
        </>
      )}
      {flow && (
        <FactorModal
          flow={flow}
          onClose={() => {
            setFlow(null);
            status.reload();
          }}
        />
      )}
    </Card>
  );
}

/** One dialog per change: prove a factor (or scan a new secret), then see the outcome once. */
function FactorModal({ flow, onClose }: { flow: Flow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [proof, setProof] = useState<"password" | "code" | "recoveryCode">(flow === "codes" ? "password" : "code");

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      // The API names the new authenticator's code "code"; here it is the field under the QR code.
      if (e instanceof ApiError && e.fields.length)
        form.setFields(e.fields.map((f) => ({ name: setup && f.field === "code" ? "newCode" : f.field, errors: [f.message] })));
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const startEnrol = () => run(async () => setSetup(await api.post<Setup>("/auth/totp/enrol")));
  const submit = (v: Record<string, string>) =>
    run(async () => {
      const value = (v[flow === "remove" ? "code" : proof] ?? "").trim();
      if (flow === "codes") setCodes((await api.post<{ recoveryCodes: string[] }>("/auth/recovery-codes", { [proof]: value })).recoveryCodes);
      else if (flow === "enrol")
        setCodes((await api.post<{ recoveryCodes: string[] }>("/auth/totp/confirm", { code: (v.newCode ?? "").trim() })).recoveryCodes);
      else if (flow === "replace" && !setup) setSetup(await api.post<Setup>("/auth/totp/replace", { [proof]: value }));
      else if (flow === "replace") {
        await api.post("/auth/totp/replace/confirm", { code: (v.newCode ?? "").trim() });
        void message.success(t("account.security.replaced"));
        onClose();
      } else {
        await api.post("/auth/totp/remove", { password: v.password, code: value });
        void message.success(t("account.security.removed"));
        onClose();
      }
      form.resetFields();
    });

  const proofChoices = flow === "codes" ? (["password", "code"] as const) : flow === "replace" && !setup ? (["code", "recoveryCode"] as const) : null;
  const askNewCode = (flow === "enrol" || flow === "replace") && setup !== null;
  return (
    <Modal open title={t(`account.security.flow.${flow}`)} footer={null} onCancel={onClose} destroyOnHidden>
      {error && <Alert data-testid="totp-error" type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
      {codes ? (
        <RecoveryCodeList codes={codes} onDone={onClose} />
      ) : flow === "enrol" && !setup ? (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Typography.Paragraph>{t("account.security.enableHelp")}</Typography.Paragraph>
          <Button type="primary" loading={busy} onClick={startEnrol} data-testid="totp-start">
            {t("account.security.start")}
          </Button>
        </Space>
      ) : (
        <Form form={form} layout="vertical" onFinish={submit}>
          {proofChoices && (
            <Form.Item label={t("account.security.proveWith")}>
              <Radio.Group
                value={proof}
                onChange={(e) => setProof(e.target.value)}
                options={proofChoices.map((p) => ({ value: p, label: t(`account.security.by.${p}`) }))}
              />
            </Form.Item>
          )}
          {flow === "remove" && (
            <Form.Item name="password" label={t("account.security.proof.password")} rules={[{ required: true, message: t("common.required") }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
          )}
          {(proofChoices || flow === "remove") && (
            <Form.Item
              name={flow === "remove" ? "code" : proof}
              label={t(`account.security.proof.${flow === "remove" ? "code" : proof}`)}
              rules={[{ required: true, message: t("common.required") }]}
            >
              {proof === "password" && flow !== "remove" ? (
                <Input.Password autoComplete="current-password" />
              ) : (
                <Input autoComplete="one-time-code" inputMode={proof === "recoveryCode" ? "text" : "numeric"} data-testid="totp-proof" />
              )}
            </Form.Item>
          )}
          {askNewCode && setup && (
            <>
              <Typography.Paragraph>{t("signIn.enrolHelp")}</Typography.Paragraph>
              <AuthenticatorSecret setup={setup} testId="totp-new-secret" />
              <Form.Item name="newCode" label={t("account.security.newCode")} rules={[{ required: true, message: t("common.required") }]}>
                <Input autoComplete="one-time-code" inputMode="numeric" data-testid="totp-new-code" />
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" loading={busy} danger={flow === "remove"} data-testid="totp-submit">
            {t(askNewCode ? "account.security.confirm" : flow === "replace" ? "account.security.next" : `account.security.submit.${flow}`)}
          </Button>
        </Form>
      )}
    </Modal>
  );
}
