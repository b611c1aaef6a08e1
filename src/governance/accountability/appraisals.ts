/**
 * Confidentiality performance per person per quarter (TRN-3), computed when asked from what the
 * firm already records: training completions (src/governance/training/), policy attestations,
 * detection alerts attributed to the person and accountability records. Nothing is stored: the
 * score is always the function of today's records (appraisal-score.ts). Compliance reads everyone's
 * (`accountability.manage`); each person reads their own.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { can } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { type AppraisalInputs, confidentialityScore, periodBounds } from "./appraisal-score.js";

const SERIOUS = new Set(["high", "critical"]);

/** Inputs for each of the given people over [from, until). Instants compare as ISO text. */
export async function appraisalInputs(tx: Tx, userIds: readonly string[], from: string, until: string): Promise<Map<string, AppraisalInputs>> {
  const out = new Map<string, AppraisalInputs>();
  if (userIds.length === 0) return out;
  const ids = [...userIds];
  const [completions, versions, attestations, alerts, records] = await Promise.all([
    tx
      .selectFrom("training_completions")
      .select(["user_id", "completed_at", "expires_at"])
      .where("user_id", "in", ids)
      .where("completed_at", "<", until)
      .execute(),
    tx
      .selectFrom("policy_versions")
      .innerJoin("policies", "policies.id", "policy_versions.policy_id")
      .select(["policy_versions.policy_id", "policy_versions.version", "policy_versions.published_on"])
      .where("policy_versions.published_on", "is not", null)
      .where("policy_versions.published_on", "<", until)
      .where("policies.status", "!=", "retired")
      .execute(),
    tx.selectFrom("policy_attestations").select(["user_id", "policy_id", "version"]).where("user_id", "in", ids).where("attested_at", "<", until).execute(),
    tx
      .selectFrom("alerts")
      .select(["user_id", "severity"])
      .where("user_id", "in", ids)
      .where("created_at", ">=", from)
      .where("created_at", "<", until)
      .where("status", "!=", "dismissed")
      .execute(),
    tx
      .selectFrom("accountability_records")
      .select(["user_id", "sanction"])
      .where("user_id", "in", ids)
      .where("decided_on", ">=", from)
      .where("decided_on", "<", until)
      .execute(),
  ]);
  // The version of each policy in force at the period's end: the latest published before it.
  const inForce = new Map<string, number>();
  for (const v of versions) inForce.set(v.policy_id, Math.max(inForce.get(v.policy_id) ?? 0, Number(v.version)));
  for (const id of ids) {
    const mine = completions.filter((c) => c.user_id === id);
    const attested = new Set(attestations.filter((a) => a.user_id === id).map((a) => `${a.policy_id}:${Number(a.version)}`));
    const theirAlerts = alerts.filter((a) => a.user_id === id);
    out.set(id, {
      trainingCompletions: mine.filter((c) => c.completed_at >= from).length,
      trainingCurrent: mine.some((c) => c.expires_at >= until),
      policiesRequired: inForce.size,
      policiesAttested: [...inForce].filter(([p, v]) => attested.has(`${p}:${v}`)).length,
      alerts: theirAlerts.length,
      seriousAlerts: theirAlerts.filter((a) => SERIOUS.has(String(a.severity))).length,
      sanctions: records.filter((r) => r.user_id === id).map((r) => r.sanction),
    });
  }
  return out;
}

/** Everyone's appraisal for a quarter (compliance), or only the caller's own (`mine`). */
export async function appraise(services: Services, ctx: RequestContext, period: string, options: { mine?: boolean } = {}) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: options.mine ? "appraisal.read_own" : "appraisal.list", targetType: "user", targetId: options.mine ? ctx.actor.userId : null };
    if (!options.mine && !can(ctx.actor, "accountability.manage")) return w.deny({ reason: "role_lacks_permission" }, event);
    const bounds = periodBounds(period);
    if (!bounds) return w.refuse(ValidationError([{ field: "period", code: "invalid_period", message: "A quarter such as 2026-Q3." }]), event, "failure");
    let q = w.tx.selectFrom("users").select(["id", "role"]).where("status", "=", "active").orderBy("id");
    if (options.mine) q = q.where("id", "=", ctx.actor.userId);
    const users = await q.execute();
    const inputs = await appraisalInputs(
      w.tx,
      users.map((u) => u.id),
      bounds.from,
      bounds.until,
    );
    const awards = await w.tx.selectFrom("staff_awards").select(["user_id", "award_code"]).where("period", "=", period).execute();
    const items = users.map((u) => {
      const i = inputs.get(u.id)!;
      return {
        userId: u.id,
        role: u.role,
        ...confidentialityScore(i),
        inputs: i,
        awards: awards.filter((a) => a.user_id === u.id).map((a) => a.award_code),
      };
    });
    w.record({ ...event, outcome: "success", details: { period, count: items.length } });
    return { period, from: bounds.from, until: bounds.until, items };
  });
}
