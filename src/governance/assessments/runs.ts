/**
 * Assessment runs (GOV-3, AUD-3): plan (kind, date, scope, assessor), start — which snapshots the
 * automatic evidence of every control in scope — answer each control by hand, complete. A run
 * lists the unfinished findings of the run before it (re-assessment).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import {
  type ControlResult,
  ControlsUnansweredError,
  NOT_VERIFIED,
  refusedUnless,
  RunNotOpenError,
  type RunKind,
  RunStartedError,
  type RunStatus,
  type Suggestion,
} from "./assessment.js";
import type { ResultInput, RunCreateInput } from "./assessment-inputs.js";
import { controlsIn } from "./controls.js";
import { collectEvidence, type Figure } from "./evidence.js";
import { findingsIn, type PresentedFinding } from "./findings-view.js";
import type { DbAssessmentRun } from "./tables.js";

export interface PresentedRunSummary {
  id: string;
  kind: RunKind;
  plannedOn: string;
  scope: string[];
  assessorId: string;
  status: RunStatus;
  previousRunId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  /** Controls in the run, answered, and answered not met or partly. */
  counts: { controls: number; answered: number; gaps: number; findings: number; openFindings: number };
}

export interface PresentedResult {
  code: string;
  area: string;
  titleZh: string;
  titleEn: string;
  evidenceSource: string | null;
  evidence: Record<string, Figure> | null;
  suggested: Suggestion | null;
  result: ControlResult | null;
  notes: string | null;
  documentRefs: string[];
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface PresentedRun extends PresentedRunSummary {
  results: PresentedResult[];
  findings: PresentedFinding[];
  /** The previous run's findings not yet verified, to be looked at again. */
  carriedOver: PresentedFinding[];
}

const inScope = (scope: readonly string[], area: string) => scope.length === 0 || scope.includes(area);

async function summaryOf(tx: Tx, row: DbAssessmentRun): Promise<PresentedRunSummary> {
  const results = await tx.selectFrom("assessment_results").select(["result"]).where("run_id", "=", row.id).execute();
  const findings = await tx.selectFrom("assessment_findings").select(["status"]).where("run_id", "=", row.id).execute();
  return {
    id: row.id,
    kind: row.kind as RunKind,
    plannedOn: row.planned_on,
    scope: JSON.parse(row.scope) as string[],
    assessorId: row.assessor_id,
    status: row.status as RunStatus,
    previousRunId: row.previous_run_id,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    counts: {
      controls: results.length,
      answered: results.filter((r) => r.result !== null).length,
      gaps: results.filter((r) => r.result === "not_met" || r.result === "partly").length,
      findings: findings.length,
      openFindings: findings.filter((f) => (NOT_VERIFIED as readonly string[]).includes(f.status)).length,
    },
  };
}

export async function readRunIn(services: Services, tx: Tx, id: string, now: Date): Promise<PresentedRun | null> {
  const row = await tx.selectFrom("assessment_runs").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  const controls = new Map((await controlsIn(tx)).map((c) => [c.code, c]));
  const rows = await tx.selectFrom("assessment_results").selectAll().where("run_id", "=", id).execute();
  const results = rows
    .map((r): PresentedResult & { position: number } => {
      const c = controls.get(r.control_code)!;
      return {
        position: c.position,
        code: r.control_code,
        area: c.area,
        titleZh: c.title_zh,
        titleEn: c.title_en,
        evidenceSource: c.evidence_source,
        evidence: r.evidence ? (JSON.parse(r.evidence) as Record<string, Figure>) : null,
        suggested: r.suggested as Suggestion | null,
        result: r.result as ControlResult | null,
        notes: r.notes_ct ? openText(services.vault, "assessment_results", `${id}/${r.control_code}`, "notes", r.notes_ct) : null,
        documentRefs: JSON.parse(r.document_refs) as string[],
        answeredBy: r.answered_by,
        answeredAt: r.answered_at,
      };
    })
    .sort((a, b) => a.position - b.position)
    .map(({ position: _, ...r }) => r);
  const carriedOver = row.previous_run_id
    ? (await findingsIn(services, tx, { runId: row.previous_run_id }, now)).filter((f) => (NOT_VERIFIED as readonly string[]).includes(f.status))
    : [];
  return { ...(await summaryOf(tx, row)), results, findings: await findingsIn(services, tx, { runId: id }, now), carriedOver };
}

/** The latest run (by planned date, then creation): what the inspection pack shows. */
export const latestRunId = async (tx: Tx): Promise<string | null> =>
  (await tx.selectFrom("assessment_runs").select("id").orderBy("planned_on", "desc").orderBy("id", "desc").limit(1).executeTakeFirst())?.id ?? null;

export async function listRuns(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.run.list", targetType: "assessment_run", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.read", event);
    if (refused) return refused;
    const rows = await w.tx.selectFrom("assessment_runs").selectAll().orderBy("planned_on", "desc").orderBy("id", "desc").execute();
    const items: PresentedRunSummary[] = [];
    for (const r of rows) items.push(await summaryOf(w.tx, r));
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

export async function readRun(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.run.read", targetType: "assessment_run", targetId: id };
    const refused = refusedUnless(w, ctx, "assessment.read", event);
    if (refused) return refused;
    const run = await readRunIn(services, w.tx, id, now);
    if (!run) return w.refuse(NotFoundError("Assessment run"), event, "failure");
    w.record({ ...event, outcome: "success" });
    return run;
  });
}

