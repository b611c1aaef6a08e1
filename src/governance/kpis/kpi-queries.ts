/**
 * Reading the KPIs (GOV-6): the figures of one period with the records behind them, their trend,
 * and the targets. Reading takes `kpi.read` (partners, compliance, auditors) and is audited as
 * `kpi.read` with the period and the figures (counts only); changing a target takes `kpi.manage`.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { firmTimeZone } from "../../rights/requests/request-store.js";
import { figure, isKpiCode, KPI_CODES, KPI_DEFINITIONS, type KpiCode, type KpiFigure, type KpiRecord, PeriodInvalidError, PPM } from "./kpi.js";
import { asOf, MEASURES } from "./kpi-measures.js";
import { type Period, type PeriodKind, parsePeriod, periodLabelAt, periodsEndingWith } from "./period.js";

export interface KpiView extends KpiFigure {
  /** The records behind the figure, problems first (not counted), at most `limit`. */
  records: KpiRecord[];
  recordsTotal: number;
}

export interface KpiReading {
  period: Period;
  timeZone: string;
  /** The instant the figures were measured at: the period's end, or now while it runs. */
  asOf: string;
  kpis: KpiView[];
}

export interface KpiTrendPoint {
  period: string;
  value: number | null;
  numerator: number;
  denominator: number;
  met: boolean | null;
}

export interface KpiTrend {
  by: PeriodKind;
  timeZone: string;
  periods: string[];
  series: { code: KpiCode; target: number; direction: KpiFigure["direction"]; points: KpiTrendPoint[] }[];
}

export interface KpiTarget {
  code: KpiCode;
  target: number;
  direction: KpiFigure["direction"];
  updatedAt: string;
  updatedBy: string | null;
}

/** Records shown per KPI by the API; the quarterly report lists up to REPORT_RECORD_LIMIT. */
export const RECORD_LIMIT = 500;
export const REPORT_RECORD_LIMIT = 50_000;

export async function readTargets(tx: Tx): Promise<Record<KpiCode, number>> {
  const rows = await tx.selectFrom("kpi_targets").select(["code", "target_ppm"]).execute();
  const stored = new Map(rows.map((r) => [r.code, Number(r.target_ppm)]));
  return Object.fromEntries(KPI_CODES.map((code) => [code, stored.get(code) ?? KPI_DEFINITIONS[code].defaultTargetPpm])) as Record<KpiCode, number>;
}

/** The period a label names, or the current month when none is given. */
export function resolvePeriod(label: string | undefined, now: Date, timeZone: string, field = "period"): Period {
  const period = parsePeriod(label ?? periodLabelAt(now, "month", timeZone), timeZone);
  if (!period) throw PeriodInvalidError(field);
  return period;
}

const problemsFirst = (a: KpiRecord, b: KpiRecord) => Number(a.counted) - Number(b.counted);

/** Every KPI of one period, in the caller's transaction, with up to `limit` records each. */
export async function measureKpis(tx: Tx, period: Period, now: Date, timeZone: string, limit: number): Promise<KpiReading> {
  const targets = await readTargets(tx);
  const kpis: KpiView[] = [];
  for (const code of KPI_CODES) {
    const { measure, counts } = MEASURES[code];
    const [tally] = await measure({ tx, now, timeZone, withRecords: true }, [period]);
    const records = [...tally!.records].sort(problemsFirst);
    kpis.push({ ...figure(code, tally!.numerator, tally!.denominator, targets[code], counts), records: records.slice(0, limit), recordsTotal: records.length });
  }
  return { period, timeZone, asOf: asOf(period, now), kpis };
}

/** Each KPI over `count` periods ending with `last`, computed from the records (no snapshots). */
export async function measureTrend(tx: Tx, last: Period, count: number, now: Date, timeZone: string): Promise<KpiTrend> {
  const targets = await readTargets(tx);
  const periods = periodsEndingWith(last, count, timeZone);
  const series: KpiTrend["series"] = [];
  for (const code of KPI_CODES) {
    const { measure, counts } = MEASURES[code];
    const tallies = await measure({ tx, now, timeZone, withRecords: false }, periods);
    series.push({
      code,
      target: targets[code] / PPM,
      direction: KPI_DEFINITIONS[code].direction,
      points: tallies.map((t, i) => {
        const f = figure(code, t.numerator, t.denominator, targets[code], counts);
        return { period: periods[i]!.label, value: f.value, numerator: f.numerator, denominator: f.denominator, met: f.met };
      }),
    });
  }
  return { by: last.kind, timeZone, periods: periods.map((p) => p.label), series };
}

