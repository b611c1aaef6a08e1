/**
 * What compliance must act on (VEN-1, VEN-2): contracts in force that expire within 30 days and
 * re-assessments that are due, for partners not ended. A read in the caller's transaction: the
 * notifier or a job (wired by the caller) decides how to tell people and audits that.
 */
import type { Tx } from "../../platform/db/engine.js";
import { dayOf } from "./partner.js";
import { EXPIRY_WARNING_DAYS } from "./partner-facts.js";

export type PartnerAttention =
  | { kind: "contract_expiring"; partnerId: string; contractId: string; contractKind: string; expiresOn: string }
  | { kind: "reassessment_overdue"; partnerId: string; assessmentId: string; dueOn: string }
  | { kind: "not_assessed"; partnerId: string };

export async function partnersNeedingAttention(tx: Tx, at: Date): Promise<PartnerAttention[]> {
  const today = dayOf(at);
  const horizon = dayOf(new Date(Date.parse(`${today}T00:00:00Z`) + EXPIRY_WARNING_DAYS * 86_400_000));
  const out: PartnerAttention[] = [];
  const expiring = await tx
    .selectFrom("partner_contracts")
    .innerJoin("partners", "partners.id", "partner_contracts.partner_id")
    .select(["partner_contracts.id", "partner_contracts.partner_id", "partner_contracts.kind", "partner_contracts.expires_on"])
    .where("partners.status", "!=", "ended")
    .where("partner_contracts.terminated_on", "is", null)
    .where("partner_contracts.expires_on", ">=", today)
    .where("partner_contracts.expires_on", "<=", horizon)
    .orderBy("partner_contracts.expires_on")
    .orderBy("partner_contracts.id")
    .execute();
  for (const c of expiring) out.push({ kind: "contract_expiring", partnerId: c.partner_id, contractId: c.id, contractKind: c.kind, expiresOn: c.expires_on! });
  const partners = await tx
    .selectFrom("partners")
    .select(["id", "status"])
    .where("status", "in", ["active", "suspended", "prospective"])
    .orderBy("id")
    .execute();
  for (const p of partners) {
    const latest = await tx
      .selectFrom("partner_assessments")
      .select(["id", "reassessment_due_on"])
      .where("partner_id", "=", p.id)
      .where("review_status", "=", "confirmed")
      .orderBy("assessed_on", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    // A prospective partner not yet assessed is work in progress, not a lapse.
    if (!latest) {
      if (p.status === "active") out.push({ kind: "not_assessed", partnerId: p.id });
    } else if (latest.reassessment_due_on < today)
      out.push({ kind: "reassessment_overdue", partnerId: p.id, assessmentId: latest.id, dueOn: latest.reassessment_due_on });
  }
  return out;
}
