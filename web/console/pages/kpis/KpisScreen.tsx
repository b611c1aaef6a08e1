import { DownloadOutlined, FundOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Col, Empty, Flex, Row, Segmented, Select, Skeleton, Space, Statistic, Table, Tabs, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { api, query } from "../../../shared/api";
import { EChart, type LineChartOption } from "../../../shared/charts/EChart";
import { messageOf } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { type Screen, screensFor } from "../registry";
import { OperationsCharts } from "./OperationsCharts";
import { paging } from "../../../shared/tables";

/** GET /kpis (src/http/routes/kpis/schema.ts). */
type Direction = "at_least" | "at_most";
interface KpiRecord {
  type: string;
  id: string;
  reference: string;
  at: string | null;
  counted: boolean;
  detail: string;
  parentId: string | null;
}
interface Kpi {
  code: string;
  value: number | null;
  numerator: number;
  denominator: number;
  target: number;
  direction: Direction;
  met: boolean | null;
  counts: { numerator: string; denominator: string };
  records: KpiRecord[];
  recordsTotal: number;
}
interface Reading {
  period: { label: string; kind: "month" | "quarter" };
  timeZone: string;
  asOf: string;
  kpis: Kpi[];
}
interface Trend {
  periods: string[];
  series: {
    code: string;
    target: number;
    direction: Direction;
    points: { period: string; value: number | null; numerator: number; denominator: number; met: boolean | null }[];
  }[];
}

const FIRM_ZONE = "Asia/Shanghai";

/** The current month in the firm's zone, and the months and quarters before it. */
function periodChoices(kind: "month" | "quarter"): string[] {
  const [y, m] = new Intl.DateTimeFormat("en-CA", { timeZone: FIRM_ZONE, year: "numeric", month: "2-digit" }).format(new Date()).split("-").map(Number) as [
    number,
    number,
  ];
  if (kind === "month")
    return Array.from({ length: 12 }, (_, i) => {
      const index = y * 12 + m - 1 - i;
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
    });
  return Array.from({ length: 8 }, (_, i) => {
    const index = y * 4 + Math.floor((m - 1) / 3) - i;
    return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
  });
}

const quarterOf = (label: string) => (label.includes("Q") ? label : `${label.slice(0, 4)}-Q${Math.floor((Number(label.slice(5, 7)) - 1) / 3) + 1}`);
const percent = (v: number | null) => (v === null ? "—" : `${Number((v * 100).toFixed(2))}%`);

/** Where a drill-down record opens, if the caller may open that screen. */
function linkOf(r: KpiRecord, screens: ReadonlySet<string>): string | null {
  const target =
    r.type === "incident"
      ? ["incidents", `incidents/${r.id}`]
      : r.type === "client_request"
        ? ["requests", `requests/${r.id}`]
        : r.type === "client"
          ? ["clients", `clients/${r.id}`]
          : r.type === "document" && r.parentId
            ? ["clients", `clients/${r.parentId}`]
            : r.type === "access_review_item"
              ? ["access-reviews", "access-reviews"]
              : r.type === "audit_event"
                ? ["audit", "audit"]
                : r.type === "training_assignment"
                  ? ["training", "training"]
                  : null;
  return target && screens.has(target[0]!) ? `#/${target[1]}` : null;
}

function MetTag({ met }: { met: boolean | null }) {
  const { t } = useLabels();
  if (met === null) return <Tag>{t("kpis.met.none")}</Tag>;
  return <Tag color={met ? "success" : "error"}>{met ? t("kpis.met.yes") : t("kpis.met.no")}</Tag>;
}

function KpiCard({ kpi, selected, onSelect }: { kpi: Kpi; selected: boolean; onSelect: () => void }) {
  const { t } = useLabels();
  const name = t(`kpis.names.${kpi.code}`);
  return (
    <Card
      hoverable
      size="small"
      data-testid={`kpi-card-${kpi.code}`}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onSelect();
        }
      }}
      style={selected ? { borderColor: "#1677ff", boxShadow: "0 0 0 1px #1677ff" } : undefined}
      title={name}
      extra={<MetTag met={kpi.met} />}
    >
      <Statistic value={percent(kpi.value)} styles={kpi.met === false ? { content: { color: "#cf1322" } } : undefined} />
      <Typography.Text type="secondary">{t(`kpis.target.${kpi.direction}`, { target: percent(kpi.target) })}</Typography.Text>
      <br />
      <Typography.Text>
        {t("kpis.card.figures", {
          numerator: kpi.numerator,
          denominator: kpi.denominator,
          numeratorLabel: t(`kpis.counts.${kpi.counts.numerator}`),
          denominatorLabel: t(`kpis.counts.${kpi.counts.denominator}`),
        })}
      </Typography.Text>
    </Card>
  );
}

