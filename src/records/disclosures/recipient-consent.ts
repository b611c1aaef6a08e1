/**
 * A client's consent to one recipient (PIPL Art 23: providing to another handler; Art 29: sensitive
 * information), per client, partner and purpose. Stored apart from consent_records, in
 * recipient_consents, so that consenting to a recipient never reads as consent to the purpose
 * itself, and the disclosure policy checks exactly (client, partner, purpose). Append-only: the
 * highest revision is the current state. Evidence by reference only, as for every consent.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeConsentChange } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { ACKNOWLEDGEMENT_KINDS, ACKNOWLEDGEMENT_REFERENCE, type AcknowledgementKind } from "../../rights/consent/consent.js";
import { refuseRecord } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { clientRelation } from "../matters/need-to-know.js";

export interface RecipientConsentInput {
  clientId: string;
  partnerId: string;
  purpose: string;
  status: "granted" | "withdrawn";
  acknowledgement: { kind: AcknowledgementKind; reference: string };
  givenAt?: string | undefined;
}

export interface RecipientConsent {
  id: string;
  clientId: string;
  partnerId: string;
  purpose: string;
  revision: number;
  status: "granted" | "withdrawn";
  acknowledgement: { kind: string; reference: string };
  givenAt: string;
  recordedAt: string;
  recordedBy: string;
}

const current = (tx: Tx, clientId: string, partnerId: string, purpose: string) =>
  tx
    .selectFrom("recipient_consents")
    .selectAll()
    .where("client_id", "=", clientId)
    .where("partner_id", "=", partnerId)
    .where("purpose", "=", purpose)
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();

/** The policy's question: has the client, now, consented to this recipient for this purpose? */
export const recipientConsentGranted = async (tx: Tx, clientId: string, partnerId: string, purpose: string): Promise<boolean> =>
  (await current(tx, clientId, partnerId, purpose))?.status === "granted";

/** Records a consent to a recipient, or its withdrawal (which takes effect for the next disclosure). */
export async function recordRecipientConsent(services: Services, ctx: RequestContext, input: RecipientConsentInput): Promise<RecipientConsent> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "consent.recipient_record", targetType: "client", targetId: input.clientId, purpose: null };
    const row = await findClientRow(w.tx, input.clientId);
    if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, row);
    const decision = authorizeConsentChange(ctx.actor, { erased: row.status === "erased" }, relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
    const issues: FieldIssue[] = [];
    if (!(await services.purposes.codes(w.tx)).has(input.purpose))
      issues.push({ field: "purpose", code: "unknown_purpose", message: "Not a registered purpose code." });
    if (!(ACKNOWLEDGEMENT_KINDS as readonly string[]).includes(input.acknowledgement.kind) || !ACKNOWLEDGEMENT_REFERENCE.test(input.acknowledgement.reference))
      issues.push({ field: "acknowledgement", code: "invalid_value", message: "A known kind and an id-like reference." });
    const now = new Date();
    const givenAt = input.givenAt === undefined ? now.toISOString() : new Date(input.givenAt);
    if (typeof givenAt !== "string" && (Number.isNaN(givenAt.getTime()) || givenAt.getTime() > now.getTime() + 5 * 60_000))
      issues.push({ field: "givenAt", code: "in_future", message: "A time not in the future." });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    const partner = await w.tx.selectFrom("partners").select("id").where("id", "=", input.partnerId).executeTakeFirst();
    if (!partner) return w.refuse(NotFoundError("Partner"), event, "failure");
    const stored = {
      id: uuidv7(),
      client_id: input.clientId,
      partner_id: input.partnerId,
      purpose: input.purpose,
      revision: ((await current(w.tx, input.clientId, input.partnerId, input.purpose))?.revision ?? 0) + 1,
      status: input.status,
      ack_kind: input.acknowledgement.kind,
      ack_reference: input.acknowledgement.reference,
      given_at: typeof givenAt === "string" ? givenAt : givenAt.toISOString(),
      recorded_at: now.toISOString(),
      recorded_by: ctx.actor.userId,
    };
    await w.tx.insertInto("recipient_consents").values(stored).execute();
    w.record({
      ...event,
      outcome: "success",
      details: { consentId: stored.id, partnerId: input.partnerId, consentPurpose: input.purpose, status: input.status, revision: stored.revision },
    });
    return presentRecipientConsent(stored);
  });
}

export const presentRecipientConsent = (r: {
  id: string;
  client_id: string;
  partner_id: string;
  purpose: string;
  revision: number;
  status: string;
  ack_kind: string;
  ack_reference: string;
  given_at: string;
  recorded_at: string;
  recorded_by: string;
}): RecipientConsent => ({
  id: r.id,
  clientId: r.client_id,
  partnerId: r.partner_id,
  purpose: r.purpose,
  revision: Number(r.revision),
  status: r.status === "granted" ? "granted" : "withdrawn",
  acknowledgement: { kind: r.ack_kind, reference: r.ack_reference },
  givenAt: r.given_at,
  recordedAt: r.recorded_at,
  recordedBy: r.recorded_by,
});
