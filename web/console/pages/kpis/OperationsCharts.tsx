import { Alert, Button, Card, Col, Empty, Row, Segmented, Skeleton, Space, Typography } from "antd";
import { useId, useMemo, useState } from "react";
import { api, query } from "../../../shared/api";
import { type ChartOption, EChart } from "../../../shared/charts/EChart";
import { useCodeLabel } from "../../../shared/codes";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { usePurposes } from "../clients/purposes";
import { useLabels } from "../programme/codes";

/** GET /kpis/charts (src/http/routes/kpis/charts-schema.ts). */
interface Week {
  label: string;
  firstDay: string;
}
interface SeveritySeries {
  severity: string;
  counts: number[];
}
interface Charts {
  timeZone: string;
  asOf: string;
  weeks: Week[];
  requestsByDeadline: { bucket: string; count: number }[];
  alertsBySeverity: SeveritySeries[];
  incidentsBySeverity: SeveritySeries[];
  accessByPurpose: { purpose: string | null; count: number }[];
  accessByRole: { role: string | null; count: number }[];
  deniedReads: number[];
  breakGlassReads: number[];
  approvalCompliance: { target: number; points: { value: number | null; numerator: number; denominator: number }[] };
}

/** One line of a chart: a name, a value per category, and how each value reads in words. */
interface Series {
  name: string;
  values: (number | null)[];
  /** The table's and summary's text for each value; the number itself by default. */
  cells?: string[];
  colour?: string;
  dashed?: boolean;
}

const SEVERITY_COLOURS: Record<string, string> = { low: "#69b1ff", medium: "#faad14", high: "#fa541c", critical: "#a8071a" };
const WEEK_CHOICES = [4, 12, 26] as const;
const percent = (v: number | null) => (v === null ? null : Number((v * 100).toFixed(2)));
const cellOf = (s: Series, i: number) => s.cells?.[i] ?? String(s.values[i] ?? "—");

/**
 * A chart with its accessible title, its figures in words for screen readers (EChart's summary),
 * and a data table a button shows or hides, so the numbers are readable without the canvas.
 */
