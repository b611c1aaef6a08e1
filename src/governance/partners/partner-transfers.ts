/**
 * Cross-border transfers (PIPL Art 38–39; GDPR Chapter V): the basis for sending data to a
 * partner's country, as editable data with a `verified` flag, and the personal information
 * protection impact assessment it rests on (PIPL Art 55–56), which is kept at least three years.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { sealText } from "../../vault/sealed-text.js";
import { addMonths, dayOf, PIA_RETENTION_YEARS } from "./partner.js";
import type { PiaInput, TransferBasisInput } from "./partner-inputs.js";
import { partnerExists, refusedUnless } from "./partner-guard.js";
import { readPartnerIn } from "./partner-view.js";
import { firmDay } from "../../platform/firm-time.js";

export const PiaRetainedError = () => ConflictError("pia_retention_period", "An impact assessment is kept at least three years (PIPL Art 56).");

export async function addPia(services: Services, ctx: RequestContext, partnerId: string, input: PiaInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.pia.add", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    if (input.conductedOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "conductedOn", code: "in_future", message: "Must not be in the future." }]), event, "failure");
    const id = uuidv7();
    const keepUntil = addMonths(input.conductedOn, PIA_RETENTION_YEARS * 12);
    await w.tx
      .insertInto("partner_pias")
      .values({
        id,
        partner_id: partnerId,
        conducted_on: input.conductedOn,
        summary_ct: sealText(services.vault, "partner_pias", id, "summary", input.summary),
        conclusion: input.conclusion,
        keep_until: keepUntil,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { piaId: id, conclusion: input.conclusion, keepUntil } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}

/** Refused (409 `pia_retention_period`, audited) before the three years are up, and while a transfer basis rests on it. */
export async function deletePia(services: Services, ctx: RequestContext, partnerId: string, piaId: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.pia.delete", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("partner_pias").select(["keep_until"]).where("id", "=", piaId).where("partner_id", "=", partnerId).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Impact assessment"), event, "failure");
    if (dayOf(now) < row.keep_until) return w.refuse(PiaRetainedError(), { ...event, details: { piaId, keepUntil: row.keep_until } }, "denied");
    if (await w.tx.selectFrom("partner_transfer_bases").select("id").where("pia_id", "=", piaId).executeTakeFirst())
      return w.refuse(ConflictError("pia_in_use", "A transfer basis rests on this impact assessment."), { ...event, details: { piaId } }, "failure");
    await w.tx.deleteFrom("partner_pias").where("id", "=", piaId).execute();
    w.record({ ...event, outcome: "success", details: { piaId } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}

export async function addTransferBasis(services: Services, ctx: RequestContext, partnerId: string, input: TransferBasisInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.transfer.add", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    if (input.validUntil !== null && input.validUntil < input.validFrom)
      return w.refuse(ValidationError([{ field: "validUntil", code: "before_valid_from", message: "Must not be before the start." }]), event, "failure");
    if (
      input.piaId &&
      !(await w.tx.selectFrom("partner_pias").select("id").where("id", "=", input.piaId).where("partner_id", "=", partnerId).executeTakeFirst())
    )
      return w.refuse(NotFoundError("Impact assessment"), event, "failure");
    const id = uuidv7();
    await w.tx
      .insertInto("partner_transfer_bases")
      .values({
        id,
        partner_id: partnerId,
        destination: input.destination,
        mechanism: input.mechanism,
        reference: input.reference,
        valid_from: input.validFrom,
        valid_until: input.validUntil,
        verified: input.verified ? 1 : 0,
        pia_id: input.piaId,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({
      ...event,
      outcome: "success",
      details: { transferBasisId: id, destination: input.destination, mechanism: input.mechanism, verified: input.verified, validUntil: input.validUntil },
    });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}

/** Marking a basis verified (the filing or certificate was checked) or, on second thoughts, not. */
export async function setTransferBasisVerified(
  services: Services,
  ctx: RequestContext,
  partnerId: string,
  basisId: string,
  verified: boolean,
  now = new Date(),
) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.transfer.verify", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const done = await w.tx
      .updateTable("partner_transfer_bases")
      .set({ verified: verified ? 1 : 0 })
      .where("id", "=", basisId)
      .where("partner_id", "=", partnerId)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return w.refuse(NotFoundError("Transfer basis"), event, "failure");
    w.record({ ...event, outcome: "success", details: { transferBasisId: basisId, verified } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}
