/** SQL for external shares and their accesses, and the sealing of the recipient's details. */
import type { Db, Tx } from "../../platform/db/engine.js";
import type { DbDocumentShare } from "../../platform/db/schema.js";
import { uuidv7 } from "../../platform/ids.js";
import type { DataKey, Vault } from "../../vault/vault.js";
import type { ShareRecipient } from "./share.js";

type RecipientField = "recipient_name" | "recipient_org" | "recipient_email";
const binding = (shareId: string, field: RecipientField) => ({ table: "document_shares", recordId: shareId, field });

export function sealRecipient(vault: Vault, key: DataKey, shareId: string, r: ShareRecipient) {
  return {
    recipient_name_ct: vault.seal(key, binding(shareId, "recipient_name"), r.name),
    recipient_org_ct: r.organisation === null ? null : vault.seal(key, binding(shareId, "recipient_org"), r.organisation),
    recipient_email_ct: vault.seal(key, binding(shareId, "recipient_email"), r.email),
  };
}

export function openRecipient(vault: Vault, key: DataKey, row: DbDocumentShare): Omit<ShareRecipient, "kind"> {
  return {
    name: vault.open(key, binding(row.id, "recipient_name"), row.recipient_name_ct),
    organisation: row.recipient_org_ct ? vault.open(key, binding(row.id, "recipient_org"), row.recipient_org_ct) : null,
    email: vault.open(key, binding(row.id, "recipient_email"), row.recipient_email_ct),
  };
}

export const insertShare = (tx: Tx, row: DbDocumentShare) => tx.insertInto("document_shares").values(row).execute();

export const findShare = (tx: Tx | Db, id: string) => tx.selectFrom("document_shares").selectAll().where("id", "=", id).executeTakeFirst();

export const findShareByLink = (tx: Tx, linkMac: string) => tx.selectFrom("document_shares").selectAll().where("link_mac", "=", linkMac).executeTakeFirst();

export const listSharesOf = (tx: Tx, documentId: string) =>
  tx.selectFrom("document_shares").selectAll().where("document_id", "=", documentId).orderBy("created_at", "desc").orderBy("id").execute();

/** The register: every share (optionally those made since `since`, or to one address), newest first, with its document's level. */
export function listRegister(tx: Tx, filter: { since?: string | undefined; emailMac?: string | undefined; limit: number }) {
  let q = tx.selectFrom("document_shares as s").innerJoin("documents as d", "d.id", "s.document_id").selectAll("s").select(["d.level as level"]);
  if (filter.since) q = q.where("s.created_at", ">=", filter.since);
  if (filter.emailMac) q = q.where("s.recipient_email_mac", "=", filter.emailMac);
  return q.orderBy("s.created_at", "desc").orderBy("s.id").limit(filter.limit).execute();
}

type ShareChange = Partial<
  Pick<
    DbDocumentShare,
    "status" | "downloads" | "code_mac" | "code_sent_at" | "code_expires_at" | "code_attempts" | "confirmed_by" | "confirmed_at" | "revoked_by" | "revoked_at"
  >
>;

/**
 * Changes a share only if it is still as it was read (`from`: its status and counters), so two
 * requests racing on one link cannot both spend its last download or its code. False when it moved.
 */
export async function updateShare(tx: Tx, row: Pick<DbDocumentShare, "id" | "status" | "downloads" | "code_attempts">, change: ShareChange): Promise<boolean> {
  const r = await tx
    .updateTable("document_shares")
    .set(change)
    .where("id", "=", row.id)
    .where("status", "=", row.status)
    .where("downloads", "=", row.downloads)
    .where("code_attempts", "=", row.code_attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recordShareAccess(tx: Tx, shareId: string, outcome: string, addressMac: string, at: string): Promise<void> {
  await tx.insertInto("document_share_accesses").values({ id: uuidv7(), share_id: shareId, at, outcome, address_mac: addressMac }).execute();
}

/** How many distinct addresses used one share link between `from` and `to` (inclusive). */
export async function distinctShareAddresses(tx: Tx, shareId: string, from: string, to: string): Promise<number> {
  const row = await tx
    .selectFrom("document_share_accesses")
    .select((eb) => eb.fn.count("address_mac").distinct().as("n"))
    .where("share_id", "=", shareId)
    .where("at", ">=", from)
    .where("at", "<=", to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
