/** Sign-in timing and thresholds. Frozen defaults; tests inject a clock and shorter values. */
export interface SignInSettings {
  /** A session unused this long ends (default 30 min). */
  readonly idleTimeoutMs: number;
  /** A session ends this long after sign-in whatever its use (default 12 h). */
  readonly absoluteTimeoutMs: number;
  /** Lifetime of a half-finished sign-in: TOTP pending or enrolment only (default 10 min). */
  readonly pendingTimeoutMs: number;
  /** Consecutive failures on one account before it locks (default 5). */
  readonly accountFailureLimit: number;
  /** Failures from one address before it locks (default 20: offices share NAT addresses). */
  readonly ipFailureLimit: number;
  /** First lock length; each further lock doubles it (default 15 min). */
  readonly lockoutBaseMs: number;
  /** Longest lock (default 24 h). */
  readonly lockoutMaxMs: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

export const DEFAULT_SIGN_IN_SETTINGS: SignInSettings = Object.freeze({
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 3_600_000,
  pendingTimeoutMs: 10 * 60_000,
  accountFailureLimit: 5,
  ipFailureLimit: 20,
  lockoutBaseMs: 15 * 60_000,
  lockoutMaxMs: 24 * 3_600_000,
  now: () => Date.now(),
});

export const signInSettings = (overrides: Partial<SignInSettings> = {}): SignInSettings => Object.freeze({ ...DEFAULT_SIGN_IN_SETTINGS, ...overrides });

export const iso = (ms: number) => new Date(ms).toISOString();
