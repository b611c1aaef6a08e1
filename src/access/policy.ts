/**
 * The one policy module: every read, search, write, export and denial is decided here.
 * Decisions are allow / mask / deny with a stable reason code, and they are pure: no I/O.
 */
import type { Actor } from "./actor.js";
import { hasFirmScope, isScreenedBy, needsToKnow, type ClientRelation, type MatterRelation } from "./predicates.js";
import { ROLE_DEFINITIONS, type Action, type Level } from "./roles.js";
import { consentMissing, sensitiveWithoutSeparateConsent, type ConsentTerms } from "../consent/consent-predicates.js";

export type { ClientRelation, MatterRelation } from "./predicates.js";

export type DenyReason =
  | "role_lacks_permission"
  | "purpose_required"
  | "purpose_unknown"
  | "purpose_not_permitted"
  | "record_erased"
  | "not_on_matter"
  | "screened_by_wall"
  | "consent_required";

/** Why fields come back masked: above the reader's clearance, or sensitive without a separate consent. */
export type MaskReason = "clearance_below_level" | "separate_consent_required";

export type Decision =
  | { effect: "allow"; reason: "permitted" }
  | { effect: "mask"; reason: MaskReason; maskedFields: readonly string[] }
  | { effect: "deny"; reason: DenyReason };

export const allow: Decision = Object.freeze({ effect: "allow", reason: "permitted" });
const deny = (reason: DenyReason): Decision => ({ effect: "deny", reason });

export const clearanceOf = (actor: Actor): Level => ROLE_DEFINITIONS[actor.role].clearance;
export const can = (actor: Actor, action: Action): boolean => ROLE_DEFINITIONS[actor.role].permissions.has(action);

/** Every role cleared for L3 or above must sign in with a second factor (IAM-2). */
export const MFA_MIN_CLEARANCE: Level = 3;
export const mfaRequired = (role: Actor["role"]): boolean => ROLE_DEFINITIONS[role].clearance >= MFA_MIN_CLEARANCE;

/** Actions on no particular record: create, manage users, read the audit log … */
export function authorize(actor: Actor, action: Action): Decision {
  return can(actor, action) ? allow : deny("role_lacks_permission");
}

/**
 * Privacy notices hold no personal data and are published to everyone: any signed-in staff member
 * may list them, drafts included. Changing them takes `notice.manage` (compliance, admin).
 */
export const authorizeNoticeList = (_actor: Actor): Decision => allow;

/** Declared purposes must exist in the purpose registry (IAM-5). */
export function checkPurpose(purpose: string | null, registered: ReadonlySet<string>): Decision {
  if (!purpose) return deny("purpose_required");
  if (!registered.has(purpose)) return deny("purpose_unknown");
  return allow;
}

export interface GuardedRecord {
  /** Purposes the record may be used for. */
  readonly purposes: readonly string[];
  readonly erased: boolean;
  /** Sensitivity level of each field the caller would receive. */
  readonly fieldLevels: Readonly<Record<string, Level>>;
  /**
   * The declared purpose's legal basis and the client's consent to it (PIPL Art. 13, 29). Every
   * production read passes it (src/consent/consent-terms.ts); omitted only in pure tests of other rules.
   */
  readonly consent?: ConsentTerms;
}

/**
 * Walls come first and win over everything else: a screened user is refused before anything about
 * the record (erased, matters, purposes) is considered, so the answer cannot tell them it exists.
 * Break-glass access (issue #3, later) will be the one exception, checked here.
 */
function wallOrNeedToKnow(actor: Actor, relation: ClientRelation, erased: boolean): Decision | null {
  if (isScreenedBy(relation)) return deny("screened_by_wall");
  if (erased) return deny("record_erased");
  if (!needsToKnow(actor, relation)) return deny("not_on_matter");
  return null;
}

