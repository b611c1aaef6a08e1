import { constantTimeEqual, randomCode, sha256Hex } from "../../platform/crypto/secrets.js";
import type { Db, Tx } from "../../platform/db/engine.js";
import { uuidv7 } from "../../platform/ids.js";
import { iso } from "./settings.js";

/**
 * Ten single-use recovery codes per user for a lost authenticator, shown once. Each carries 50
 * random bits, so a SHA-256 hash suffices (as for tokens); lockout throttles guessing.
 */
export const RECOVERY_CODE_COUNT = 10;
// Crockford-style alphabet without 0/O/1/I/L: codes are read off paper.
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

const hashCode = (code: string) => sha256Hex(normaliseCode(code));
const normaliseCode = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, "");

function newCode(): string {
  const chars = randomCode(ALPHABET, 10);
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Replaces all of a user's codes with fresh ones and returns them (the only time they exist in clear). */
export async function issueRecoveryCodes(tx: Tx, userId: string, nowMs: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await tx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await tx
    .insertInto("recovery_codes")
    .values(codes.map((c) => ({ id: uuidv7(), user_id: userId, code_hash: hashCode(c), created_at: iso(nowMs), used_at: null })))
    .execute();
  return codes;
}

/** Spends one unused code; false for a wrong or already used one. */
export async function redeemRecoveryCode(tx: Tx, userId: string, presented: string, nowMs: number): Promise<boolean> {
  const wanted = hashCode(presented);
  const rows = await tx.selectFrom("recovery_codes").select(["id", "code_hash"]).where("user_id", "=", userId).where("used_at", "is", null).execute();
  let match: string | null = null;
  for (const row of rows) {
    // Every row is compared, in constant time: no timing side channel.
    if (constantTimeEqual(row.code_hash, wanted) && match === null) match = row.id;
  }
  if (!match) return false;
  // The used_at guard makes a concurrent second use of the same code update nothing.
  const spent = await tx
    .updateTable("recovery_codes")
    .set({ used_at: iso(nowMs) })
    .where("id", "=", match)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

export async function remainingRecoveryCodes(db: Db | Tx, userId: string): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
