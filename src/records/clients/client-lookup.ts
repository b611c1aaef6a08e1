import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRecordRead, authorizeSearchCriteria } from "../../access/policy/policy.js";
import { accessConditionsOf } from "../../access/conditions/access-conditions.js";
import { screenedClients } from "../../access/walls/screening.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { consentTermsLoader } from "../../rights/consent/consent-terms.js";
import { clientRelations, needToKnowCandidates } from "../matters/need-to-know.js";
import type { Level } from "../../access/policy/roles.js";
import { requirePurpose, viaDetails } from "./client-access.js";
import { openRow } from "./client-store.js";
import { FIELD_LEVELS, PERSONAL_FIELDS } from "./fields.js";
import { nameMatches, queryPrefixes, TAIL_QUERY, tailOf } from "./name-tokens.js";
import { normaliseForIndex } from "./normalise.js";
import { presentClient } from "./present.js";
import { searchToken, type SearchTokenKind } from "./search-token-rows.js";
import { clientsWithTokens } from "./search-tokens.js";

/** How a lookup query was read: a name prefix, an identifier tail, or a client's id pasted in. */
export type LookupBy = "name" | "idTail" | "phoneTail" | "id";

/** One picker option: the name, and the tail of an identifier the caller reads in clear. */
export interface ClientLookupItem {
  id: string;
  kind: string;
  name: string;
  /** Last four characters of the ID number (L4 readers) or else of the phone (L3 readers); null otherwise. */
  tail: { field: "idNumber" | "phone"; value: string } | null;
}

/** Shown at most; the picker asks for more letters beyond that. */
export const LOOKUP_LIMIT = 20;
/** Ids resolved at most in one request (a screen's chips). */
export const LOOKUP_IDS_LIMIT = 50;
/** Candidates decrypted at most per lookup: tokens are 12–16-bit buckets, so a few are noise. */
const MAX_CANDIDATES = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAIL_LEVEL: Record<"idTail" | "phoneTail", Level> = { idTail: FIELD_LEVELS.idNumber, phoneTail: FIELD_LEVELS.phone };

/**
 * Search as you type (issue #15): clients by name prefix or surname, by the last four characters of
 * the ID number or phone, or by a pasted client id. The same rules as the exact search
 * (client-searcher.ts), in the same order: the role must hold `client.search`; a tail search is
 * refused (403, audited, before any lookup) unless the caller reads that field in clear (ID
 * numbers are L4: clearance-4 roles only; phones L3 with current access conditions), so the
 * picker is no oracle for masked values; a purpose is declared; each candidate passes
 * authorizeRecordRead (need-to-know, purpose, consent).
 *
 * Walled clients are left out in SQL before anything about them is loaded, decrypted or counted,
 * as in the client list: a few typed letters are no attempt to reach a particular client, so they
 * raise no wall-breach alert (the exact search and a read do). Candidates come from the truncated
 * tokens of search-tokens.ts and are filtered exactly after decryption. Each client shown is
 * audited as `client.list_item` (via "lookup", the fields shown) and the lookup as `client.lookup`
 * with what it was by and how many it found, never the query itself. The `search_enumeration`
 * rule counts `client.search` misses by default; compliance may add `client.lookup` to its actions.
 */
