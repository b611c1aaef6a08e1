/**
 * Per-number limits on text messages (by default one a minute and ten a day), shared by every
 * server through the database. One atomic statement decides and counts, so two servers sending to
 * the same number at once cannot both pass: an upsert whose update applies only while the limits
 * allow, and RETURNING tells whether it did. Rows are keyed by a vault MAC of the number.
 */
import type { Kysely } from "kysely";
import type { Db } from "../../../platform/db/engine.js";
import type { Database } from "../../../platform/db/schema.js";
import type { Vault } from "../../../vault/vault.js";
import { toE164 } from "./phone-number.js";
import type { SmsTables } from "./tables.js";

export const NUMBER_MAC_PURPOSE = "sms.number";

export interface SmsRateLimits {
  /** Least time between two messages to one number. */
  minIntervalSeconds: number;
  /** Most messages to one number within a 24-hour window that opens with the first. */
  maxPerDay: number;
}

export const DEFAULT_SMS_RATE_LIMITS: SmsRateLimits = Object.freeze({ minIntervalSeconds: 60, maxPerDay: 10 });

const DAY_MS = 24 * 3600_000;

export class SmsRateLimiter {
  readonly #db: Kysely<Database & SmsTables>;
  readonly #vault: Pick<Vault, "mac">;
  readonly #limits: SmsRateLimits;

  constructor(db: Db, vault: Pick<Vault, "mac">, limits: SmsRateLimits = DEFAULT_SMS_RATE_LIMITS) {
    // The table's type lives here, beside the module that owns it.
    this.#db = db.withTables<SmsTables>();
    this.#vault = vault;
    this.#limits = Object.freeze({ ...limits });
  }

  /** The key of a number: however it was typed, one person counts once. */
  keyOf(number: string): string {
    return this.#vault.mac(NUMBER_MAC_PURPOSE, toE164(number) ?? number.replace(/\s+/g, ""));
  }

  /** Counts one message to `number` and answers true, or answers false (counting nothing) when a limit is reached. */
  async consume(number: string, now: Date): Promise<boolean> {
    const key = this.keyOf(number);
    const at = now.toISOString();
    const intervalCutoff = new Date(now.getTime() - this.#limits.minIntervalSeconds * 1000).toISOString();
    const windowCutoff = new Date(now.getTime() - DAY_MS).toISOString();
    const table = "sms_rate_limits" as const;
    const allowed = await this.#db
      .insertInto(table)
      .values({ number_mac: key, last_sent_at: at, window_start: at, window_count: 1 })
      .onConflict((oc) =>
        oc
          .column("number_mac")
          // Qualified names are the existing row in both engines' upsert.
          .doUpdateSet((eb) => {
            const windowOver = eb(`${table}.window_start`, "<=", windowCutoff);
            return {
              last_sent_at: at,
              window_start: eb
                .case()
                .when(windowOver)
                .then(at)
                .else(eb.ref(`${table}.window_start`))
                .end(),
              window_count: eb
                .case()
                .when(windowOver)
                .then(1)
                .else(eb(`${table}.window_count`, "+", 1))
                .end(),
            };
          })
          .where(`${table}.last_sent_at`, "<=", intervalCutoff)
          .where((eb) => eb.or([eb(`${table}.window_start`, "<=", windowCutoff), eb(`${table}.window_count`, "<", this.#limits.maxPerDay)])),
      )
      .returning("number_mac")
      .executeTakeFirst();
    // Rows past both limits say nothing any more: keep the table small.
    await this.#db.deleteFrom(table).where("last_sent_at", "<=", intervalCutoff).where("window_start", "<=", windowCutoff).execute();
    return allowed !== undefined;
  }
}
