/**
 * Accountability records (GOV-5): a violation found leads to a record of who (user id), what rule
 * (code), which sanction and when, linked to the incident or internal report that found it.
 * Compliance only (accountability.manage), for writing and reading alike. An investigation
 * (accountability-cases.ts) that ends in a sanction writes its record here.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";

/** In rising order of gravity (GOV-5: warning → demotion → dismissal → referral to the authorities). */
export const SANCTIONS = ["warning", "training", "suspension", "demotion", "dismissal", "referral"] as const;
export type Sanction = (typeof SANCTIONS)[number];
/** The firm rule breached, as a code (the firm's policy handbook holds the texts). */
export const RULE_CODES = [
  "need_to_know",
  "ethical_wall",
  "purpose_limitation",
  "credential_sharing",
  "data_export",
  "confidentiality",
  "security_procedure",
  "other",
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface AccountabilityInput {
  userId: string;
  ruleCode: RuleCode;
  sanction: Sanction;
  decidedOn: string;
  incidentId?: string | undefined;
  reportId?: string | undefined;
}

const present = (r: {
  id: string;
  user_id: string;
  rule_code: string;
  sanction: string;
  decided_on: string;
  incident_id: string | null;
  report_id: string | null;
  recorded_by: string;
  created_at: string;
}) => ({
  id: r.id,
  userId: r.user_id,
  ruleCode: r.rule_code,
  sanction: r.sanction,
  decidedOn: r.decided_on,
  incidentId: r.incident_id,
  reportId: r.report_id,
  recordedBy: r.recorded_by,
  createdAt: r.created_at,
});

export async function recordAccountability(services: Services, ctx: RequestContext, input: AccountabilityInput) {
  const id = uuidv7();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "accountability.record", targetType: "user", targetId: input.userId };
    const decision = authorize(ctx.actor, "accountability.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!(await w.tx.selectFrom("users").select("id").where("id", "=", input.userId).executeTakeFirst())) {
      return w.refuse(ValidationError([{ field: "userId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    }
    if (input.incidentId && !(await w.tx.selectFrom("incidents").select("id").where("id", "=", input.incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    if (input.reportId && !(await w.tx.selectFrom("internal_reports").select("id").where("id", "=", input.reportId).executeTakeFirst()))
      return w.refuse(NotFoundError("Report"), event, "failure");
    const row = {
      id,
      user_id: input.userId,
      rule_code: input.ruleCode,
      sanction: input.sanction,
      decided_on: input.decidedOn,
      incident_id: input.incidentId ?? null,
      report_id: input.reportId ?? null,
      recorded_by: ctx.actor.userId,
      created_at: new Date().toISOString(),
    };
    await w.tx.insertInto("accountability_records").values(row).execute();
    w.record({
      ...event,
      outcome: "success",
      details: { recordId: id, ruleCode: input.ruleCode, sanction: input.sanction, incidentId: row.incident_id, reportId: row.report_id },
    });
    return present(row);
  });
}

export async function listAccountability(services: Services, ctx: RequestContext, filter: { userId?: string | undefined }) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "accountability.list", targetType: "user", targetId: filter.userId ?? null };
    const decision = authorize(ctx.actor, "accountability.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    let q = w.tx.selectFrom("accountability_records").selectAll();
    if (filter.userId) q = q.where("user_id", "=", filter.userId);
    const rows = await q.orderBy("decided_on", "desc").orderBy("id", "desc").limit(500).execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return rows.map(present);
  });
}
