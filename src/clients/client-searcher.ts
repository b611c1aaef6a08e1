import type { RequestContext } from "../access/actor.js";
import { authorize, authorizeRecordRead } from "../access/policy.js";
import { runAudited } from "../audit/audited.js";
import { AuthorizationError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import { requirePurpose } from "./client-access.js";
import { blindIndexOf, findCandidates, openRow } from "./client-store.js";
import { FIELD_LEVELS, SEARCHABLE_FIELDS, type SearchableField } from "./fields.js";
import { normaliseForIndex } from "./normalise.js";
import { presentClient, type PresentedClient } from "./present.js";

export type ClientSearchCriteria = Partial<Record<SearchableField, string>>;

const MAX_RESULTS = 100;

/**
 * Exact-match search through blind indexes. Candidates are decrypted to drop index collisions;
 * records whose purposes exclude the declared one are left out, and every hit is audited per client.
 */
export async function searchClients(services: Services, ctx: RequestContext, criteria: ClientSearchCriteria): Promise<PresentedClient[]> {
  return runAudited(services, ctx, async (w) => {
    const fields = SEARCHABLE_FIELDS.filter((f) => criteria[f]?.trim());
    const event = { action: "client.search", targetType: "client", targetId: null, details: { by: fields } };
    const role = authorize(ctx.actor, "client.search");
    if (role.effect === "deny") return w.refuse(AuthorizationError(role.reason), event);
    if (fields.length === 0) {
      return w.refuse(ValidationError([{ field: "query", code: "required", message: "Give at least one of name, idNumber, phone, email." }]), event, "failure");
    }
    const purpose = await requirePurpose(services, ctx, w, "client.search", null);
    if (typeof purpose !== "string") return purpose;

    const wanted = Object.fromEntries(fields.map((f) => [f, normaliseForIndex(f, criteria[f] as string)])) as ClientSearchCriteria;
    const indexes = Object.fromEntries(fields.map((f) => [f, blindIndexOf(services.vault, f, criteria[f] as string)]));
    const results: PresentedClient[] = [];
    let excluded = 0;
    for (const row of await findCandidates(w.tx, indexes, MAX_RESULTS)) {
      const key = await services.keyRing.openDataKey(w.tx, row.id);
      const client = openRow(services.vault, key, row);
      if (!fields.every((f) => client[f] !== null && normaliseForIndex(f, client[f] as string) === wanted[f])) continue;
      const decision = authorizeRecordRead(ctx.actor, "client.search", purpose, { purposes: client.purposes, erased: false, fieldLevels: FIELD_LEVELS });
      if (decision.effect === "deny") {
        excluded++;
        continue;
      }
      const presented = presentClient(client, decision);
      results.push(presented);
      w.record({ action: "client.read", targetType: "client", targetId: client.id, outcome: "success", reason: decision.reason, details: { via: "search", ...(presented.access.maskedFields.length ? { masked: presented.access.maskedFields } : {}) } });
    }
    w.record({ ...event, outcome: "success", details: { by: fields, results: results.length, excludedByPurpose: excluded } });
    return results;
  });
}
