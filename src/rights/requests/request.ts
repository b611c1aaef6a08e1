/** Client rights requests (DSR-1..3): types, states, settings and errors. */
import { AppError } from "../../platform/errors.js";
import type { CodeSender } from "./code-sender.js";

export const REQUEST_TYPES = ["access", "copy", "correction", "deletion", "restriction", "withdraw_consent", "explanation"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATUSES = ["received", "verified", "in_progress", "extended", "fulfilled", "refused"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const CLOSED: ReadonlySet<string> = new Set(["fulfilled", "refused"]);

/** Types whose answer is a package the client downloads. */
export const PACKAGE_TYPES: ReadonlySet<string> = new Set(["access", "copy", "explanation"]);

/** Which status may follow which. Fulfilling or refusing may start from any open, verified state. */
export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = Object.freeze({
  received: ["verified", "refused"],
  verified: ["in_progress", "extended", "fulfilled", "refused"],
  in_progress: ["extended", "fulfilled", "refused"],
  extended: ["in_progress", "fulfilled", "refused"],
  fulfilled: [],
  refused: [],
});

/** Why a request is refused or extended: codes, so no free text reaches the record or the audit log. */
export const REFUSAL_REASONS = [
  "identity_not_verified",
  "manifestly_unfounded",
  "excessive",
  "legal_hold",
  "retention_required",
  "not_applicable",
  "client_erased",
] as const;
export const EXTENSION_REASONS = ["complex_request", "numerous_requests"] as const;
/** What staff saw when they verified an identity in person or by other means. */
export const STAFF_EVIDENCE_KINDS = ["id_document_in_person", "video_call", "signed_form", "notarised_letter"] as const;

export type AccessHistoryActors = "roles" | "names";

/** Tunables of the public intake; tests inject a clock and a fast proof. */
export interface RequestSettings {
  readonly now: () => Date;
  readonly sender: CodeSender;
  readonly codeTtlMs: number;
  readonly maxCodeAttempts: number;
  readonly tokenTtlMs: number;
  /** Leading zero bits of SHA-256(challenge:nonce) the intake demands (hashcash). */
  readonly proofBits: number;
  readonly proofTtlMs: number;
  /** Every intake answer takes at least this long, matched or not. */
  readonly intakeFloorMs: number;
  readonly perAddressPerHour: number;
  readonly perIdentifierPerDay: number;
}

export const DEFAULT_REQUEST_SETTINGS: Omit<RequestSettings, "sender"> = Object.freeze({
  now: () => new Date(),
  codeTtlMs: 10 * 60_000,
  maxCodeAttempts: 5,
  tokenTtlMs: 7 * 24 * 3600_000,
  proofBits: 16,
  proofTtlMs: 5 * 60_000,
  intakeFloorMs: 400,
  perAddressPerHour: 10,
  perIdentifierPerDay: 5,
});

export const ProofInvalidError = () => new AppError(400, "proof_invalid", "The anti-automation proof is missing, wrong, expired or already used.");
export const PortalRateLimitedError = () =>
  new AppError(429, "portal_rate_limited", "Too many requests from this address or for this person; try again later.");
export const CodeInvalidError = () => new AppError(400, "code_invalid", "The code is wrong, expired or already used.");
export const CodeAttemptsExhaustedError = () => new AppError(429, "code_attempts_exhausted", "Too many wrong codes; submit a new request.");
export const PortalTokenInvalidError = () => new AppError(401, "portal_token_invalid", "The request token is missing, wrong or expired.");
export const PackageNotReadyError = () => new AppError(409, "package_not_ready", "Nothing to download for this request yet.");
export const RequestStateError = () => new AppError(409, "request_state", "The request is not in a state that allows this.");
export const ExtensionNotAllowedError = () => new AppError(409, "extension_not_allowed", "The regime allows no extension, or its first period has passed.");
export const IdentityUnverifiedError = () => new AppError(409, "identity_unverified", "The requester's identity is not verified, or no client is linked.");
export const LegalHoldError = () => new AppError(409, "legal_hold", "A legal hold keeps this client's data; it cannot be erased.");
export const ProcessingRestrictedError = () => new AppError(409, "processing_restricted", "Processing of this record is restricted to legal claims.");
