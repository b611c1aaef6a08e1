/**
 * Automatic evidence (GOV-3, GOV-6): a small registry of named functions, each reading what one
 * part of Custodia already counts. The control list (data) names its source; a run snapshots the
 * figures when it starts. Figures are counts, shares and dates only, never ids of clients or names.
 */
import { computeApprovalCompliance } from "../../access/approvals/approval-compliance.js";
import { isOverdue } from "../../access/reviews/access-review.js";
import type { Tx } from "../../platform/db/engine.js";
import { measureEncryptionCoverage } from "../../records/inventory/encryption-coverage.js";
import { localDate } from "../../rights/requests/deadlines.js";
import { countOpenRequests, firmTimeZone } from "../../rights/requests/request-store.js";
import { trainingCompletionFigures } from "../training/training-completion.js";
import type { Suggestion } from "./assessment.js";

export type Figure = number | string | boolean | null;
export interface Evidence {
  readonly figures: Readonly<Record<string, Figure>>;
  /** What the figures suggest; the assessor still answers by hand. Null when they say nothing. */
  readonly suggested: Suggestion | null;
}
export type EvidenceSource = (tx: Tx, at: Date) => Promise<Evidence>;

const DAY_MS = 86_400_000;
/** The approval-compliance window a run looks back over: one quarter. */
export const APPROVAL_WINDOW_DAYS = 90;
/** An access review counts if a campaign closed within this many days. */
export const REVIEW_WINDOW_DAYS = 365;

const share = (value: number | null, partlyFrom: number): Suggestion | null =>
  value === null ? null : value >= 1 ? "met" : value >= partlyFrom ? "partly" : "not_met";

/** ENC-1: the share of personal fields stored sealed (src/records/inventory/encryption-coverage.ts). */
async function encryptionCoverage(tx: Tx): Promise<Evidence> {
  const c = await measureEncryptionCoverage(tx);
  return {
    figures: {
      coverage: c.value,
      personalFields: c.personalFields,
      sealedFields: c.sealedFields,
      unsealedFields: c.unsealedFields.length,
      rowsChecked: c.rowsChecked,
    },
    suggested: share(c.value, 0.9),
  };
}

/** APR-1: the approval-compliance KPI over the last quarter, up to and including `at`. */
async function approvalCompliance(tx: Tx, at: Date): Promise<Evidence> {
  const range = { from: new Date(at.getTime() - APPROVAL_WINDOW_DAYS * DAY_MS).toISOString(), to: new Date(at.getTime() + 1).toISOString() };
  const k = await computeApprovalCompliance(tx, range);
  return {
    figures: {
      compliance: k.value,
      sensitiveOperations: k.sensitiveOperations,
      withValidGrant: k.withValidGrant,
      breakGlassReads: k.breakGlassReads,
      windowDays: APPROVAL_WINDOW_DAYS,
    },
    // No sensitive operation in the quarter is no breach of the rule.
    suggested: k.value === null ? "met" : share(k.value, 0.95),
  };
}

/** DSR-1..3: open and overdue client requests (src/rights/requests/request-store.ts). */
async function overdueRequests(tx: Tx, at: Date): Promise<Evidence> {
  const r = await countOpenRequests(tx, localDate(at, await firmTimeZone(tx)));
  return { figures: { openRequests: r.open, overdueRequests: r.overdue }, suggested: r.overdue === 0 ? "met" : "not_met" };
}

