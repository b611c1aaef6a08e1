import { SendOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { UUID } from "../../../shared/ids";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { DisclosureDetail } from "./DisclosureDetail";
import { useRegistries } from "./lookups";
import { type Disclosure, outstandingOf } from "./model";
import { NewDisclosure } from "./NewDisclosure";
import { byDate, byText, filterBy, openableRow, paging } from "../../../shared/tables";

/** Whether the partner still holds this disclosure's rows, in words. */
export function HoldingState({ holdings }: { holdings: Disclosure["holdings"] }) {
  const { t } = useTranslation();
  const outstanding = outstandingOf(holdings);
  const asked = holdings.some((h) => h.status === "return_requested");
  if (outstanding === 0) return <Tag color="green">{t("disclosures.state.allBack")}</Tag>;
  return (
    <Tag color={asked ? "gold" : "orange"}>
      {t(asked ? "disclosures.state.asked" : "disclosures.state.held", { count: outstanding, total: holdings.length })}
    </Tag>
  );
}

function DisclosureList() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { profileName, purposeName } = useRegistries();
  const list = useLoad(() => api.get<{ items: Disclosure[] }>("/disclosures"), []);
  const rows = list.data?.items ?? [];
  return (
    <Card
      title={t("disclosures.title")}
      extra={
        <Space>
          <Button onClick={list.reload}>{t("common.refresh")}</Button>
          {me.permissions.includes("client.disclose") && (
            <Button type="primary" icon={<SendOutlined />} onClick={() => navigate("disclosures/new")} data-testid="new-disclosure">
              {t("disclosures.new.open")}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("disclosures.intro")}</Typography.Paragraph>
      {list.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={messageOf(list.error)} />}
      <Table<Disclosure>
        data-testid="disclosures-table"
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={rows}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("disclosures.none")} /> }}
        onRow={openableRow((d) => navigate(`disclosures/${d.id}`))}
        columns={[
          {
            title: t("disclosures.fields.partner"),
            key: "partner",
            sorter: byText((d) => d.partner.name),
            ...filterBy(
              rows,
              (d) => d.partner.name,
              (name) => name,
            ),
            render: (_, d) => d.partner.name,
          },
          {
            title: t("disclosures.fields.date"),
            dataIndex: "createdAt",
            sorter: byDate((d) => d.createdAt),
            defaultSortOrder: "descend",
            render: (v: string) => formatTime(v, i18n.language),
          },
          {
            title: t("disclosures.fields.purpose"),
            dataIndex: "purpose",
            ...filterBy(rows, (d) => d.purpose, purposeName),
            render: (v: string) => purposeName(v),
          },
          {
            title: t("disclosures.fields.profile"),
            key: "profile",
            render: (_, d) => t("disclosures.profileVersion", { name: profileName(d.profile.code), version: d.profile.version }),
          },
          { title: t("disclosures.fields.clients"), key: "clients", render: (_, d) => d.holdings.length },
          { title: t("disclosures.fields.holdings"), key: "holdings", render: (_, d) => <HoldingState holdings={d.holdings} /> },
        ]}
      />
    </Card>
  );
}

/** #/disclosures (list), #/disclosures/new (a new disclosure), #/disclosures/<uuid> (one disclosure). */
function DisclosuresPage({ params }: { params: string[] }) {
  const [first] = params;
  if (first === "new") return <NewDisclosure />;
  if (first && UUID.test(first)) return <DisclosureDetail key={first} id={first} />;
  return <DisclosureList />;
}

export const disclosuresScreen: Screen = {
  key: "disclosures",
  icon: <SendOutlined />,
  order: 60,
  group: "business",
  permission: "partner.read",
  // Client names are read under the declared purpose (a new disclosure and the holdings name clients).
  needsPurpose: true,
  component: DisclosuresPage,
};
