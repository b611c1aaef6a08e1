import { Alert, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { useCodeLabel } from "../../../shared/codes";
import { formatTime } from "../../../shared/format";
import { LoadMore } from "../../../shared/LoadMore";
import { StaffName } from "../../../shared/Staff";
import { auditPage } from "../audit/auditPage";
import type { AuditEvent } from "./model";
import { usePurposes } from "./purposes";
import { useCursorList } from "../../../shared/useCursorList";

const OUTCOME_COLOURS: Record<string, string> = { success: "green", denied: "red", failure: "orange" };

/** Who saw this client: the audit trail filtered to it (roles without audit.read get the API's refusal). */
export function AccessHistory({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const purposes = usePurposes();
  const label = useCodeLabel();
  const list = useCursorList((cursor) => auditPage<AuditEvent>((before) => api.get(`/audit${query({ clientId, before, limit: 50 })}`), cursor), [clientId]);

  if (list.error)
    return <Alert type="info" showIcon title={t("clients.history.unavailable")} description={<span data-testid="history-error">{list.error}</span>} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t("clients.history.help")}</Typography.Paragraph>
      <Table<AuditEvent>
        data-testid="access-history"
        rowKey="seq"
        size="small"
        loading={list.loading}
        pagination={false}
        dataSource={list.items}
        locale={{ emptyText: t("clients.history.empty") }}
        columns={[
          { title: t("clients.history.at"), dataIndex: "at", render: (v: string) => formatTime(v, i18n.language) },
          {
            title: t("clients.history.actor"),
            key: "actor",
            render: (_, e) => (
              <>
                {e.actorRole ? <Tag color="blue">{label("role", e.actorRole)}</Tag> : null}
                <StaffName id={e.actorId} />
              </>
            ),
          },
          { title: t("clients.history.action"), dataIndex: "action", render: (v: string) => <Typography.Text title={v}>{label("action", v)}</Typography.Text> },
          { title: t("clients.history.purpose"), dataIndex: "purpose", render: (v: string | null) => purposes.nameOf(v) },
          {
            title: t("clients.history.outcome"),
            dataIndex: "outcome",
            render: (v: string, e) => (
              <>
                <Tag color={OUTCOME_COLOURS[v] ?? "default"}>{t(`clients.history.outcomes.${v}`)}</Tag>
                {e.reason && (
                  <Typography.Text type="secondary" title={e.reason}>
                    {label("reason", e.reason)}
                  </Typography.Text>
                )}
              </>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}
