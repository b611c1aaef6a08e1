/**
 * The end of a restriction of processing (PIPL Art. 47, GDPR Art. 18(3)): the client asks, or the
 * ground ends (the accuracy was checked, the objection resolved). Compliance lifts it
 * (`restriction.lift`); the purposes in force when the restriction began come back, except those
 * that no longer hold: a purpose no longer registered, or one resting on consent that was withdrawn
 * meanwhile. One audited transaction; the lift is kept in `processing_restriction_lifts`.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRestrictionLift } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { refuseRecord } from "../../records/clients/client-access.js";
import { findClientRow, setClientPurposes } from "../../records/clients/client-store.js";
import { findCurrentConsent, findPurposeTerms } from "../consent/consent-store.js";
import { stateOf } from "../consent/consent.js";
import { AppError, ConflictError, NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { clientRelation } from "../../records/matters/need-to-know.js";
import type { Services } from "../../platform/services.js";
import { LEGAL_CLAIMS_PURPOSE } from "./request-fulfiller.js";

/** Why a restriction ends: codes, never free text. */
export const LIFT_REASONS = ["client_request", "accuracy_verified", "objection_resolved", "ground_ended"] as const;
export type LiftReason = (typeof LIFT_REASONS)[number];

export const NotRestrictedError = () => new AppError(409, "not_restricted", "Processing of this record is not restricted.");

export interface RestrictionLift {
  clientId: string;
  /** The request that restricted the record, if one did. */
  requestId: string | null;
  restrictedAt: string;
  liftedAt: string;
  reason: LiftReason;
  reference: string | null;
  purposes: string[];
  /** Purposes in force before the restriction that were not restored, with why. */
  dropped: { purpose: string; reason: "unregistered" | "consent_withdrawn" }[];
}

export async function liftRestriction(
  services: Services,
  ctx: RequestContext,
  clientId: string,
  input: { reason: LiftReason; reference?: string | undefined },
): Promise<RestrictionLift> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.restriction_lift", targetType: "client", targetId: clientId, purpose: null };
    // The role first, so someone without it cannot learn which records exist or are restricted.
    const role = authorize(ctx.actor, "restriction.lift");
    if (role.effect === "deny") return w.deny(role, event);
    const client = await findClientRow(w.tx, clientId);
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, client);
    const decision = authorizeRestrictionLift(ctx.actor, { erased: client.status === "erased" }, relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
    const restriction = await w.tx.selectFrom("processing_restrictions").selectAll().where("client_id", "=", clientId).executeTakeFirst();
    if (!restriction) return w.refuse(NotRestrictedError(), event, "failure");

    // Restrictions recorded before migration 0010 kept no list: the record stays on legal claims
    // only, and staff set its purposes again with PATCH /clients/{id}.
    const previous = restriction.previous_purposes ? (JSON.parse(restriction.previous_purposes) as string[]) : [LEGAL_CLAIMS_PURPOSE];
    // A consent granted during the restriction did not widen the record then (consent-commands.ts);
    // its purpose joins now, if the consent still stands (checked below).
    const consentedMeanwhile = await w.tx
      .selectFrom("consent_records")
      .select("purpose")
      .distinct()
      .where("client_id", "=", clientId)
      .where("status", "=", "granted")
      .where("recorded_at", ">=", restriction.restricted_at)
      .execute();
    const current = [...(JSON.parse(client.purposes) as string[]), ...consentedMeanwhile.map((r) => r.purpose)].filter((p) => p !== LEGAL_CLAIMS_PURPOSE);
    const registered = await services.purposes.codes(w.tx);
    const purposes: string[] = [];
    const dropped: RestrictionLift["dropped"] = [];
    for (const purpose of [...new Set([...previous, ...current])]) {
      if (!registered.has(purpose)) {
        dropped.push({ purpose, reason: "unregistered" });
        continue;
      }
      const terms = await findPurposeTerms(w.tx, purpose);
      if (terms?.legal_basis === "consent" && stateOf(await findCurrentConsent(w.tx, clientId, purpose)) === "none") {
        dropped.push({ purpose, reason: "consent_withdrawn" });
        continue;
      }
      purposes.push(purpose);
    }
    if (!purposes.length) purposes.push(LEGAL_CLAIMS_PURPOSE);

    const at = new Date().toISOString();
    if (!(await setClientPurposes(w.tx, clientId, purposes, client.row_version, at))) {
      return w.refuse(ConflictError("edit_conflict", "The client changed meanwhile; reload and retry."), event, "failure");
    }
    await w.tx.deleteFrom("processing_restrictions").where("client_id", "=", clientId).execute();
    const reference = input.reference ?? null;
    await w.tx
      .insertInto("processing_restriction_lifts")
      .values({
        id: uuidv7(),
        client_id: clientId,
        request_id: restriction.request_id,
        restricted_at: restriction.restricted_at,
        restricted_by: restriction.restricted_by,
        restored_purposes: JSON.stringify(purposes),
        reason: input.reason,
        reference,
        lifted_at: at,
        lifted_by: ctx.actor.userId,
      })
      .execute();
    w.record({
      ...event,
      outcome: "success",
      reason: input.reason,
      details: { reference, requestId: restriction.request_id, purposes, dropped: dropped.map((d) => `${d.purpose}:${d.reason}`) },
    });
    return {
      clientId,
      requestId: restriction.request_id,
      restrictedAt: restriction.restricted_at,
      liftedAt: at,
      reason: input.reason,
      reference,
      purposes,
      dropped,
    };
  });
}
