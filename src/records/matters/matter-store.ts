/** SQL for matters and their teams, and sealing of the matter title. */
import type { Tx } from "../../platform/db/engine.js";
import type { DbMatter } from "../../platform/db/schema.js";
import type { KeyRing } from "../../vault/keys/key-ring.js";
import type { DataKey, Vault } from "../../vault/vault.js";
import type { MatterRole, PracticeArea, PresentedMatter } from "./matter.js";

const titleBinding = (matterId: string) => ({ table: "matters", recordId: matterId, field: "title" });

export const sealTitle = (vault: Vault, key: DataKey, matterId: string, title: string) => vault.seal(key, titleBinding(matterId), title);

export const findMatterRow = (tx: Tx, id: string) => tx.selectFrom("matters").selectAll().where("id", "=", id).executeTakeFirst();

/** Clears the titles of a client's matters once its data key is shredded: already noise, cleared for tidiness. */
export async function clearTitlesOfClient(tx: Tx, clientId: string): Promise<void> {
  await tx.updateTable("matters").set({ title_ct: null }).where("client_id", "=", clientId).execute();
}

export const teamOf = (tx: Tx, matterId: string) =>
  tx.selectFrom("matter_members").select(["user_id", "role", "added_at"]).where("matter_id", "=", matterId).orderBy("added_at").orderBy("user_id").execute();

/** Opens a matter's sealed title with the client's data key; null once the key was shredded. */
export async function openTitle(tx: Tx, keyRing: KeyRing, row: Pick<DbMatter, "id" | "client_id" | "title_ct">): Promise<string | null> {
  const key = row.title_ct ? await keyRing.openDataKey(tx, row.client_id) : null;
  return row.title_ct && key ? keyRing.vault.open(key, titleBinding(row.id), row.title_ct) : null;
}

/** Loads the team and opens the sealed title with the client's data key (null once shredded). */
export async function presentMatter(tx: Tx, keyRing: KeyRing, row: DbMatter): Promise<PresentedMatter> {
  const key = row.title_ct ? await keyRing.openDataKey(tx, row.client_id) : null;
  const team = await teamOf(tx, row.id);
  return {
    id: row.id,
    clientId: row.client_id,
    number: row.number,
    title: row.title_ct && key ? keyRing.vault.open(key, titleBinding(row.id), row.title_ct) : null,
    practiceArea: row.practice_area as PracticeArea,
    status: row.status as PresentedMatter["status"],
    responsiblePartnerId: row.responsible_partner_id,
    team: team.map((m) => ({ userId: m.user_id, role: m.role as MatterRole, addedAt: m.added_at })),
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

/** Active users among `ids`, with their roles. */
export async function activeUsers(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom("users")
    .select(["id", "role"])
    .where("id", "in", [...ids])
    .where("status", "=", "active")
    .execute();
  return new Map(rows.map((r) => [r.id, r.role]));
}
