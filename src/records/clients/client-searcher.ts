import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRecordRead, authorizeSearchCriteria } from "../../access/policy/policy.js";
import { accessConditionsOf } from "../../access/conditions/access-conditions.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { consentTermsLoader } from "../../rights/consent/consent-terms.js";
import { clientRelations } from "../matters/need-to-know.js";
import { raiseWallBreachAlerts } from "../../access/walls/screening.js";
import { requirePurpose, viaDetails } from "./client-access.js";
import { blindIndexOf } from "./client-sealing.js";
import { findCandidates, openRow } from "./client-store.js";
import { FIELD_LEVELS, SEARCHABLE_FIELDS, type SearchableField } from "./fields.js";
import { normaliseForIndex } from "./normalise.js";
import { presentClient, type PresentedClient } from "./present.js";

export type ClientSearchCriteria = Partial<Record<SearchableField, string>>;

const MAX_RESULTS = 100;

/**
 * Exact-match search through blind indexes. Candidates are decrypted to drop index collisions;
 * records whose purposes exclude the declared one, or that the searcher does not need to know, are
 * left out, and every hit is audited per client. Walled records are left out of the results and
 * the counts alike; each one is audited as a denied read and raises a wall-breach alert.
 *
 * Searching by a field the searcher would see masked is refused (403) before anything is looked up:
 * otherwise hits and misses reveal the masked value by trial. The summary event's `results` is what
 * the `search_enumeration` detection rule counts misses from.
 */
export async function searchClients(services: Services, ctx: RequestContext, criteria: ClientSearchCriteria): Promise<PresentedClient[]> {
  return runAudited(services, ctx, async (w) => {
    const fields = SEARCHABLE_FIELDS.filter((f) => criteria[f]?.trim());
    const event = { action: "client.search", targetType: "client", targetId: null, details: { by: fields } };
    const role = authorize(ctx.actor, "client.search");
    if (role.effect === "deny") return w.deny(role, event);
    if (fields.length === 0) {
      return w.refuse(ValidationError([{ field: "query", code: "required", message: "Give at least one of name, idNumber, phone, email." }]), event, "failure");
    }
    const conditions = await accessConditionsOf(w.tx, ctx.actor.userId, new Date());
    const byFields = authorizeSearchCriteria(
      ctx.actor,
      fields.map((f) => FIELD_LEVELS[f]),
      conditions.met,
    );
    if (byFields.effect === "deny") return w.deny(byFields, event);
    const purpose = await requirePurpose(services, ctx, w, "client.search", null);
    if (typeof purpose !== "string") return purpose;

    const wanted = Object.fromEntries(fields.map((f) => [f, normaliseForIndex(f, criteria[f] as string)])) as ClientSearchCriteria;
    const indexes = Object.fromEntries(fields.map((f) => [f, blindIndexOf(services.vault, f, criteria[f] as string)]));
    const results: PresentedClient[] = [];
    const excluded = { purpose: 0, needToKnow: 0, wall: 0 };
    const candidates = await findCandidates(w.tx, indexes, MAX_RESULTS);
    const relations = await clientRelations(w.tx, ctx.actor, candidates);
    const consentFor = await consentTermsLoader(w.tx, purpose);
    for (const row of candidates) {
      const key = await services.keyRing.openDataKey(w.tx, row.id);
      const client = openRow(services.vault, key, row);
      if (!fields.every((f) => client[f] !== null && normaliseForIndex(f, client[f] as string) === wanted[f])) continue;
      const relation = relations.get(row.id)!;
      const decision = authorizeRecordRead(
        ctx.actor,
        "client.search",
        purpose,
        { purposes: client.purposes, erased: false, fieldLevels: FIELD_LEVELS, consent: await consentFor(client.id) },
        relation,
      );
      if (decision.effect === "deny") {
        // Consent refusals are counted with the purpose exclusions and each leaves its own event.
        if (decision.reason === "consent_required")
          w.record({
            action: "client.read",
            targetType: "client",
            targetId: client.id,
            outcome: "denied",
            reason: decision.reason,
            details: { via: "search" },
          });
        if (decision.reason === "screened_by_wall") {
          excluded.wall++;
          w.record(
            { action: "client.read", targetType: "client", targetId: client.id, outcome: "denied", reason: decision.reason, details: { via: "search" } },
            raiseWallBreachAlerts(w.tx, ctx.actor.userId, relation.screenedBy),
          );
        } else if (decision.reason === "not_on_matter") excluded.needToKnow++;
        else excluded.purpose++;
        continue;
      }
      const presented = presentClient(client, decision);
      results.push(presented);
      const via = viaDetails(decision);
      w.record({
        action: "client.read",
        targetType: "client",
        targetId: client.id,
        outcome: "success",
        reason: via?.via === "break_glass" ? "break_glass" : decision.reason,
        details: {
          via: "search",
          ...(presented.access.maskedFields.length ? { masked: presented.access.maskedFields } : {}),
          ...(via ? { grantedVia: via.via, viaId: via.viaId } : {}),
        },
      });
    }
    // Walled hits are not counted here: the searcher may read their own audit trail, and a count
    // would tell them a walled record matched. Each walled hit has its own denied event, naming the
    // client, which the audit queries hide from screened readers.
    w.record({
      ...event,
      outcome: "success",
      details: { by: fields, results: results.length, excludedByPurpose: excluded.purpose, excludedByNeedToKnow: excluded.needToKnow },
    });
    return results;
  });
}