export async function lookupClients(
  services: Services,
  ctx: RequestContext,
  query: string | { ids: readonly string[] },
): Promise<{ items: ClientLookupItem[]; by: LookupBy[] }> {
  return runAudited(services, ctx, async (w) => {
    const q = typeof query === "string" ? query.trim() : "";
    // Ids come pasted as the query, or as a list: the names of the chips on one screen, in one request.
    const ids = typeof query === "string" ? (UUID.test(q) ? [q.toLowerCase()] : null) : [...new Set(query.ids.map((id) => id.toLowerCase()))];
    const by: LookupBy[] = ids ? ["id"] : TAIL_QUERY.test(q) ? ["idTail", "phoneTail"] : ["name"];
    const event = { action: "client.lookup", targetType: "client", targetId: null };
    const role = authorize(ctx.actor, "client.search");
    if (role.effect === "deny") return w.deny(role, { ...event, details: { by } });
    const prefixes = by[0] === "name" ? queryPrefixes(q) : [];
    if (by[0] === "name" && prefixes.length === 0) {
      const issue = { field: "q", code: "too_short", message: "Type at least one Chinese character or two letters." };
      return w.refuse(ValidationError([issue]), { ...event, details: { by } }, "failure");
    }
    let tails: ("idTail" | "phoneTail")[] = [];
    if (by[0] === "idTail") {
      // Over the fields the caller reads in clear; none, and it is refused as the exact search is (a phone ends in no X).
      const conditions = await accessConditionsOf(w.tx, ctx.actor.userId, new Date());
      const fields = /x$/i.test(q) ? (["idTail"] as const) : (["idTail", "phoneTail"] as const);
      const decisions = fields.map((f) => [f, authorizeSearchCriteria(ctx.actor, [TAIL_LEVEL[f]], conditions.met)] as const);
      tails = decisions.filter(([, d]) => d.effect === "allow").map(([f]) => f);
      const refused = decisions.at(-1)![1];
      if (tails.length === 0 && refused.effect === "deny") return w.deny(refused, { ...event, details: { by } });
    }
    const purpose = await requirePurpose(services, ctx, w, "client.lookup", null);
    if (typeof purpose !== "string") return purpose;

    const now = new Date();
    const walled = [...(await screenedClients(w.tx, ctx.actor.userId)).keys()];
    const only = await needToKnowCandidates(w.tx, ctx.actor, now);
    const narrow = { only, except: walled, limit: MAX_CANDIDATES };
    const rows = ids
      ? await w.tx
          .selectFrom("clients")
          .selectAll()
          .where("status", "=", "active")
          .where("id", "in", ids)
          .where("id", "not in", walled.length ? walled : [""])
          .where("id", "in", only ? [...only, ""] : ids)
          .execute()
      : by[0] === "name"
        ? await clientsWithTokens(
            w.tx,
            "name",
            prefixes.map((p) => searchToken(services.vault, "name", p)),
            narrow,
          )
        : (
            await Promise.all(
              tails.map((f) => {
                const kind: SearchTokenKind = f === "idTail" ? "id_tail" : "phone_tail";
                return clientsWithTokens(w.tx, kind, [searchToken(services.vault, kind, q.toUpperCase())], narrow);
              }),
            )
          ).flat();
    const seen = new Set<string>();
    const unique = rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
    const relations = await clientRelations(w.tx, ctx.actor, unique, now);
    const consentFor = await consentTermsLoader(w.tx, purpose);
    const items: ClientLookupItem[] = [];
    const excluded = { purpose: 0, needToKnow: 0 };
    for (const row of unique) {
      if (items.length >= (ids ? ids.length : LOOKUP_LIMIT)) break;
      const key = await services.keyRing.openDataKey(w.tx, row.id);
      if (!key) continue;
      const client = openRow(services.vault, key, row);
      const matches =
        by[0] === "id"
          ? true
          : by[0] === "name"
            ? nameMatches(client.name, client.kind, q)
            : (tails.includes("idTail") && tailOf(client.idNumber ? normaliseForIndex("idNumber", client.idNumber) : null) === q.toUpperCase()) ||
              (tails.includes("phoneTail") && tailOf(client.phone ? normaliseForIndex("phone", client.phone) : null) === q);
      if (!matches) continue;
      const relation = relations.get(row.id)!;
      const decision = authorizeRecordRead(
        ctx.actor,
        "client.search",
        purpose,
        { purposes: client.purposes, erased: false, fieldLevels: FIELD_LEVELS, consent: await consentFor(client.id) },
        relation,
      );
      if (decision.effect === "deny") {
        // As in search and list: a consent refusal leaves its own event and counts with the purpose exclusions.
        if (decision.reason === "consent_required")
          w.record({
            action: "client.list_item",
            targetType: "client",
            targetId: client.id,
            outcome: "denied",
            reason: decision.reason,
            details: { via: "lookup" },
          });
        if (decision.reason === "not_on_matter") excluded.needToKnow++;
        else if (decision.reason !== "screened_by_wall") excluded.purpose++;
        continue;
      }
      const presented = presentClient(client, decision);
      const masked = presented.access.maskedFields;
      const tailField: "idNumber" | "phone" | null =
        !masked.includes("idNumber") && client.idNumber ? "idNumber" : !masked.includes("phone") && client.phone ? "phone" : null;
      const tailValue = tailField ? tailOf(normaliseForIndex(tailField, client[tailField] as string)) : null;
      const tail = tailField && tailValue ? { field: tailField, value: tailValue } : null;
      items.push({ id: client.id, kind: client.kind, name: presented.name, tail });
      const via = viaDetails(decision);
      const shown = ["name", ...(tail ? [`${tail.field}:tail`] : [])];
      w.record({
        action: "client.list_item",
        targetType: "client",
        targetId: client.id,
        outcome: "success",
        reason: via?.via === "break_glass" ? "break_glass" : decision.reason,
        // As in the list, `masked` names every personal field not seen whole: a tail is not the identifier.
        details: {
          via: "lookup",
          fields: shown,
          masked: PERSONAL_FIELDS.filter((f) => f !== "name" || masked.includes(f)),
          ...(via ? { grantedVia: via.via, viaId: via.viaId } : {}),
        },
      });
    }
    const searchedBy = by[0] === "idTail" ? tails : by;
    w.record({
      ...event,
      outcome: "success",
      details: { by: searchedBy, results: items.length, excludedByPurpose: excluded.purpose, excludedByNeedToKnow: excluded.needToKnow },
    });
    return { items, by: searchedBy };
  });
}
