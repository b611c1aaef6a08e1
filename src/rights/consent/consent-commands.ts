/**
 * The only code that writes consent records: recordConsent and withdrawConsent. Each runs in one
 * audited transaction together with its effect on the client's permitted purposes (PIPL Art. 15:
 * a withdrawal takes effect at once). Events carry ids and codes only.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeConsentChange } from "../../access/policy/policy.js";
import { runAudited, type AuditedWork, type Refusal } from "../../platform/audit/audited.js";
import { refuseRecord } from "../../records/clients/client-access.js";
import { findClientRow, setClientPurposes } from "../../records/clients/client-store.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbClient } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { clientRelation } from "../../records/matters/need-to-know.js";
import { findNoticeInForce, findNoticeRow } from "../notices/notice-store.js";
import type { NoticeLanguage } from "../notices/notice.js";
import type { Services } from "../../platform/services.js";
import { findCurrentConsent, findPurposeTerms } from "./consent-store.js";
import { consentFromRow, NoticeRequiredError, type Acknowledgement, type ConsentChannel, type ConsentRecord } from "./consent.js";

export interface ConsentGrant {
  purpose: string;
  /** A separate consent (PIPL Art. 23, 29): needed to read sensitive fields under consent-based purposes. */
  separate: boolean;
  channel: ConsentChannel;
  /** The notice version shown; by default the one in force when the consent was given. */
  noticeVersion?: number | undefined;
  noticeLanguage: NoticeLanguage;
  acknowledgement: Acknowledgement;
  /** When the client gave it (a paper form may be recorded later); by default now. */
  givenAt?: string | undefined;
}

export interface ConsentWithdrawal {
  channel: ConsentChannel;
  acknowledgement: Acknowledgement;
  givenAt?: string | undefined;
}

/** Clock skew tolerated on a caller-supplied time. */
const SKEW_MS = 5 * 60_000;

type Target = { row: DbClient; purposes: string[]; basis: string };

/** Loads the client and the purpose, and asks the policy whether the actor may change consent. */
async function consentTarget(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  clientId: string,
  purpose: string,
  action: string,
): Promise<Target | Refusal> {
  const event = { action, targetType: "client", targetId: clientId, purpose: null };
  const row = await findClientRow(w.tx, clientId);
  if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
  const relation = await clientRelation(w.tx, ctx.actor, row);
  const decision = authorizeConsentChange(ctx.actor, { erased: row.status === "erased" }, relation);
  if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
  const terms = (await services.purposes.codes(w.tx)).has(purpose) ? await findPurposeTerms(w.tx, purpose) : undefined;
  if (!terms) {
    return w.refuse(
      ValidationError([{ field: "purpose", code: "unknown_purpose", message: "Every purpose must be a registered purpose code." }]),
      event,
      "failure",
    );
  }
  return { row, purposes: JSON.parse(row.purposes) as string[], basis: terms.legal_basis };
}

function givenAtOf(value: string | undefined, now: Date): string | null {
  if (value === undefined) return now.toISOString();
  const at = new Date(value);
  return Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + SKEW_MS ? null : at.toISOString();
}

async function nextRevision(tx: Tx, clientId: string, purpose: string): Promise<number> {
  return ((await findCurrentConsent(tx, clientId, purpose))?.revision ?? 0) + 1;
}

