import type { RequestContext } from "../access/actor.js";
import { authorize, authorizeRecordRead, checkPurpose, type Decision } from "../access/policy.js";
import type { AuditedWork, Refusal } from "../audit/audited.js";
import { AuthorizationError, GoneError, NotFoundError, PurposeRequiredError, PurposeUnknownError } from "../errors.js";
import type { Services } from "../services.js";
import type { Client } from "./client.js";
import { findClientRow, openRow } from "./client-store.js";
import { FIELD_LEVELS } from "./fields.js";

/**
 * Checks the declared purpose against the registry; refuses with an audited 400 otherwise.
 * Used before any read or search of personal data.
 */
export async function requirePurpose(services: Services, ctx: RequestContext, w: AuditedWork, action: string, targetId: string | null): Promise<Refusal | string> {
  const purpose = checkPurpose(ctx.purpose, await services.purposes.codes(w.tx));
  if (purpose.effect === "deny") {
    const error = purpose.reason === "purpose_required" ? PurposeRequiredError() : PurposeUnknownError();
    // An unknown purpose string is caller input: keep it out of the audit trail.
    return w.refuse(error, { action, targetType: "client", targetId, purpose: null });
  }
  return ctx.purpose as string;
}

/** Loads, decrypts and authorises one client for reading under the declared purpose. */
export async function readableClient(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  id: string,
  action: "client.read" | "client.update",
): Promise<Refusal | { client: Client; decision: Decision; purpose: string }> {
  const event = { action, targetType: "client", targetId: id };
  const role = authorize(ctx.actor, action);
  if (role.effect === "deny") return w.refuse(AuthorizationError(role.reason), event);
  const purpose = await requirePurpose(services, ctx, w, action, id);
  if (typeof purpose !== "string") return purpose;
  const row = await findClientRow(w.tx, id);
  if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
  const purposes = JSON.parse(row.purposes) as string[];
  const decision = authorizeRecordRead(ctx.actor, "client.read", purpose, { purposes, erased: row.status === "erased", fieldLevels: FIELD_LEVELS });
  if (decision.effect === "deny") {
    return w.refuse(decision.reason === "record_erased" ? GoneError() : AuthorizationError(decision.reason), event);
  }
  const key = await services.keyRing.openDataKey(w.tx, id);
  return { client: openRow(services.vault, key, row), decision, purpose };
}
