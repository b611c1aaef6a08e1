/**
 * The law-change review log (GOV-2): when a law or regulation changes, compliance records the
 * review — date, law, summary, the policies it touches and the decision — so the firm can show its
 * policies keep up with the law. Compliance writes (`policy.manage`); compliance and the auditor read (`policy.oversee`).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { DbLawChangeReview } from "../../platform/db/schema.js";
import { ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { LawChangeInput } from "./policy-inputs.js";
import { firmDay } from "../../platform/firm-time.js";

const present = (r: DbLawChangeReview) => ({
  id: r.id,
  reviewedOn: r.reviewed_on,
  law: r.law,
  summary: r.summary,
  affectedPolicyIds: JSON.parse(r.affected_policy_ids) as string[],
  decision: r.decision,
  reviewerId: r.reviewer_id,
  createdAt: r.created_at,
});

export async function recordLawChange(services: Services, ctx: RequestContext, input: LawChangeInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.law_change.record", targetType: "law_change_review", targetId: id };
    const decision = authorize(ctx.actor, "policy.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const ids = [...new Set(input.affectedPolicyIds)];
    const known = new Set(ids.length ? (await w.tx.selectFrom("policies").select("id").where("id", "in", ids).execute()).map((p) => p.id) : []);
    const unknown = input.affectedPolicyIds.flatMap((p, i) =>
      known.has(p) ? [] : [{ field: `affectedPolicyIds.${i}`, code: "unknown_policy", message: "No policy has this id." }],
    );
    if (unknown.length) return w.refuse(ValidationError(unknown), event, "failure");
    if (input.reviewedOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "reviewedOn", code: "in_future", message: "The date lies in the future." }]), event, "failure");
    const row: DbLawChangeReview = {
      id,
      reviewed_on: input.reviewedOn,
      law: input.law,
      summary: input.summary,
      affected_policy_ids: JSON.stringify(ids),
      decision: input.decision,
      reviewer_id: ctx.actor.userId,
      created_at: now.toISOString(),
    };
    await w.tx.insertInto("law_change_reviews").values(row).execute();
    w.record({ ...event, outcome: "success", details: { decision: input.decision, affectedPolicies: ids.length } });
    return present(row);
  });
}

export async function listLawChanges(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.law_change.list", targetType: "law_change_review", targetId: null };
    const decision = authorize(ctx.actor, "policy.oversee");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx.selectFrom("law_change_reviews").selectAll().orderBy("reviewed_on", "desc").orderBy("id", "desc").limit(500).execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return { items: rows.map(present) };
  });
}
