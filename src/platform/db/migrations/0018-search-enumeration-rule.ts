import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0018: search is not an oracle (issue #10). Detection gains the `search_enumeration` rule: one user's
 * searches that find nothing, 30 within 10 minutes, revoke their sessions and API tokens (guessing a
 * masked value by search takes thousands of misses; a person looking up clients misses rarely).
 * Seeded like the rules of 0006; compliance tunes it through the API afterwards.
 */
export const name = "0018_search_enumeration_rule";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db
      .insertInto("detection_rules")
      .values({
        code: "search_enumeration",
        enabled: 1,
        severity: "high",
        containment: "suspend_sessions_and_tokens",
        params: JSON.stringify({ actions: ["client.search"], maxMisses: 30, windowMinutes: 10 }),
        updated_at: new Date().toISOString(),
        updated_by: null,
      })
      .execute();
  },
});
