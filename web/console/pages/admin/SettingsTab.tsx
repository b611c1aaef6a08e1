import { Alert, Descriptions, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";

interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

const FIRM_TIME_ZONE = "Asia/Shanghai";

/**
 * Read-only settings. The API has no settings endpoint; the session timeouts are read off the
 * caller's own session (GET /auth/sessions): absolute = expiry − sign-in, idle = idle expiry − last use.
 */
export function SettingsTab() {
  const { t, i18n } = useTranslation();
  const sessions = useLoad(() => api.get<{ items: SessionRow[] }>("/auth/sessions"), []);
  const current = sessions.data?.items.find((s) => s.current);
  const minutes = (from: string, to: string) => Math.round((new Date(to).getTime() - new Date(from).getTime()) / 60_000);
  const duration = (m: number) => (m % 60 === 0 ? t("admin.settings.hours", { count: m / 60 }) : t("admin.settings.minutes", { count: m }));
  return (
    <>
      <Descriptions bordered size="small" column={1} data-testid="settings">
        <Descriptions.Item label={t("admin.settings.timeZone")}>{FIRM_TIME_ZONE}</Descriptions.Item>
        <Descriptions.Item label={t("admin.settings.idleTimeout")}>
          {current ? duration(minutes(current.lastSeenAt, current.idleExpiresAt)) : "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("admin.settings.absoluteTimeout")}>
          {current ? duration(minutes(current.createdAt, current.absoluteExpiresAt)) : "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("admin.settings.sessionEnds")}>{formatTime(current?.absoluteExpiresAt, i18n.language)}</Descriptions.Item>
        <Descriptions.Item label={t("admin.settings.apiDocs")}>
          <Typography.Link href="/api/docs" target="_blank" rel="noopener noreferrer">
            /api/docs
          </Typography.Link>
          <Typography.Text type="secondary"> · </Typography.Text>
          <Typography.Link href="/api/openapi.json" target="_blank" rel="noopener noreferrer">
            /api/openapi.json
          </Typography.Link>
        </Descriptions.Item>
      </Descriptions>
      <Alert type="info" showIcon style={{ marginTop: 16 }} title={t("admin.settings.readOnly")} />
    </>
  );
}
