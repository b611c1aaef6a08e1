/**
 * Investigations of a suspected violation (GOV-5): opened → investigating → decided → published →
 * closed (a case found without violation, or not announced, closes from decided). The findings are
 * free text about a person, sealed with the vault. The decider holds `accountability.manage` and is
 * never the person investigated. A sanction writes an accountability record; publishing announces
 * it internally by role and rule only, never by name (the subject's role is kept from when the case
 * was opened).
 */
import { z } from "zod";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeCaseDecision } from "../../access/policy/policy.js";
import { humanText } from "../../http/schema-text.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import type { DbAccountabilityCase } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { RULE_CODES, SANCTIONS } from "./accountability-records.js";
import { firmDay } from "../../platform/firm-time.js";

export const CASE_STATUSES = ["opened", "investigating", "decided", "published", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_OUTCOMES = [...SANCTIONS, "no_violation"] as const;

/** The workflow's moves: forward only; a decided case is published (sanctions only) or closed. */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  opened: ["investigating"],
  investigating: ["decided"],
  decided: ["published", "closed"],
  published: ["closed"],
  closed: [],
};
export const canMove = (from: CaseStatus, to: CaseStatus): boolean => NEXT[from].includes(to);

const day = z.iso.date();
export const CaseOpenInput = z.strictObject({
  subjectId: z.string().min(1).max(64),
  ruleCode: z.enum(RULE_CODES),
  incidentId: z.uuid().optional(),
  reportId: z.uuid().optional(),
});
export type CaseOpenInput = z.infer<typeof CaseOpenInput>;
export const CaseFindingsInput = z.strictObject({ findings: humanText({ multiline: true }).min(1).max(20_000).describe("Sealed at rest") });
export const CaseDecisionInput = z.strictObject({ outcome: z.enum(CASE_OUTCOMES), decidedOn: day.optional().describe("Defaults to today") });
export type CaseDecisionInput = z.infer<typeof CaseDecisionInput>;

const CaseStatusError = () => ConflictError("case_status_invalid", "The investigation cannot move to that status.");

const present = (services: Services, c: DbAccountabilityCase) => ({
  id: c.id,
  subjectId: c.subject_id,
  subjectRole: c.subject_role,
  ruleCode: c.rule_code,
  status: c.status as CaseStatus,
  incidentId: c.incident_id,
  reportId: c.report_id,
  findings: c.findings_ct === null ? null : openText(services.vault, "accountability_cases", c.id, "findings", c.findings_ct),
  outcome: c.outcome,
  decidedBy: c.decided_by,
  decidedOn: c.decided_on,
  recordId: c.record_id,
  publicationId: c.publication_id,
  openedBy: c.opened_by,
  openedAt: c.opened_at,
  updatedAt: c.updated_at,
});
export type PresentedCase = ReturnType<typeof present>;

type Event = { action: string; targetType: string; targetId: string | null };
const refusedUnlessManager = (w: AuditedWork, ctx: RequestContext, event: Event) => {
  const decision = authorize(ctx.actor, "accountability.manage");
  return decision.effect === "deny" ? w.deny(decision, event) : null;
};

export async function openCase(services: Services, ctx: RequestContext, input: CaseOpenInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.open", targetType: "accountability_case", targetId: id };
    const refused = refusedUnlessManager(w, ctx, event);
    if (refused) return refused;
    const subject = await w.tx.selectFrom("users").select(["id", "role"]).where("id", "=", input.subjectId).executeTakeFirst();
    if (!subject) return w.refuse(ValidationError([{ field: "subjectId", code: "unknown_user", message: "No user has this id." }]), event, "failure");
    if (input.incidentId && !(await w.tx.selectFrom("incidents").select("id").where("id", "=", input.incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    if (input.reportId && !(await w.tx.selectFrom("internal_reports").select("id").where("id", "=", input.reportId).executeTakeFirst()))
      return w.refuse(NotFoundError("Report"), event, "failure");
    const at = now.toISOString();
    const row: DbAccountabilityCase = {
      id,
      subject_id: subject.id,
      subject_role: subject.role,
      rule_code: input.ruleCode,
      status: "opened",
      incident_id: input.incidentId ?? null,
      report_id: input.reportId ?? null,
      findings_ct: null,
      outcome: null,
      decided_by: null,
      decided_on: null,
      record_id: null,
      publication_id: null,
      opened_by: ctx.actor.userId,
      opened_at: at,
      updated_at: at,
    };
    await w.tx.insertInto("accountability_cases").values(row).execute();
    w.record({
      ...event,
      outcome: "success",
      details: { subjectId: subject.id, ruleCode: input.ruleCode, incidentId: row.incident_id, reportId: row.report_id },
    });
    return present(services, row);
  });
}

/** Loads the case for a change by compliance; refuses (audited) when absent. */
async function load(w: AuditedWork, ctx: RequestContext, id: string, event: Event) {
  const refused = refusedUnlessManager(w, ctx, event);
  if (refused) return refused;
  const row = await w.tx.selectFrom("accountability_cases").selectAll().where("id", "=", id).executeTakeFirst();
  return row ?? w.refuse(NotFoundError("Investigation"), event, "failure");
}

export async function startInvestigation(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.investigate", targetType: "accountability_case", targetId: id };
    const row = await load(w, ctx, id, event);
    if (!("id" in row)) return row;
    if (!canMove(row.status as CaseStatus, "investigating")) return w.refuse(CaseStatusError(), event, "failure");
    const next = { ...row, status: "investigating", updated_at: now.toISOString() };
    await w.tx.updateTable("accountability_cases").set({ status: next.status, updated_at: next.updated_at }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { from: row.status, to: "investigating" } });
    return present(services, next);
  });
}

