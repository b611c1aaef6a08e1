/** SQL for legal holds. */
import type { Tx } from "../../platform/db/engine.js";

/** The client's oldest hold still in force, if any: one is enough to block erasure. */
export const activeHoldFor = (tx: Tx, clientId: string) =>
  tx.selectFrom("legal_holds").selectAll().where("client_id", "=", clientId).where("lifted_at", "is", null).orderBy("placed_at").limit(1).executeTakeFirst();
