/**
 * Search as you type over the staff directory (issue #15): by a prefix of any word of the display
 * name (a Chinese given name too, as for clients) or of the email's local part. Every signed-in
 * staff member may read the directory (staff-directory.ts), so the lookup answers the same fields:
 * never the full email, which stays with user administration. Audited as `directory.lookup` with
 * the number of results, never the query.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { nameMatches, normaliseName } from "../../records/clients/name-tokens.js";
import { nameOf, type DirectoryEntry } from "./staff-directory.js";

const LIMIT = 20;

export async function lookupStaff(services: Services, ctx: RequestContext, query: string, options: { activeOnly?: boolean } = {}): Promise<DirectoryEntry[]> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const q = normaliseName(query);
    const event = { action: "directory.lookup", targetType: "user", targetId: null };
    if (!q) return w.refuse(ValidationError([{ field: "q", code: "too_short", message: "Type part of a name or email." }]), event, "failure");
    let s = w.tx.selectFrom("users").select(["id", "email", "display_name", "role", "status"]).orderBy("display_name").orderBy("id");
    if (options.activeOnly) s = s.where("status", "=", "active");
    const rows = await s.execute();
    const local = q.split("@")[0] ?? "";
    const items = rows
      .filter((u) => nameMatches(nameOf(u.display_name, u.email), "person", q) || (local && normaliseName(u.email.split("@")[0] ?? "").startsWith(local)))
      .slice(0, LIMIT)
      .map((u) => ({
        id: u.id,
        displayName: nameOf(u.display_name, u.email),
        role: u.role,
        status: u.status === "active" ? ("active" as const) : ("disabled" as const),
      }));
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return items;
  });
}
