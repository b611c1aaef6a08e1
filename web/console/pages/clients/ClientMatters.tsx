import { Alert, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import type { Matter } from "./model";
import { paging } from "../../../shared/tables";

/** The client's matters the caller may see (GET /clients/{id}/matters). */
export function ClientMatters({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const matters = useLoad(() => api.get<{ items: Matter[] }>(`/clients/${clientId}/matters`, { purpose: true }), [clientId]);
  if (matters.error) return <Alert type="error" showIcon title={messageOf(matters.error)} />;
  return (
    <Table<Matter>
      data-testid="client-matters"
      rowKey="id"
      size="small"
      loading={matters.loading}
      pagination={paging({ quiet: true })}
      dataSource={matters.data?.items ?? []}
      locale={{ emptyText: t("clients.matters.empty") }}
      columns={[
        { title: t("clients.matters.number"), dataIndex: "number" },
        { title: t("clients.matters.title"), dataIndex: "title", render: (v: string | null) => v ?? "—" },
        { title: t("clients.matters.practiceArea"), dataIndex: "practiceArea", render: (v: string) => t(`clients.matters.areas.${v}`) },
        {
          title: t("clients.matters.status"),
          dataIndex: "status",
          render: (v: string) => <Tag color={v === "open" ? "green" : "default"}>{t(`clients.matters.statuses.${v}`)}</Tag>,
        },
        { title: t("clients.matters.team"), dataIndex: "team", render: (team: Matter["team"]) => t("clients.matters.teamSize", { n: team.length }) },
        { title: t("clients.matters.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
      ]}
    />
  );
}
