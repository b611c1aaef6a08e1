import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRecordRead, checkPurpose, type ClientRelation, type Decision, type GuardedRecord } from "../../access/policy/policy.js";
import type { AuditDraft, AuditedWork, Refusal } from "../../platform/audit/audited.js";
import { GoneError, IntegrityError, NotFoundError, PurposeRequiredError, PurposeUnknownError } from "../../platform/errors.js";
import { consentTermsFor } from "../../rights/consent/consent-terms.js";
import { clientRelation } from "../matters/need-to-know.js";
import type { Services } from "../../platform/services.js";
import { raiseWallBreachAlerts } from "../../access/walls/screening.js";
import type { Client } from "./client.js";
import { findClientRowWithState, openRow } from "./client-store.js";
import { FIELD_LEVELS } from "./fields.js";

/** Audit details naming the grant or break-glass access a decision relied on, if any. */
export function viaDetails(decision: Decision): { via: string; viaId: string } | null {
  if (decision.effect === "deny" || !decision.via) return null;
  return { via: decision.via.kind, viaId: decision.via.id };
}

/**
 * Checks the declared purpose against the registry; refuses with an audited 400 otherwise.
 * Used before any read or search of personal data.
 */
export async function requirePurpose(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  action: string,
  targetId: string | null,
): Promise<Refusal | string> {
  const purpose = checkPurpose(ctx.purpose, await services.purposes.codes(w.tx));
  if (purpose.effect === "deny") {
    const error = purpose.reason === "purpose_required" ? PurposeRequiredError() : PurposeUnknownError();
    // An unknown purpose string is caller input: keep it out of the audit trail.
    return w.refuse(error, { action, targetType: "client", targetId, purpose: null });
  }
  return ctx.purpose as string;
}

/**
 * Turns a policy denial on one client into the caller's answer and its audited refusal. A wall
 * answers 404 `not_found`, exactly like a missing client, so the screened user cannot learn the
 * record exists; the audit event says `screened_by_wall` and a wall-breach alert is raised.
 */
export function refuseRecord(
  w: AuditedWork,
  ctx: RequestContext,
  decision: Extract<Decision, { effect: "deny" }>,
  relation: ClientRelation,
  event: Omit<AuditDraft, "outcome" | "reason">,
): Refusal {
  if (decision.reason === "screened_by_wall") {
    return w.refuse(
      NotFoundError("Client"),
      { ...event, reason: "screened_by_wall" },
      "denied",
      raiseWallBreachAlerts(w.tx, ctx.actor.userId, relation.screenedBy),
    );
  }
  return decision.reason === "record_erased" ? w.refuse(GoneError(), event) : w.deny(decision, event);
}

/** A client read and decided, with what its abilities need. */
export interface ReadableClient {
  client: Client;
  decision: Decision;
  purpose: string;
  relation: ClientRelation;
  record: GuardedRecord;
  /** The record's state beyond its fields: a legal hold, a restriction, the reader's responsibility. */
  state: { underLegalHold: boolean; restricted: boolean; responsibleForOpenMatter: boolean };
}

/** Loads, decrypts and authorises one client for reading under the declared purpose. */
export async function readableClient(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  id: string,
  action: "client.read" | "client.update",
): Promise<Refusal | ReadableClient> {
  const event = { action, targetType: "client", targetId: id };
  const role = authorize(ctx.actor, action);
  if (role.effect === "deny") return w.deny(role, event);
  const purpose = await requirePurpose(services, ctx, w, action, id);
  if (typeof purpose !== "string") return purpose;
  const row = await findClientRowWithState(w.tx, id, ctx.actor.userId);
  if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
  const purposes = JSON.parse(row.purposes) as string[];
  const relation = await clientRelation(w.tx, ctx.actor, row);
  const consent = await consentTermsFor(w.tx, id, purpose);
  const record: GuardedRecord = { purposes, erased: row.status === "erased", fieldLevels: FIELD_LEVELS, consent };
  const decision = authorizeRecordRead(ctx.actor, "client.read", purpose, record, relation);
  if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
  const key = await services.keyRing.openDataKey(w.tx, id);
  try {
    // The record and relation travel on: abilities are computed from the facts this read loaded.
    const state = {
      underLegalHold: Boolean(row.under_legal_hold),
      restricted: Boolean(row.restricted),
      responsibleForOpenMatter: Boolean(row.reader_responsible),
    };
    return { client: openRow(services.vault, key, row), decision, purpose, relation, record, state };
  } catch (error) {
    // A ciphertext failed authentication (tampered, or moved from another row or field): the
    // failed read is audited like any other outcome, then answered with a bare integrity error.
    if ((error as Error).name !== "DecryptionError") throw error;
    return w.refuse(IntegrityError(), event, "failure");
  }
}