/** IAM-4: access-review campaigns closed in the last year, and those open or overdue now (src/access/reviews/). */
async function accessReviews(tx: Tx, at: Date): Promise<Evidence> {
  const since = new Date(at.getTime() - REVIEW_WINDOW_DAYS * DAY_MS).toISOString();
  const campaigns = await tx.selectFrom("access_review_campaigns").select(["id", "status", "due_on", "closed_at"]).execute();
  const closed = campaigns.filter((c) => c.status === "closed" && c.closed_at !== null && c.closed_at >= since && c.closed_at <= at.toISOString());
  const open = campaigns.filter((c) => c.status === "open");
  const overdue = open.filter((c) => isOverdue(c.due_on, c.status, at));
  const pending = open.length
    ? Number(
        (
          await tx
            .selectFrom("access_review_items")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where(
              "campaign_id",
              "in",
              open.map((c) => c.id),
            )
            .where("decision", "is", null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;
  const suggested: Suggestion = closed.length > 0 && overdue.length === 0 ? "met" : closed.length > 0 || open.length > 0 ? "partly" : "not_met";
  return {
    figures: { campaignsClosedLastYear: closed.length, openCampaigns: open.length, overdueCampaigns: overdue.length, pendingItems: pending },
    suggested,
  };
}

/**
 * AUD-1: the audit log's state from a cheap look, not a walk of the chain: the latest signed
 * checkpoint, the events placed after it and those still waiting for the sequencer. The full check
 * is `custodia audit verify`; its latest recorded outcome is shown too.
 */
async function auditChain(tx: Tx): Promise<Evidence> {
  const checkpoint = await tx.selectFrom("audit_checkpoints").select(["seq", "signed_at"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  const placed = await tx
    .selectFrom("audit_events")
    .select((eb) => eb.fn.max("position").as("last"))
    .where("position", "is not", null)
    .executeTakeFirstOrThrow();
  const pending = await tx
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("position", "is", null)
    .executeTakeFirstOrThrow();
  const verified = await tx
    .selectFrom("audit_events")
    .select(["at", "details"])
    .where("action", "=", "audit.verify")
    .where("outcome", "=", "success")
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const verification = verified?.details ? (JSON.parse(verified.details) as { ok?: boolean }) : null;
  const lastPlaced = placed.last === null || placed.last === undefined ? 0 : Number(placed.last);
  const checkpointSeq = checkpoint ? Number(checkpoint.seq) : null;
  const lastVerifiedOk = verification ? verification.ok === true : null;
  return {
    figures: {
      latestCheckpoint: checkpointSeq,
      latestCheckpointAt: checkpoint?.signed_at ?? null,
      eventsAfterCheckpoint: checkpointSeq === null ? lastPlaced : Math.max(0, lastPlaced - checkpointSeq),
      pendingEvents: Number(pending.n),
      lastVerifiedAt: verified?.at ?? null,
      lastVerifiedOk,
    },
    suggested: lastVerifiedOk === false ? "not_met" : checkpointSeq === null ? "partly" : "met",
  };
}

/**
 * TRN-1: privacy training assigned, completed on time and overdue, and the staff NDA
 * acknowledgements (src/governance/training/training-completion.ts).
 */
async function trainingCompletion(tx: Tx, at: Date): Promise<Evidence> {
  const f = await trainingCompletionFigures(tx, at);
  const onTime = f.assigned ? f.completedOnTime / f.assigned : null;
  const suggested: Suggestion =
    f.assigned === 0 ? "not_met" : f.overdue === 0 && f.completedOnTime === f.assigned ? "met" : onTime !== null && onTime >= 0.8 ? "partly" : "not_met";
  return {
    figures: {
      assigned: f.assigned,
      completedOnTime: f.completedOnTime,
      overdue: f.overdue,
      staffNeedingAck: f.staffNeedingAck,
      staffAcknowledged: f.staffAcknowledged,
    },
    suggested,
  };
}

/** The registry: control data names these; nothing else is callable from data. */
export const EVIDENCE_SOURCES = {
  encryption_coverage: encryptionCoverage,
  approval_compliance: approvalCompliance,
  overdue_requests: overdueRequests,
  access_reviews: accessReviews,
  audit_chain: auditChain,
  training_completion: trainingCompletion,
} as const satisfies Record<string, EvidenceSource>;

export type EvidenceSourceName = keyof typeof EVIDENCE_SOURCES;
export const EVIDENCE_SOURCE_NAMES = Object.keys(EVIDENCE_SOURCES) as [EvidenceSourceName, ...EvidenceSourceName[]];
export const isEvidenceSource = (name: string): name is EvidenceSourceName => name in EVIDENCE_SOURCES;

/** The figures of a named source at `at`; an unknown name (data edited by hand in SQL) yields null. */
export async function collectEvidence(tx: Tx, name: string, at: Date): Promise<Evidence | null> {
  return isEvidenceSource(name) ? EVIDENCE_SOURCES[name](tx, at) : null;
}
