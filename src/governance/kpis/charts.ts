/**
 * The KPI charts (issue #15, GOV-6): aggregate counts over the last N ISO weeks in the firm's time
 * zone, for compliance to see trends the monthly figures hide. Counts and codes only: no ids, no
 * names, nothing decrypted. Read with `kpi.read` and audited as `kpi.read` (view `charts`), like
 * the figures and the trend.
 *
 * Access to client data is counted from the audit log with one GROUP BY over the (action, at)
 * index: the reads that expose a client's data (blast radius' actions, plus opening and
 * downloading a client's files), by purpose and by the reader's role, and per week the refused
 * ones and those under break-glass.
 */
import { sql } from "kysely";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { alertSeverity } from "../../response/detection/alert-commands.js";
import { SEVERITIES, type Severity } from "../../response/detection/rules.js";
import { BLAST_RADIUS_ACTIONS } from "../../response/incidents/blast-radius.js";
import { addCalendarDays, deadlineFlags, localDate } from "../../rights/requests/deadlines.js";
import { CLOSED } from "../../rights/requests/request.js";
import { firmTimeZone } from "../../rights/requests/request-store.js";
import { figure, PPM } from "./kpi.js";
import { MEASURES } from "./kpi-measures.js";
import { readTargets } from "./kpi-queries.js";
import { type Week, weeksEndingAt } from "./weeks.js";

/** Audit actions that read a client's data. */
export const CLIENT_DATA_READS = [...BLAST_RADIUS_ACTIONS, "document.read", "document.download"] as const;

/** Open data-subject requests by how soon they fall due: past it, within 3 days (today included), within 7, later. */
export const DEADLINE_BUCKETS = ["overdue", "due_3_days", "due_7_days", "later"] as const;
export type DeadlineBucket = (typeof DEADLINE_BUCKETS)[number];

/** Counts per severity, one per week (aligned with `weeks`). */
export interface SeveritySeries {
  severity: Severity;
  counts: number[];
}

export interface KpiCharts {
  timeZone: string;
  asOf: string;
  weeks: Week[];
  requestsByDeadline: { bucket: DeadlineBucket; count: number }[];
  alertsBySeverity: SeveritySeries[];
  incidentsBySeverity: SeveritySeries[];
  /** Successful reads of client data over the whole window; null: none declared (or no staff role). */
  accessByPurpose: { purpose: string | null; count: number }[];
  accessByRole: { role: string | null; count: number }[];
  /** Reads of client data refused, per week. */
  deniedReads: number[];
  /** Reads of client data under break-glass, per week. */
  breakGlassReads: number[];
  /** The approval-compliance KPI per week, computed as for the monthly figure. */
  approvalCompliance: { target: number; points: { value: number | null; numerator: number; denominator: number; met: boolean | null }[] };
}

/**
 * The index of the week an instant column falls in, as SQL. ISO-8601 instants in UTC compare as
 * text, so this is the same plain CASE on both engines; rows outside the weeks are filtered out.
 */
const weekIndex = (column: string, weeks: readonly Week[]) =>
  sql<number>`case ${sql.join(
    weeks.map((w, i) => sql`when ${sql.ref(column)} < ${w.to} then ${sql.lit(i)}`),
    sql` `,
  )} end`;

const bySeverity = (weeks: readonly Week[], rows: readonly { week: unknown; severity: string | null; n: unknown }[]): SeveritySeries[] => {
  const series = SEVERITIES.map((severity) => ({ severity, counts: weeks.map(() => 0) }));
  for (const r of rows) {
    const s = series.find((x) => x.severity === r.severity);
    if (s && r.week !== null) s.counts[Number(r.week)]! += Number(r.n);
  }
  return series;
};

async function requestsByDeadline(tx: Tx, today: string): Promise<KpiCharts["requestsByDeadline"]> {
  const rows = await tx
    .selectFrom("client_requests")
    .select(["due_date", "extended_due_date"])
    .where("status", "not in", [...CLOSED])
    .execute();
  const counts = Object.fromEntries(DEADLINE_BUCKETS.map((b) => [b, 0])) as Record<DeadlineBucket, number>;
  for (const r of rows) {
    const due = r.extended_due_date ?? r.due_date;
    const bucket: DeadlineBucket = deadlineFlags(due, today, 0, false).overdue
      ? "overdue"
      : due <= addCalendarDays(today, 3)
        ? "due_3_days"
        : due <= addCalendarDays(today, 7)
          ? "due_7_days"
          : "later";
    counts[bucket]++;
  }
  return DEADLINE_BUCKETS.map((bucket) => ({ bucket, count: counts[bucket] }));
}