/** The findings, sealed; written while the case is open or under investigation. */
export async function saveFindings(services: Services, ctx: RequestContext, id: string, findings: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.findings", targetType: "accountability_case", targetId: id };
    const row = await load(w, ctx, id, event);
    if (!("id" in row)) return row;
    if (row.status !== "opened" && row.status !== "investigating") return w.refuse(CaseStatusError(), event, "failure");
    const next = { ...row, findings_ct: sealText(services.vault, "accountability_cases", id, "findings", findings), updated_at: now.toISOString() };
    await w.tx.updateTable("accountability_cases").set({ findings_ct: next.findings_ct, updated_at: next.updated_at }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { length: findings.length } });
    return present(services, next);
  });
}

/**
 * The decision: a sanction or no violation, by compliance other than the subject, once the findings
 * are written. A sanction writes the accountability record that the appraisal counts.
 */
export async function decideCase(services: Services, ctx: RequestContext, id: string, input: CaseDecisionInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.decide", targetType: "accountability_case", targetId: id };
    const row = await w.tx.selectFrom("accountability_cases").selectAll().where("id", "=", id).executeTakeFirst();
    const decision = authorizeCaseDecision(ctx.actor, { subjectId: row?.subject_id ?? "" });
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!row) return w.refuse(NotFoundError("Investigation"), event, "failure");
    if (!canMove(row.status as CaseStatus, "decided")) return w.refuse(CaseStatusError(), event, "failure");
    if (row.findings_ct === null) return w.refuse(ConflictError("findings_required", "Write the findings before deciding."), event, "failure");
    const decidedOn = input.decidedOn ?? now.toISOString().slice(0, 10);
    if (decidedOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "decidedOn", code: "in_future", message: "The date lies in the future." }]), event, "failure");
    let recordId: string | null = null;
    if (input.outcome !== "no_violation") {
      recordId = uuidv7();
      await w.tx
        .insertInto("accountability_records")
        .values({
          id: recordId,
          user_id: row.subject_id,
          rule_code: row.rule_code,
          sanction: input.outcome,
          decided_on: decidedOn,
          incident_id: row.incident_id,
          report_id: row.report_id,
          recorded_by: ctx.actor.userId,
          created_at: now.toISOString(),
        })
        .execute();
    }
    const next: DbAccountabilityCase = {
      ...row,
      status: "decided",
      outcome: input.outcome,
      decided_by: ctx.actor.userId,
      decided_on: decidedOn,
      record_id: recordId,
      updated_at: now.toISOString(),
    };
    await w.tx
      .updateTable("accountability_cases")
      .set({ status: "decided", outcome: next.outcome, decided_by: next.decided_by, decided_on: decidedOn, record_id: recordId, updated_at: next.updated_at })
      .where("id", "=", id)
      .execute();
    w.record({ ...event, outcome: "success", details: { subjectId: row.subject_id, ruleCode: row.rule_code, outcome: input.outcome, recordId } });
    return present(services, next);
  });
}

/** Announces a sanction internally: role, rule, sanction and date; never the subject's name or id. */
export async function publishCase(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.publish", targetType: "accountability_case", targetId: id };
    const row = await load(w, ctx, id, event);
    if (!("id" in row)) return row;
    if (!canMove(row.status as CaseStatus, "published")) return w.refuse(CaseStatusError(), event, "failure");
    if (row.outcome === null || row.outcome === "no_violation")
      return w.refuse(ConflictError("nothing_to_publish", "Only a sanction is published."), event, "failure");
    const publicationId = uuidv7();
    const at = now.toISOString();
    await w.tx
      .insertInto("accountability_publications")
      .values({
        id: publicationId,
        kind: "sanction",
        published_on: at.slice(0, 10),
        published_by: ctx.actor.userId,
        user_id: null,
        subject_role: row.subject_role,
        rule_code: row.rule_code,
        sanction: row.outcome,
        award_code: null,
        period: null,
        created_at: at,
      })
      .execute();
    const next = { ...row, status: "published", publication_id: publicationId, updated_at: at };
    await w.tx.updateTable("accountability_cases").set({ status: "published", publication_id: publicationId, updated_at: at }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { publicationId, ruleCode: row.rule_code, sanction: row.outcome } });
    return present(services, next);
  });
}

export async function closeCase(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.close", targetType: "accountability_case", targetId: id };
    const row = await load(w, ctx, id, event);
    if (!("id" in row)) return row;
    if (!canMove(row.status as CaseStatus, "closed")) return w.refuse(CaseStatusError(), event, "failure");
    const next = { ...row, status: "closed", updated_at: now.toISOString() };
    await w.tx.updateTable("accountability_cases").set({ status: "closed", updated_at: next.updated_at }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { from: row.status, outcome: row.outcome } });
    return present(services, next);
  });
}

export async function listCases(services: Services, ctx: RequestContext, filter: { status?: CaseStatus | undefined }) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.list", targetType: "accountability_case", targetId: null };
    const refused = refusedUnlessManager(w, ctx, event);
    if (refused) return refused;
    let q = w.tx.selectFrom("accountability_cases").selectAll().orderBy("opened_at", "desc").orderBy("id", "desc").limit(500);
    if (filter.status) q = q.where("status", "=", filter.status);
    const rows = await q.execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    // The list leaves the sealed findings out: they are opened one case at a time.
    return { items: rows.map((r) => ({ ...present(services, { ...r, findings_ct: null }), hasFindings: r.findings_ct !== null })) };
  });
}

export async function readCase(services: Services, ctx: RequestContext, id: string) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.case.read", targetType: "accountability_case", targetId: id };
    const row = await load(w, ctx, id, event);
    if (!("id" in row)) return row;
    w.record({ ...event, outcome: "success" });
    return { ...present(services, row), hasFindings: row.findings_ct !== null };
  });
}