function DrillDown({ kpi }: { kpi: Kpi }) {
  const { t, code, time } = useLabels();
  const { me } = useSession();
  const screens = useMemo(() => new Set(screensFor(me.permissions).map((s) => s.key)), [me.permissions]);
  return (
    <Card title={t("kpis.drill.title", { name: t(`kpis.names.${kpi.code}`) })} data-testid="kpi-drilldown">
      {kpi.recordsTotal > kpi.records.length && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("kpis.drill.truncated", { shown: kpi.records.length, total: kpi.recordsTotal })} />
      )}
      {kpi.code === "leak_incident_rate" && <Typography.Paragraph type="secondary">{t("kpis.drill.leakNote")}</Typography.Paragraph>}
      <Table<KpiRecord>
        size="small"
        rowKey={(r) => `${r.type}:${r.id}:${r.parentId ?? ""}`}
        dataSource={kpi.records}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("kpis.drill.none")} /> }}
        columns={[
          {
            title: t("kpis.drill.reference"),
            dataIndex: "reference",
            render: (v: string, r) => {
              const href = linkOf(r, screens);
              return href ? (
                <a href={href} data-testid="kpi-record-link">
                  {v}
                </a>
              ) : (
                <Typography.Text code>{v}</Typography.Text>
              );
            },
          },
          { title: t("kpis.drill.type"), dataIndex: "type", render: (v: string) => code("kpis.types", v) },
          {
            title: t("kpis.drill.at"),
            dataIndex: "at",
            // A due date (YYYY-MM-DD) as it is; an instant in the firm's time zone.
            render: (v: string | null) => (v === null ? "—" : v.length === 10 ? v : time(v)),
          },
          {
            title: t("kpis.drill.counted"),
            dataIndex: "counted",
            render: (v: boolean) => <Tag color={v ? "success" : "warning"}>{v ? t("kpis.drill.inNumerator") : t("kpis.drill.notInNumerator")}</Tag>,
          },
          { title: t("kpis.drill.detail"), dataIndex: "detail", render: (v: string) => code("kpis.detail", v) },
        ]}
      />
    </Card>
  );
}

