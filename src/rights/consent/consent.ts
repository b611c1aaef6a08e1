/** Consent records (CON-2, CON-3): per client and purpose, append-only, evidence by reference only. */
import type { DbConsentRecord } from "../../platform/db/schema.js";
import { AppError } from "../../platform/errors.js";
import type { ConsentState } from "./consent-predicates.js";

export const CONSENT_CHANNELS = ["portal", "paper", "email", "in_person", "phone"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** What the acknowledgement reference points at. The reference itself is an id, never free text. */
export const ACKNOWLEDGEMENT_KINDS = ["signed_form", "click", "email_message", "call_recording"] as const;
export type AcknowledgementKind = (typeof ACKNOWLEDGEMENT_KINDS)[number];

/** A form number, click-record id or message id: letters, digits and . _ : / - only, so no names or sentences. */
export const ACKNOWLEDGEMENT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

export interface Acknowledgement {
  kind: AcknowledgementKind;
  reference: string;
}

export interface ConsentRecord {
  id: string;
  clientId: string;
  purpose: string;
  revision: number;
  status: "granted" | "withdrawn";
  separate: boolean;
  channel: ConsentChannel;
  noticeVersion: number | null;
  /** SHA-256 of the notice version shown: equal to that version's published hash. */
  noticeHash: string | null;
  noticeLanguage: string | null;
  acknowledgement: Acknowledgement;
  givenAt: string;
  recordedAt: string;
  recordedBy: string;
}

export function consentFromRow(row: DbConsentRecord): ConsentRecord {
  return {
    id: row.id,
    clientId: row.client_id,
    purpose: row.purpose,
    revision: row.revision,
    status: row.status === "granted" ? "granted" : "withdrawn",
    separate: row.separate === 1,
    channel: row.channel as ConsentChannel,
    noticeVersion: row.notice_version,
    noticeHash: row.notice_hash,
    noticeLanguage: row.notice_language,
    acknowledgement: { kind: row.ack_kind as AcknowledgementKind, reference: row.ack_reference },
    givenAt: row.given_at,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  };
}

/** The state a record leaves behind: withdrawn means none; a grant is separate or not. */
export const stateOf = (record: Pick<DbConsentRecord, "status" | "separate"> | undefined): ConsentState =>
  record?.status !== "granted" ? "none" : record.separate === 1 ? "separate" : "granted";

export const NoticeRequiredError = () => new AppError(409, "notice_required", "Consent must be given under a published privacy notice in force.");
