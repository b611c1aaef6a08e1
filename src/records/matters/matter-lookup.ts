import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeMatter } from "../../access/policy/policy.js";
import { hasFirmScope } from "../../access/policy/predicates.js";
import { screenedClients } from "../../access/walls/screening.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { requirePurpose } from "../clients/client-access.js";
import { nameMatches, normaliseName } from "../clients/name-tokens.js";
import type { MatterStatus } from "./matter.js";
import { openTitle } from "./matter-store.js";

export interface MatterLookupItem {
  id: string;
  number: string;
  /** Null once the client was erased. */
  title: string | null;
  status: MatterStatus;
  clientId: string;
}

const LIMIT = 20;
/** Titles are sealed: at most this many of the caller's most recent matters are opened to match a title. */
const MAX_TITLE_SCAN = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Search as you type over the matters the caller may see (issue #15): by matter number prefix
 * (2026-民 …, case-insensitive), by title prefix, or by a pasted matter id. The same visibility as
 * the matter list (listMatters): firm-wide roles every matter, matter roles those they are on,
 * never one whose client is walled from the caller (left out in SQL, no alert). Titles may name the
 * parties, so a purpose is declared, each matter shown is audited as `matter.read` via "lookup",
 * and the lookup as `matter.lookup` with what it was by and how many it found (never the query).
 * Title matching opens the titles of the caller's MAX_TITLE_SCAN most recent matters, no more.
 */
export async function lookupMatters(services: Services, ctx: RequestContext, query: string): Promise<{ items: MatterLookupItem[] }> {
  return runAudited(services, ctx, async (w) => {
    const q = query.trim();
    const by = UUID.test(q) ? "id" : "number_or_title";
    const event = { action: "matter.lookup", targetType: "matter", targetId: null };
    const role = authorize(ctx.actor, "matter.read");
    if (role.effect === "deny") return w.deny(role, { ...event, details: { by } });
    if (normaliseName(q).length === 0) {
      return w.refuse(
        ValidationError([{ field: "q", code: "too_short", message: "Type part of a matter number or title." }]),
        { ...event, details: { by } },
        "failure",
      );
    }
    const purpose = await requirePurpose(services, ctx, w, "matter.lookup", null);
    if (typeof purpose !== "string") return purpose;

    const screened = await screenedClients(w.tx, ctx.actor.userId);
    const walled = [...screened.keys()];
    const visible = () => {
      let s = w.tx
        .selectFrom("matters as m")
        .leftJoin("matter_members as mm", (j) => j.onRef("mm.matter_id", "=", "m.id").on("mm.user_id", "=", ctx.actor.userId))
        .selectAll("m")
        .select("mm.role as my_role");
      if (!hasFirmScope(ctx.actor)) s = s.where("mm.user_id", "is not", null);
      if (walled.length) s = s.where("m.client_id", "not in", walled);
      return s.orderBy("m.created_at", "desc").orderBy("m.id", "desc");
    };
    const rows =
      by === "id"
        ? await visible().where("m.id", "=", q.toLowerCase()).execute()
        : [
            // Numbers are not personal data: matched in SQL. Lower-casing both sides works alike on both engines.
            ...(await visible()
              .where((eb) => eb(eb.fn("lower", ["m.number"]), "like", `${q.toLowerCase().replace(/[\\%_]/g, "")}%`))
              .limit(LIMIT)
              .execute()),
            ...(await visible().limit(MAX_TITLE_SCAN).execute()),
          ];
    const items: MatterLookupItem[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      if (items.length >= LIMIT) break;
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const decision = authorizeMatter(ctx.actor, "matter.read", { isMember: row.my_role !== null, screenedBy: screened.get(row.client_id) ?? [] });
      if (decision.effect === "deny") continue;
      const title = await openTitle(w.tx, services.keyRing, row);
      const byNumber = row.number.toLowerCase().startsWith(q.toLowerCase());
      if (by !== "id" && !byNumber && !(title && nameMatches(title, "organization", q))) continue;
      items.push({ id: row.id, number: row.number, title, status: row.status as MatterStatus, clientId: row.client_id });
      w.record({
        action: "matter.read",
        targetType: "matter",
        targetId: row.id,
        outcome: "success",
        reason: "permitted",
        details: { via: "lookup", clientId: row.client_id },
      });
    }
    w.record({ ...event, outcome: "success", details: { by, results: items.length } });
    return { items };
  });
}