/**
 * Reading personal data from one record: the role must hold the action, no wall may screen the
 * reader, the reader must need to know (firm-wide role, or on an open matter of the client), the
 * declared purpose must be one the record permits, and fields above the reader's clearance come
 * back masked, never dropped.
 */
export function authorizeRecordRead(
  actor: Actor,
  action: Extract<Action, "client.read" | "client.search">,
  purpose: string,
  record: GuardedRecord,
  relation: ClientRelation,
): Decision {
  if (!can(actor, action)) return deny("role_lacks_permission");
  const refused = wallOrNeedToKnow(actor, relation, record.erased);
  if (refused) return refused;
  if (!record.purposes.includes(purpose)) return deny("purpose_not_permitted");
  if (record.consent && consentMissing(record.consent)) return deny("consent_required");
  const clearance = clearanceOf(actor);
  const masked = Object.entries(record.fieldLevels)
    .filter(([, level]) => level > clearance)
    .map(([field]) => field);
  // Sensitive fields the clearance would show stay masked until a separate consent is on record.
  const unconsented = record.consent ? sensitiveWithoutSeparateConsent(record.consent, record.fieldLevels, clearance) : [];
  if (unconsented.length) return { effect: "mask", reason: "separate_consent_required", maskedFields: [...masked, ...unconsented] };
  return masked.length ? { effect: "mask", reason: "clearance_below_level", maskedFields: masked } : allow;
}

/** Changing or erasing one record: the role must hold the action, reach the record, and it must still exist. */
export function authorizeRecordWrite(
  actor: Actor,
  action: Extract<Action, "client.update" | "client.erase">,
  record: Pick<GuardedRecord, "erased">,
  relation: ClientRelation,
): Decision {
  if (!can(actor, action)) return deny("role_lacks_permission");
  return wallOrNeedToKnow(actor, relation, record.erased) ?? allow;
}

/**
 * Recording or withdrawing a client's consent (src/consent/): the role must manage consent and reach
 * the client like any writer. The consent's own purpose needs no X-Purpose: the record is the purpose.
 */
export function authorizeConsentChange(actor: Actor, record: Pick<GuardedRecord, "erased">, relation: ClientRelation): Decision {
  if (!can(actor, "consent.manage")) return deny("role_lacks_permission");
  return wallOrNeedToKnow(actor, relation, record.erased) ?? allow;
}

/**
 * Opening a matter for a client: the role must create matters and already reach the client.
 * Otherwise a lawyer could open a matter on any client to put themselves on its team.
 */
export function authorizeMatterCreate(actor: Actor, client: Pick<GuardedRecord, "erased">, relation: ClientRelation): Decision {
  if (!can(actor, "matter.create")) return deny("role_lacks_permission");
  return wallOrNeedToKnow(actor, relation, client.erased) ?? allow;
}

/**
 * Seeing a matter (its number, sealed title, team) or managing it. Walls first; then firm-wide
 * roles see every matter and matter roles only those they are on. Managing the team and closing
 * the matter takes `matter.manage` (partners; the responsible partner is always a partner).
 */
export function authorizeMatter(actor: Actor, action: Extract<Action, "matter.read" | "matter.manage">, relation: MatterRelation): Decision {
  if (!can(actor, action)) return deny("role_lacks_permission");
  if (isScreenedBy(relation)) return deny("screened_by_wall");
  if (action === "matter.read" && !hasFirmScope(actor) && !relation.isMember) return deny("not_on_matter");
  return allow;
}

/** The purpose a conflict check must declare: nothing else justifies matching against every client. */
export const CONFLICT_CHECK_PURPOSE = "conflict-check";

/** Conflict checks: the role must hold the action and the declared purpose must be the conflict check. */
export function authorizeConflictCheck(actor: Actor, purpose: string): Decision {
  if (!can(actor, "conflict.check")) return deny("role_lacks_permission");
  if (purpose !== CONFLICT_CHECK_PURPOSE) return deny("purpose_not_permitted");
  return allow;
}
