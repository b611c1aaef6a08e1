/** Loading and writing grants. SQL only; the policy decides what a grant allows. */
import { isCurrentGrant, type GrantRef } from "../policy/predicates.js";
import type { ApprovalKind } from "../approvals/approval.js";
import type { Kysely } from "kysely";
import type { Database } from "../../platform/db/schema.js";
import { prepared } from "../../platform/db/prepared.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbAccessGrant } from "../../platform/db/schema.js";

/**
 * Client id → the actor's current grants on it. Expiry is checked here, at every use, against the
 * clock of this request: an expired or revoked grant is never loaded, so it never authorises.
 */
const grantsQuery = (db: Kysely<Database>, a: { userId: string; at: string }, clientIds: readonly string[]) =>
  db
    .selectFrom("access_grants")
    .select(["id", "kind", "client_id", "starts_at", "expires_at", "revoked_at"])
    .where("user_id", "=", a.userId)
    .where("client_id", "in", clientIds)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", a.at);
// One client is what a read asks about: that query is compiled once.
const grantsOfOne = prepared((db, a: { userId: string; clientId: string; at: string }) => grantsQuery(db, a, [a.clientId]));

export async function currentGrants(tx: Tx, userId: string, clientIds: readonly string[], now: Date): Promise<Map<string, GrantRef[]>> {
  const out = new Map<string, GrantRef[]>();
  if (clientIds.length === 0) return out;
  const at = now.toISOString();
  const rows =
    clientIds.length === 1 ? await grantsOfOne(tx, { userId, clientId: clientIds[0]!, at }) : await grantsQuery(tx, { userId, at }, clientIds).execute();
  for (const r of rows) {
    // ISO-8601 strings compare in SQL; parse once more so a malformed row cannot authorise.
    if (!isCurrentGrant(r, now)) continue;
    const list = out.get(r.client_id) ?? [];
    list.push({ id: r.id, kind: r.kind as ApprovalKind });
    out.set(r.client_id, list);
  }
  return out;
}

/** Issues a time-limited grant (an approved request's), in the approver's transaction: approvals decide, grants store. */
export async function issueGrant(tx: Tx, grant: Omit<DbAccessGrant, "revoked_at">): Promise<void> {
  await tx
    .insertInto("access_grants")
    .values({ ...grant, revoked_at: null })
    .execute();
}

/** Revokes every standing grant of a user (a leaver); returns how many. */
export async function revokeGrantsOf(tx: Tx, userId: string, at: string): Promise<number> {
  const r = await tx.updateTable("access_grants").set({ revoked_at: at }).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Ends one grant now (an access review's revoke); false if it had already ended or was revoked. */
export async function revokeGrant(tx: Tx, grantId: string, at: string): Promise<boolean> {
  const r = await tx
    .updateTable("access_grants")
    .set({ revoked_at: at })
    .where("id", "=", grantId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
