/**
 * Alerts raised on other areas' behalf: detection owns the alerts table, so walls and break-glass
 * ask here, in the transaction that recorded the triggering event, instead of writing it. Ids, codes
 * and the audit sequence number only: compliance follows the event, never personal data here.
 */
import type { Tx } from "../../platform/db/engine.js";
import type { DbAuditEvent } from "../../platform/db/schema.js";
import { uuidv7 } from "../../platform/ids.js";

type Trigger = Pick<DbAuditEvent, "seq" | "at">;

/** A wall-breach alert: the wall that blocked an attempt, and the audit event that recorded it. */
export async function raiseWallBreachAlert(tx: Tx, input: { userId: string; wallId: string; event: Trigger }): Promise<void> {
  await tx
    .insertInto("alerts")
    .values({
      id: uuidv7(),
      kind: "wall_breach_attempt",
      user_id: input.userId,
      wall_id: input.wallId,
      event_seq: input.event.seq,
      created_at: input.event.at,
      status: "new",
    })
    .execute();
}

/** One high-severity alert for compliance when someone breaks the glass, pointing at the opening event. */
export async function raiseBreakGlassAlert(tx: Tx, input: { userId: string; event: Trigger }): Promise<void> {
  // severity and rule_code are the detection columns of migration 0006, so it lands in the same queue.
  await tx
    .insertInto("alerts")
    .values({
      id: uuidv7(),
      kind: "break_glass",
      rule_code: "break_glass",
      severity: "high",
      evidence: JSON.stringify([input.event.seq]),
      user_id: input.userId,
      wall_id: null,
      event_seq: input.event.seq,
      created_at: input.event.at,
      status: "new",
    })
    .execute();
}
