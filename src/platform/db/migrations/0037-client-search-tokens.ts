import type { Kysely, Migration } from "kysely";

/**
 * 0037: prefix, surname and tail search over encrypted names (issue #15). Tokens are keyed, so
 * SQL cannot compute them: the table starts empty and openServices backfills every active client
 * at start-up (src/records/clients/search-tokens.ts, backfillSearchTokens), as
 * `custodia clients reindex` does on demand.
 */
export const name = "0037_client_search_tokens";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("client_search_tokens")
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("token", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("client_search_tokens_by_token").on("client_search_tokens").columns(["kind", "token", "client_id"]).execute();
    await db.schema.createIndex("client_search_tokens_by_client").on("client_search_tokens").column("client_id").execute();
  },
});
