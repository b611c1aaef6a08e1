/** Reading and writing `detection_rules` rows. Rows whose parameters no longer validate are skipped, never guessed. */
import type { Db, Tx } from "../../platform/db/engine.js";
import type { DbDetectionRule } from "../../platform/db/schema.js";
import { CONTAINMENTS, isRuleCode, RULE_PARAMS, SEVERITIES, type Containment, type DetectionRule, type Severity } from "./rules.js";

export function ruleFromRow(row: DbDetectionRule): DetectionRule | null {
  if (!isRuleCode(row.code)) return null;
  if (!(SEVERITIES as readonly string[]).includes(row.severity) || !(CONTAINMENTS as readonly string[]).includes(row.containment)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(row.params);
  } catch {
    return null;
  }
  const parsed = RULE_PARAMS[row.code].safeParse(raw);
  if (!parsed.success) return null;
  return {
    code: row.code,
    enabled: row.enabled === 1,
    severity: row.severity as Severity,
    containment: row.containment as Containment,
    params: parsed.data,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  } as DetectionRule;
}

export async function loadRules(db: Db | Tx): Promise<DetectionRule[]> {
  const rows = await db.selectFrom("detection_rules").selectAll().orderBy("code").execute();
  return rows.map(ruleFromRow).filter((r): r is DetectionRule => r !== null);
}
