import { TeamOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { useLabels, UUID } from "../programme/codes";
import type { Screen } from "../registry";
import { PartnerDetail } from "./PartnerDetail";
import { AddPartner } from "./PartnerForms";
import { Readiness, StandingTags } from "./Standing";
import { countryName, type ListedPartner, STATUS_COLOURS, STATUSES } from "./types";
import { byText, filterBy, openableRow, paging } from "../../../shared/tables";

function PartnerList() {
  const { t, code, lang } = useLabels();
  const { me } = useSession();
  const [status, setStatus] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const list = useLoad(() => api.get<{ items: ListedPartner[] }>(`/partners${query({ status })}`), [status]);
  const rows = list.data?.items ?? [];
  return (
    <Card
      title={t("partners.title")}
      extra={
        <Space>
          <Button onClick={list.reload}>{t("common.refresh")}</Button>
          {me.permissions.includes("partner.manage") && (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t("partners.add.open")}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("partners.intro")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("partners.allStatuses")}
          aria-label={t("common.status")}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: code("partners.status", s) }))}
        />
      </Space>
      {list.error !== null && <Alert type="error" showIcon message={String((list.error as Error).message ?? list.error)} style={{ marginBottom: 16 }} />}
      <Table<ListedPartner>
        rowKey="id"
        size="small"
        data-testid="partners-table"
        loading={list.loading}
        dataSource={rows}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("partners.none")} /> }}
        onRow={openableRow((p) => navigate(`partners/${p.id}`))}
        columns={[
          { title: t("partners.fields.name"), dataIndex: "name", sorter: byText((p) => p.name) },
          {
            title: t("partners.fields.kind"),
            dataIndex: "kind",
            ...filterBy(
              rows,
              (p) => p.kind,
              (c) => code("partners.kind", c),
            ),
            render: (v: string) => code("partners.kind", v),
          },
          {
            title: t("partners.fields.jurisdiction"),
            dataIndex: "jurisdiction",
            ...filterBy(
              rows,
              (p) => p.jurisdiction,
              (c) => countryName(c, lang),
            ),
            render: (v: string) => countryName(v, lang),
          },
          {
            title: t("partners.fields.status"),
            dataIndex: "status",
            ...filterBy(
              rows,
              (p) => p.status,
              (c) => code("partners.status", c),
            ),
            render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{code("partners.status", v)}</Tag>,
          },
          { title: t("partners.fields.risk"), key: "risk", render: (_, p) => <StandingTags p={p} /> },
          { title: t("partners.fields.readiness"), key: "readiness", render: (_, p) => <Readiness r={p.readiness} /> },
        ]}
      />
      <AddPartner open={adding} onClose={() => setAdding(false)} onAdded={(p) => navigate(`partners/${p.id}`)} />
    </Card>
  );
}

function PartnersPage({ params }: { params: string[] }) {
  if (params[0] && UUID.test(params[0])) return <PartnerDetail key={params[0]} id={params[0]} />;
  return <PartnerList />;
}

export const partnersScreen: Screen = {
  key: "partners",
  icon: <TeamOutlined />,
  order: 59,
  group: "business",
  permission: "partner.read",
  component: PartnersPage,
};
