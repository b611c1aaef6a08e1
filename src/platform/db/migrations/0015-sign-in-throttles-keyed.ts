import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * Sign-in throttle keys are now MACs keyed by the vault (`account:<mac>`, `ip:<mac>`) instead of a
 * plain SHA-256 of the email and the address in clear. Old rows can never match a new key, so
 * their counts and locks are already void; they are deleted so no address stays in clear.
 */
export const name = "0015_sign_in_throttles_keyed";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.deleteFrom("sign_in_throttles").execute();
  },
});
