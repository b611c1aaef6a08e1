/** Listing and tuning detection rules: compliance edits thresholds, windows, severity and containment. */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { loadRules, ruleFromRow } from "./rule-store.js";
import { isRuleCode, RULE_PARAMS, type Containment, type DetectionRule, type Severity } from "./rules.js";

export interface RuleUpdate {
  enabled?: boolean | undefined;
  severity?: Severity | undefined;
  containment?: Containment | undefined;
  /** Merged over the current parameters, then validated as a whole. */
  params?: Record<string, unknown> | undefined;
}

export async function listRules(services: Services, ctx: RequestContext): Promise<DetectionRule[]> {
  return runAudited(services, ctx, async (w) => {
    const decision = authorize(ctx.actor, "alert.read");
    if (decision.effect === "deny") return w.deny(decision, { action: "detection_rule.list", targetType: "detection_rule", targetId: null });
    const rules = await loadRules(w.tx);
    w.record({ action: "detection_rule.list", targetType: "detection_rule", targetId: null, outcome: "success", details: { results: rules.length } });
    return rules;
  });
}

export async function updateRule(services: Services, ctx: RequestContext, code: string, update: RuleUpdate): Promise<DetectionRule> {
  const rule = await runAudited(services, ctx, async (w) => {
    const event = { action: "detection_rule.update", targetType: "detection_rule", targetId: code };
    const decision = authorize(ctx.actor, "alert.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = isRuleCode(code) ? await w.tx.selectFrom("detection_rules").selectAll().where("code", "=", code).executeTakeFirst() : undefined;
    const current = row ? ruleFromRow(row) : null;
    if (!row || !current || !isRuleCode(code)) return w.refuse(NotFoundError("Detection rule"), event, "failure");
    const parsed = RULE_PARAMS[code].safeParse({ ...current.params, ...(update.params ?? {}) });
    if (!parsed.success) {
      return w.refuse(
        ValidationError(
          parsed.error.issues.map((i) => ({ field: ["params", ...i.path.map(String)].join("."), code: i.code, message: "Invalid rule parameter." })),
        ),
        event,
        "failure",
      );
    }
    const now = new Date().toISOString();
    const next = {
      enabled: update.enabled === undefined ? row.enabled : update.enabled ? 1 : 0,
      severity: update.severity ?? row.severity,
      containment: update.containment ?? row.containment,
      params: JSON.stringify(parsed.data),
      updated_at: now,
      updated_by: ctx.actor.userId,
    };
    await w.tx.updateTable("detection_rules").set(next).where("code", "=", code).execute();
    // Thresholds are numbers and codes, never personal data: the change is recorded in full.
    w.record({
      ...event,
      outcome: "success",
      details: { enabled: next.enabled === 1, severity: next.severity, containment: next.containment, params: next.params },
    });
    return ruleFromRow({ ...row, ...next })!;
  });
  services.detector.invalidate();
  return rule;
}
