/** Which clients active ethical walls screen a user from. SQL only; the policy decides. */
import { prepared } from "../../platform/db/prepared.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbAuditEvent } from "../../platform/db/schema.js";
import { raiseWallBreachAlert } from "../../response/detection/alert-store.js";

/**
 * Client id → ids of the active walls screening `userId` from it. A wall naming a matter screens
 * the matter's client as a whole: the client's record is part of every one of its matters, and a
 * team across the wall would otherwise learn the other side through the shared client.
 */
// Every read and list asks it: compiled once.
const wallsScreening = prepared((db, a: { userId: string }) =>
  db
    .selectFrom("wall_screened_users as su")
    .innerJoin("ethical_walls as w", "w.id", "su.wall_id")
    .innerJoin("wall_subjects as s", "s.wall_id", "su.wall_id")
    .leftJoin("matters as m", (j) => j.onRef("m.id", "=", "s.subject_id").on("s.kind", "=", "matter"))
    .select(["su.wall_id as wallId", "s.kind as kind", "s.subject_id as subjectId", "m.client_id as matterClientId"])
    .where("su.user_id", "=", a.userId)
    .where("w.lifted_at", "is", null),
);

export async function screenedClients(tx: Tx, userId: string): Promise<Map<string, string[]>> {
  const rows = await wallsScreening(tx, { userId });
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const clientId = r.kind === "client" ? r.subjectId : r.matterClientId;
    if (!clientId) continue;
    const walls = out.get(clientId) ?? [];
    if (!walls.includes(r.wallId)) walls.push(r.wallId);
    out.set(clientId, walls);
  }
  return out;
}

/**
 * The refusal hook that raises one wall-breach alert per wall that blocked the attempt, pointing at
 * the audit event that recorded it. Detection owns the alerts table: the walls name the walls, it writes.
 */
export const raiseWallBreachAlerts = (tx: Tx, userId: string, wallIds: readonly string[]) => async (event: DbAuditEvent) => {
  for (const wallId of wallIds) await raiseWallBreachAlert(tx, { userId, wallId, event });
};
