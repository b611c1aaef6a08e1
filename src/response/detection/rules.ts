/**
 * The shipped detection rules (AUD-2). Rules are data: each row of `detection_rules` names one of
 * these codes with its severity, containment and parameters; compliance edits them through the API.
 * The parameter schemas here validate edits, and the evaluators in detector.ts read them.
 */
import { z } from "zod";

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/**
 * What happens to the user when a rule of high or critical severity fires: nothing, every session
 * and API token revoked, or only the sessions revoked (the user signs in again with MFA; tokens,
 * which cannot re-authenticate interactively, keep working).
 */
export const CONTAINMENTS = ["none", "suspend_sessions_and_tokens", "require_reauth"] as const;
export type Containment = (typeof CONTAINMENTS)[number];

const action = z.string().regex(/^[a-z][a-z0-9_.]{1,63}$/);
/** The longest window a rule may have: a week. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;
const minutes = z.number().int().min(1).max(MAX_WINDOW_MINUTES);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** IANA time zone the runtime knows. */
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "unknown time zone");

export const RULE_PARAMS = {
  /** (a) more than `maxDistinctClients` distinct clients read by one user within `windowMinutes`. */
  bulk_read: z.strictObject({ actions: z.array(action).min(1).max(10), maxDistinctClients: z.number().int().min(1).max(100_000), windowMinutes: minutes }),
  /** (b) more than `maxRecords` export events: `actions`, or `viaActions` whose details.via is `via`. */
  export_volume: z.strictObject({
    actions: z.array(action).max(10),
    viaActions: z.array(action).max(10),
    via: z.string().regex(/^[a-z-]{1,32}$/),
    maxRecords: z.number().int().min(1).max(1_000_000),
    windowMinutes: minutes,
  }),
  /** (c) client-data actions outside the working week (`weekdays`: 1 Monday … 7 Sunday, local time). */
  off_hours: z.strictObject({
    actions: z.array(action).min(1).max(20),
    timeZone,
    weekdays: z.array(z.number().int().min(1).max(7)).max(7),
    start: clock,
    end: clock,
    dedupMinutes: minutes,
  }),
  /** (d) at least `maxFailures` failed sign-in or second-factor attempts on one account in `windowMinutes`. */
  auth_failures: z.strictObject({ actions: z.array(action).min(1).max(10), maxFailures: z.number().int().min(1).max(10_000), windowMinutes: minutes }),
  /** (e) any event by a disabled user, or a sign-in refused because the account is disabled. */
  disabled_account: z.strictObject({ dedupMinutes: minutes }),
  /** (f) any attempt refused with reason screened_by_wall. */
  wall_breach: z.strictObject({ dedupMinutes: minutes }),
  /**
   * (g) L4 reads in clear: client.read successes whose details.masked lists no L4 field. Fires when
   * the count in the last `windowMinutes` reaches `minReads` and exceeds `multiplier` × the user's
   * average per window over the preceding `baselineDays`.
   */
  l4_rate: z.strictObject({
    windowMinutes: minutes,
    baselineDays: z.number().int().min(1).max(365),
    multiplier: z.number().min(1).max(1000),
    minReads: z.number().int().min(1).max(100_000),
  }),
  /**
   * (h) enumeration by search: at least `maxMisses` searches (`actions`) that found nothing, by one
   * user within `windowMinutes`. Guessing a value by search misses far more often than it hits; a
   * miss is a summary event whose details report `results` (or a conflict check's `hits`) of 0.
   */
  search_enumeration: z.strictObject({
    actions: z.array(action).min(1).max(10),
    maxMisses: z.number().int().min(1).max(100_000),
    windowMinutes: minutes,
  }),
  /** (i) a role cleared for `minClearance` or above takes effect (user.set_role, or an account created at it): one alert each. */
  privileged_role: z.strictObject({ minClearance: z.number().int().min(1).max(4) }),
  /** (j) more than `maxDownloads` distinct documents downloaded (`actions`) by one user within `windowMinutes`. */
  bulk_download: z.strictObject({ actions: z.array(action).min(1).max(10), maxDownloads: z.number().int().min(1).max(100_000), windowMinutes: minutes }),
  /**
   * (k) external shares (`actions`): any one of a document over `maxSizeMiB`, or more than
   * `maxShares` by one user within `windowMinutes`.
   */
  large_external_share: z.strictObject({
    actions: z.array(action).min(1).max(10),
    maxSizeMiB: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024),
    maxShares: z.number().int().min(1).max(100_000),
    windowMinutes: minutes,
  }),
  /** (l) downloads and shares (`actions`) outside the user's working calendar, or these firm-wide hours. */
  off_hours_download: z.strictObject({
    actions: z.array(action).min(1).max(20),
    timeZone,
    weekdays: z.array(z.number().int().min(1).max(7)).max(7),
    start: clock,
    end: clock,
    dedupMinutes: minutes,
  }),
  /** (m) one share link used (`actions`) from more than `maxAddresses` distinct addresses within `windowMinutes`. */
  share_many_addresses: z.strictObject({ actions: z.array(action).min(1).max(10), maxAddresses: z.number().int().min(1).max(10_000), windowMinutes: minutes }),
} as const;

export type RuleCode = keyof typeof RULE_PARAMS;
export const RULE_CODES = Object.keys(RULE_PARAMS) as RuleCode[];
export type RuleParams<C extends RuleCode> = z.infer<(typeof RULE_PARAMS)[C]>;

export const isRuleCode = (code: string): code is RuleCode => code in RULE_PARAMS;

export type DetectionRule = {
  [C in RuleCode]: {
    code: C;
    enabled: boolean;
    severity: Severity;
    containment: Containment;
    params: RuleParams<C>;
    updatedAt: string;
    updatedBy: string | null;
  };
}[RuleCode];

/** Why an alert was dismissed: codes only. */
export const DISMISS_REASONS = ["false_positive", "authorised_activity", "duplicate", "test", "other"] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export const ALERT_STATUSES = ["new", "acknowledged", "dismissed", "escalated"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
