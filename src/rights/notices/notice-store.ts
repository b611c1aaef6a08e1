/** SQL for privacy notices. */
import type { Db, Tx } from "../../platform/db/engine.js";

export const findNoticeRow = (tx: Tx, version: number) => tx.selectFrom("privacy_notices").selectAll().where("version", "=", version).executeTakeFirst();

/** The published notice in force at `at`: the latest effective date not after it, then the latest version. */
export const findNoticeInForce = (db: Db | Tx, at: string) =>
  db
    .selectFrom("privacy_notices")
    .selectAll()
    .where("status", "=", "published")
    .where("effective_from", "<=", at)
    .orderBy("effective_from", "desc")
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();

export async function nextNoticeVersion(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("privacy_notices")
    .select((eb) => eb.fn.max("version").as("v"))
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}
