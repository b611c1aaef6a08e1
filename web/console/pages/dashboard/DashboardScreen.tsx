import { DashboardOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Flex, List, Progress, Result, Row, Skeleton, Space, Statistic, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { screensFor, type Screen } from "../registry";
import { MyWork } from "./MyWork";

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

/** Everyone's home: their work queues first, then the firm's figures or, without them, where to go. */
function DashboardPage() {
  const { me } = useSession();
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <MyWork />
      {me.permissions.includes(KPI_PERMISSION) ? <Kpis /> : <Landing />}
    </Space>
  );
}

/**
 * A KPI card that opens the screen behind its figure, when the caller may open that screen: a
 * click, or Enter / Space from the keyboard.
 */
function DrillCard({ to, testId, children, ...card }: { to: string; testId: string; title?: ReactNode; children: ReactNode }) {
  const { me } = useSession();
  const open = screensFor(me.permissions).some((s) => s.key === to);
  if (!open)
    return (
      <Card {...card} data-testid={testId}>
        {children}
      </Card>
    );
  return (
    <Card
      {...card}
      data-testid={testId}
      hoverable
      role="link"
      tabIndex={0}
      onClick={() => navigate(to)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          navigate(to);
        }
      }}
    >
      {children}
    </Card>
  );
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
          <Button type="link" onClick={() => navigate("kpis")} data-testid="dashboard-all-kpis">
            {t("dashboard.allKpis")}
          </Button>
        </Space>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <DrillCard to="inventory" title={t("dashboard.encryption.title")} testId="kpi-encryption">
            <Flex gap={24} align="center">
              <Progress
                aria-label={t("dashboard.encryption.title")}
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
          </DrillCard>
        </Col>
        <Col xs={24} md={12}>
          <DrillCard to="kpis" title={t("dashboard.approval.title")} testId="kpi-approval">
            <Flex gap={24} align="center">
              <Progress
                aria-label={t("dashboard.approval.title")}
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
          </DrillCard>
        </Col>
        {(
          [
            ["overdueRequests", d.overdueRequests, d.overdueRequests > 0 ? "#cf1322" : undefined, "requests"],
            ["openRequests", d.openRequests, undefined, "requests"],
            ["openAlerts", d.openAlerts, d.openAlerts > 0 ? "#d46b08" : undefined, "incidents"],
            ["openIncidents", d.openIncidents, d.openIncidents > 0 ? "#cf1322" : undefined, "incidents"],
          ] as const
        ).map(([key, value, color, to]) => (
          <Col xs={12} md={6} key={key}>
            <DrillCard to={to} testId={`kpi-${key}`}>
              <Statistic title={t(`dashboard.stats.${key}`)} value={value} styles={color ? { content: { color } } : undefined} />
            </DrillCard>
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

export const dashboardScreen: Screen = { key: "dashboard", icon: <DashboardOutlined />, order: 10, group: "business", component: DashboardPage };
