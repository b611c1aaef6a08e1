/**
 * How each KPI is counted (GOV-6), from the records themselves, for a run of periods at once (the
 * trend reads each source once and sorts its records into the periods). Every function returns, for
 * each period, the numerator, the denominator and, when asked, the records behind them: ids, codes
 * and non-personal references only.
 */
import { classify, computeApprovalCompliance, sensitiveOperationCandidates } from "../../access/approvals/approval-compliance.js";
import type { Tx } from "../../platform/db/engine.js";
import { COLUMNS } from "../../records/clients/fields.js";
import { localDate } from "../../rights/requests/deadlines.js";
import { CLOSED } from "../../rights/requests/request.js";
import { isSealedFormat } from "../../vault/vault.js";
import { trainingObligations } from "../training/obligations.js";
import { trainingCompletionFigures } from "../training/training-completion.js";
import { type KpiCode, type KpiRecord, referenceOf } from "./kpi.js";
import type { Span } from "./period.js";

export interface MeasureContext {
  tx: Tx;
  /** The clock: a period not yet over is measured up to now. */
  now: Date;
  timeZone: string;
  /** List the records behind each figure (the trend does not need them). */
  withRecords: boolean;
}

export interface Tally {
  numerator: number;
  denominator: number;
  records: KpiRecord[];
}

type Measure = (c: MeasureContext, periods: readonly Span[]) => Promise<Tally[]>;

const empty = (periods: readonly Span[]): Tally[] => periods.map(() => ({ numerator: 0, denominator: 0, records: [] }));
/** The instant a period is measured at: its end, or now while it runs. */
// ISO-8601 instants in UTC sort as text.
export const asOf = (period: Span, now: Date): string => [period.to, now.toISOString()].sort()[0]!;
const indexOfInstant = (periods: readonly Span[], at: string) => periods.findIndex((p) => at >= p.from && at < p.to);
const indexOfDay = (periods: readonly Span[], day: string) => periods.findIndex((p) => day >= p.firstDay && day < p.endDay);
const PAGE = 2000;

/**
 * Approval compliance (APR-1..3): of the sensitive operations in the period (exports, reads beyond
 * one's matters, disclosures, attempts included), the share that ran under a valid grant. The
 * figures are `computeApprovalCompliance`'s; the records are the same audit events, classified alike.
 */
const approvalCompliance: Measure = async (c, periods) => {
  if (periods.length > 1 && !c.withRecords) {
    // A trend: the log is read once over the whole range and each event classified alike, rather
    // than one scan per period.
    const out = empty(periods);
    const range = { from: periods[0]!.from, to: periods[periods.length - 1]!.to };
    for (const e of await sensitiveOperationCandidates(c.tx, range)) {
      const k = classify(e);
      const t = k && out[indexOfInstant(periods, e.at)];
      if (!k || !t) continue;
      t.denominator++;
      if (k.granted) t.numerator++;
    }
    return out;
  }
  const out: Tally[] = [];
  for (const p of periods) {
    const kpi = await computeApprovalCompliance(c.tx, { from: p.from, to: p.to });
    const records: KpiRecord[] = [];
    if (c.withRecords)
      for (const e of await sensitiveOperationCandidates(c.tx, { from: p.from, to: p.to })) {
        const k = classify(e);
        if (!k) continue;
        records.push({
          type: "audit_event",
          id: e.id,
          reference: `${e.action} #${e.seq}`,
          at: e.at,
          counted: k.granted,
          detail: `${k.kind}.${k.granted ? "granted" : k.breakGlass ? "break_glass" : "not_granted"}`,
          parentId: e.target_type === "client" ? e.target_id : null,
        });
      }
    out.push({ numerator: kpi.withValidGrant, denominator: kpi.sensitiveOperations, records });
  }
  return out;
};

/**
 * Leak-incident rate. The incident register has no "confirmed leak" status, so a leak is defined
 * from the impact assessment's fields: an incident of any category or status whose assessment says
 * personal data left the firm (`left_firm`) and that at least one person was affected
 * (`people_affected` ≥ 1). It counts in the period the firm became aware of it (`aware_at`). The
 * denominator is the clients on record in the period: created before its end and not erased before
 * its start. Records: the leak incidents (clients are counted, not listed).
 */
const leakIncidentRate: Measure = async (c, periods) => {
  const out = empty(periods);
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  const incidents = await c.tx
    .selectFrom("incidents")
    .select(["id", "category", "severity", "aware_at"])
    .where("left_firm", "=", 1)
    .where("people_affected", ">=", 1)
    .where("aware_at", ">=", first.from)
    .where("aware_at", "<", last.to)
    .orderBy("aware_at")
    .orderBy("id")
    .execute();
  for (const i of incidents) {
    const t = out[indexOfInstant(periods, i.aware_at)];
    if (!t) continue;
    t.numerator++;
    if (c.withRecords)
      t.records.push({ type: "incident", id: i.id, reference: referenceOf("INC", i.id), at: i.aware_at, counted: true, detail: i.category, parentId: null });
  }
  for (const [n, p] of periods.entries()) {
    const row = await c.tx
      .selectFrom("clients")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("created_at", "<", p.to)
      .where((eb) => eb.or([eb("erased_at", "is", null), eb("erased_at", ">=", p.from)]))
      .executeTakeFirstOrThrow();
    out[n]!.denominator = Number(row.n);
  }
  return out;
};

