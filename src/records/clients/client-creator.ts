import { uuidv7 } from "../../platform/ids.js";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, clearanceOf } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { Client, ClientData } from "./client.js";
import { newClientRow } from "./client-sealing.js";
import { writeSearchTokens } from "./search-tokens.js";
import { FIELD_LEVELS, PERSONAL_FIELDS } from "./fields.js";
import { presentClient, type PresentedClient } from "./present.js";
import { validateClientDraft, type ClientDraft } from "./validation.js";

export type ClientCreateInput = Omit<ClientDraft, "kind" | "name" | "purposes"> & Pick<ClientData, "kind" | "name" | "purposes">;

/** Creates a client: validates, generates its data key, stores only ciphertext, audits. */
export async function createClient(services: Services, ctx: RequestContext, input: ClientCreateInput): Promise<PresentedClient> {
  const registered = await services.purposes.codes();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.create", targetType: "client", targetId: null };
    const decision = authorize(ctx.actor, "client.create");
    if (decision.effect === "deny") return w.deny(decision, event);
    const checked = validateClientDraft(input, registered);
    if (!checked.ok) {
      return w.refuse(ValidationError(checked.issues), { ...event, details: { fields: checked.issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    }
    const now = new Date().toISOString();
    const id = uuidv7();
    const data = checked.value as ClientData;
    const issued = await services.keyRing.issueDataKeys(w.tx, [id], now);
    await w.tx
      .insertInto("clients")
      .values(newClientRow(services.vault, issued.keys[0]!, id, data, now, ctx.actor.userId))
      .execute();
    await writeSearchTokens(w.tx, services.vault, [{ id, kind: data.kind, name: data.name, idNumber: data.idNumber ?? null, phone: data.phone ?? null }]);
    await issued.save();
    w.record({ ...event, targetId: id, outcome: "success", details: { fields: PERSONAL_FIELDS.filter((f) => data[f]) } });
    const client: Client = {
      ...Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, data[f] ?? null])),
      ...data,
      idType: data.idType ?? null,
      id,
      status: "active",
      rowVersion: 1,
      createdAt: now,
      updatedAt: now,
    } as Client;
    // The creator sees back what their clearance allows, like any other read.
    const masked = PERSONAL_FIELDS.filter((f) => FIELD_LEVELS[f] > clearanceOf(ctx.actor));
    return presentClient(
      client,
      masked.length ? { effect: "mask", reason: "clearance_below_level", maskedFields: masked } : { effect: "allow", reason: "permitted" },
    );
  });
}