function TrendCharts({ trend }: { trend: Trend }) {
  const { t } = useLabels();
  return (
    <Row gutter={[16, 16]}>
      {trend.series.map((s) => {
        const name = t(`kpis.names.${s.code}`);
        const values = s.points.map((p) => (p.value === null ? null : Number((p.value * 100).toFixed(2))));
        const option: LineChartOption = {
          grid: { left: 48, right: 16, top: 28, bottom: 28 },
          tooltip: { trigger: "axis" },
          legend: { top: 0, data: [t("kpis.trend.value"), t("kpis.trend.target")] },
          xAxis: { type: "category", data: s.points.map((p) => p.period) },
          yAxis: { type: "value", axisLabel: { formatter: "{value}%" }, min: 0 },
          series: [
            { name: t("kpis.trend.value"), type: "line", data: values, connectNulls: false, smooth: false, symbolSize: 6 },
            {
              name: t("kpis.trend.target"),
              type: "line",
              data: s.points.map(() => Number((s.target * 100).toFixed(2))),
              lineStyle: { type: "dashed" },
              symbol: "none",
            },
          ],
        };
        const summary = t("kpis.trend.summary", {
          name,
          target: t(`kpis.target.${s.direction}`, { target: percent(s.target) }),
          points: s.points
            .map((p) => `${p.period} ${p.value === null ? t("kpis.met.none") : `${percent(p.value)} (${p.numerator}/${p.denominator})`}`)
            .join(t("kpis.trend.separator")),
        });
        return (
          <Col xs={24} lg={12} xl={8} key={s.code}>
            <Card size="small" title={name}>
              <EChart option={option} summary={summary} testId={`kpi-chart-${s.code}`} />
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

async function download(quarter: string, format: "pdf" | "xlsx", lang: string) {
  const blob = await api.blob(`/kpis/reports/quarterly${query({ quarter, format, lang: lang.startsWith("zh") ? "zh" : "en" })}`);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `custodia-kpi-${quarter}.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function KpiFigures() {
  const { t, lang, time } = useLabels();
  const { message } = AntApp.useApp();
  const [kind, setKind] = useState<"month" | "quarter">("month");
  const choices = useMemo(() => periodChoices(kind), [kind]);
  const [period, setPeriod] = useState<string>(() => periodChoices("month")[0]!);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const reading = useLoad(() => api.get<Reading>(`/kpis${query({ period })}`), [period]);
  const trend = useLoad(() => api.get<Trend>(`/kpis/trend${query({ by: kind, until: period })}`), [kind, period]);
  const quarter = quarterOf(period);
  const chosen = reading.data?.kpis.find((k) => k.code === selected) ?? null;

  const get = async (format: "pdf" | "xlsx") => {
    setBusy(format);
    try {
      await download(quarter, format, lang);
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="kpi-figures">
      <Flex justify="flex-end" align="center" wrap gap={12}>
        <Space wrap>
          <Segmented
            aria-label={t("kpis.periodKind")}
            value={kind}
            options={[
              { value: "month", label: t("kpis.month") },
              { value: "quarter", label: t("kpis.quarter") },
            ]}
            onChange={(v) => {
              const next = v as "month" | "quarter";
              setKind(next);
              setPeriod(periodChoices(next)[0]!);
              setSelected(null);
            }}
          />
          <Select
            aria-label={t("kpis.period")}
            style={{ width: 130 }}
            value={period}
            onChange={(v) => {
              setPeriod(v);
              setSelected(null);
            }}
            options={choices.map((c) => ({ value: c, label: c }))}
            data-testid="kpi-period"
          />
          <Button icon={<DownloadOutlined />} loading={busy === "pdf"} onClick={() => void get("pdf")} data-testid="kpi-report-pdf">
            {t("kpis.report.pdf", { quarter })}
          </Button>
          <Button icon={<DownloadOutlined />} loading={busy === "xlsx"} onClick={() => void get("xlsx")} data-testid="kpi-report-xlsx">
            {t("kpis.report.xlsx", { quarter })}
          </Button>
        </Space>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("kpis.intro")}
        {reading.data ? ` ${t("kpis.asOf", { time: time(reading.data.asOf), zone: reading.data.timeZone })}` : ""}
      </Typography.Paragraph>
      {reading.error !== null && <Alert type="error" showIcon title={t("kpis.loadFailed")} description={messageOf(reading.error)} />}
      {!reading.data && reading.error === null && <Skeleton active />}
      {reading.data && (
        <Row gutter={[16, 16]}>
          {reading.data.kpis.map((k) => (
            <Col xs={24} sm={12} lg={8} xl={6} key={k.code}>
              <KpiCard kpi={k} selected={selected === k.code} onSelect={() => setSelected(selected === k.code ? null : k.code)} />
            </Col>
          ))}
        </Row>
      )}
      {chosen && <DrillDown kpi={chosen} />}
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t(kind === "month" ? "kpis.trend.titleMonths" : "kpis.trend.titleQuarters")}
      </Typography.Title>
      {trend.error !== null && <Alert type="error" showIcon title={t("kpis.loadFailed")} description={messageOf(trend.error)} />}
      {trend.data ? <TrendCharts trend={trend.data} /> : trend.error === null && <Skeleton active />}
    </Space>
  );
}

/** The KPI screen: the figures of a period (with trend and reports) and, in a second tab, the weekly operations charts. */
function KpisPage({ params }: { params: string[] }) {
  const { t } = useLabels();
  const tabs = [
    { key: "figures", label: t("kpis.tabs.figures"), children: <KpiFigures /> },
    { key: "charts", label: t("kpis.tabs.charts"), children: <OperationsCharts /> },
  ];
  const tab = tabs.find((x) => x.key === params[0])?.key ?? "figures";
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="kpis">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("kpis.title")}
      </Typography.Title>
      <Tabs activeKey={tab} onChange={(k) => navigate(`kpis/${k}`)} items={tabs} />
    </Space>
  );
}

export const kpisScreen: Screen = { key: "kpis", icon: <FundOutlined />, order: 12, group: "oversight", permission: "kpi.read", component: KpisPage };
