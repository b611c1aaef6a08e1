import type { RequestContext } from "../../access/policy/actor.js";
import { authorizePurposeList } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import type { Purpose } from "./purpose-registry.js";

/** The purpose registry (IAM-5), for anyone who must declare a purpose in X-Purpose. */
export async function listPurposes(services: Services, ctx: RequestContext): Promise<Purpose[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "purpose.list", targetType: "purpose", targetId: null, purpose: null };
    const decision = authorizePurposeList(ctx.actor);
    if (decision.effect === "deny") return w.deny(decision, event);
    // Inside the transaction: SQLite has one connection, and it is ours until commit.
    const purposes = await services.purposes.list(w.tx);
    w.record({ ...event, outcome: "success", details: { count: purposes.length } });
    return purposes;
  });
}