function ChartCard(props: {
  title: string;
  testId: string;
  categoryTitle: string;
  categories: string[];
  /** The axis's short labels; the table shows `categories`. */
  axis?: string[];
  series: Series[];
  kind: "bar" | "stacked" | "line";
  unit?: "%";
}) {
  const { t } = useLabels();
  const [table, setTable] = useState(false);
  const headingId = useId();
  const tableId = useId();
  const { title, categories, series, kind } = props;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: series.length > 1 ? 32 : 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      ...(series.length > 1 ? { legend: { top: 0, data: series.map((s) => s.name) } } : {}),
      xAxis: { type: "category", data: props.axis ?? categories, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1, min: 0, ...(props.unit ? { axisLabel: { formatter: `{value}${props.unit}` } } : {}) },
      series: series.map((s) =>
        kind === "line"
          ? {
              name: s.name,
              type: "line" as const,
              data: s.values,
              connectNulls: false,
              symbolSize: 6,
              ...(s.dashed ? { lineStyle: { type: "dashed" as const }, symbol: "none" } : {}),
              ...(s.colour ? { itemStyle: { color: s.colour } } : {}),
            }
          : {
              name: s.name,
              type: "bar" as const,
              data: s.values,
              ...(kind === "stacked" ? { stack: "total" } : {}),
              ...(s.colour ? { itemStyle: { color: s.colour } } : {}),
            },
      ),
    }),
    [categories, props.axis, series, kind, props.unit],
  );
  const summary = t("kpis.charts.summary", {
    title,
    series: series
      .map((s) =>
        t("kpis.charts.seriesSummary", {
          name: s.name,
          points: categories.map((c, i) => `${c} ${cellOf(s, i)}`).join(t("kpis.charts.separator")),
        }),
      )
      .join(t("kpis.charts.separator")),
  });
  return (
    <section aria-labelledby={headingId} data-testid={props.testId}>
      <Card
        size="small"
        title={
          <Typography.Title level={4} id={headingId} style={{ margin: 0, fontSize: 14 }}>
            {title}
          </Typography.Title>
        }
        extra={
          <Button
            size="small"
            type="link"
            aria-expanded={table}
            aria-controls={tableId}
            aria-describedby={headingId}
            onClick={() => setTable(!table)}
            data-testid="chart-table-toggle"
          >
            {table ? t("kpis.charts.hideTable") : t("kpis.charts.showTable")}
          </Button>
        }
      >
        {categories.length ? <EChart option={option} summary={summary} /> : <Empty description={t("kpis.charts.empty")} />}
        <div id={tableId} hidden={!table}>
          {table && (
            <table className="chart-data" data-testid="chart-table" style={{ width: "100%", borderCollapse: "collapse", marginTop: 8 }}>
              <caption style={{ textAlign: "start", fontWeight: 500 }}>{t("kpis.charts.tableCaption", { title })}</caption>
              <thead>
                <tr>
                  <th scope="col" style={{ textAlign: "start" }}>
                    {props.categoryTitle}
                  </th>
                  {series.map((s) => (
                    <th scope="col" key={s.name} style={{ textAlign: "end" }}>
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {categories.map((c, i) => (
                  <tr key={c}>
                    <th scope="row" style={{ textAlign: "start", fontWeight: 400 }}>
                      {c}
                    </th>
                    {series.map((s) => (
                      <td key={s.name} style={{ textAlign: "end" }}>
                        {cellOf(s, i)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </Card>
    </section>
  );
}

/** The "Operations charts" tab of the KPI screen (issue #15): one chart per series of GET /kpis/charts. */
export function OperationsCharts() {
  const { t, code, time } = useLabels();
  const role = useCodeLabel();
  const purposes = usePurposes();
  const [weeks, setWeeks] = useState<number>(12);
  const { data, error } = useLoad(() => api.get<Charts>(`/kpis/charts${query({ weeks })}`), [weeks]);

  const charts = useMemo(() => {
    if (!data) return null;
    const weekNames = data.weeks.map((w) => t("kpis.charts.weekLabel", { label: w.label, from: w.firstDay }));
    const axis = data.weeks.map((w) => w.firstDay.slice(5));
    const bySeverity = (rows: SeveritySeries[]): Series[] =>
      rows.map((s) => ({ name: code("incidents.severity", s.severity), values: s.counts, colour: SEVERITY_COLOURS[s.severity] }));
    const weekly = { categoryTitle: t("kpis.charts.week"), categories: weekNames, axis };
    const approval = data.approvalCompliance;
    return [
      {
        title: t("kpis.charts.requests.title"),
        testId: "chart-requests",
        categoryTitle: t("kpis.charts.requests.category"),
        categories: data.requestsByDeadline.map((b) => t(`kpis.charts.buckets.${b.bucket}`)),
        series: [{ name: t("kpis.charts.count"), values: data.requestsByDeadline.map((b) => b.count) }],
        kind: "bar" as const,
      },
      { title: t("kpis.charts.alerts.title"), testId: "chart-alerts", ...weekly, series: bySeverity(data.alertsBySeverity), kind: "stacked" as const },
      { title: t("kpis.charts.incidents.title"), testId: "chart-incidents", ...weekly, series: bySeverity(data.incidentsBySeverity), kind: "stacked" as const },
      {
        title: t("kpis.charts.purpose.title"),
        testId: "chart-purpose",
        categoryTitle: t("kpis.charts.purpose.category"),
        categories: data.accessByPurpose.map((p) => (p.purpose === null ? t("kpis.charts.noPurpose") : purposes.nameOf(p.purpose))),
        series: [{ name: t("kpis.charts.count"), values: data.accessByPurpose.map((p) => p.count) }],
        kind: "bar" as const,
      },
      {
        title: t("kpis.charts.role.title"),
        testId: "chart-role",
        categoryTitle: t("kpis.charts.role.category"),
        categories: data.accessByRole.map((r) => (r.role === null ? t("kpis.charts.noRole") : role("role", r.role))),
        series: [{ name: t("kpis.charts.count"), values: data.accessByRole.map((r) => r.count) }],
        kind: "bar" as const,
      },
      {
        title: t("kpis.charts.denials.title"),
        testId: "chart-denials",
        ...weekly,
        series: [
          { name: t("kpis.charts.denials.denied"), values: data.deniedReads, colour: "#cf1322" },
          { name: t("kpis.charts.denials.breakGlass"), values: data.breakGlassReads, colour: "#d48806" },
        ],
        kind: "line" as const,
      },
      {
        title: t("kpis.charts.approval.title"),
        testId: "chart-approval",
        ...weekly,
        series: [
          {
            name: t("kpis.charts.approval.value"),
            values: approval.points.map((p) => percent(p.value)),
            cells: approval.points.map((p) => (p.value === null ? t("kpis.charts.approval.none") : `${percent(p.value)}% (${p.numerator}/${p.denominator})`)),
          },
          {
            name: t("kpis.charts.approval.target"),
            values: approval.points.map(() => percent(approval.target)),
            cells: approval.points.map(() => `${percent(approval.target)}%`),
            dashed: true,
          },
        ],
        kind: "line" as const,
        unit: "%" as const,
      },
    ];
  }, [data, t, code, role, purposes.nameOf]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="kpi-charts">
      <Space wrap align="center">
        <Segmented
          aria-label={t("kpis.charts.weeks")}
          value={weeks}
          options={WEEK_CHOICES.map((n) => ({ value: n, label: t("kpis.charts.weeksOption", { count: n }) }))}
          onChange={(v) => setWeeks(Number(v))}
        />
        <Typography.Text type="secondary">
          {t("kpis.charts.intro")}
          {data ? ` ${t("kpis.charts.asOf", { time: time(data.asOf), zone: data.timeZone })}` : ""}
        </Typography.Text>
      </Space>
      {error !== null && <Alert type="error" showIcon title={t("kpis.loadFailed")} description={messageOf(error)} />}
      {!charts && error === null && <Skeleton active />}
      {charts && (
        <Row gutter={[16, 16]}>
          {charts.map((c) => (
            <Col xs={24} lg={12} key={c.testId}>
              <ChartCard {...c} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
