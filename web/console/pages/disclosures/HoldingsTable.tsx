import { Space, Table, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatTime } from "../../../shared/format";
import { FieldsSent } from "./FieldsSent";
import { useClientNames } from "./lookups";
import { type Holding, STATUS_COLOURS } from "./model";
import { paging } from "../../../shared/tables";

/** One row per client: what left, under which approval, and whether the partner still holds it. */
export function HoldingsTable({ holdings, action, testId }: { holdings: Holding[]; action?: (h: Holding) => ReactNode; testId?: string }) {
  const { t, i18n } = useTranslation();
  const clientName = useClientNames(holdings.map((h) => h.clientId));
  const time = (v: string | null) => (v ? formatTime(v, i18n.language) : "—");
  return (
    <Table<Holding>
      data-testid={testId}
      rowKey="clientId"
      size="small"
      pagination={paging({ quiet: true })}
      dataSource={holdings}
      columns={[
        {
          title: t("disclosures.holdings.client"),
          dataIndex: "clientId",
          render: (id: string) => <a href={`#/clients/${id}`}>{clientName(id)}</a>,
        },
        { title: t("disclosures.holdings.fields"), key: "fields", render: (_, h) => <FieldsSent fields={h.fields} /> },
        {
          title: t("disclosures.holdings.approval"),
          dataIndex: "approvalRequestId",
          render: (id: string) => <a href={`#/approvals/${id}`}>{t("disclosures.holdings.openApproval")}</a>,
        },
        {
          title: t("disclosures.holdings.status"),
          key: "status",
          render: (_, h) => (
            <Space orientation="vertical" size={0}>
              <Tag color={STATUS_COLOURS[h.status]}>{t(`disclosures.holdingStatus.${h.status}`)}</Tag>
              {h.returnRequestedAt && (
                <Typography.Text type="secondary">{t("disclosures.holdings.requestedAt", { time: time(h.returnRequestedAt) })}</Typography.Text>
              )}
              {h.confirmedAt && (
                <Typography.Text type="secondary">
                  {t("disclosures.holdings.confirmedAt", { time: time(h.confirmedAt), reference: h.confirmationReference ?? "—" })}
                </Typography.Text>
              )}
            </Space>
          ),
        },
        ...(action ? [{ title: "", key: "action", render: (_: unknown, h: Holding) => action(h) }] : []),
      ]}
    />
  );
}
