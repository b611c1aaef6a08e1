/**
 * Streaming detection (AUD-2): every batch of audit events is run through the enabled rules in the
 * transaction that appends it, so an alert — and any containment — commits with the events that
 * caused it. Each rule looks only at one actor's recent events through the (actor_id, at) index.
 * The hot path stays cheap without trusting anything a process could miss: a threshold is counted
 * in SQL (every server's events, this transaction's included) before anything else is fetched, and
 * an actor already alerted in the window is recognised from a per-process memory of committed
 * alerts (AlertMemory), which only ever answers "yes, already alerted"; a "no" is asked of the
 * database. Windows run on event time (`at`), not the wall clock, so a replayed or back-dated
 * stream is judged by when things happened.
 *
 * Alerts hold ids, codes, counts and audit sequence numbers: never personal data.
 */
import { CompiledQuery, type Kysely, sql } from "kysely";
import { prepared } from "../../platform/db/prepared.js";
import type { AuditEventInput } from "../../platform/audit/audit-event.js";
import type { AuditLog, AuditObserver } from "../../platform/audit/audit-log.js";
import { containAccount } from "../../identity/users/containment.js";
import { FIELD_LEVELS } from "../../records/clients/fields.js";
import { isRole, ROLE_DEFINITIONS, type Role } from "../../access/policy/roles.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Database, DbAuditEvent, DbDetectionTargetMark } from "../../platform/db/schema.js";
import { uuidv7 } from "../../platform/ids.js";
import { loadRules } from "./rule-store.js";
import { MAX_WINDOW_MINUTES, severityRank, type DetectionRule, type RuleCode, type RuleParams, type Severity } from "./rules.js";
import { isWithinStaffCalendar, type CompiledCalendar } from "./staff-calendar.js";
import { loadCompiledCalendars } from "./staff-calendar-store.js";
import { isWithinWorkingHours } from "./working-hours.js";
import { documentEvaluators } from "./document-rules.js";

/** The actor recorded on events the detector writes itself. */
export const DETECTION_ACTOR = "system:detection";

/** Personal-data fields at L4, from the registry: what rule (g) counts as read in clear. */
export const L4_FIELDS: readonly string[] = Object.entries(FIELD_LEVELS)
  .filter(([, level]) => level === 4)
  .map(([field]) => field);

const EVIDENCE_LIMIT = 50;

export interface Detector {
  readonly onAppended: AuditObserver;
  /** Forget cached rules and staff calendars (after an edit through the API or CLI in this process). */
  invalidate(): void;
  /** Turns evaluation off and on (benchmarks compare the two). */
  setEnabled(enabled: boolean): void;
}

export interface Hit {
  rule: DetectionRule;
  userId: string | null;
  at: string;
  evidence: number[];
  facts: Record<string, number | string>;
}

export type Evaluate<C extends RuleCode> = (
  tx: Tx,
  rule: Extract<DetectionRule, { code: C }>,
  rows: readonly DbAuditEvent[],
  lookups: Lookups,
) => Promise<Hit[]>;

export interface Lookups {
  disabledUsers(): Promise<Set<string>>;
  /** Whether an alert for this rule and user was raised since `from`: the window already has one. */
  alerted(code: RuleCode, userId: string | null, from: string): Promise<boolean>;
  /** The same, answered from memory only: true means alerted; false means "ask" (count first, then `alerted`). */
  remembered(code: RuleCode, userId: string | null, from: string): boolean;
  /** Staff working calendars by user id, from the per-process cache (see createDetector). */
  calendars(): Promise<ReadonlyMap<string, CompiledCalendar>>;
}

export const minus = (at: string, minutes: number) => new Date(Date.parse(at) - minutes * 60_000).toISOString();
const isPerson = (actorId: string | null): actorId is string => actorId !== null && !actorId.startsWith("system:");

