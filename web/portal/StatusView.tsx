import { DownloadOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { messageOf } from "../shared/errors";
import { formatDate, formatTime } from "../shared/format";
import { useLoad } from "../shared/useLoad";
import { AccessHistoryView } from "./AccessHistoryView";
import { HistoryCheck } from "./HistoryCheck";
import { downloadPackage, PACKAGE_TYPES, readStatus, type PortalSession } from "./portalApi";

const STATUS_COLOURS: Record<string, string> = {
  received: "default",
  verified: "blue",
  in_progress: "processing",
  extended: "orange",
  fulfilled: "green",
  refused: "red",
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Following a request: the token once after verification, the status and deadline, the package. */
/** A code the API may add later is shown as is rather than as a missing key. */
const useLabel = () => {
  const { t, i18n } = useTranslation();
  return (prefix: string, code: string) => (i18n.exists(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code);
};

export function StatusView({
  session,
  fresh,
  onSession,
  onForget,
  onSaved,
}: {
  session: PortalSession | null;
  fresh: boolean;
  onSession: (session: PortalSession) => void;
  onForget: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  if (!session) return <ContinueWithToken onSession={onSession} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {fresh && (
        <Alert
          type="warning"
          showIcon
          message={t("portal.token.title")}
          description={
            <Space direction="vertical" style={{ width: "100%" }}>
              <Typography.Text>{t("portal.token.warning")}</Typography.Text>
              <Typography.Text type="secondary">{t("portal.token.requestId")}</Typography.Text>
              <Typography.Text code copyable data-testid="portal-request-id" style={{ wordBreak: "break-all" }}>
                {session.requestId}
              </Typography.Text>
              <Typography.Text type="secondary">{t("portal.token.token")}</Typography.Text>
              <Typography.Text code copyable data-testid="portal-token" style={{ wordBreak: "break-all" }}>
                {session.token}
              </Typography.Text>
              {session.tokenExpiresAt && (
                <Typography.Text type="secondary">{t("portal.token.expires", { time: formatTime(session.tokenExpiresAt, i18n.language) })}</Typography.Text>
              )}
              <Button onClick={onSaved}>{t("portal.token.saved")}</Button>
            </Space>
          }
        />
      )}
      <RequestStatus session={session} onForget={onForget} />
    </Space>
  );
}

function RequestStatus({ session, onForget }: { session: PortalSession; onForget: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const label = useLabel();
  const status = useLoad(() => readStatus(session), [session.requestId, session.token]);
  const [downloading, setDownloading] = useState<"json" | "html" | null>(null);
  const lang = i18n.language;

  const download = async (format: "json" | "html") => {
    setDownloading(format);
    try {
      await downloadPackage(session, format, lang);
      void message.success(t("portal.status.downloaded"));
    } catch (e) {
      void message.error(messageOf(e));
    } finally {
      setDownloading(null);
    }
  };

  const r = status.data;
  return (
    <Card
      title={t("portal.status.title")}
      loading={status.loading && !r}
      extra={<Button icon={<ReloadOutlined />} onClick={status.reload} aria-label={t("portal.status.refresh")} />}
    >
      {status.error ? (
        <Alert type="error" showIcon message={messageOf(status.error)} data-testid="status-error" />
      ) : r ? (
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <Descriptions column={1} size="small" bordered data-testid="request-status" styles={{ label: { whiteSpace: "nowrap" } }}>
            <Descriptions.Item label={t("portal.status.type")}>{label("portal.types", r.type)}</Descriptions.Item>
            <Descriptions.Item label={t("portal.status.status")}>
              <Tag color={STATUS_COLOURS[r.status] ?? "default"}>{label("portal.statuses", r.status)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("portal.status.receivedAt")}>{formatTime(r.receivedAt, lang)}</Descriptions.Item>
            <Descriptions.Item label={t("portal.status.dueDate")}>
              <span data-testid="due-date">{formatDate(r.extendedDueDate ?? r.dueDate, lang)}</span>
            </Descriptions.Item>
            {r.extendedDueDate && (
              <Descriptions.Item label={t("portal.status.extended")}>
                {t("portal.status.extendedFrom", { date: formatDate(r.dueDate, lang) })}
                {r.extensionReason ? ` · ${label("portal.reasons", r.extensionReason)}` : ""}
              </Descriptions.Item>
            )}
            {r.outcome && <Descriptions.Item label={t("portal.status.outcome")}>{label("portal.outcomes", r.outcome)}</Descriptions.Item>}
            {r.closedAt && <Descriptions.Item label={t("portal.status.closedAt")}>{formatTime(r.closedAt, lang)}</Descriptions.Item>}
            <Descriptions.Item label={t("portal.token.requestId")}>
              <Typography.Text style={{ wordBreak: "break-all", fontSize: 12 }}>{r.id}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {!r.closedAt && (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t("portal.status.deadlineHint")}
            </Typography.Paragraph>
          )}
          {PACKAGE_TYPES.has(r.type) && r.status === "fulfilled" && (
            <Card size="small" title={t("portal.status.package")}>
              <Typography.Paragraph type="secondary">{t("portal.status.packageHint")}</Typography.Paragraph>
              <Space wrap>
                <Button type="primary" icon={<DownloadOutlined />} loading={downloading === "json"} onClick={() => void download("json")}>
                  {t("portal.status.downloadJson")}
                </Button>
                <Button icon={<DownloadOutlined />} loading={downloading === "html"} onClick={() => void download("html")}>
                  {t("portal.status.downloadHtml")}
                </Button>
              </Space>
              <AccessHistoryView session={session} />
              <HistoryCheck session={session} />
            </Card>
          )}
        </Space>
      ) : null}
      <Button type="link" onClick={onForget} style={{ paddingLeft: 0, marginTop: 12 }}>
        {t("portal.status.forget")}
      </Button>
    </Card>
  );
}

function ContinueWithToken({ onSession }: { onSession: (session: PortalSession) => void }) {
  const { t } = useTranslation();
  return (
    <Card title={t("portal.continue.title")}>
      <Typography.Paragraph type="secondary">{t("portal.continue.hint")}</Typography.Paragraph>
      <Form
        layout="vertical"
        requiredMark={false}
        onFinish={(v: { requestId: string; token: string }) => onSession({ requestId: v.requestId.trim(), token: v.token.trim(), tokenExpiresAt: null })}
      >
        <Form.Item name="requestId" label={t("portal.token.requestId")} rules={[{ required: true, pattern: UUID, message: t("portal.continue.badId") }]}>
          <Input autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item name="token" label={t("portal.token.token")} rules={[{ required: true, whitespace: true, message: t("portal.required") }]}>
          <Input.Password autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large">
          {t("portal.continue.submit")}
        </Button>
      </Form>
    </Card>
  );
}
