/**
 * Findings from a self-assessment or a compliance audit (GOV-3, GOV-4): severity, an owner on the
 * staff, a remediation deadline, and a status that moves open → in remediation → resolved →
 * verified, the last step by someone other than the owner. Summaries and resolutions are sealed.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeFindingProgress, authorizeFindingVerify } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { sealText } from "../../vault/sealed-text.js";
import { FindingStatusError, refusedUnless } from "./assessment.js";
import type { FindingCreateInput, FindingProgressInput, FindingVerifyInput } from "./assessment-inputs.js";
import { type FindingFilter, findingsIn, firmToday, presentFinding } from "./findings-view.js";

const event = (id: string | null, action: string) => ({ action, targetType: "assessment_finding", targetId: id });

/**
 * The findings list. Readers of assessments see every finding; anyone else only their own
 * (`mine`), so an owner outside compliance can follow what they were asked to fix.
 */
export async function listFindings(services: Services, ctx: RequestContext, filter: FindingFilter & { mine?: boolean }, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const e = event(null, "assessment.finding.list");
    const { mine, ...rest } = filter;
    if (!mine) {
      const refused = refusedUnless(w, ctx, "assessment.read", e);
      if (refused) return refused;
    }
    const items = await findingsIn(services, w.tx, mine ? { ...rest, ownerId: ctx.actor.userId } : rest, now);
    w.record({ ...e, outcome: "success", details: { count: items.length, overdue: filter.overdue ?? false, mine: mine ?? false } });
    return { items };
  });
}

export async function readFinding(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const e = event(id, "assessment.finding.read");
    const row = await w.tx.selectFrom("assessment_findings").selectAll().where("id", "=", id).executeTakeFirst();
    const decision = authorize(ctx.actor, "assessment.read");
    if (decision.effect === "deny" && row?.owner_id !== ctx.actor.userId) return w.deny(decision, e);
    if (!row) return w.refuse(NotFoundError("Finding"), e, "failure");
    w.record({ ...e, outcome: "success" });
    return presentFinding(services, row, await firmToday(w.tx, now));
  });
}

export async function raiseFinding(services: Services, ctx: RequestContext, input: FindingCreateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const e = event(null, "assessment.finding.raise");
    const refused = refusedUnless(w, ctx, "assessment.manage", e);
    if (refused) return refused;
    if (input.runId && !(await w.tx.selectFrom("assessment_runs").select("id").where("id", "=", input.runId).executeTakeFirst()))
      return w.refuse(NotFoundError("Assessment run"), e, "failure");
    if (input.auditId && !(await w.tx.selectFrom("compliance_audits").select("id").where("id", "=", input.auditId).executeTakeFirst()))
      return w.refuse(NotFoundError("Compliance audit"), e, "failure");
    const issues = [];
    if (input.controlCode && !(await w.tx.selectFrom("assessment_controls").select("code").where("code", "=", input.controlCode).executeTakeFirst()))
      issues.push({ field: "controlCode", code: "unknown_control", message: "Not a control of the list." });
    if (!(await w.tx.selectFrom("users").select("id").where("id", "=", input.ownerId).where("status", "=", "active").executeTakeFirst()))
      issues.push({ field: "ownerId", code: "unknown_staff", message: "Not an active staff member." });
    if (issues.length) return w.refuse(ValidationError(issues), e, "failure");
    const id = uuidv7();
    const at = now.toISOString();
    await w.tx
      .insertInto("assessment_findings")
      .values({
        id,
        run_id: input.runId,
        audit_id: input.auditId,
        control_code: input.controlCode,
        summary_ct: sealText(services.vault, "assessment_findings", id, "summary", input.summary),
        severity: input.severity,
        owner_id: input.ownerId,
        due_on: input.dueOn,
        status: "open",
        resolution_ct: null,
        resolved_by: null,
        resolved_at: null,
        verified_by: null,
        verified_at: null,
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    w.record({
      ...e,
      targetId: id,
      outcome: "success",
      details: { runId: input.runId, auditId: input.auditId, control: input.controlCode, severity: input.severity, ownerId: input.ownerId, dueOn: input.dueOn },
    });
    const row = await w.tx.selectFrom("assessment_findings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return presentFinding(services, row, await firmToday(w.tx, now));
  });
}

/** The owner (or compliance) starts remediation or marks it resolved, with what was done. */
export async function progressFinding(services: Services, ctx: RequestContext, id: string, input: FindingProgressInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const e = event(id, "assessment.finding.progress");
    const row = await w.tx.selectFrom("assessment_findings").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) {
      const refused = refusedUnless(w, ctx, "assessment.read", e);
      return refused ?? w.refuse(NotFoundError("Finding"), e, "failure");
    }
    const decision = authorizeFindingProgress(ctx.actor, { ownerId: row.owner_id });
    if (decision.effect === "deny") return w.deny(decision, e);
    const from = row.status;
    const allowed = input.status === "in_remediation" ? from === "open" : from === "open" || from === "in_remediation";
    if (!allowed) return w.refuse(FindingStatusError(), { ...e, details: { from, to: input.status } }, "failure");
    if (input.status === "resolved" && !input.resolution)
      return w.refuse(ValidationError([{ field: "resolution", code: "required", message: "Say what was done." }]), e, "failure");
    const at = now.toISOString();
    await w.tx
      .updateTable("assessment_findings")
      .set({
        status: input.status,
        updated_at: at,
        ...(input.status === "resolved"
          ? {
              resolution_ct: sealText(services.vault, "assessment_findings", id, "resolution", input.resolution!),
              resolved_by: ctx.actor.userId,
              resolved_at: at,
            }
          : {}),
      })
      .where("id", "=", id)
      .execute();
    w.record({ ...e, outcome: "success", details: { from, to: input.status } });
    const updated = await w.tx.selectFrom("assessment_findings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return presentFinding(services, updated, await firmToday(w.tx, now));
  });
}

/** Compliance, not the owner, verifies a resolved finding — or sends it back to remediation. */
export async function verifyFinding(services: Services, ctx: RequestContext, id: string, input: FindingVerifyInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const e = event(id, "assessment.finding.verify");
    const row = await w.tx.selectFrom("assessment_findings").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) {
      const refused = refusedUnless(w, ctx, "assessment.manage", e);
      return refused ?? w.refuse(NotFoundError("Finding"), e, "failure");
    }
    const decision = authorizeFindingVerify(ctx.actor, { ownerId: row.owner_id });
    if (decision.effect === "deny") return w.deny(decision, e);
    if (row.status !== "resolved") return w.refuse(FindingStatusError(), { ...e, details: { from: row.status, to: "verified" } }, "failure");
    const at = now.toISOString();
    await w.tx
      .updateTable("assessment_findings")
      .set(
        input.accepted
          ? { status: "verified", verified_by: ctx.actor.userId, verified_at: at, updated_at: at }
          : { status: "in_remediation", resolved_by: null, resolved_at: null, updated_at: at },
      )
      .where("id", "=", id)
      .execute();
    w.record({ ...e, outcome: "success", details: { accepted: input.accepted, to: input.accepted ? "verified" : "in_remediation" } });
    const updated = await w.tx.selectFrom("assessment_findings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return presentFinding(services, updated, await firmToday(w.tx, now));
  });
}