export function detailsOf(row: DbAuditEvent): Record<string, unknown> {
  if (!row.details) return {};
  try {
    return JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Matching rows grouped by actor: one evaluation per actor per batch, judged at its last event. */
export function byActor(rows: readonly DbAuditEvent[], matches: (row: DbAuditEvent) => boolean, personOnly = true): Map<string | null, DbAuditEvent[]> {
  const out = new Map<string | null, DbAuditEvent[]>();
  for (const row of rows) {
    if (!matches(row) || (personOnly && !isPerson(row.actor_id))) continue;
    const list = out.get(row.actor_id) ?? [];
    list.push(row);
    out.set(row.actor_id, list);
  }
  return out;
}

/** The latest alert for this rule and user raised since `from`, if any. */
async function latestAlert(tx: Tx, code: RuleCode, userId: string | null, from: string): Promise<{ id: string; created_at: string } | undefined> {
  return tx
    .selectFrom("alerts")
    .select(["id", "created_at"])
    .where("rule_code", "=", code)
    .where("user_id", userId === null ? "is" : "=", userId)
    .where("created_at", ">=", from)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Remembers, per process, the latest committed alert of each rule and user, so a user already
 * flagged in the window costs no query per event. Only a shortcut for a yes: alert rows are never
 * deleted, so a committed alert at `created_at` answers "already alerted" for every window starting
 * at or before it, whichever server raised it. A no is always asked of the database, so an alert
 * raised by another server sharing it is seen. An alert this detector raised is remembered only
 * once a later, different transaction has seen it (then it committed): one raised in a
 * transaction that rolls back must not silence the rule.
 */
export class AlertMemory {
  readonly #latest = new Map<string, string>();
  /** Alerts raised by this detector, per transaction (forgotten with the transaction object). */
  readonly #raisedIn = new WeakMap<Tx, Set<string>>();
  static readonly LIMIT = 50_000;

  #key = (code: RuleCode, userId: string | null) => `${code}\u0000${userId ?? ""}`;

  raised(tx: Tx, alertId: string): void {
    let ids = this.#raisedIn.get(tx);
    if (!ids) this.#raisedIn.set(tx, (ids = new Set()));
    ids.add(alertId);
  }

  /** A committed alert since `from` is known here: no query needed. */
  remembers(code: RuleCode, userId: string | null, from: string): boolean {
    const known = this.#latest.get(this.#key(code, userId));
    return known !== undefined && known >= from;
  }

  async alerted(tx: Tx, code: RuleCode, userId: string | null, from: string): Promise<boolean> {
    if (this.remembers(code, userId, from)) return true;
    const key = this.#key(code, userId);
    const known = this.#latest.get(key);
    const row = await latestAlert(tx, code, userId, from);
    if (!row) return false;
    // Raised in this very transaction: it may still roll back, so not remembered. Any other alert a
    // transaction can see has committed (SQLite runs one transaction at a time per connection;
    // PostgreSQL reads committed rows, and appends are serialised by the audit-chain lock).
    if (this.#raisedIn.get(tx)?.has(row.id)) return true;
    // Bounded: forgetting only means the next event of each actor asks the database again.
    if (this.#latest.size >= AlertMemory.LIMIT) this.#latest.clear();
    if (known === undefined || row.created_at > known) this.#latest.set(key, row.created_at);
    return true;
  }
}

/** L4 fields are in clear unless details.masked lists every one of them. */
export function readsL4InClear(row: Pick<DbAuditEvent, "action" | "outcome" | "details">): boolean {
  if (row.action !== "client.read" || row.outcome !== "success") return false;
  const masked = detailsOf(row as DbAuditEvent).masked;
  const list = Array.isArray(masked) ? masked : [];
  return L4_FIELDS.some((f) => !list.includes(f));
}

/**
 * A search that found nothing: its summary event reports `results` (client.search) or `hits`
 * (conflict.check) of 0. The LIKE patterns are the same test in SQL: details are JSON.stringify'd, so
 * a count of 0 is followed by a comma or the closing brace.
 */
export function isSearchMiss(row: Pick<DbAuditEvent, "outcome" | "details">): boolean {
  if (row.outcome !== "success") return false;
  const d = detailsOf(row as DbAuditEvent);
  return d.results === 0 || d.hits === 0;
}
const SEARCH_MISS_PATTERNS = ['%"results":0,%', '%"results":0}%', '%"hits":0,%', '%"hits":0}%'];

/** The single count a query selects as `n` (PostgreSQL returns bigint counts as strings). */
export const countOf = async (query: { executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined> }) =>
  Number((await query.executeTakeFirst())?.n ?? 0);

export const recentSeqs = (rows: { seq: number }[]) =>
  rows
    .map((r) => Number(r.seq))
    .sort((a, b) => a - b)
    .slice(-EVIDENCE_LIMIT);

/**
 * Event-triggered rules: one hit per actor with matching events in this batch, unless the same
 * rule already alerted on that actor within `dedupMinutes`.
 */
export async function oncePerActor(
  rule: DetectionRule,
  groups: Iterable<[string | null, DbAuditEvent[]]>,
  dedupMinutes: number,
  lookups: Lookups,
  facts: (userId: string | null, mine: DbAuditEvent[]) => Hit["facts"],
): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const [userId, mine] of groups) {
    const at = mine.at(-1)!.at;
    if (await lookups.alerted(rule.code, userId, minus(at, dedupMinutes))) continue;
    hits.push({ rule, userId, at, evidence: recentSeqs(mine), facts: facts(userId, mine) });
  }
  return hits;
}

/**
 * How stale a mark may be before a later reach moves it. Re-reading a client within a minute (its
 * tabs, its documents) then leaves the row as it is and writes no page, where moving it wrote four
 * b-tree pages per read. The count looks back this much further than the window, so a mark that
 * lags counts all the same; the count only decides whether the window's events are read, and the
 * alert is decided on those events, exactly.
 */
export const MARK_RESOLUTION_MS = 60_000;

/**
 * Records, in the caller's transaction, the last time each actor reached each target by each
 * action (to within MARK_RESOLUTION_MS): the distinct-target rules count these marks instead of
 * the window's events. Written in target order, so two transactions of one actor on PostgreSQL
 * lock the rows in the same order.
 */
async function markTargets(tx: Tx, userId: string, mine: readonly DbAuditEvent[]): Promise<void> {
  const latest = new Map<string, { action: string; target_id: string; last_at: string }>();
  for (const r of mine) {
    const key = `${r.action}\u0000${r.target_id}`;
    const known = latest.get(key);
    if (!known || r.at > known.last_at) latest.set(key, { action: r.action, target_id: r.target_id!, last_at: r.at });
  }
  const marks = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => ({ actor_id: userId, ...m }));
  if (marks.length === 1) await markOne(tx, marks[0]!);
  else for (let i = 0; i < marks.length; i += 500) await markQuery(tx, marks.slice(i, i + 500)).execute();
}

const markQuery = (db: Kysely<Database>, marks: readonly DbDetectionTargetMark[]) =>
  db
    .insertInto("detection_target_marks")
    .values(marks)
    .onConflict((oc) =>
      oc.columns(["actor_id", "action", "target_id"]).doUpdateSet({
        // A mark only moves forward: an older event arriving late leaves the later time in place.
        last_at: sql<string>`case when excluded.last_at > detection_target_marks.last_at then excluded.last_at else detection_target_marks.last_at end`,
      }),
    );
// One read marks one target: that upsert is compiled once. It moves a mark only if the mark is
// older than the resolution (`stale_before`), which also keeps it moving forward only.
const markOneQuery = prepared((db, a: DbDetectionTargetMark & { stale_before: string }) =>
  db
    .insertInto("detection_target_marks")
    .values({ actor_id: a.actor_id, action: a.action, target_id: a.target_id, last_at: a.last_at })
    .onConflict((oc) =>
      oc
        .columns(["actor_id", "action", "target_id"])
        .doUpdateSet({ last_at: (eb) => eb.ref("excluded.last_at") })
        .where("detection_target_marks.last_at", "<", a.stale_before),
    ),
);
const markOne = (tx: Tx, mark: DbDetectionTargetMark) =>
  markOneQuery(tx, { ...mark, stale_before: new Date(Date.parse(mark.last_at) - MARK_RESOLUTION_MS).toISOString() });

/** How many distinct targets an actor reached by these actions since `from`; compiled once per number of actions. */
const reachedCounts = new Map<
  number,
  (db: Kysely<Database>, a: { actorId: string; from: string; actions: readonly string[] }) => Promise<{ n: number | string | bigint }[]>
>();
function countReached(tx: Tx, actorId: string, actions: readonly string[], from: string): Promise<number> {
  let count = reachedCounts.get(actions.length);
  if (!count) {
    const query = prepared((db, a: Record<string, string>) =>
      db
        .selectFrom("detection_target_marks")
        .select((eb) => eb.fn.count<number>("target_id").distinct().as("n"))
        .where("actor_id", "=", a.actorId!)
        .where(
          "action",
          "in",
          actions.map((_, i) => a[`action${i}`]!),
        )
        .where("last_at", ">=", a.from!),
    );
    count = (db, a) => query(db, { actorId: a.actorId, from: a.from, ...Object.fromEntries(a.actions.map((action, i) => [`action${i}`, action])) });
    reachedCounts.set(actions.length, count);
  }
  // From a resolution earlier: a mark may lag its target's last reach by up to that much.
  const since = new Date(Date.parse(from) - MARK_RESOLUTION_MS).toISOString();
  return countOf({ executeTakeFirst: async () => (await count(tx, { actorId, from: since, actions }))[0] });
}

/** Marks older than the longest window any rule may have are swept, at most once per period per process. */
export const MARK_RETENTION_MINUTES = MAX_WINDOW_MINUTES + 60;
const MARK_SWEEP_MS = 10 * 60_000;

/**
 * Actors who reached more than `max` distinct targets by `actions` within the window: bulk reads
 * (clients) and bulk downloads (documents) alike. One target fetched again is no bulk. The count
 * reads the running marks (one row per target reached), so its cost follows how many distinct
 * targets the actor reached, not how many events the window holds; the evidence, read only when
 * the threshold is crossed, comes from the events themselves.
 */
export async function distinctTargetBursts(
  tx: Tx,
  rule: DetectionRule,
  rows: readonly DbAuditEvent[],
  lookups: Lookups,
  p: { actions: readonly string[]; windowMinutes: number; max: number },
  facts: (distinct: number) => Hit["facts"],
): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const [userId, mine] of byActor(rows, (r) => p.actions.includes(r.action) && r.outcome === "success" && r.target_id !== null)) {
    await markTargets(tx, userId!, mine);
    const at = mine.at(-1)!.at;
    const from = minus(at, p.windowMinutes);
    if (lookups.remembered(rule.code, userId, from)) continue;
    // Counted first: below the threshold (the usual case) nothing else is asked.
    if ((await countReached(tx, userId!, p.actions, from)) <= p.max) continue;
    if (await lookups.alerted(rule.code, userId, from)) continue;
    const targets = await tx
      .selectFrom("audit_events")
      .where("actor_id", "=", userId!)
      .where("at", ">=", from)
      .where("at", "<=", at)
      .where("action", "in", [...p.actions])
      .where("outcome", "=", "success")
      .where("target_id", "is not", null)
      .select(["target_id", (eb) => eb.fn.max("seq").as("seq")])
      .groupBy("target_id")
      .execute();
    if (targets.length > p.max) hits.push({ rule, userId, at, evidence: recentSeqs(targets), facts: facts(targets.length) });
  }
  return hits;
}