interface Holding {
  type: "client" | "document";
  id: string;
  parentId: string | null;
  createdAt: string;
  /** When it stopped being held (erased, destroyed, its client erased), or null. */
  goneAt: string | null;
  /** Why it is not covered, or "sealed". */
  detail: string;
}

const CLIENT_CT = Object.values(COLUMNS).map((c) => c.ct);

/**
 * Encryption coverage over records AND files (ENC-1). Where the dashboard's field-level figure
 * (src/records/inventory/encryption-coverage.ts) asks whether each personal field is stored sealed,
 * this counts holdings: each client record whose every stored personal column is a vault
 * ciphertext, and each client file (src/records/documents/) whose title and filename are sealed and
 * whose file key is stored wrapped (so its blob is ciphertext; a destroyed or erased file's key was
 * shredded, which counts as covered). A period is measured at its end (or now): the clients and
 * files held then, checked as they are stored now. Nothing is decrypted; no key is needed.
 */
const encryptionCoverage: Measure = async (c, periods) => {
  const holdings: Holding[] = [];
  for (let after = ""; ; ) {
    const rows = await c.tx
      .selectFrom("clients")
      .select(["id", "created_at", "erased_at", ...CLIENT_CT])
      .where("id", ">", after)
      .orderBy("id")
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      const plain = CLIENT_CT.filter((col) => {
        const v = (r as Record<string, unknown>)[col];
        return v !== null && v !== undefined && !isSealedFormat(v);
      });
      holdings.push({
        type: "client",
        id: r.id,
        parentId: null,
        createdAt: r.created_at,
        goneAt: r.erased_at,
        detail: plain.length ? "plaintext_columns" : "sealed",
      });
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  for (let after = ""; ; ) {
    const rows = await c.tx
      .selectFrom("documents as d")
      .innerJoin("clients as cl", "cl.id", "d.client_id")
      .select(["d.id", "d.client_id", "d.created_at", "d.destroyed_at", "d.title_ct", "d.filename_ct", "d.wrapped_file_key", "cl.erased_at"])
      .where("d.id", ">", after)
      .orderBy("d.id")
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      const goneAt = [r.destroyed_at, r.erased_at].filter((x): x is string => x !== null).sort()[0] ?? null;
      const textSealed = [r.title_ct, r.filename_ct].every((v) => v === null || isSealedFormat(v));
      const keyed = r.wrapped_file_key !== null || goneAt !== null;
      holdings.push({
        type: "document",
        id: r.id,
        parentId: r.client_id,
        createdAt: r.created_at,
        goneAt,
        detail: !textSealed ? "text_not_sealed" : !keyed ? "file_key_missing" : "sealed",
      });
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  return periods.map((p) => {
    const at = asOf(p, c.now);
    const held = holdings.filter((h) => h.createdAt < at && (h.goneAt === null || h.goneAt >= at));
    const covered = held.filter((h) => h.detail === "sealed").length;
    return {
      numerator: covered,
      denominator: held.length,
      records: c.withRecords
        ? held.map((h) => ({
            type: h.type,
            id: h.id,
            reference: referenceOf(h.type === "client" ? "CL" : "DOC", h.id),
            at: h.createdAt,
            counted: h.detail === "sealed",
            detail: h.detail,
            parentId: h.parentId,
          }))
        : [],
    };
  });
};

/**
 * Data-subject requests on time (DSR-1..3). A request is judged in the period its deadline falls
 * in (the extended deadline if it was extended), once it is closed or its deadline has passed in
 * the firm's time zone; an open request before its deadline is not judged yet. On time: closed
 * (fulfilled or refused) on or before the deadline, as a local date.
 */
const requestsOnTime: Measure = async (c, periods) => {
  const out = empty(periods);
  const today = localDate(c.now, c.timeZone);
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  const rows = await c.tx
    .selectFrom("client_requests")
    .select(["id", "type", "status", "due_date", "extended_due_date", "closed_at"])
    .where((eb) =>
      eb.or([
        eb.and([eb("extended_due_date", "is", null), eb("due_date", ">=", first.firstDay), eb("due_date", "<", last.endDay)]),
        eb.and([eb("extended_due_date", ">=", first.firstDay), eb("extended_due_date", "<", last.endDay)]),
      ]),
    )
    .orderBy("received_at")
    .orderBy("id")
    .execute();
  for (const r of rows) {
    const due = r.extended_due_date ?? r.due_date;
    const t = out[indexOfDay(periods, due)];
    if (!t) continue;
    const closed = CLOSED.has(r.status) && r.closed_at !== null;
    if (!closed && today <= due) continue;
    const onTime = closed && localDate(new Date(r.closed_at!), c.timeZone) <= due;
    t.denominator++;
    if (onTime) t.numerator++;
    if (c.withRecords)
      t.records.push({
        type: "client_request",
        id: r.id,
        reference: referenceOf("REQ", r.id),
        at: due,
        counted: onTime,
        detail: onTime ? "on_time" : closed ? "closed_late" : "overdue_open",
        parentId: null,
      });
  }
  return out;
};

/**
 * Access-review completion (IAM-4). The items of campaigns due in the period, judged once decided
 * or once the campaign's due date has passed (it is overdue after the end of that day, UTC, as the
 * campaign says). Complete: kept or revoked by a reviewer by then; `not_reviewed` (closed undecided),
 * late or still pending items are not.
 */
const accessReviewCompletion: Measure = async (c, periods) => {
  const out = empty(periods);
  const now = c.now.toISOString();
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  const rows = await c.tx
    .selectFrom("access_review_items as i")
    .innerJoin("access_review_campaigns as k", "k.id", "i.campaign_id")
    .select(["i.id", "i.campaign_id", "i.kind", "i.decision", "i.decided_at", "k.due_on"])
    .where("k.due_on", ">=", first.firstDay)
    .where("k.due_on", "<", last.endDay)
    .orderBy("k.due_on")
    .orderBy("i.id")
    .execute();
  for (const r of rows) {
    const t = out[indexOfDay(periods, r.due_on)];
    if (!t) continue;
    const deadline = `${r.due_on}T23:59:59.999Z`;
    if (r.decision === null && now <= deadline) continue;
    const complete = (r.decision === "keep" || r.decision === "revoke") && r.decided_at !== null && r.decided_at <= deadline;
    t.denominator++;
    if (complete) t.numerator++;
    if (c.withRecords)
      t.records.push({
        type: "access_review_item",
        id: r.id,
        reference: referenceOf("ARI", r.id),
        at: r.due_on,
        counted: complete,
        detail: complete
          ? `${r.kind}.${r.decision}`
          : r.decision === null
            ? "pending_overdue"
            : r.decision === "not_reviewed"
              ? "not_reviewed"
              : "decided_late",
        parentId: r.campaign_id,
      });
  }
  return out;
};

/**
 * Training completion (TRN-1): of the training obligations (a person × an assigned course), those
 * met on time, as of the period's end (or now) — the training module's `trainingCompletionFigures`.
 */
const trainingCompletion: Measure = async (c, periods) => {
  const out: Tally[] = [];
  for (const p of periods) {
    const at = new Date(asOf(p, c.now));
    const f = await trainingCompletionFigures(c.tx, at);
    const records: KpiRecord[] = c.withRecords
      ? (await trainingObligations(c.tx, at)).map((o) => ({
          type: "training_assignment" as const,
          id: o.userId,
          reference: referenceOf("TRN", o.courseId),
          at: o.dueOn,
          counted: o.status === "on_time",
          detail: o.status,
          parentId: o.courseId,
        }))
      : [];
    out.push({ numerator: f.completedOnTime, denominator: f.assigned, records });
  }
  return out;
};

/**
 * Acknowledgement completion (TRN-2): active staff who acknowledged the current staff NDA, of all
 * active staff, as of the period's end (or now) — `trainingCompletionFigures` again. The training
 * module gives counts only, so there are no records to list here.
 */
const acknowledgementCompletion: Measure = async (c, periods) => {
  const out: Tally[] = [];
  for (const p of periods) {
    const f = await trainingCompletionFigures(c.tx, new Date(asOf(p, c.now)));
    out.push({ numerator: f.staffAcknowledged, denominator: f.staffNeedingAck, records: [] });
  }
  return out;
};

export const MEASURES: Readonly<Record<KpiCode, { measure: Measure; counts: { numerator: string; denominator: string } }>> = Object.freeze({
  approval_compliance: { measure: approvalCompliance, counts: { numerator: "operations_with_grant", denominator: "sensitive_operations" } },
  leak_incident_rate: { measure: leakIncidentRate, counts: { numerator: "leak_incidents", denominator: "clients" } },
  encryption_coverage: { measure: encryptionCoverage, counts: { numerator: "holdings_sealed", denominator: "holdings" } },
  training_completion: { measure: trainingCompletion, counts: { numerator: "obligations_on_time", denominator: "obligations" } },
  acknowledgement_completion: { measure: acknowledgementCompletion, counts: { numerator: "staff_acknowledged", denominator: "staff" } },
  requests_on_time: { measure: requestsOnTime, counts: { numerator: "requests_on_time", denominator: "requests_due" } },
  access_review_completion: { measure: accessReviewCompletion, counts: { numerator: "items_completed", denominator: "items_due" } },
});
