import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { abilitiesForRead } from "./client-abilities.js";
import { readableClient, viaDetails } from "./client-access.js";
import { presentClientRecord, type PresentedClientRecord } from "./present.js";

/** Reads one client under a declared purpose, with the caller's abilities; masked fields are listed in the audit event. */
export async function readClient(services: Services, ctx: RequestContext, id: string): Promise<PresentedClientRecord> {
  return runAudited(services, ctx, async (w) => {
    const found = await readableClient(services, ctx, w, id, "client.read");
    if (!("client" in found)) return found;
    const presented = presentClientRecord(found.client, found.decision, abilitiesForRead(ctx.actor, found));
    w.record({
      action: "client.read",
      targetType: "client",
      targetId: id,
      outcome: "success",
      // Every read under break-glass is recorded as such; a grant's id is recorded with its use.
      reason: found.decision.effect !== "deny" && found.decision.via?.kind === "break_glass" ? "break_glass" : found.decision.reason,
      details:
        presented.access.maskedFields.length || viaDetails(found.decision)
          ? { ...(presented.access.maskedFields.length ? { masked: presented.access.maskedFields } : {}), ...viaDetails(found.decision) }
          : null,
    });
    return presented;
  });
}
