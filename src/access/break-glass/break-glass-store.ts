/** Which clients a user holds open break-glass access to. SQL only. */
import type { Tx } from "../../platform/db/engine.js";

/** Client id → id of the actor's current break-glass access (the latest when several overlap). */
export async function openBreakGlass(tx: Tx, userId: string, clientIds: readonly string[], now: Date): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (clientIds.length === 0) return out;
  const at = now.toISOString();
  const rows = await tx
    .selectFrom("break_glass_accesses")
    .select(["id", "client_id", "opened_at", "expires_at"])
    .where("user_id", "=", userId)
    .where("client_id", "in", clientIds)
    .where("expires_at", ">", at)
    .orderBy("opened_at")
    .execute();
  for (const r of rows) if (Date.parse(r.opened_at) <= now.getTime() && now.getTime() < Date.parse(r.expires_at)) out.set(r.client_id, r.id);
  return out;
}
