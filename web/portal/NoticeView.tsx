import { Alert, Card, Skeleton, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, query } from "../shared/api";
import { messageOf } from "../shared/errors";
import { formatDate } from "../shared/format";
import { useLoad } from "../shared/useLoad";

interface CurrentNotice {
  version: number;
  language: string;
  title: string;
  body: string;
  effectiveFrom: string;
  publishedAt: string;
  contentHash: string;
}

/** The privacy notice in force, in the UI language (the API falls back where needed). */
export function NoticeView() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "zh-CN";
  const notice = useLoad(() => api.get<CurrentNotice>(`/notices/current${query({ lang })}`), [lang]);
  if (notice.loading && !notice.data)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (notice.error)
    return <Alert type="info" showIcon message={t("portal.notice.unavailable")} description={messageOf(notice.error)} data-testid="notice-error" />;
  const n = notice.data!;
  return (
    <Card data-testid="notice">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {n.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t("portal.notice.meta", { version: n.version, date: formatDate(n.effectiveFrom, i18n.language) })}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap", fontSize: 15, lineHeight: 1.8 }}>{n.body}</Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, wordBreak: "break-all" }}>
        {t("portal.notice.hash")}: {n.contentHash}
      </Typography.Paragraph>
    </Card>
  );
}