async function alertsBySeverity(tx: Tx, weeks: readonly Week[]): Promise<SeveritySeries[]> {
  const rows = await tx
    .selectFrom("alerts")
    .select((eb) => [weekIndex("created_at", weeks).as("week"), "kind", "severity", eb.fn.countAll().as("n")])
    .where("created_at", ">=", weeks[0]!.from)
    .where("created_at", "<", weeks[weeks.length - 1]!.to)
    .groupBy([sql`week`, "kind", "severity"])
    .execute();
  return bySeverity(
    weeks,
    rows.map((r) => ({ week: r.week, severity: alertSeverity({ kind: r.kind, severity: r.severity ?? null }), n: r.n })),
  );
}

/** Incidents in the week the firm became aware of them (the notification clock's start, as for the leak KPI). */
async function incidentsBySeverity(tx: Tx, weeks: readonly Week[]): Promise<SeveritySeries[]> {
  const rows = await tx
    .selectFrom("incidents")
    .select((eb) => [weekIndex("aware_at", weeks).as("week"), "severity", eb.fn.countAll().as("n")])
    .where("aware_at", ">=", weeks[0]!.from)
    .where("aware_at", "<", weeks[weeks.length - 1]!.to)
    .groupBy([sql`week`, "severity"])
    .execute();
  return bySeverity(weeks, rows);
}

/** One scan of the reads of client data in the window, grouped by week, outcome, reason, purpose and role. */
async function clientDataAccess(tx: Tx, weeks: readonly Week[]) {
  const rows = await tx
    .selectFrom("audit_events")
    .select((eb) => [weekIndex("at", weeks).as("week"), "outcome", "reason", "purpose", "actor_role", eb.fn.countAll().as("n")])
    .where("action", "in", [...CLIENT_DATA_READS])
    .where("at", ">=", weeks[0]!.from)
    .where("at", "<", weeks[weeks.length - 1]!.to)
    .groupBy([sql`week`, "outcome", "reason", "purpose", "actor_role"])
    .execute();
  const purposes = new Map<string | null, number>();
  const roles = new Map<string | null, number>();
  const deniedReads = weeks.map(() => 0);
  const breakGlassReads = weeks.map(() => 0);
  for (const r of rows) {
    const n = Number(r.n);
    const week = Number(r.week);
    if (r.outcome === "denied") deniedReads[week]! += n;
    if (r.outcome !== "success") continue;
    // Every read under break-glass carries the reason `break_glass` (src/records/clients/).
    if (r.reason === "break_glass") breakGlassReads[week]! += n;
    purposes.set(r.purpose, (purposes.get(r.purpose) ?? 0) + n);
    roles.set(r.actor_role, (roles.get(r.actor_role) ?? 0) + n);
  }
  // Most read first; ties in code order, so the answer is stable.
  const ranked = (map: Map<string | null, number>) => [...map].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  return {
    accessByPurpose: ranked(purposes).map(([purpose, count]) => ({ purpose, count })),
    accessByRole: ranked(roles).map(([role, count]) => ({ role, count })),
    deniedReads,
    breakGlassReads,
  };
}

/** The approval-compliance KPI per week: the KPI module's own measure, over weeks instead of months. */
async function approvalComplianceByWeek(tx: Tx, weeks: readonly Week[], now: Date, timeZone: string): Promise<KpiCharts["approvalCompliance"]> {
  const target = (await readTargets(tx)).approval_compliance;
  const { measure, counts } = MEASURES.approval_compliance;
  const tallies = await measure({ tx, now, timeZone, withRecords: false }, weeks);
  const points = tallies.map((t) => {
    const f = figure("approval_compliance", t.numerator, t.denominator, target, counts);
    return { value: f.value, numerator: f.numerator, denominator: f.denominator, met: f.met };
  });
  return { target: target / PPM, points };
}

/** Every chart's figures over `count` weeks ending with the current one, in the caller's transaction. */
export async function measureCharts(tx: Tx, now: Date, count: number, timeZone: string): Promise<KpiCharts> {
  const weeks = weeksEndingAt(now, count, timeZone);
  return {
    timeZone,
    asOf: now.toISOString(),
    weeks,
    requestsByDeadline: await requestsByDeadline(tx, localDate(now, timeZone)),
    alertsBySeverity: await alertsBySeverity(tx, weeks),
    incidentsBySeverity: await incidentsBySeverity(tx, weeks),
    ...(await clientDataAccess(tx, weeks)),
    approvalCompliance: await approvalComplianceByWeek(tx, weeks, now, timeZone),
  };
}

/** GET /kpis/charts: the charts' counts over the last `weeks` weeks (default 12). */
export async function readKpiCharts(services: Services, ctx: RequestContext, input: { weeks: number; now: Date }): Promise<KpiCharts> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.read", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    const charts = await measureCharts(w.tx, input.now, input.weeks, await firmTimeZone(w.tx));
    const first = charts.weeks[0]!;
    const last = charts.weeks[charts.weeks.length - 1]!;
    w.record({ ...event, outcome: "success", details: { view: "charts", weeks: input.weeks, from: first.label, until: last.label } });
    return charts;
  });
}
