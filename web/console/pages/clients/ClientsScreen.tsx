import { PlusOutlined, TeamOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Form, Input, Row, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { navigate } from "../../../shared/router";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { ClientDetail } from "./ClientDetail";
import { ClientForm } from "./ClientForm";
import { MaskedTag } from "./MaskedValue";
import { roleMay, type Client, type ClientListItem, type ClientPage } from "./model";
import { openableRow, paging } from "../../../shared/tables";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 20;
type Criteria = { name?: string; idNumber?: string; phone?: string; email?: string };

/** #/clients (search and list), #/clients/new (create), #/clients/<uuid> (detail). */
function ClientsPage({ params }: { params: string[] }) {
  const { t } = useTranslation();
  const [first] = params;
  if (first === "new") {
    return (
      <Card title={t("clients.create.title")} extra={<Button onClick={() => navigate("clients")}>{t("clients.detail.back")}</Button>}>
        <ClientForm onSaved={(client) => navigate(`clients/${client.id}`)} onCancel={() => navigate("clients")} />
      </Card>
    );
  }
  if (first && UUID.test(first)) return <ClientDetail id={first} />;
  return <ClientsHome />;
}

function ClientsHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <SearchCard
        extra={
          roleMay(me.permissions, "create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("clients/new")}>
              {t("clients.new")}
            </Button>
          ) : null
        }
      />
      <ClientList />
    </Space>
  );
}

/** Exact-match search by blind index: the criteria travel in the POST body, never in a URL. */
function SearchCard({ extra }: { extra: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Criteria>();
  const [state, setState] = useState<{ loading: boolean; items: Client[] | null; error: string | null }>({ loading: false, items: null, error: null });

  const search = async (values: Criteria) => {
    const criteria = Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, typeof v === "string" ? v.trim() : ""])
        .filter(([, v]) => v),
    );
    if (Object.keys(criteria).length === 0) {
      setState({ loading: false, items: null, error: t("clients.search.needOne") });
      return;
    }
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const result = await api.post<{ items: Client[] }>("/clients/search", criteria, { purpose: true });
      setState({ loading: false, items: result.items, error: null });
    } catch (error) {
      setState({ loading: false, items: null, error: messageOf(error) });
    }
  };

  return (
    <Card title={t("clients.search.title")} extra={extra}>
      <Typography.Paragraph type="secondary">{t("clients.search.help")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={search} data-testid="client-search">
        <Row gutter={16}>
          {(["name", "idNumber", "phone", "email"] as const).map((field) => (
            <Col key={field} xs={24} md={6}>
              <Form.Item name={field} label={t(`clients.fields.${field}`)}>
                <Input allowClear autoComplete="off" />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={state.loading}>
            {t("clients.search.submit")}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setState({ loading: false, items: null, error: null });
            }}
          >
            {t("common.reset")}
          </Button>
        </Space>
      </Form>
      {state.error && <Alert type="error" showIcon title={state.error} style={{ marginTop: 16 }} />}
      {state.items && (
        <Table<Client>
          style={{ marginTop: 16 }}
          data-testid="search-results"
          rowKey="id"
          size="small"
          pagination={paging()}
          dataSource={state.items}
          locale={{ emptyText: t("clients.search.noResults") }}
          onRow={openableRow((row) => navigate(`clients/${row.id}`))}
          columns={[
            {
              title: t("clients.fields.name"),
              dataIndex: "name",
              render: (v: string, row) => (
                <Space>
                  {v}
                  <MaskedTag field="name" access={row.access} />
                </Space>
              ),
            },
            { title: t("clients.fields.kind"), dataIndex: "kind", render: (v: string) => t(`clients.kinds.${v}`) },
            {
              title: t("clients.fields.phone"),
              dataIndex: "phone",
              render: (v: string | null, row) => (
                <Space>
                  {v ?? "—"}
                  <MaskedTag field="phone" access={row.access} />
                </Space>
              ),
            },
            {
              title: t("clients.fields.email"),
              dataIndex: "email",
              render: (v: string | null, row) => (
                <Space>
                  {v ?? "—"}
                  <MaskedTag field="email" access={row.access} />
                </Space>
              ),
            },
            { title: t("clients.fields.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
            {
              title: t("common.actions"),
              key: "open",
              render: (_, row) => (
                <Button size="small" onClick={() => navigate(`clients/${row.id}`)}>
                  {t("common.details")}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** The clients the caller may see (need-to-know, walls), newest first, in keyset pages. */
function ClientList() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<ClientListItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (after: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<ClientPage>(`/clients/page${query({ cursor: after, limit: PAGE_SIZE })}`, { purpose: true });
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(null), [load]);

  return (
    <Card title={t("clients.list.title")} extra={<Button onClick={() => void load(null)}>{t("common.refresh")}</Button>}>
      <Typography.Paragraph type="secondary">{t("clients.list.help")}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<ClientListItem>
        data-testid="client-list"
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={items}
        locale={{ emptyText: t("clients.list.empty") }}
        onRow={openableRow((row) => navigate(`clients/${row.id}`))}
        columns={[
          {
            title: t("clients.fields.name"),
            dataIndex: "name",
            render: (v: string, row) => (
              <Space>
                {v}
                {row.maskedFields.includes("name") && <Tag color="orange">{t("clients.access.masked")}</Tag>}
              </Space>
            ),
          },
          { title: t("clients.fields.kind"), dataIndex: "kind", render: (v: string) => t(`clients.kinds.${v}`) },
          {
            title: t("clients.fields.status"),
            dataIndex: "status",
            render: (v: string) => <Tag color={v === "active" ? "green" : "default"}>{t(`clients.statuses.${v}`)}</Tag>,
          },
          { title: t("clients.fields.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
        ]}
      />
      {cursor && (
        <div style={{ textAlign: "center", marginTop: 16 }}>
          <Button onClick={() => void load(cursor)} loading={loading}>
            {t("common.loadMore")}
          </Button>
        </div>
      )}
    </Card>
  );
}

export const clientsScreen: Screen = {
  key: "clients",
  icon: <TeamOutlined />,
  order: 20,
  group: "business",
  needsPurpose: true,
  permission: "client.read",
  component: ClientsPage,
};