const summaryOf = (kpis: readonly KpiFigure[]) => Object.fromEntries(kpis.map((k) => [k.code, `${k.numerator}/${k.denominator}`]));

/** GET /kpis: the figures of a period (default: the current month) with their records. */
export async function readKpis(services: Services, ctx: RequestContext, input: { period?: string | undefined; now: Date }): Promise<KpiReading> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.read", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    const timeZone = await firmTimeZone(w.tx);
    const period = parsePeriod(input.period ?? periodLabelAt(input.now, "month", timeZone), timeZone);
    if (!period) return w.refuse(PeriodInvalidError("period"), event, "failure");
    const reading = await measureKpis(w.tx, period, input.now, timeZone, RECORD_LIMIT);
    w.record({ ...event, outcome: "success", details: { view: "figures", period: period.label, ...summaryOf(reading.kpis) } });
    return reading;
  });
}

/** GET /kpis/trend: each KPI per month (12) or per quarter (8) up to a period (default: the current one). */
export async function readKpiTrend(
  services: Services,
  ctx: RequestContext,
  input: { by: PeriodKind; until?: string | undefined; count?: number | undefined; now: Date },
): Promise<KpiTrend> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.read", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    const timeZone = await firmTimeZone(w.tx);
    const last = parsePeriod(input.until ?? periodLabelAt(input.now, input.by, timeZone), timeZone);
    if (!last || last.kind !== input.by) return w.refuse(PeriodInvalidError("until"), event, "failure");
    const count = input.count ?? (input.by === "month" ? 12 : 8);
    const trend = await measureTrend(w.tx, last, count, input.now, timeZone);
    w.record({ ...event, outcome: "success", details: { view: "trend", by: input.by, until: last.label, periods: count } });
    return trend;
  });
}

export async function listKpiTargets(services: Services, ctx: RequestContext): Promise<{ items: KpiTarget[] }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.read", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    const rows = await w.tx.selectFrom("kpi_targets").selectAll().execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    w.record({ ...event, outcome: "success", details: { view: "targets" } });
    return {
      items: KPI_CODES.map((code) => {
        const r = byCode.get(code);
        return {
          code,
          target: (r ? Number(r.target_ppm) : KPI_DEFINITIONS[code].defaultTargetPpm) / PPM,
          direction: KPI_DEFINITIONS[code].direction,
          updatedAt: r?.updated_at ?? "",
          updatedBy: r?.updated_by ?? null,
        };
      }),
    };
  });
}

/** PUT /kpis/targets/{code}: compliance sets a target, a share from 0 to 1 (kept to the millionth). */
export async function setKpiTarget(services: Services, ctx: RequestContext, code: string, target: number): Promise<KpiTarget> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.target", targetType: "kpi", targetId: code, purpose: null };
    const role = authorize(ctx.actor, "kpi.manage");
    if (role.effect === "deny") return w.deny(role, event);
    if (!isKpiCode(code)) return w.refuse(ValidationError([{ field: "code", code: "invalid_value", message: "Not a KPI code." }]), event, "failure");
    if (!Number.isFinite(target) || target < 0 || target > 1)
      return w.refuse(ValidationError([{ field: "target", code: "too_big", message: "A target is a share from 0 to 1." }]), event, "failure");
    const ppm = Math.round(target * PPM);
    const now = new Date().toISOString();
    const before = (await readTargets(w.tx))[code];
    const updated = await w.tx
      .updateTable("kpi_targets")
      .set({ target_ppm: ppm, updated_at: now, updated_by: ctx.actor.userId })
      .where("code", "=", code)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await w.tx.insertInto("kpi_targets").values({ code, target_ppm: ppm, updated_at: now, updated_by: ctx.actor.userId }).execute();
    w.record({ ...event, outcome: "success", details: { fromPpm: before, toPpm: ppm } });
    return { code, target: ppm / PPM, direction: KPI_DEFINITIONS[code].direction, updatedAt: now, updatedBy: ctx.actor.userId };
  });
}
