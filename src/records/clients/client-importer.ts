import { uuidv7 } from "../../platform/ids.js";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { ClientData } from "./client.js";
import { newClientRow } from "./client-store.js";
import { writeSearchTokens } from "./search-tokens.js";
import { PERSONAL_FIELDS } from "./fields.js";
import { validateClientDraft } from "./validation.js";

/**
 * Imports a batch of clients in one transaction: the same validation, encryption and one audit
 * event per client as createClient, with multi-row statements so large imports stay fast.
 * A single invalid record rejects the whole batch (nothing partly written).
 */
export async function importClients(services: Services, ctx: RequestContext, batch: readonly ClientData[]): Promise<string[]> {
  const registered = await services.purposes.codes();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.create", targetType: "client", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "client.create");
    if (decision.effect === "deny") return w.deny(decision, event);
    const valid: ClientData[] = [];
    for (const [index, input] of batch.entries()) {
      const checked = validateClientDraft(input, registered);
      if (!checked.ok) {
        const issues = checked.issues.map((i) => ({ ...i, field: `${index}.${i.field}` }));
        return w.refuse(
          ValidationError(issues),
          { ...event, action: "client.import", details: { fields: issues.map((i) => `${i.field}:${i.code}`) } },
          "failure",
        );
      }
      valid.push(checked.value as ClientData);
    }
    const now = new Date().toISOString();
    const ids = valid.map(() => uuidv7());
    const issued = await services.keyRing.issueDataKeys(w.tx, ids, now);
    const rows = valid.map((data, i) => newClientRow(services.vault, issued.keys[i]!, ids[i]!, data, now));
    for (let i = 0; i < rows.length; i += 500)
      await w.tx
        .insertInto("clients")
        .values(rows.slice(i, i + 500))
        .execute();
    await writeSearchTokens(
      w.tx,
      services.vault,
      valid.map((data, i) => ({ id: ids[i]!, kind: data.kind, name: data.name, idNumber: data.idNumber ?? null, phone: data.phone ?? null })),
    );
    await issued.save();
    for (const [i, id] of ids.entries()) {
      w.record({ ...event, targetId: id, outcome: "success", details: { via: "import", fields: PERSONAL_FIELDS.filter((f) => valid[i]![f]) } });
    }
    return ids;
  });
}
