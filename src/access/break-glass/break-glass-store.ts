/** Which clients a user holds open break-glass access to. SQL only. */
import type { Kysely } from "kysely";
import type { Database } from "../../platform/db/schema.js";
import { prepared } from "../../platform/db/prepared.js";
import type { Tx } from "../../platform/db/engine.js";

/** Client id → id of the actor's current break-glass access (the latest when several overlap). */
const breakGlassQuery = (db: Kysely<Database>, a: { userId: string; at: string }, clientIds: readonly string[]) =>
  db
    .selectFrom("break_glass_accesses")
    .select(["id", "client_id", "opened_at", "expires_at"])
    .where("user_id", "=", a.userId)
    .where("client_id", "in", clientIds)
    .where("expires_at", ">", a.at)
    .orderBy("opened_at");
// One client is what a read asks about: that query is compiled once.
const breakGlassOfOne = prepared((db, a: { userId: string; clientId: string; at: string }) => breakGlassQuery(db, a, [a.clientId]));

export async function openBreakGlass(tx: Tx, userId: string, clientIds: readonly string[], now: Date): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (clientIds.length === 0) return out;
  const at = now.toISOString();
  const rows =
    clientIds.length === 1
      ? await breakGlassOfOne(tx, { userId, clientId: clientIds[0]!, at })
      : await breakGlassQuery(tx, { userId, at }, clientIds).execute();
  for (const r of rows) if (Date.parse(r.opened_at) <= now.getTime() && now.getTime() < Date.parse(r.expires_at)) out.set(r.client_id, r.id);
  return out;
}