const EVALUATORS: { [C in RuleCode]: Evaluate<C> } = {
  async bulk_read(tx, rule, rows, lookups) {
    const p: RuleParams<"bulk_read"> = rule.params;
    return distinctTargetBursts(tx, rule, rows, lookups, { actions: p.actions, windowMinutes: p.windowMinutes, max: p.maxDistinctClients }, (n) => ({
      distinctClients: n,
      threshold: p.maxDistinctClients,
      windowMinutes: p.windowMinutes,
    }));
  },

  async export_volume(tx, rule, rows, lookups) {
    const p: RuleParams<"export_volume"> = rule.params;
    // Most reads carry no `via` at all: the substring test spares parsing their details.
    const viaExport = (r: DbAuditEvent) => r.details?.includes('"via"') && detailsOf(r).via === p.via;
    const counted = (r: DbAuditEvent) =>
      r.outcome === "success" && (p.actions.includes(r.action) || (p.viaActions.includes(r.action) && viaExport(r) === true));
    const hits: Hit[] = [];
    for (const [userId, mine] of byActor(rows, counted)) {
      const at = mine.at(-1)!.at;
      const from = minus(at, p.windowMinutes);
      if (lookups.remembered(rule.code, userId, from)) continue;
      // `via` is restricted to [a-z-], so it cannot escape the LIKE pattern.
      const inWindow = tx
        .selectFrom("audit_events")
        .where("actor_id", "=", userId!)
        .where("at", ">=", from)
        .where("at", "<=", at)
        .where("outcome", "=", "success")
        .where((eb) => {
          const ors = [];
          if (p.actions.length) ors.push(eb("action", "in", p.actions));
          if (p.viaActions.length) ors.push(eb.and([eb("action", "in", p.viaActions), eb("details", "like", `%"via":"${p.via}"%`)]));
          return eb.or(ors);
        });
      if ((await countOf(inWindow.select((eb) => eb.fn.countAll().as("n")))) <= p.maxRecords) continue;
      if (await lookups.alerted(rule.code, userId, from)) continue;
      const events = await inWindow.select("seq").execute();
      if (events.length > p.maxRecords) {
        hits.push({
          rule,
          userId,
          at,
          evidence: recentSeqs(events),
          facts: { records: events.length, threshold: p.maxRecords, windowMinutes: p.windowMinutes },
        });
      }
    }
    return hits;
  },

  async off_hours(_tx, rule, rows, lookups) {
    const p: RuleParams<"off_hours"> = rule.params;
    if (!rows.some((r) => p.actions.includes(r.action))) return [];
    // "Outside working hours for the user's calendar": the user's own when they have one, the
    // rule's firm-wide hours otherwise. Calendars come from memory (a map lookup per event).
    const calendars = await lookups.calendars();
    const outside = (r: DbAuditEvent) => {
      const own = r.actor_id === null ? undefined : calendars.get(r.actor_id);
      return own ? !isWithinStaffCalendar(r.at, own) : !isWithinWorkingHours(r.at, p);
    };
    return oncePerActor(
      rule,
      byActor(rows, (r) => p.actions.includes(r.action) && outside(r)),
      p.dedupMinutes,
      lookups,
      (userId, mine) => {
        const own = calendars.get(userId!);
        return { events: mine.length, timeZone: own?.timeZone ?? p.timeZone, calendar: own ? "staff" : "firm" };
      },
    );
  },

  async auth_failures(tx, rule, rows, lookups) {
    const p: RuleParams<"auth_failures"> = rule.params;
    const hits: Hit[] = [];
    // Keyed by account: the sign-in events name the account (when it exists) but not the address.
    for (const [userId, mine] of byActor(rows, (r) => p.actions.includes(r.action) && r.outcome === "failure")) {
      const at = mine.at(-1)!.at;
      const from = minus(at, p.windowMinutes);
      if (await lookups.alerted(rule.code, userId, from)) continue;
      const failures = await tx
        .selectFrom("audit_events")
        .select("seq")
        .where("actor_id", "=", userId!)
        .where("at", ">=", from)
        .where("at", "<=", at)
        .where("action", "in", p.actions)
        .where("outcome", "=", "failure")
        .execute();
      if (failures.length >= p.maxFailures) {
        hits.push({
          rule,
          userId,
          at,
          evidence: recentSeqs(failures),
          facts: { failures: failures.length, threshold: p.maxFailures, windowMinutes: p.windowMinutes },
        });
      }
    }
    return hits;
  },

  async disabled_account(_tx, rule, rows, lookups) {
    const p: RuleParams<"disabled_account"> = rule.params;
    const disabled = await lookups.disabledUsers();
    const refusedAsDisabled = (r: DbAuditEvent) => r.action.startsWith("auth.") && r.reason === "user_disabled";
    const groups = [...byActor(rows, (r) => refusedAsDisabled(r) || (r.actor_id !== null && disabled.has(r.actor_id)), false)].filter(
      ([userId]) => userId === null || isPerson(userId),
    );
    return oncePerActor(rule, groups, p.dedupMinutes, lookups, (_userId, mine) => ({ events: mine.length }));
  },

  async wall_breach(_tx, rule, rows, lookups) {
    const p: RuleParams<"wall_breach"> = rule.params;
    return oncePerActor(
      rule,
      byActor(rows, (r) => r.outcome === "denied" && r.reason === "screened_by_wall"),
      p.dedupMinutes,
      lookups,
      (_userId, mine) => ({ attempts: mine.length }),
    );
  },

  async l4_rate(tx, rule, rows, lookups) {
    const p: RuleParams<"l4_rate"> = rule.params;
    const hits: Hit[] = [];
    for (const [userId, mine] of byActor(rows, readsL4InClear)) {
      const at = mine.at(-1)!.at;
      const windowFrom = minus(at, p.windowMinutes);
      if (lookups.remembered(rule.code, userId, windowFrom)) continue;
      const l4Reads = (from: string, to: string, inclusive: boolean) =>
        tx
          .selectFrom("audit_events")
          .where("actor_id", "=", userId!)
          .where("at", ">=", from)
          .where("at", inclusive ? "<=" : "<", to)
          .where("action", "=", "client.read")
          .where("outcome", "=", "success")
          .where((eb) => eb.or([eb("details", "is", null), eb.and(L4_FIELDS.map((f) => eb("details", "not like", `%"${f}"%`)))]));
      const current = await countOf(l4Reads(windowFrom, at, true).select((eb) => eb.fn.countAll().as("n")));
      if (current < p.minReads) continue;
      if (await lookups.alerted(rule.code, userId, windowFrom)) continue;
      // The baseline is only counted once the window is busy enough to matter.
      const baseline = await countOf(l4Reads(minus(windowFrom, p.baselineDays * 1440), windowFrom, false).select((eb) => eb.fn.countAll().as("n")));
      const perWindow = baseline / ((p.baselineDays * 1440) / p.windowMinutes);
      if (current > p.multiplier * perWindow) {
        const evidence = await l4Reads(windowFrom, at, true).select("seq").execute();
        hits.push({
          rule,
          userId,
          at,
          evidence: recentSeqs(evidence),
          facts: { l4Reads: current, baselinePerWindow: Math.round(perWindow * 100) / 100, multiplier: p.multiplier, windowMinutes: p.windowMinutes },
        });
      }
    }
    return hits;
  },

  // Misses counted in SQL over the window first, like bulk_read's reads.
  async search_enumeration(tx, rule, rows, lookups) {
    const p: RuleParams<"search_enumeration"> = rule.params;
    const hits: Hit[] = [];
    for (const [userId, mine] of byActor(rows, (r) => p.actions.includes(r.action) && isSearchMiss(r))) {
      const at = mine.at(-1)!.at;
      const from = minus(at, p.windowMinutes);
      if (lookups.remembered(rule.code, userId, from)) continue;
      const misses = tx
        .selectFrom("audit_events")
        .where("actor_id", "=", userId!)
        .where("at", ">=", from)
        .where("at", "<=", at)
        .where("action", "in", p.actions)
        .where("outcome", "=", "success")
        .where((eb) => eb.or(SEARCH_MISS_PATTERNS.map((pattern) => eb("details", "like", pattern))));
      if ((await countOf(misses.select((eb) => eb.fn.countAll().as("n")))) < p.maxMisses) continue;
      if (await lookups.alerted(rule.code, userId, from)) continue;
      const events = await misses.select("seq").execute();
      hits.push({ rule, userId, at, evidence: recentSeqs(events), facts: { misses: events.length, threshold: p.maxMisses, windowMinutes: p.windowMinutes } });
    }
    return hits;
  },

  // Every grant, however few: the alert names the account that gained the role and who granted it.
  async privileged_role(_tx, rule, rows) {
    const p: RuleParams<"privileged_role"> = rule.params;
    return rows.flatMap((r) => {
      const granted = roleGranted(r);
      if (!granted || ROLE_DEFINITIONS[granted.to].clearance < p.minClearance) return [];
      const facts = { role: granted.to, from: granted.from ?? "none", grantedBy: r.actor_id ?? "system" };
      return [{ rule, userId: r.target_id, at: r.at, evidence: [Number(r.seq)], facts }];
    });
  },

  // Client documents (issue #11): src/response/detection/document-rules.ts.
  ...documentEvaluators(),
};

