import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRecordRead, type ClientRelation, type Decision } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { consentTermsLoader } from "../../rights/consent/consent-terms.js";
import type { DbClient } from "../../platform/db/schema.js";
import { decodeCursor, nextCursorOf, type KeysetPosition, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import { clientRelations, needToKnowCandidates } from "../matters/need-to-know.js";
import type { Services } from "../../platform/services.js";
import { screenedClients } from "../../access/walls/screening.js";
import type { ClientKind } from "./client.js";
import { requirePurpose, viaDetails } from "./client-access.js";
import { NO_SEALED_COLUMNS } from "./client-sealing.js";
import { openRow } from "./client-store.js";
import { FIELD_LEVELS, PERSONAL_FIELDS } from "./fields.js";
import { presentClient } from "./present.js";

/** One line of the client list: no identifier, phone or email, only what picks the client out. */
export interface ClientListItem {
  id: string;
  kind: ClientKind;
  /** Masked above the reader's clearance, as a read would show it. */
  name: string;
  status: "active" | "erased";
  createdAt: string;
  maskedFields: string[];
}

/** Rows examined per request at most: a page may come back short, with a cursor to go on from. */
const MAX_SCAN = 1000;

// The name is the only personal field a list shows: the others are never selected, let alone opened.
const LISTED_FIELDS: readonly string[] = ["name"];
const LISTED_COLUMNS = [
  "id",
  "kind",
  "id_type",
  "purposes",
  "name_ct",
  "status",
  "row_version",
  "created_at",
  "updated_at",
  "erased_at",
  "created_by",
] as const;
type ListedRow = Pick<DbClient, (typeof LISTED_COLUMNS)[number]>;
// Only the name is read for a list: every other sealed column stays empty.
const asClientRow = (row: ListedRow): DbClient => ({ ...NO_SEALED_COLUMNS, ...row });

/**
 * The clients the caller may see, newest first, keyset-paginated: a list is a search without
 * criteria, so it follows the search's rules and audit: one `client.list_item` per client shown (a
 * name in a list is not a record read, so the bulk-read detection rule, which counts `client.read`,
 * does not fire on a partner paging through the firm's clients; blast radius counts both), then a
 * `client.list` summary. Need-to-know narrows the rows in SQL and the policy decides on each one.
 * Walled clients are left out in SQL, before anything about them is loaded or counted: browsing a
 * list is no attempt to reach them, so it raises no wall-breach alert (reads and searches do), and
 * break-glass, which opens one named client, does not put a walled client in lists. Erased clients
 * are left out too.
 */
export async function listClients(
  services: Services,
  ctx: RequestContext,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<ClientListItem>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.list", targetType: "client", targetId: null };
    const role = authorize(ctx.actor, "client.search");
    if (role.effect === "deny") return w.deny(role, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    const purpose = await requirePurpose(services, ctx, w, "client.list", null);
    if (typeof purpose !== "string") return purpose;

    const now = new Date();
    const walled = [...(await screenedClients(w.tx, ctx.actor.userId)).keys()];
    const candidates = await needToKnowCandidates(w.tx, ctx.actor, now);
    const consentFor = await consentTermsLoader(w.tx, purpose);
    const items: ClientListItem[] = [];
    const excluded = { purpose: 0, needToKnow: 0 };
    let position: KeysetPosition | null = after;
    let lastItem: KeysetPosition | undefined;
    let more = false;
    let scanned = 0;

    const decide = async (row: ListedRow, relation: ClientRelation): Promise<Decision> =>
      authorizeRecordRead(
        ctx.actor,
        "client.search",
        purpose,
        { purposes: JSON.parse(row.purposes) as string[], erased: row.status === "erased", fieldLevels: FIELD_LEVELS, consent: await consentFor(row.id) },
        relation,
      );

    scan: while (candidates === null || candidates.size > 0) {
      let q = w.tx.selectFrom("clients").select(LISTED_COLUMNS).where("status", "=", "active");
      if (walled.length) q = q.where("id", "not in", walled);
      if (candidates) q = q.where("id", "in", [...candidates]);
      const from = position;
      if (from) q = q.where((eb) => eb.or([eb("created_at", "<", from.createdAt), eb.and([eb("created_at", "=", from.createdAt), eb("id", "<", from.id)])]));
      const rows = await q
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(page.limit + 1)
        .execute();
      const relations = await clientRelations(w.tx, ctx.actor, rows, now);
      for (const row of rows) {
        const relation = relations.get(row.id)!;
        const decision = await decide(row, relation);
        if (items.length === page.limit) {
          // Looking ahead for one more visible client, with no side effect: its page records it.
          if (decision.effect !== "deny") {
            more = true;
            break scan;
          }
        } else if (decision.effect === "deny") {
          // As in search: consent refusals leave their own event and count with the purpose exclusions.
          if (decision.reason === "consent_required")
            w.record({
              action: "client.list_item",
              targetType: "client",
              targetId: row.id,
              outcome: "denied",
              reason: decision.reason,
              details: { via: "list" },
            });
          if (decision.reason === "not_on_matter") excluded.needToKnow++;
          else excluded.purpose++;
        } else {
          const key = row.name_ct ? await services.keyRing.openDataKey(w.tx, row.id) : null;
          const presented = presentClient(openRow(services.vault, key, asClientRow(row)), decision);
          items.push({
            id: presented.id,
            kind: presented.kind,
            name: presented.name,
            status: presented.status,
            createdAt: presented.createdAt,
            maskedFields: presented.access.maskedFields,
          });
          lastItem = { createdAt: row.created_at, id: row.id };
          const via = viaDetails(decision);
          w.record({
            action: "client.list_item",
            targetType: "client",
            targetId: row.id,
            outcome: "success",
            reason: via?.via === "break_glass" ? "break_glass" : decision.reason,
            // `masked` names every personal field not seen in clear, as the blast radius and the L4-rate
            // rule read it: a list shows the name alone, so it never counts as reading an identifier.
            details: {
              via: "list",
              fields: LISTED_FIELDS,
              masked: PERSONAL_FIELDS.filter((f) => !LISTED_FIELDS.includes(f) || presented.access.maskedFields.includes(f)),
              ...(via ? { grantedVia: via.via, viaId: via.viaId } : {}),
            },
          });
        }
        position = { createdAt: row.created_at, id: row.id };
        if (++scanned >= MAX_SCAN) {
          // Enough work for one request: a short page resumes after the last row examined.
          if (items.length < page.limit) lastItem = position;
          more = true;
          break scan;
        }
      }
      if (rows.length <= page.limit) break;
    }
    w.record({
      ...event,
      outcome: "success",
      details: { results: items.length, excludedByPurpose: excluded.purpose, excludedByNeedToKnow: excluded.needToKnow },
    });
    return { items, nextCursor: nextCursorOf(lastItem, more) };
  });
}