export async function planRun(services: Services, ctx: RequestContext, input: RunCreateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.run.plan", targetType: "assessment_run", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const assessor = await w.tx.selectFrom("users").select(["id"]).where("id", "=", input.assessorId).where("status", "=", "active").executeTakeFirst();
    if (!assessor) return w.refuse(ValidationError([{ field: "assessorId", code: "unknown_staff", message: "Not an active staff member." }]), event, "failure");
    const areas = new Set((await controlsIn(w.tx)).map((c) => c.area));
    const unknown = input.scope.filter((a) => !areas.has(a));
    if (unknown.length)
      // One issue, whatever was sent: caller input is not echoed back.
      return w.refuse(ValidationError([{ field: "scope", code: "unknown_area", message: "An area with no control." }]), event, "failure");
    const id = uuidv7();
    const previous = await w.tx.selectFrom("assessment_runs").select("id").orderBy("id", "desc").limit(1).executeTakeFirst();
    await w.tx
      .insertInto("assessment_runs")
      .values({
        id,
        kind: input.kind,
        planned_on: input.plannedOn,
        scope: JSON.stringify([...new Set(input.scope)].sort()),
        assessor_id: input.assessorId,
        status: "planned",
        previous_run_id: previous?.id ?? null,
        started_at: null,
        completed_at: null,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({
      ...event,
      targetId: id,
      outcome: "success",
      details: { kind: input.kind, plannedOn: input.plannedOn, scope: input.scope, assessorId: input.assessorId },
    });
    return (await readRunIn(services, w.tx, id, now))!;
  });
}

/** Starting a run snapshots the evidence of every active control in scope; inapplicable ones are answered `not_applicable`. */
export async function startRun(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.run.start", targetType: "assessment_run", targetId: id };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const run = await w.tx.selectFrom("assessment_runs").selectAll().where("id", "=", id).executeTakeFirst();
    if (!run) return w.refuse(NotFoundError("Assessment run"), event, "failure");
    if (run.status !== "planned") return w.refuse(RunStartedError(), event, "failure");
    const scope = JSON.parse(run.scope) as string[];
    const controls = (await controlsIn(w.tx)).filter((c) => c.active === 1 && inScope(scope, c.area));
    // One snapshot per source: two controls naming the same source see the same figures.
    const cache = new Map<string, Awaited<ReturnType<typeof collectEvidence>>>();
    let withEvidence = 0;
    for (const c of controls) {
      let evidence = null;
      if (c.applicable === 1 && c.evidence_source) {
        if (!cache.has(c.evidence_source)) cache.set(c.evidence_source, await collectEvidence(w.tx, c.evidence_source, now));
        evidence = cache.get(c.evidence_source) ?? null;
      }
      if (evidence) withEvidence++;
      await w.tx
        .insertInto("assessment_results")
        .values({
          run_id: id,
          control_code: c.code,
          evidence: evidence ? JSON.stringify(evidence.figures) : null,
          suggested: evidence?.suggested ?? null,
          result: c.applicable === 1 ? null : "not_applicable",
          notes_ct: null,
          document_refs: "[]",
          answered_by: null,
          answered_at: null,
        })
        .execute();
    }
    await w.tx.updateTable("assessment_runs").set({ status: "in_progress", started_at: now.toISOString() }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { controls: controls.length, withEvidence, sources: [...cache.keys()].sort() } });
    return (await readRunIn(services, w.tx, id, now))!;
  });
}

export async function answerControl(services: Services, ctx: RequestContext, id: string, code: string, input: ResultInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.run.answer", targetType: "assessment_run", targetId: id };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const run = await w.tx.selectFrom("assessment_runs").select(["status"]).where("id", "=", id).executeTakeFirst();
    if (!run) return w.refuse(NotFoundError("Assessment run"), event, "failure");
    if (run.status !== "in_progress") return w.refuse(RunNotOpenError(), event, "failure");
    const row = await w.tx.selectFrom("assessment_results").select("control_code").where("run_id", "=", id).where("control_code", "=", code).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Control in this run"), event, "failure");
    await w.tx
      .updateTable("assessment_results")
      .set({
        result: input.result,
        notes_ct: input.notes ? sealText(services.vault, "assessment_results", `${id}/${code}`, "notes", input.notes) : null,
        document_refs: JSON.stringify(input.documentRefs),
        answered_by: ctx.actor.userId,
        answered_at: now.toISOString(),
      })
      .where("run_id", "=", id)
      .where("control_code", "=", code)
      .execute();
    // The control and its answer; notes stay out of the log.
    w.record({ ...event, outcome: "success", details: { control: code, result: input.result, documentRefs: input.documentRefs.length } });
    return (await readRunIn(services, w.tx, id, now))!;
  });
}

export async function completeRun(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.run.complete", targetType: "assessment_run", targetId: id };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const run = await w.tx.selectFrom("assessment_runs").select(["status"]).where("id", "=", id).executeTakeFirst();
    if (!run) return w.refuse(NotFoundError("Assessment run"), event, "failure");
    if (run.status !== "in_progress") return w.refuse(RunNotOpenError(), event, "failure");
    const unanswered = await w.tx.selectFrom("assessment_results").select("control_code").where("run_id", "=", id).where("result", "is", null).execute();
    if (unanswered.length) return w.refuse(ControlsUnansweredError(), { ...event, details: { unanswered: unanswered.map((r) => r.control_code) } }, "failure");
    await w.tx.updateTable("assessment_runs").set({ status: "completed", completed_at: now.toISOString() }).where("id", "=", id).execute();
    const summary = (await readRunIn(services, w.tx, id, now))!;
    w.record({ ...event, outcome: "success", details: { controls: summary.counts.controls, gaps: summary.counts.gaps, findings: summary.counts.findings } });
    return summary;
  });
}