/**
 * The role an event put into effect: a role change (user.set_role, details from/to), or an account
 * created active at a role (user.create; one created to await approval gets it through user.set_role).
 */
export function roleGranted(row: Pick<DbAuditEvent, "action" | "outcome" | "details">): { from: string | null; to: Role } | null {
  if (row.outcome !== "success" || (row.action !== "user.set_role" && row.action !== "user.create")) return null;
  const d = detailsOf(row as DbAuditEvent);
  const to = row.action === "user.create" ? (d.approvalId ? null : d.role) : d.to;
  const from = row.action === "user.create" || typeof d.from !== "string" ? null : d.from;
  return typeof to === "string" && isRole(to) && to !== from ? { from, to } : null;
}

/** Called in the raising transaction for every alert (the notification outbox, src/response/notifications). */
export type OnAlert = (tx: Tx, alert: { id: string; ruleCode: string; severity: Severity; userId: string | null; at: string }) => Promise<void>;

export function createDetector(auditLog: AuditLog, options: { cacheMs?: number; onAlert?: OnAlert } = {}): Detector {
  const cacheMs = options.cacheMs ?? 5_000;
  let cached: { rules: DetectionRule[]; until: number } | null = null;
  // Staff calendars, cached like the rules: the whole (small) table loaded at most once per period,
  // so the off-hours rule never queries per event. A change in this process forgets it at once
  // (invalidate); with several servers, another server's change is seen within `cacheMs` (5 s):
  // during that window an event may be judged by the previous calendar, which is acceptable for a
  // low-severity signal and documented in the README.
  let calendarCache: { calendars: ReadonlyMap<string, CompiledCalendar>; until: number } | null = null;
  async function calendars(tx: Tx): Promise<ReadonlyMap<string, CompiledCalendar>> {
    if (calendarCache && calendarCache.until > Date.now()) return calendarCache.calendars;
    const loaded = await loadCompiledCalendars(tx);
    calendarCache = { calendars: loaded, until: Date.now() + cacheMs };
    return loaded;
  }
  let enabled = true;
  const alerts = new AlertMemory();
  // The marks sweep runs in an appending transaction at most once per period per process.
  let sweptAt = 0;
  async function sweepMarks(tx: Tx, at: string): Promise<void> {
    if (Date.now() - sweptAt < MARK_SWEEP_MS) return;
    sweptAt = Date.now();
    await tx.deleteFrom("detection_target_marks").where("last_at", "<", minus(at, MARK_RETENTION_MINUTES)).execute();
  }
  // Nearly every batch is one request's events by one actor, and the rule must ask the database
  // each time (another server may have disabled the account): that lookup's SQL is compiled once.
  let disabledSql: string | null = null;
  async function disabledLookup(tx: Tx, userId: string): Promise<{ id: string }[]> {
    disabledSql ??= tx.selectFrom("users").select("id").where("id", "=", userId).where("status", "=", "disabled").compile().sql;
    return (await tx.executeQuery<{ id: string }>(CompiledQuery.raw(disabledSql, [userId, "disabled"]))).rows;
  }

  async function rules(tx: Tx): Promise<DetectionRule[]> {
    if (cached && cached.until > Date.now()) return cached.rules;
    const loaded = (await loadRules(tx)).filter((r) => r.enabled);
    cached = { rules: loaded, until: Date.now() + cacheMs };
    return loaded;
  }

  async function raise(tx: Tx, hit: Hit): Promise<void> {
    const id = uuidv7();
    // Containment needs an account to act on: a stream naming no known user raises the alert only.
    const contain =
      hit.userId !== null &&
      hit.rule.containment !== "none" &&
      severityRank(hit.rule.severity) >= severityRank("high") &&
      (await tx.selectFrom("users").select("id").where("id", "=", hit.userId).executeTakeFirst()) !== undefined;
    await tx
      .insertInto("alerts")
      .values({
        id,
        kind: "detection",
        user_id: hit.userId,
        wall_id: null,
        event_seq: hit.evidence.at(-1) ?? null,
        created_at: hit.at,
        status: "new",
        rule_code: hit.rule.code,
        severity: hit.rule.severity,
        evidence: JSON.stringify(hit.evidence),
        facts: JSON.stringify(hit.facts),
        containment: contain ? hit.rule.containment : null,
        status_at: hit.at,
        status_by: DETECTION_ACTOR,
        dismiss_reason: null,
        incident_id: null,
      })
      .execute();
    alerts.raised(tx, id);
    await options.onAlert?.(tx, { id, ruleCode: hit.rule.code, severity: hit.rule.severity, userId: hit.userId, at: hit.at });
    // The alert row is the record of the hit (it points at its evidence); containment, which acts
    // on an account, is audited as well.
    if (contain && hit.userId) {
      // Identity owns sessions and tokens: it revokes them, in this transaction.
      const revoked = await containAccount(tx, hit.userId, { revokeTokens: hit.rule.containment === "suspend_sessions_and_tokens", at: hit.at });
      const event: AuditEventInput = {
        action: "detection.containment",
        outcome: "success",
        actorId: DETECTION_ACTOR,
        targetType: "user",
        targetId: hit.userId,
        reason: hit.rule.containment,
        details: { alertId: id, rule: hit.rule.code, sessionsRevoked: revoked.sessionsRevoked, tokensRevoked: revoked.tokensRevoked },
      };
      await auditLog.append(tx, [event], hit.at);
    }
  }

  return {
    invalidate: () => {
      cached = null;
      calendarCache = null;
    },
    setEnabled: (on) => {
      enabled = on;
    },
    async onAppended(tx, rows) {
      if (!enabled || rows.length === 0) return;
      const active = await rules(tx);
      if (active.length === 0) return;
      await sweepMarks(tx, rows.at(-1)!.at);
      let disabled: Promise<Set<string>> | null = null;
      const lookups: Lookups = {
        disabledUsers: () =>
          (disabled ??= (async () => {
            const ids = [...new Set(rows.map((r) => r.actor_id).filter(isPerson))];
            if (ids.length === 0) return new Set<string>();
            const found =
              ids.length === 1
                ? await disabledLookup(tx, ids[0]!)
                : await tx.selectFrom("users").select("id").where("id", "in", ids).where("status", "=", "disabled").execute();
            return new Set(found.map((u) => u.id));
          })()),
        alerted: (code, userId, from) => alerts.alerted(tx, code, userId, from),
        remembered: (code, userId, from) => alerts.remembers(code, userId, from),
        calendars: () => calendars(tx),
      };
      for (const rule of active) {
        const hits = await (EVALUATORS[rule.code] as Evaluate<RuleCode>)(tx, rule as never, rows, lookups);
        for (const hit of hits) await raise(tx, hit);
      }
    },
  };
}
