/**
 * Prefix, surname and tail search over encrypted client data (issue #15): truncated, keyed tokens in
 * `client_search_tokens`, written with the client and removed when it is erased.
 *
 * Each token is HMAC-SHA-256 under its own HKDF-derived key (`vault.blindIndex` with the contexts
 * `clients.search/v1/name`, `…/id_tail`, `…/phone_tail`: not the exact-match blind-index keys), of a
 * normalised prefix (name-tokens.ts) or of the last four characters of the ID number or phone,
 * truncated to 16 bits (names) or 12 bits (tails). The truncation is deliberate: many different
 * prefixes share each bucket, so a token does not name one prefix, and lookups over-select;
 * candidates are decrypted and filtered exactly in the policy-checked query path (client-lookup.ts).
 * Every active client has 8, 16 or 24 name tokens (NAME_TOKEN_CLASSES): real ones, padded with
 * random ones to the smallest class that holds them, stored in random order, so neither the count
 * nor the order tells the name's words. (Padding every client to 24 wrote three times the rows for
 * a typical name, and random-bucket index rows are what an import pays most for.)
 *
 * What someone holding the database (without the master key) learns from this table:
 * - That two clients share a name bucket: either a common prefix (a shared surname, a first
 *   word) or a chance collision. With N distinct prefixes in the firm and 65,536 buckets,
 *   collisions are rare below ~10,000 clients, so for a small firm a shared bucket mostly means a
 *   shared prefix; clusters of clients sharing one bucket show surname frequencies (王, 李, 张 …
 *   stand out), though not which surname a bucket is.
 * - That two clients share a 12-bit tail bucket of their ID numbers or phones (about 2.4 tails per
 *   bucket), and whether a client has an ID number or a phone (already visible from the
 *   ciphertext columns).
 * - Nothing about a name's length or word count beyond its token class: at most 8, 16 or 24
 *   prefixes. The name's ciphertext already shows its length in bytes, which says as much (a
 *   name of more than 8 prefixes is longer than about six Han characters or two Latin words).
 *   No plaintext either: tokens are keyed, so they cannot be recomputed from a guessed name without
 *   the key, and a stolen database alone does not allow a dictionary attack.
 * Someone who also watches queries learns which buckets each search touched. Erased clients keep no
 * tokens. A scheme change is a new context string and a migration that deletes the old tokens; the
 * start-up backfill (below) then writes the new ones.
 */
import type { Db, Tx } from "../../platform/db/engine.js";
import { insertRows } from "../../platform/db/insert-rows.js";
import type { KeyRing } from "../../vault/keys/key-ring.js";
import type { Vault } from "../../vault/vault.js";
import type { DbClientSearchToken } from "./tables.js";
import { openRow } from "./client-store.js";
import { type SearchableClient, type SearchTokenKind, tokenRowsOf } from "./search-token-rows.js";

/** Replaces the tokens of the given clients (create, update, backfill). */
export async function writeSearchTokens(tx: Tx, vault: Vault, clients: readonly SearchableClient[]): Promise<void> {
  if (clients.length === 0) return;
  await deleteSearchTokens(
    tx,
    clients.map((c) => c.id),
  );
  await insertSearchTokens(
    tx,
    clients.flatMap((c) => tokenRowsOf(vault, c)),
  );
}

/** Writes token rows already made (tokenRowsOf) for clients that have none yet (an import). */
export const insertSearchTokens = (tx: Tx, rows: readonly DbClientSearchToken[]) => insertRows(tx, "client_search_tokens", rows, 1000);

/** Erasure: the client keeps no token. */
export async function deleteSearchTokens(tx: Tx, clientIds: readonly string[]): Promise<void> {
  for (let i = 0; i < clientIds.length; i += 500)
    await tx
      .deleteFrom("client_search_tokens")
      .where("client_id", "in", clientIds.slice(i, i + 500))
      .execute();
}

/**
 * Writes the tokens of active clients that have none: clients from before migration 0037, and any
 * written by a path that bypassed the commands. Runs at start-up (openServices), in batches, each
 * in its own transaction; idempotent, and harmless when two servers start at once (a client indexed
 * twice has duplicate rows, which lookups ignore). `all` rebuilds every client (`custodia clients reindex`).
 */
export async function backfillSearchTokens(db: Db, keyRing: KeyRing, options: { all?: boolean; batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 200;
  let done = 0;
  let after = "";
  for (;;) {
    const written = await db.transaction().execute(async (tx) => {
      let q = tx.selectFrom("clients").selectAll().where("status", "=", "active").where("id", ">", after);
      if (!options.all)
        q = q.where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("client_search_tokens as t").select("t.client_id").whereRef("t.client_id", "=", "clients.id"))),
        );
      const rows = await q.orderBy("id").limit(batch).execute();
      const clients: SearchableClient[] = [];
      for (const row of rows) {
        const key = await keyRing.openDataKey(tx, row.id);
        if (!key) continue;
        const c = openRow(keyRing.vault, key, row);
        clients.push({ id: c.id, kind: c.kind, name: c.name, idNumber: c.idNumber, phone: c.phone });
      }
      await writeSearchTokens(tx, keyRing.vault, clients);
      return { rows: rows.length, last: rows.at(-1)?.id ?? after, clients: clients.length };
    });
    done += written.clients;
    after = written.last;
    if (written.rows < batch) return done;
  }
}

/**
 * Active clients carrying every one of the given tokens of a kind (AND), newest first. Callers
 * decrypt and filter exactly: tokens are 12–16-bit buckets. `only`/`except` narrow in SQL
 * (need-to-know candidates, walled clients).
 */
export function clientsWithTokens(
  tx: Tx,
  kind: SearchTokenKind,
  tokens: readonly string[],
  narrow: { only: ReadonlySet<string> | null; except: readonly string[]; limit: number },
) {
  let q = tx.selectFrom("clients").selectAll().where("status", "=", "active");
  for (const token of tokens)
    q = q.where("id", "in", tx.selectFrom("client_search_tokens").select("client_id").where("kind", "=", kind).where("token", "=", token));
  if (narrow.only) q = q.where("id", "in", narrow.only.size ? [...narrow.only] : [""]);
  if (narrow.except.length) q = q.where("id", "not in", [...narrow.except]);
  return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(narrow.limit).execute();
}
