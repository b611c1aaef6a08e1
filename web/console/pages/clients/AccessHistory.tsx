import { Alert, Button, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import type { AuditEvent } from "./model";
import { usePurposes } from "./purposes";

const OUTCOME_COLOURS: Record<string, string> = { success: "green", denied: "red", failure: "orange" };

/** Who saw this client: the audit trail filtered to it (roles without audit.read get the API's refusal). */
export function AccessHistory({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const purposes = usePurposes();
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [before, setBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (from: number | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<{ items: AuditEvent[]; nextBefore: number | null }>(`/audit${query({ clientId, before: from, limit: 50 })}`);
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setBefore(page.nextBefore);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, [clientId]);
  useEffect(() => void load(null), [load]);

  if (error) return <Alert type="info" showIcon title={t("clients.history.unavailable")} description={<span data-testid="history-error">{error}</span>} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t("clients.history.help")}</Typography.Paragraph>
      <Table<AuditEvent>
        data-testid="access-history"
        rowKey="seq"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={items}
        locale={{ emptyText: t("clients.history.empty") }}
        columns={[
          { title: t("clients.history.at"), dataIndex: "at", render: (v: string) => formatTime(v, i18n.language) },
          { title: t("clients.history.actor"), key: "actor", render: (_, e) => <>{e.actorRole ? <Tag color="blue">{t(`roles.${e.actorRole}`)}</Tag> : null}<Typography.Text code>{e.actorId ?? "—"}</Typography.Text></> },
          { title: t("clients.history.action"), dataIndex: "action", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t("clients.history.purpose"), dataIndex: "purpose", render: (v: string | null) => purposes.nameOf(v) },
          { title: t("clients.history.outcome"), dataIndex: "outcome", render: (v: string, e) => <><Tag color={OUTCOME_COLOURS[v] ?? "default"}>{t(`clients.history.outcomes.${v}`)}</Tag>{e.reason && <Typography.Text type="secondary" code>{e.reason}</Typography.Text>}</> },
        ]}
      />
      {before && (
        <div style={{ textAlign: "center", marginTop: 16 }}>
          <Button onClick={() => void load(before)} loading={loading}>{t("common.loadMore")}</Button>
        </div>
      )}
    </>
  );
}
