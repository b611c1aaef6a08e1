/** Storage shapes for SMS (migration 0026). */

/** One row per phone number that received a message recently, keyed by a MAC of the number. */
export type DbSmsRateLimit = {
  /** vault.mac("sms.number", E.164 number): the number itself is never stored. */
  number_mac: string;
  last_sent_at: string;
  /** Start of the current 24-hour window and the messages counted in it. */
  window_start: string;
  window_count: number;
};

// Type aliases, not interfaces: Kysely's withTables<T>() needs an index-compatible shape.
export type SmsTables = {
  sms_rate_limits: DbSmsRateLimit;
};
