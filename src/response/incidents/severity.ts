/**
 * Incident grading (INC-1) from impact criteria, a pure function. Points: people affected
 * (0 → 0, 1–9 → 1, 10–99 → 2, 100–999 → 3, 1000+ → 4), +1 when L4 (sensitive) data is involved,
 * +1 when data left the firm. 0–1 low, 2 medium, 3 high, 4+ critical.
 */
import type { Severity } from "../detection/rules.js";

export interface ImpactCriteria {
  readonly peopleAffected: number;
  readonly l4Involved: boolean;
  readonly leftFirm: boolean;
}

export function peoplePoints(people: number): number {
  if (people >= 1000) return 4;
  if (people >= 100) return 3;
  if (people >= 10) return 2;
  if (people >= 1) return 1;
  return 0;
}

export function gradeIncident(impact: ImpactCriteria): Severity {
  const points = peoplePoints(Math.max(0, Math.floor(impact.peopleAffected))) + (impact.l4Involved ? 1 : 0) + (impact.leftFirm ? 1 : 0);
  if (points >= 4) return "critical";
  if (points === 3) return "high";
  if (points === 2) return "medium";
  return "low";
}
