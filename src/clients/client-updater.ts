import type { RequestContext } from "../access/actor.js";
import { authorizeRecordWrite } from "../access/policy.js";
import { runAudited } from "../audit/audited.js";
import { AuthorizationError, ConflictError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import type { Client } from "./client.js";
import { readableClient } from "./client-access.js";
import { sealFields } from "./client-store.js";
import { PERSONAL_FIELDS } from "./fields.js";
import { presentClient, type PresentedClient } from "./present.js";
import { validateClientDraft, type ClientDraft } from "./validation.js";

export type ClientPatch = Omit<ClientDraft, "kind">;

/** Changes some fields of a client; null clears an optional field. Audits the field names only. */
export async function updateClient(services: Services, ctx: RequestContext, id: string, patch: ClientPatch): Promise<PresentedClient> {
  const registered = await services.purposes.codes();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.update", targetType: "client", targetId: id };
    const found = await readableClient(services, ctx, w, id, "client.update");
    if (!("client" in found)) return found;
    // readableClient has applied walls and need-to-know; this adds the role's write permission.
    const write = authorizeRecordWrite(ctx.actor, "client.update", { erased: false }, found.relation);
    if (write.effect === "deny") return w.refuse(AuthorizationError(write.reason), event);
    // Writing a field one may not read would let a low-cleared user overwrite what they cannot see.
    const blocked = found.decision.effect === "mask" ? PERSONAL_FIELDS.filter((f) => f in patch && found.decision.effect === "mask" && found.decision.maskedFields.includes(f)) : [];
    if (blocked.length) {
      return w.refuse(ValidationError(blocked.map((f) => ({ field: f, code: "above_clearance", message: "This field is above your clearance." }))), event, "denied");
    }
    const checked = validateClientDraft(patch, registered, found.client);
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
        ...(changes.purposes ? { purposes: JSON.stringify(changes.purposes) } : {}),
        row_version: found.client.rowVersion + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .where("row_version", "=", found.client.rowVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return w.refuse(ConflictError("edit_conflict", "The client changed meanwhile; reload and retry."), event, "failure");
    const updated: Client = { ...found.client, ...(changes as Partial<Client>), rowVersion: found.client.rowVersion + 1, updatedAt: now };
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(changes) } });
    return presentClient(updated, found.decision);
  });
}
