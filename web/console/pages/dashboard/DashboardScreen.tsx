import { DashboardOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Flex, List, Progress, Result, Row, Skeleton, Space, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { screensFor, type Screen } from "../registry";

/** GET /kpis/dashboard (src/http/routes/dashboard/schema.ts). */
interface Kpi {
  from: string;
  to: string;
  sensitiveOperations: number;
  withValidGrant: number;
  value: number | null;
  breakGlassReads: number;
}
export interface Dashboard {
  encryptionCoverage: { value: number | null; personalFields: number; sealedFields: number; unsealedFields: string[]; rowsChecked: number };
  approvalCompliance: Kpi;
  openRequests: number;
  overdueRequests: number;
  openAlerts: number;
  openIncidents: number;
  generatedAt: string;
}

/**
 * Without `kpi.read` (from /auth/me) the caller gets their personal landing without asking: a
 * refused read would still be written to the audit log as "denied" on every visit. The API decides
 * all the same — a 403 also falls back to the landing.
 */
const KPI_PERMISSION = "kpi.read";

const percent = (v: number | null) => (v === null ? 0 : Math.round(v * 1000) / 10);

function DashboardPage() {
  const { me } = useSession();
  if (!me.permissions.includes(KPI_PERMISSION)) return <Landing />;
  return <Kpis />;
}

function Kpis() {
  const { t, i18n } = useTranslation();
  const board = useLoad(() => api.get<Dashboard>("/kpis/dashboard"), []);
  if (board.error instanceof ApiError && board.error.status === 403) return <Landing />;
  if (board.error)
    return (
      <Alert
        type="error"
        showIcon
        title={t("dashboard.loadFailed")}
        description={messageOf(board.error)}
        action={<Button onClick={board.reload}>{t("common.refresh")}</Button>}
      />
    );
  const d = board.data;
  if (!d) return <Skeleton active />;
  const enc = d.encryptionCoverage;
  const apr = d.approvalCompliance;
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="dashboard">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("dashboard.title")}
        </Typography.Title>
        <Space>
          <Typography.Text type="secondary">{t("dashboard.generatedAt", { time: formatTime(d.generatedAt, i18n.language) })}</Typography.Text>
          <Button onClick={board.reload} loading={board.loading}>
            {t("common.refresh")}
          </Button>
        </Space>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={t("dashboard.encryption.title")} data-testid="kpi-encryption">
            <Flex gap={24} align="center">
              <Progress
                type="dashboard"
                percent={percent(enc.value)}
                status={enc.value === 1 ? "success" : enc.value === null ? "normal" : "exception"}
                format={() => (enc.value === null ? "—" : `${percent(enc.value)}%`)}
              />
              <Space orientation="vertical">
                <Typography.Text>{t("dashboard.encryption.fields", { sealed: enc.sealedFields, total: enc.personalFields })}</Typography.Text>
                <Typography.Text type="secondary">{t("dashboard.encryption.rows", { count: enc.rowsChecked })}</Typography.Text>
                {enc.unsealedFields.length > 0 && (
                  <Alert type="error" showIcon title={t("dashboard.encryption.unsealed", { fields: enc.unsealedFields.join(", ") })} />
                )}
              </Space>
            </Flex>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t("dashboard.approval.title")} data-testid="kpi-approval">
            <Flex gap={24} align="center">
              <Progress
                type="circle"
                percent={percent(apr.value)}
                status={apr.value === null || apr.value === 1 ? "normal" : "exception"}
                format={() => (apr.value === null ? "—" : `${percent(apr.value)}%`)}
              />
              <Space orientation="vertical">
                <Typography.Text>
                  {apr.value === null
                    ? t("dashboard.approval.none")
                    : t("dashboard.approval.operations", { granted: apr.withValidGrant, total: apr.sensitiveOperations })}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t("dashboard.approval.window", { from: formatTime(apr.from, i18n.language), to: formatTime(apr.to, i18n.language) })}
                </Typography.Text>
                <Typography.Text type="secondary">{t("dashboard.approval.breakGlass", { count: apr.breakGlassReads })}</Typography.Text>
              </Space>
            </Flex>
          </Card>
        </Col>
        {(
          [
            ["overdueRequests", d.overdueRequests, d.overdueRequests > 0 ? "#cf1322" : undefined],
            ["openRequests", d.openRequests, undefined],
            ["openAlerts", d.openAlerts, d.openAlerts > 0 ? "#d46b08" : undefined],
            ["openIncidents", d.openIncidents, d.openIncidents > 0 ? "#cf1322" : undefined],
          ] as const
        ).map(([key, value, color]) => (
          <Col xs={12} md={6} key={key}>
            <Card data-testid={`kpi-${key}`}>
              <Statistic title={t(`dashboard.stats.${key}`)} value={value} styles={color ? { content: { color } } : undefined} />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}

/** A personal landing for roles without the firm-wide figures: who they are and where to go. */
function Landing() {
  const { t } = useTranslation();
  const { me } = useSession();
  const screens: Screen[] = screensFor(me.permissions).filter((s) => s.key !== "dashboard" && s.inMenu !== false);
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="landing">
      <Result
        icon={<DashboardOutlined />}
        title={t("dashboard.landing.title", { role: t(`roles.${me.role}`) })}
        subTitle={t("dashboard.landing.subtitle", { clearance: me.clearance })}
      />
      <Card title={t("dashboard.landing.whatYouCanDo")}>
        <List
          dataSource={screens}
          locale={{ emptyText: t("dashboard.landing.nothing") }}
          renderItem={(s) => (
            <List.Item
              actions={[
                <Button key="open" type="link" onClick={() => navigate(s.key)}>
                  {t("dashboard.landing.open")}
                </Button>,
              ]}
            >
              <List.Item.Meta avatar={s.icon} title={t(`${s.key}.nav`)} />
            </List.Item>
          )}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t("dashboard.landing.account")}
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}

export const dashboardScreen: Screen = { key: "dashboard", icon: <DashboardOutlined />, order: 10, component: DashboardPage };
