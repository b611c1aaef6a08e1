import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeExport } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import { consentTermsFor } from "../../rights/consent/consent-terms.js";
import { clientRelation } from "../matters/need-to-know.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord, requirePurpose } from "./client-access.js";
import { findClientRow, openRow } from "./client-store.js";
import { FIELD_LEVELS } from "./fields.js";
import { presentClient, type PresentedClient } from "./present.js";

export interface ClientExport {
  client: PresentedClient;
  purpose: string;
  grantId: string;
  exportedAt: string;
}

/**
 * Exports one client's decrypted data as the reader may see it (APR-1): only under a current
 * `export` grant; without one the answer is 403 `approval_required`, audited, and counted against
 * the approval-compliance KPI (`sensitive: "export"` in the event).
 */
export async function exportClient(services: Services, ctx: RequestContext, id: string): Promise<ClientExport> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.export", targetType: "client", targetId: id, details: { sensitive: "export" } };
    const role = authorize(ctx.actor, "client.read");
    if (role.effect === "deny") return w.deny(role, event);
    const purpose = await requirePurpose(services, ctx, w, "client.export", id);
    if (typeof purpose !== "string") return purpose;
    const row = await findClientRow(w.tx, id);
    if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, row);
    const consent = await consentTermsFor(w.tx, id, purpose);
    const record = { purposes: JSON.parse(row.purposes) as string[], erased: row.status === "erased", fieldLevels: FIELD_LEVELS, consent };
    const decision = authorizeExport(ctx.actor, purpose, record, relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
    const key = await services.keyRing.openDataKey(w.tx, id);
    const client = presentClient(openRow(services.vault, key, row), decision);
    const grantId = decision.via!.id;
    w.record({
      ...event,
      outcome: "success",
      reason: decision.reason,
      details: { sensitive: "export", grantId, ...(client.access.maskedFields.length ? { masked: client.access.maskedFields } : {}) },
    });
    return { client, purpose, grantId, exportedAt: new Date().toISOString() };
  });
}
