import { DatabaseOutlined, LockOutlined, SearchOutlined } from "@ant-design/icons";
import { Alert, Card, Flex, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { paging } from "../../../shared/tables";

/** GET /inventory (src/http/routes/inventory.ts). */
interface InventoryEntry {
  dataset: string;
  field: string;
  labelZh: string;
  labelEn: string;
  category: string;
  level: string;
  required: boolean;
  storage: string;
  searchable: boolean;
  purposeZh: string;
  purposeEn: string;
  readableBy: string[];
  maskedFor: string[];
  retention: string;
}
interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
}

const LEVEL_COLOR: Record<string, string> = { L1: "default", L2: "blue", L3: "orange", L4: "red" };
// The inventory states storage as text; sealed fields are the AES-256-GCM ones (src/records/inventory/inventory.ts).
const isSealed = (e: InventoryEntry) => e.storage.startsWith("AES-256-GCM");
const UNTIL_ERASED = "until erased (no retention schedule configured yet)";

function InventoryPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === "en";
  const inventory = useLoad(() => api.get<{ items: InventoryEntry[]; purposes: Purpose[] }>("/inventory"), []);
  const known = (prefix: string, value: string) => (i18n.exists(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : value);
  const role = (r: string) => known("roles", r);

  if (inventory.error) return <Alert type="error" showIcon title={t("inventory.loadFailed")} description={messageOf(inventory.error)} />;
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={
          <Space>
            <DatabaseOutlined />
            {t("inventory.title")}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t("inventory.intro")}</Typography.Paragraph>
        <Table<InventoryEntry>
          rowKey={(e) => `${e.dataset}.${e.field}`}
          size="small"
          loading={inventory.loading}
          dataSource={inventory.data?.items ?? []}
          pagination={paging()}
          scroll={{ x: 1040 }}
          data-testid="inventory-table"
          columns={[
            {
              title: t("inventory.columns.field"),
              key: "field",
              width: 140,
              render: (_, e) => (
                // "客户 · 地址": the record the field belongs to, then the field; the column it is stored in only as a tooltip.
                <Space orientation="vertical" size={0}>
                  <Tooltip title={`${e.dataset}.${e.field}`}>
                    <Typography.Text strong>
                      {known("inventory.datasets", e.dataset)} · {en ? e.labelEn : e.labelZh}
                    </Typography.Text>
                  </Tooltip>
                  {e.required && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("inventory.required")}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t("inventory.columns.category"), dataIndex: "category", width: 90, render: (v: string) => known("inventory.categories", v) },
            { title: t("inventory.columns.level"), dataIndex: "level", width: 80, render: (v: string) => <Tag color={LEVEL_COLOR[v]}>{v}</Tag> },
            {
              title: t("inventory.columns.storage"),
              key: "storage",
              width: 170,
              render: (_, e) => (
                <Space size={[0, 4]} wrap>
                  <Tooltip title={e.storage}>
                    {isSealed(e) ? (
                      <Tag icon={<LockOutlined />} color="green">
                        {t("inventory.encrypted")}
                      </Tag>
                    ) : (
                      <Tag>{t("inventory.plain")}</Tag>
                    )}
                  </Tooltip>
                  {e.searchable && (
                    <Tag icon={<SearchOutlined />} color="geekblue">
                      {t(isSealed(e) ? "inventory.blindIndex" : "inventory.searchable")}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t("inventory.columns.purposes"), key: "purpose", render: (_, e) => (en ? e.purposeEn : e.purposeZh) },
            {
              title: t("inventory.columns.retention"),
              dataIndex: "retention",
              width: 140,
              render: (v: string) => (v === UNTIL_ERASED ? t("inventory.untilErased") : v),
            },
            {
              title: t("inventory.columns.access"),
              key: "access",
              width: 300,
              render: (_, e) => (
                <Flex vertical gap={4}>
                  <Flex wrap gap={4} align="center">
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("inventory.readable")}
                    </Typography.Text>
                    {e.readableBy.length
                      ? e.readableBy.map((r) => (
                          <Tag key={r} color="green">
                            {role(r)}
                          </Tag>
                        ))
                      : "—"}
                  </Flex>
                  {e.maskedFor.length > 0 && (
                    <Flex wrap gap={4} align="center">
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("inventory.masked")}
                      </Typography.Text>
                      {e.maskedFor.map((r) => (
                        <Tag key={r}>{role(r)}</Tag>
                      ))}
                    </Flex>
                  )}
                </Flex>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t("inventory.purposesTitle")}>
        <Table<Purpose>
          rowKey="code"
          size="small"
          loading={inventory.loading}
          dataSource={inventory.data?.purposes ?? []}
          pagination={paging({ quiet: true })}
          columns={[
            { title: t("inventory.purposeColumns.code"), dataIndex: "code", width: 180, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t("inventory.purposeColumns.name"), key: "name", width: 180, render: (_, p) => (en ? p.nameEn : p.nameZh) },
            { title: t("inventory.purposeColumns.description"), dataIndex: "description" },
          ]}
        />
      </Card>
    </Space>
  );
}

export const inventoryScreen: Screen = {
  key: "inventory",
  icon: <DatabaseOutlined />,
  order: 70,
  group: "oversight",
  permission: "inventory.read",
  component: InventoryPage,
};