export async function recordConsent(services: Services, ctx: RequestContext, clientId: string, grant: ConsentGrant): Promise<ConsentRecord> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "consent.record", targetType: "client", targetId: clientId, purpose: null };
    const target = await consentTarget(services, ctx, w, clientId, grant.purpose, event.action);
    if (!("row" in target)) return target;
    const now = new Date();
    const givenAt = givenAtOf(grant.givenAt, now);
    if (!givenAt) return w.refuse(ValidationError([{ field: "givenAt", code: "in_future", message: "The time lies in the future." }]), event, "failure");
    // Evidence of what was shown: the published version and its stored hash, never a caller's copy.
    const notice = grant.noticeVersion === undefined ? await findNoticeInForce(w.tx, givenAt) : await findNoticeRow(w.tx, grant.noticeVersion);
    if (notice?.status !== "published" || !notice.content_hash) return w.refuse(NoticeRequiredError(), event, "failure");
    if (givenAt < notice.effective_from) {
      return w.refuse(ValidationError([{ field: "givenAt", code: "before_notice", message: "The consent predates the notice version." }]), event, "failure");
    }
    const recordedAt = now.toISOString();
    const row = {
      id: uuidv7(),
      client_id: clientId,
      purpose: grant.purpose,
      revision: await nextRevision(w.tx, clientId, grant.purpose),
      status: "granted",
      separate: grant.separate ? 1 : 0,
      channel: grant.channel,
      notice_version: notice.version,
      notice_hash: notice.content_hash,
      notice_language: grant.noticeLanguage,
      ack_kind: grant.acknowledgement.kind,
      ack_reference: grant.acknowledgement.reference,
      given_at: givenAt,
      recorded_at: recordedAt,
      recorded_by: ctx.actor.userId,
    };
    await w.tx.insertInto("consent_records").values(row).execute();
    // Consent is the ground of a consent-based purpose: granting it permits the purpose on the record.
    // A restricted record (PIPL Art. 44/47) stays on legal claims only: the consent is kept and the
    // purpose comes back when the restriction is lifted (restriction-lifter.ts), not before.
    const restricted = await w.tx.selectFrom("processing_restrictions").select("client_id").where("client_id", "=", clientId).executeTakeFirst();
    const purposeAdded = target.basis === "consent" && !target.purposes.includes(grant.purpose) && !restricted;
    if (purposeAdded && !(await setClientPurposes(w.tx, clientId, [...target.purposes, grant.purpose], target.row.row_version, recordedAt))) {
      return w.refuse(ConflictError("edit_conflict", "The client changed meanwhile; reload and retry."), event, "failure");
    }
    w.record({
      ...event,
      outcome: "success",
      details: {
        consentId: row.id,
        consentPurpose: grant.purpose,
        separate: grant.separate,
        channel: grant.channel,
        noticeVersion: notice.version,
        purposeAdded,
      },
    });
    return consentFromRow(row);
  });
}

/**
 * Records a withdrawal and, for a purpose whose legal basis is consent, removes the purpose from the
 * record in the same transaction: the next read under it is refused. Accepted even without a consent
 * on file, since the client's word is what counts. Under another basis (contract, legal duty) the
 * purpose stays, but any separate consent for sensitive fields ends with it.
 */
export async function withdrawConsent(
  services: Services,
  ctx: RequestContext,
  clientId: string,
  purpose: string,
  withdrawal: ConsentWithdrawal,
): Promise<ConsentRecord & { purposeRemoved: boolean }> {
  return runAudited(services, ctx, (w) => withdrawConsentWithin(services, ctx, w, clientId, purpose, withdrawal));
}

/**
 * The withdrawal inside the caller's audited work: a client request's fulfilment composes it into
 * its own transaction, so the withdrawal and the request's closing commit, or fail, together.
 */
export async function withdrawConsentWithin(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  clientId: string,
  purpose: string,
  withdrawal: ConsentWithdrawal,
): Promise<Refusal | (ConsentRecord & { purposeRemoved: boolean })> {
  const event = { action: "consent.withdraw", targetType: "client", targetId: clientId, purpose: null };
  const target = await consentTarget(services, ctx, w, clientId, purpose, event.action);
  if (!("row" in target)) return target;
  const now = new Date();
  const givenAt = givenAtOf(withdrawal.givenAt, now);
  if (!givenAt) return w.refuse(ValidationError([{ field: "givenAt", code: "in_future", message: "The time lies in the future." }]), event, "failure");
  const recordedAt = now.toISOString();
  const row = {
    id: uuidv7(),
    client_id: clientId,
    purpose,
    revision: await nextRevision(w.tx, clientId, purpose),
    status: "withdrawn",
    separate: 0,
    channel: withdrawal.channel,
    notice_version: null,
    notice_hash: null,
    notice_language: null,
    ack_kind: withdrawal.acknowledgement.kind,
    ack_reference: withdrawal.acknowledgement.reference,
    given_at: givenAt,
    recorded_at: recordedAt,
    recorded_by: ctx.actor.userId,
  };
  await w.tx.insertInto("consent_records").values(row).execute();
  const purposeRemoved = target.basis === "consent" && target.purposes.includes(purpose);
  if (
    purposeRemoved &&
    !(await setClientPurposes(
      w.tx,
      clientId,
      target.purposes.filter((p) => p !== purpose),
      target.row.row_version,
      recordedAt,
    ))
  ) {
    return w.refuse(ConflictError("edit_conflict", "The client changed meanwhile; reload and retry."), event, "failure");
  }
  w.record({ ...event, outcome: "success", details: { consentId: row.id, consentPurpose: purpose, channel: withdrawal.channel, purposeRemoved } });
  return { ...consentFromRow(row), purposeRemoved };
}
