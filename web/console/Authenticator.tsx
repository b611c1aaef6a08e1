import { Alert, Button, List, QRCode, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

/** A new authenticator's secret, as a QR code to scan and as text to type: sign-in enrolment and the account page. */
export function AuthenticatorSecret({ setup, testId }: { setup: { secret: string; uri: string }; testId: string }) {
  return (
    <Space orientation="vertical" align="center" style={{ width: "100%", marginBottom: 16 }}>
      <QRCode value={setup.uri} type="svg" />
      <Typography.Text copyable code data-testid={testId}>
        {setup.secret}
      </Typography.Text>
    </Space>
  );
}

/** Recovery codes, shown once: the only moment they exist outside their hashes. */
export function RecoveryCodeList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert type="warning" showIcon title={t("signIn.recoveryCodesOnce")} style={{ marginBottom: 16 }} />
      <List
        size="small"
        bordered
        data-testid="recovery-codes"
        dataSource={codes}
        renderItem={(code) => (
          <List.Item>
            <Typography.Text code>{code}</Typography.Text>
          </List.Item>
        )}
      />
      <Space style={{ marginTop: 16 }}>
        <Typography.Text copyable={{ text: codes.join("\n") }}>{t("account.security.copyCodes")}</Typography.Text>
        <Button type="primary" onClick={onDone} data-testid="recovery-codes-saved">
          {t("signIn.savedCodes")}
        </Button>
      </Space>
    </>
  );
}
