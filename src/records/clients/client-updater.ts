import type { RequestContext } from "../../access/policy/actor.js";
import { authorizePurposeChange, authorizeRecordWrite } from "../../access/policy/policy.js";
import { runAudited, type AuditDraft, type AuditedWork, type Refusal } from "../../platform/audit/audited.js";
import { ConflictError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { Client } from "./client.js";
import { readableClient } from "./client-access.js";
import { isResponsibleForOpenMatter } from "./client-purposes-changer.js";
import { sealFields } from "./client-sealing.js";
import { writeSearchTokens } from "./search-tokens.js";
import { PERSONAL_FIELDS } from "./fields.js";
import { presentClient, type PresentedClient } from "./present.js";
import { validateClientDraft, type ClientDraft } from "./validation.js";

/** The fields an update writes. Purposes are not among them: see client-purposes-changer.ts. */
export type ClientPatch = Omit<ClientDraft, "kind" | "purposes">;
/** What a PATCH may carry: `purposes` only to be refused, so the caller learns why. */
export type ClientEdit = Omit<ClientDraft, "kind">;

/** Changes some fields of a client; null clears an optional field. Audits the field names only. */
export async function updateClient(services: Services, ctx: RequestContext, id: string, patch: ClientEdit): Promise<PresentedClient> {
  const registered = await services.purposes.codes();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.update", targetType: "client", targetId: id };
    const found = await readableClient(services, ctx, w, id, "client.update");
    if (!("client" in found)) return found;
    // readableClient has applied walls and need-to-know; this adds the role's write permission.
    const write = authorizeRecordWrite(ctx.actor, "client.update", { erased: false }, found.relation);
    if (write.effect === "deny") return w.deny(write, event);
    // Purposes decide what the firm may use the record for (IAM-5): not a field edit. Refused before
    // anything is written; those the policy lets change them use PUT /clients/{id}/purposes with a reason.
    if (patch.purposes !== undefined) {
      const responsibleForOpenMatter = await isResponsibleForOpenMatter(w.tx, ctx.actor.userId, id);
      const change = authorizePurposeChange(ctx.actor, { erased: false }, { ...found.relation, responsibleForOpenMatter });
      if (change.effect === "deny") return w.deny(change, { ...event, details: { fields: ["purposes"] } });
      const issue = { field: "purposes", code: "purposes_endpoint", message: "Change purposes with PUT /clients/{id}/purposes and a reason code." };
      return w.refuse(ValidationError([issue]), { ...event, details: { fields: ["purposes:purposes_endpoint"] } }, "failure");
    }
    // Writing a field one may not read would let a low-cleared user overwrite what they cannot see.
    const blocked =
      found.decision.effect === "mask"
        ? PERSONAL_FIELDS.filter((f) => f in patch && found.decision.effect === "mask" && found.decision.maskedFields.includes(f))
        : [];
    if (blocked.length) {
      return w.refuse(
        ValidationError(blocked.map((f) => ({ field: f, code: "above_clearance", message: "This field is above your clearance." }))),
        event,
        "denied",
      );
    }
    const applied = await applyClientPatch(services, w, found.client, patch, registered, event);
    if (!("updated" in applied)) return applied;
    w.record({ ...event, outcome: "success", details: { fields: applied.fields } });
    const updated = applied.updated;
    return presentClient(updated, found.decision);
  });
}

/**
 * The write half of an update, shared with the fulfilment of a client's correction request
 * (src/rights/requests/): validates the patch against the stored record, seals it, bumps the row version.
 * The caller has authorised the change and records the success event.
 */
export async function applyClientPatch(
  services: Services,
  w: AuditedWork,
  current: Client,
  patch: ClientPatch,
  registered: ReadonlySet<string>,
  event: Omit<AuditDraft, "outcome">,
): Promise<Refusal | { updated: Client; fields: string[] }> {
  const id = current.id;
  // Purposes never change here, whatever the caller passes: changeClientPurposes is the one way.
  const { purposes: _purposes, ...fields } = patch as ClientDraft;
  const checked = validateClientDraft(fields, registered, current);
  if (!checked.ok) {
    return w.refuse(ValidationError(checked.issues), { ...event, details: { fields: checked.issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
  }
  const changes = checked.value;
  const key = await services.keyRing.openDataKey(w.tx, id);
  if (!key) return w.refuse(ConflictError("client_erased", "This client's data was erased."), event, "failure");
  const now = new Date().toISOString();
  const result = await w.tx
    .updateTable("clients")
    .set({
      ...sealFields(services.vault, key, id, changes),
      ...("idType" in changes ? { id_type: changes.idType ?? null } : {}),
      row_version: current.rowVersion + 1,
      updated_at: now,
    })
    .where("id", "=", id)
    .where("row_version", "=", current.rowVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return w.refuse(ConflictError("edit_conflict", "The client changed meanwhile; reload and retry."), event, "failure");
  const updated: Client = { ...current, ...(changes as Partial<Client>), rowVersion: current.rowVersion + 1, updatedAt: now };
  if ("name" in changes || "idNumber" in changes || "phone" in changes) await writeSearchTokens(w.tx, services.vault, [updated]);
  return { updated, fields: Object.keys(changes) };
}
