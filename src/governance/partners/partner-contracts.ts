/**
 * Contracts with a partner (VEN-2): DPA, entrusted-processing agreement (PIPL Art 21), NDA, or the
 * standard contract for cross-border transfers, each with the Art 21 checklist and, optionally,
 * the signed copy in the document store (its id only).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { dayOf } from "./partner.js";
import type { ContractInput } from "./partner-inputs.js";
import { partnerExists, refusedUnless } from "./partner-guard.js";
import { readPartnerIn } from "./partner-view.js";

export async function addContract(services: Services, ctx: RequestContext, partnerId: string, input: ContractInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.contract.add", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    if (input.expiresOn !== null && input.expiresOn < input.signedOn)
      return w.refuse(ValidationError([{ field: "expiresOn", code: "before_signed", message: "Must not be before the signing date." }]), event, "failure");
    if (input.documentId && !(await w.tx.selectFrom("documents").select("id").where("id", "=", input.documentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Document"), event, "failure");
    const id = uuidv7();
    await w.tx
      .insertInto("partner_contracts")
      .values({
        id,
        partner_id: partnerId,
        kind: input.kind,
        version: input.version,
        signed_on: input.signedOn,
        expires_on: input.expiresOn,
        obligations: JSON.stringify(input.obligations),
        document_id: input.documentId,
        terminated_on: null,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    const unmet = Object.entries(input.obligations)
      .filter(([, o]) => !o.met)
      .map(([k]) => k);
    w.record({ ...event, outcome: "success", details: { contractId: id, kind: input.kind, expiresOn: input.expiresOn, unmetObligations: unmet } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}

/** Ending a contract early (today unless a day is given); it then no longer counts for sharing. */
export async function terminateContract(services: Services, ctx: RequestContext, partnerId: string, contractId: string, on?: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.contract.terminate", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const row = await w.tx
      .selectFrom("partner_contracts")
      .select(["terminated_on"])
      .where("id", "=", contractId)
      .where("partner_id", "=", partnerId)
      .executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Contract"), event, "failure");
    if (row.terminated_on !== null) return w.refuse(ConflictError("contract_terminated", "The contract is already terminated."), event, "failure");
    const day = on ?? dayOf(now);
    await w.tx.updateTable("partner_contracts").set({ terminated_on: day }).where("id", "=", contractId).execute();
    w.record({ ...event, outcome: "success", details: { contractId, terminatedOn: day } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}
