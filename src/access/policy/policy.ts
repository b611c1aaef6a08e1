/**
 * The one policy module: every read, search, write, export and denial is decided here.
 * Decisions are allow / mask / deny with a stable reason code, and they are pure: no I/O.
 */
import type { Actor } from "./actor.js";
import {
  accessConditionsUnmet,
  grantLiftsClearance,
  grantOf,
  hasFirmScope,
  isComplianceOfficer,
  isConsoleOperator,
  isPartner,
  isScreenedBy,
  isSelf,
  isSupervisorOf,
  isUnderBreakGlass,
  needsToKnow,
  type ClientRelation,
  type MatterRelation,
} from "./predicates.js";
import { slotsFor, type ApprovalKind, type ApproverSlot } from "../approvals/approval.js";
import { ROLE_DEFINITIONS, type Action, type Level, type Role } from "./roles.js";
import { consentMissing, sensitiveWithoutSeparateConsent, type ConsentTerms } from "../../rights/consent/consent-predicates.js";

export type { ClientRelation, MatterRelation } from "./predicates.js";

export type DenyReason =
  | "role_lacks_permission"
  | "purpose_required"
  | "purpose_unknown"
  | "purpose_not_permitted"
  | "record_erased"
  | "not_on_matter"
  | "screened_by_wall"
  | "consent_required"
  | "approval_required"
  | "self_approval_forbidden"
  | "same_approver_twice"
  | "not_an_approver"
  | "self_review_forbidden"
  | "reviewer_is_subject"
  | "not_the_reviewer"
  | "not_on_incident_team"
  | "not_wall_owner"
  | "not_responsible_partner"
  | "wall_screens_creator"
  | "wall_screens_owner"
  | "search_field_above_clearance"
  | "access_conditions_unmet"
  | "token_for_other_user"
  | "recent_mfa_required"
  | "self_role_change"
  | "second_approver_required"
  | "approver_is_subject"
  | "self_record_forbidden"
  | "document_above_clearance"
  | "not_lock_holder"
  | "not_share_owner"
  | "not_finding_owner"
  | "owner_cannot_verify"
  | "not_device_owner"
  | "decider_is_subject"
  | "mfa_required_by_role";

/** Why fields come back masked: above the reader's clearance, or sensitive without a separate consent. */
export type MaskReason = "clearance_below_level" | "separate_consent_required" | "access_conditions_unmet";

/**
 * What let the reader past need-to-know or a wall, when it was not their role or matter: a current
 * grant (its id) or a break-glass access (its id). Audit events record it; the KPI counts it.
 */
export type Via = { readonly kind: "grant" | "break_glass"; readonly id: string };

export type Decision =
  | { effect: "allow"; reason: "permitted"; via?: Via }
  | { effect: "mask"; reason: MaskReason; maskedFields: readonly string[]; via?: Via }
  | { effect: "deny"; reason: DenyReason };

export const allow: Decision = Object.freeze({ effect: "allow", reason: "permitted" });
const deny = (reason: DenyReason): Decision => ({ effect: "deny", reason });

export const clearanceOf = (actor: Actor): Level => ROLE_DEFINITIONS[actor.role].clearance;
export const can = (actor: Actor, action: Action): boolean => ROLE_DEFINITIONS[actor.role].permissions.has(action);

/** Every role cleared for L3 or above must sign in with a second factor (IAM-2). */
export const MFA_MIN_CLEARANCE: Level = 3;
export const mfaRequired = (role: Actor["role"]): boolean => ROLE_DEFINITIONS[role].clearance >= MFA_MIN_CLEARANCE;

/** Turning one's authenticator off: only where the role does not require a second factor (an opt-in below L3). */
export const authorizeTotpRemoval = (actor: Actor): Decision => (mfaRequired(actor.role) ? deny("mfa_required_by_role") : allow);

/** Actions on no particular record: create, manage users, read the audit log … */
export function authorize(actor: Actor, action: Action): Decision {
  return can(actor, action) ? allow : deny("role_lacks_permission");
}

/**
 * Privacy notices hold no personal data and are published to everyone: any signed-in staff member
 * may list them, drafts included. Changing them takes `notice.manage` (compliance, admin).
 */
export const authorizeNoticeList = (_actor: Actor): Decision => allow;

/** The purpose registry holds no personal data, and every reader must pick a purpose from it. */
export const authorizePurposeList = (_actor: Actor): Decision => allow;

/**
 * Incident evidence (files that may hold anyone's personal data): compliance (incident.manage), or a
 * member of that incident's response team. Reading the incident (incident.read) is not enough.
 */
export const authorizeIncidentEvidence = (actor: Actor, onTeam: boolean): Decision =>
  can(actor, "incident.manage") || onTeam ? allow : deny("not_on_incident_team");

/**
 * A staff working calendar (what the off-hours rule judges a user by): set by user administration
 * (`user.manage`) or compliance, which tunes detection (`alert.manage`); read by them or by the
 * user themselves.
 */
export const authorizeStaffCalendar = (actor: Actor, access: "read" | "write", userId: string): Decision =>
  can(actor, "user.manage") || can(actor, "alert.manage") || (access === "read" && isSelf(actor, userId)) ? allow : deny("role_lacks_permission");

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
   * production read passes it (src/rights/consent/consent-terms.ts); omitted only in pure tests of other rules.
   */
  readonly consent?: ConsentTerms;
}

/**
 * Walls come first and win over everything else: a screened user is refused before anything about
 * the record (erased, matters, purposes) is considered, so the answer cannot tell them it exists.
 * Break-glass access is the one exception, and only for reads (authorizeRecordRead).
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
  // Break-glass overrides walls and need-to-know, and nothing else (purpose, consent, clearance).
  const breakGlass = isUnderBreakGlass(relation);
  // A read_sensitive grant lifts need-to-know for its client, never a wall (walls are checked first).
  const grant = grantOf(relation, "read_sensitive");
  if (!breakGlass && isScreenedBy(relation)) return deny("screened_by_wall");
  if (record.erased) return deny("record_erased");
  const reachesByRole = needsToKnow(actor, relation);
  if (!breakGlass && !reachesByRole && !grant) return deny("not_on_matter");
  if (!record.purposes.includes(purpose)) return deny("purpose_not_permitted");
  if (record.consent && consentMissing(record.consent)) return deny("consent_required");
  const lifts = grant !== null && grantLiftsClearance(actor) && clearanceOf(actor) < 4 && Object.values(record.fieldLevels).some((l) => l === 4);
  const clearance: Level = lifts ? 4 : clearanceOf(actor);
  // Every read while break-glass is open is attributed to it; a grant only when it made a difference.
  const via: Via | undefined = breakGlass
    ? { kind: "break_glass", id: relation.breakGlass as string }
    : grant && (!reachesByRole || lifts)
      ? { kind: "grant", id: grant.id }
      : undefined;
  const withVia = <D extends Decision>(d: D): D => (via ? { ...d, via } : d);
  const masked = Object.entries(record.fieldLevels)
    .filter(([, level]) => level > clearance)
    .map(([field]) => field);
  // Without a current agreement and training (TRN-2) every L3+ field comes back masked, not denied.
  if (accessConditionsUnmet(relation)) {
    const unmet = Object.entries(record.fieldLevels)
      .filter(([, level]) => level >= ACCESS_CONDITIONS_MIN_LEVEL)
      .map(([field]) => field);
    const all = [...new Set([...masked, ...unmet])];
    if (all.length) return withVia({ effect: "mask", reason: "access_conditions_unmet", maskedFields: all });
  }
  // Sensitive fields the clearance would show stay masked until a separate consent is on record.
  const unconsented = record.consent ? sensitiveWithoutSeparateConsent(record.consent, record.fieldLevels, clearance) : [];
  if (unconsented.length) return withVia({ effect: "mask", reason: "separate_consent_required", maskedFields: [...masked, ...unconsented] });
  return withVia(masked.length ? { effect: "mask", reason: "clearance_below_level", maskedFields: masked } : allow);
}

/** Reading L3+ data needs a current confidentiality agreement and privacy training (TRN-2). */
export const ACCESS_CONDITIONS_MIN_LEVEL: Level = 3;

/**
 * Searching by a field (IAM-3, CLS-1). A hit confirms the value searched for and a miss rules it out,
 * so a search by a field the searcher sees masked recovers it by trial: a masked phone in 10,000
 * searches. Each field searched by must be one the searcher reads in clear: within their clearance,
 * and, from L3 up, with their access conditions met (TRN-2). Decided before any lookup, from the role
 * alone: a grant or break-glass opens one client, while a search reaches them all.
 */
export function authorizeSearchCriteria(actor: Actor, fieldLevels: readonly Level[], accessConditionsMet: boolean): Decision {
  if (!can(actor, "client.search")) return deny("role_lacks_permission");
  if (fieldLevels.some((level) => level > clearanceOf(actor))) return deny("search_field_above_clearance");
  if (!accessConditionsMet && fieldLevels.some((level) => level >= ACCESS_CONDITIONS_MIN_LEVEL)) return deny("access_conditions_unmet");
  return allow;
}

/**
 * Exporting one client's data (APR-1): the reader must be able to read it (walls, need-to-know,
 * purpose, masks as for a read) and hold a current `export` grant. Break-glass opens reading only:
 * an export across a wall is refused even during an emergency.
 */
export function authorizeExport(actor: Actor, purpose: string, record: GuardedRecord, relation: ClientRelation): Decision {
  if (isScreenedBy(relation)) return deny("screened_by_wall");
  const read = authorizeRecordRead(actor, "client.read", purpose, record, { ...relation, breakGlass: null });
  if (read.effect === "deny") return read;
  const grant = grantOf(relation, "export");
  if (!grant) return deny("approval_required");
  return { ...read, via: { kind: "grant", id: grant.id } };
}

/**
 * Asking for an approval on a client: the role must hold `approval.request`, and no wall may screen
 * the requester from the client (a grant never crosses a wall, so asking would only probe it).
 * Need-to-know is not required: reaching beyond one's matters is what read_sensitive asks for.
 */
export function authorizeApprovalRequest(actor: Actor, relation: ClientRelation, erased: boolean): Decision {
  if (!can(actor, "approval.request")) return deny("role_lacks_permission");
  if (isScreenedBy(relation)) return deny("screened_by_wall");
  if (erased) return deny("record_erased");
  return allow;
}

export interface ApprovalFacts {
  readonly kind: ApprovalKind;
  readonly requesterId: string;
  readonly requesterSupervisorId: string | null;
  /** Slots already filled, with who filled them. */
  readonly filled: readonly { slot: ApproverSlot; approverId: string }[];
  /** Walls screening the would-be approver from the request's client. */
  readonly screenedBy: readonly string[];
  /** A role grant's staff member (the one whose role would change); null for client approvals. */
  readonly subjectId?: string | null;
}

export type ApproverDecision = { effect: "allow"; reason: "permitted"; slot: ApproverSlot } | { effect: "deny"; reason: DenyReason };

/**
 * Who may decide a request, and in which slot (APR-2, four-eyes): never the requester; never the
 * same person in two slots; the supervisor slot only by the requester's supervisor, the compliance
 * slot only by a compliance officer; a single-approver request by either.
 */
export function authorizeApprovalDecision(actor: Actor, facts: ApprovalFacts): ApproverDecision {
  if (facts.kind === "role_grant") return authorizeRoleGrantDecision(actor, facts);
  if (isSelf(actor, facts.requesterId)) return { effect: "deny", reason: "self_approval_forbidden" };
  if (isScreenedBy(facts)) return { effect: "deny", reason: "screened_by_wall" };
  if (facts.filled.some((f) => f.approverId === actor.userId)) return { effect: "deny", reason: "same_approver_twice" };
  const open = slotsFor(facts.kind).filter((slot) => !facts.filled.some((f) => f.slot === slot));
  const supervisor = isSupervisorOf(actor, { supervisorId: facts.requesterSupervisorId });
  const fits = (slot: ApproverSlot) =>
    slot === "supervisor" ? supervisor : slot === "compliance" ? isComplianceOfficer(actor) : supervisor || isComplianceOfficer(actor);
  const slot = open.find(fits);
  return slot ? { effect: "allow", reason: "permitted", slot } : { effect: "deny", reason: "not_an_approver" };
}

/** Opening break-glass access: the role must hold `break_glass.open`; walls are what it overrides. */
export function authorizeBreakGlassOpen(actor: Actor, erased: boolean): Decision {
  if (!can(actor, "break_glass.open")) return deny("role_lacks_permission");
  if (erased) return deny("record_erased");
  return allow;
}

/** The after-the-fact review of a break-glass access: compliance, and never the person who opened it. */
export function authorizeBreakGlassReview(actor: Actor, openedBy: string): Decision {
  if (!can(actor, "break_glass.review")) return deny("role_lacks_permission");
  if (isSelf(actor, openedBy)) return deny("self_review_forbidden");
  return allow;
}

/**
 * Deciding one access-review item (IAM-4): nobody recertifies their own access (four-eyes), and only
 * the assigned reviewer decides, or, for compliance's items, any compliance officer. No permission
 * is needed beyond that: being assigned is the authority.
 */
export function authorizeAccessReviewDecision(actor: Actor, item: { subjectUserId: string; reviewerId: string | null; pool: "user" | "compliance" }): Decision {
  if (isSelf(actor, item.subjectUserId)) return deny("reviewer_is_subject");
  if (item.pool === "compliance" ? !isComplianceOfficer(actor) : item.reviewerId !== actor.userId) return deny("not_the_reviewer");
  return allow;
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
 * Recording or withdrawing a client's consent (src/rights/consent/): the role must manage consent and reach
 * the client like any writer. The consent's own purpose needs no X-Purpose: the record is the purpose.
 */
export function authorizeConsentChange(actor: Actor, record: Pick<GuardedRecord, "erased">, relation: ClientRelation): Decision {
  if (!can(actor, "consent.manage")) return deny("role_lacks_permission");
  return wallOrNeedToKnow(actor, relation, record.erased) ?? allow;
}

/**
 * Ending a restriction of processing (PIPL Art. 47): compliance (`restriction.lift`), reaching the
 * client like any writer, so a wall still screens the officer from the record.
 */
export function authorizeRestrictionLift(actor: Actor, record: Pick<GuardedRecord, "erased">, relation: ClientRelation): Decision {
  if (!can(actor, "restriction.lift")) return deny("role_lacks_permission");
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

/**
 * Lifting an ethical wall: `wall.manage`, and then compliance or the wall's owner. (A user the wall
 * screens never gets here: to them the wall does not exist.)
 */
export function authorizeWallLift(actor: Actor, wall: { ownerId: string }): Decision {
  if (!can(actor, "wall.manage")) return deny("role_lacks_permission");
  if (!isComplianceOfficer(actor) && !isSelf(actor, wall.ownerId)) return deny("not_wall_owner");
  return allow;
}

/** Deciding a destruction batch (RET-2): a compliance officer, never the one who asked for it. */
export function authorizeDestructionDecision(actor: Actor, batch: { requestedBy: string }): Decision {
  if (!can(actor, "retention.manage")) return deny("role_lacks_permission");
  if (!isComplianceOfficer(actor)) return deny("not_an_approver");
  if (isSelf(actor, batch.requestedBy)) return deny("self_approval_forbidden");
  return allow;
}

// ——— A record's purposes and ethical walls (issue #10: no back doors) ———

/** The client relation plus the one fact a purpose change needs beyond it. */
export interface PurposeChangeRelation extends ClientRelation {
  /** The actor is the responsible partner of at least one open matter of the client. */
  readonly responsibleForOpenMatter: boolean;
}

/**
 * Changing a record's permitted purposes (IAM-5) decides what the whole firm may use it for: a
 * team member who could set it to ["marketing"] could make the record unreadable to everyone. So
 * it takes `client.purposes` and then compliance, or the responsible partner of one of the
 * client's open matters; walls and erasure first, as for any write.
 */
export function authorizePurposeChange(actor: Actor, record: Pick<GuardedRecord, "erased">, relation: PurposeChangeRelation): Decision {
  if (!can(actor, "client.purposes")) return deny("role_lacks_permission");
  const refused = wallOrNeedToKnow(actor, relation, record.erased);
  if (refused) return refused;
  if (!isComplianceOfficer(actor) && !relation.responsibleForOpenMatter) return deny("not_responsible_partner");
  return allow;
}

/**
 * Raising a wall: `wall.manage`, and the wall may screen neither its creator nor its owner. A
 * creator already knows what the wall protects, so screening themself protects nothing and only
 * hides the wall from the one who must answer for it; a screened owner could never see or lift it.
 */
export function authorizeWallCreate(actor: Actor, wall: { ownerId: string; screenedUserIds: readonly string[] }): Decision {
  if (!can(actor, "wall.manage")) return deny("role_lacks_permission");
  if (wall.screenedUserIds.some((userId) => isSelf(actor, userId))) return deny("wall_screens_creator");
  if (wall.screenedUserIds.includes(wall.ownerId)) return deny("wall_screens_owner");
  return allow;
}

/** A wall's owner must be able to manage walls (a partner or compliance officer). */
export const mayOwnWall = (owner: Actor): boolean => can(owner, "wall.manage");

/**
 * How the acting user relates to one wall: the walls that hide it from them. That is the wall
 * itself when it names them among its screened users (standing or lifted), and any standing wall
 * screening them from a client or matter this wall protects.
 */
export interface WallRelation {
  readonly screenedBy: readonly string[];
}

/**
 * Seeing a wall (or lifting it): `wall.manage`, and never across a wall. To a screened user the
 * wall does not exist: its record names the protected client or matter and the colleagues on the
 * other side, which is what the wall keeps from them. The caller answers 404, as for no wall.
 */
export function authorizeWallRead(actor: Actor, relation: WallRelation): Decision {
  if (!can(actor, "wall.manage")) return deny("role_lacks_permission");
  if (isScreenedBy(relation)) return deny("screened_by_wall");
  return allow;
}

// ——— Who may be named answerable for a record (issue #10: abilities, no role lists) ———

/**
 * A matter's responsible partner must be able to manage the matter (`matter.manage`: partners).
 * Judged on the candidate, not the caller: matter creation checks it, and the staff directory
 * tells the console whom to offer (src/access/policy/abilities.ts).
 */
export const mayBeResponsiblePartner = (candidate: Actor): boolean => can(candidate, "matter.manage");

// ——— Administration is not a back door: API tokens, roles, access conditions (issue #10) ———

/** A token minted over the API needs a second factor proven this recently, in the same session. */
export const RECENT_MFA_MS = 15 * 60_000;

/** Roles cleared for L3 or above (partner, lawyer, compliance) are granted only with a second approver. */
export const PRIVILEGED_CLEARANCE: Level = 3;
export const isPrivilegedRole = (role: Role): boolean => ROLE_DEFINITIONS[role].clearance >= PRIVILEGED_CLEARANCE;

/**
 * Issuing an API token. A token acts as its owner with no second factor, so nobody mints one for
 * someone else (an admin would otherwise read as a partner), and owners mint their own only from a
 * session whose second factor was proven in the last 15 minutes: never with a bearer token
 * (`secondFactorAt` null). The console operator (the CLI, holding the master key) stays the
 * bootstrap path; its tokens are capped and listed by `custodia tokens audit`.
 */
export function authorizeTokenCreate(actor: Actor, token: { ownerId: string; secondFactorAt: string | null }, now: Date): Decision {
  if (isConsoleOperator(actor)) return allow;
  if (!isSelf(actor, token.ownerId)) return deny("token_for_other_user");
  if (token.secondFactorAt === null || now.getTime() - Date.parse(token.secondFactorAt) > RECENT_MFA_MS) return deny("recent_mfa_required");
  return allow;
}

/** Listing API tokens: token administration sees them all (`ownerId` null); anyone else only their own. */
export const authorizeTokenList = (actor: Actor, ownerId: string | null): Decision =>
  can(actor, "token.manage") || (ownerId !== null && isSelf(actor, ownerId)) ? allow : deny("role_lacks_permission");

/** Revoking an API token: token administration, or its owner (revoking only ever takes access away). */
export const authorizeTokenRevoke = (actor: Actor, ownerId: string): Decision =>
  can(actor, "token.manage") || isSelf(actor, ownerId) ? allow : deny("role_lacks_permission");

/** allow: the role applies now; approval: it waits for a second approver (a `role_grant` request). */
export type RoleGrantDecision =
  | { effect: "allow"; reason: "permitted" }
  | { effect: "approval"; reason: "second_approver_required" }
  | { effect: "deny"; reason: DenyReason };

/**
 * Creating an account at a role (`subjectId` null) or changing someone's role, as separate duties:
 * user administration, never on oneself, and a role at L3+ only once a compliance officer or a
 * partner approves it. The console operator grants one directly only while the firm has no active
 * approver (its first partner or compliance officer), since nobody could approve it then.
 */
export function authorizeRoleGrant(actor: Actor, grant: { subjectId: string | null; role: Role; approverExists: boolean }): RoleGrantDecision {
  const refuse = (reason: DenyReason): RoleGrantDecision => ({ effect: "deny", reason });
  if (!can(actor, "user.manage")) return refuse("role_lacks_permission");
  if (grant.subjectId !== null && isSelf(actor, grant.subjectId)) return refuse("self_role_change");
  if (!isPrivilegedRole(grant.role)) return { effect: "allow", reason: "permitted" };
  if (isConsoleOperator(actor)) return grant.approverExists ? refuse("second_approver_required") : { effect: "allow", reason: "permitted" };
  return { effect: "approval", reason: "second_approver_required" };
}

/** Who may approve a role grant: a compliance officer or a partner. */
export const mayApproveRoleGrants = (actor: Actor): boolean => isComplianceOfficer(actor) || isPartner(actor);

/**
 * Deciding a role grant (four-eyes): a compliance officer or a partner, never the requester and
 * never the staff member who would get the role. No walls apply: it names no client.
 */
export function authorizeRoleGrantDecision(actor: Actor, facts: ApprovalFacts): ApproverDecision {
  if (isSelf(actor, facts.requesterId)) return { effect: "deny", reason: "self_approval_forbidden" };
  if (facts.subjectId && isSelf(actor, facts.subjectId)) return { effect: "deny", reason: "approver_is_subject" };
  if (facts.filled.some((f) => f.approverId === actor.userId)) return { effect: "deny", reason: "same_approver_twice" };
  const slot = slotsFor(facts.kind).find((s) => !facts.filled.some((f) => f.slot === s));
  return mayApproveRoleGrants(actor) && slot ? { effect: "allow", reason: "permitted", slot } : { effect: "deny", reason: "not_an_approver" };
}

/**
 * Recording a confidentiality agreement (`agreement.manage`) or a training completion
 * (`training.manage`) for someone (TRN-2) is what unlocks L3+ data for them: compliance, never the
 * admin who made the account, and nobody records their own (one's own training counts only by
 * passing the quiz, one's own agreement only by acknowledging it).
 */
export function authorizeAccessConditionRecord(actor: Actor, subjectId: string, kind: "agreement" | "training" = "training"): Decision {
  if (!can(actor, kind === "agreement" ? "agreement.manage" : "training.manage")) return deny("role_lacks_permission");
  if (isSelf(actor, subjectId)) return deny("self_record_forbidden");
  return allow;
}

/**
 * Taking a course (reading it, answering its quiz) and acknowledging an agreement: every staff
 * member, for themselves only; seeing someone else's training record takes `training.manage`.
 */
export const authorizeOwnTraining = (actor: Actor, subjectId: string): Decision =>
  isSelf(actor, subjectId) || can(actor, "training.manage") ? allow : deny("role_lacks_permission");

/** Reading a user's access conditions: user administration or compliance. */
export const authorizeAccessConditionRead = (actor: Actor): Decision =>
  can(actor, "user.manage") || can(actor, "accountability.manage") ? allow : deny("role_lacks_permission");

// ——— Client documents (issue #11): listing, content, copying and the check-out lock ———

/**
 * Seeing a client's documents (the list, versions, findings): the reader must reach the client as
 * for a read under the declared purpose (walls, need-to-know, purpose, consent). Titles of documents
 * the reader could not open come back masked (documentTitleShown).
 */
export function authorizeDocumentList(actor: Actor, purpose: string, record: GuardedRecord, relation: ClientRelation): Decision {
  if (!can(actor, "document.read")) return deny("role_lacks_permission");
  return authorizeRecordRead(actor, "client.read", purpose, { ...record, fieldLevels: {} }, relation);
}

/** A document's title and filename are shown only to someone who could open its content. */
export function documentTitleShown(actor: Actor, relation: ClientRelation, level: Level): boolean {
  const lifted = grantOf(relation, "read_sensitive") !== null && grantLiftsClearance(actor) ? 4 : clearanceOf(actor);
  if (level > lifted) return false;
  return !(level >= ACCESS_CONDITIONS_MIN_LEVEL && accessConditionsUnmet(relation));
}

/**
 * Reading a document's content as a record read of one field at the document's level. Content
 * cannot be masked field by field, so what a record read would mask is refused, with why.
 */
function documentContentRead(actor: Actor, purpose: string, record: GuardedRecord, relation: ClientRelation, document: { level: Level }): Decision {
  const read = authorizeRecordRead(actor, "client.read", purpose, { ...record, fieldLevels: { document: document.level } }, relation);
  if (read.effect !== "mask") return read;
  if (read.reason === "clearance_below_level") return deny("document_above_clearance");
  return deny(read.reason === "access_conditions_unmet" ? "access_conditions_unmet" : "consent_required");
}

/**
 * Opening a document's content. Preview reads it in the console; download hands out a copy, so
 * from L3 up it needs a current `copy_document` grant (APR-1: 复制须经审批), and break-glass, which
 * opens reading only, never makes one. A document above what the reader may see unmasked (clearance,
 * a read_sensitive grant, the access conditions, a separate consent) is refused outright: content
 * cannot be masked field by field.
 */
export function authorizeDocumentContent(
  actor: Actor,
  use: "preview" | "download",
  purpose: string,
  record: GuardedRecord,
  relation: ClientRelation,
  document: { level: Level },
): Decision {
  if (!can(actor, "document.read")) return deny("role_lacks_permission");
  const read = documentContentRead(actor, purpose, record, use === "download" ? { ...relation, breakGlass: null } : relation, document);
  if (read.effect === "deny") return read;
  if (use === "preview" || document.level < 3) return read;
  const copy = grantOf(relation, "copy_document");
  return copy ? { ...read, via: { kind: "grant", id: copy.id } } : deny("approval_required");
}

/** Adding a document or a version, or taking the check-out lock: client work on a client one reaches. */
export function authorizeDocumentWrite(actor: Actor, record: Pick<GuardedRecord, "erased">, relation: ClientRelation): Decision {
  if (!can(actor, "document.write")) return deny("role_lacks_permission");
  return wallOrNeedToKnow(actor, relation, record.erased) ?? allow;
}

/** Releasing a check-out lock: its holder, or a partner clearing a colleague's forgotten lock. */
export function authorizeDocumentCheckIn(actor: Actor, record: Pick<GuardedRecord, "erased">, relation: ClientRelation, holderId: string): Decision {
  const write = authorizeDocumentWrite(actor, record, relation);
  if (write.effect === "deny") return write;
  return isSelf(actor, holderId) || isPartner(actor) ? allow : deny("not_lock_holder");
}

/** Tracing a leaked copy back to the download or share it came from: compliance's investigation. */
export const authorizeDocumentTrace = (actor: Actor): Decision => authorize(actor, "document.trace");

// ——— Forwarding documents outside the firm (issue #11): shares, their second person, the register ———

/**
 * Forwarding a document to someone outside the firm (APR-1: 转发须经审批). The sharer needs
 * `document.share`, the reach a download needs (walls, need-to-know, purpose, consent, clearance and
 * the access conditions; break-glass opens reading only, never a share), and a current
 * `forward_document` grant on the client, whatever the document's level: a share is a disclosure.
 * At L4 the share also waits for a second person (shareNeedsSecondPerson, authorizeShareConfirmation).
 */
export function authorizeDocumentShare(actor: Actor, purpose: string, record: GuardedRecord, relation: ClientRelation, document: { level: Level }): Decision {
  if (!can(actor, "document.share")) return deny("role_lacks_permission");
  const read = documentContentRead(actor, purpose, record, { ...relation, breakGlass: null }, document);
  if (read.effect === "deny") return read;
  const grant = grantOf(relation, "forward_document");
  return grant ? { ...read, via: { kind: "grant", id: grant.id } } : deny("approval_required");
}

/**
 * Four-eyes at L4 (APR-2). The forward_document grant is approved once for a client, by the
 * sharer's supervisor or compliance; an L4 document's share is made `pending`, and its link opens
 * (and the code goes out) only once a second person confirms this share, with its recipient: a
 * compliance officer or a partner who is neither the sharer nor an approver of the grant used. So
 * two people besides the sharer, as for a disclosure, without making every client-wide forwarding
 * grant two-slot (which would stall partners, who have no supervisor) and with the second look on
 * the document and recipient actually shared.
 */
export const shareNeedsSecondPerson = (level: Level): boolean => level >= 4;

export interface ShareConfirmationFacts {
  readonly sharedBy: string;
  /** Who approved the forward_document grant the share was made under. */
  readonly grantApproverIds: readonly string[];
  /** The grant is still current: a share never opens on a lapsed or revoked approval. */
  readonly grantCurrent: boolean;
  /** Walls screening the would-be confirmer from the share's client. */
  readonly screenedBy: readonly string[];
  readonly erased: boolean;
}

export function authorizeShareConfirmation(actor: Actor, facts: ShareConfirmationFacts): Decision {
  if (!isComplianceOfficer(actor) && !isPartner(actor)) return deny("not_an_approver");
  if (isScreenedBy(facts)) return deny("screened_by_wall");
  if (facts.erased) return deny("record_erased");
  if (isSelf(actor, facts.sharedBy)) return deny("self_approval_forbidden");
  if (facts.grantApproverIds.includes(actor.userId)) return deny("same_approver_twice");
  return facts.grantCurrent ? allow : deny("approval_required");
}

/**
 * Revoking a share: its sharer while they may still share, a partner, or a compliance officer;
 * never across a wall. Revoking only narrows what is out, so it needs no approval.
 */
export function authorizeShareRevoke(actor: Actor, share: { sharedBy: string }, relation: Pick<ClientRelation, "screenedBy">): Decision {
  if (isScreenedBy(relation)) return deny("screened_by_wall");
  if (isComplianceOfficer(actor) || isPartner(actor)) return allow;
  if (!can(actor, "document.share")) return deny("role_lacks_permission");
  return isSelf(actor, share.sharedBy) ? allow : deny("not_share_owner");
}

/**
 * The recipient register ("who outside holds which copy"): compliance and partners, firm-wide. It
 * names recipients and documents by id and level, not titles; clients behind a wall that screens
 * the reader are left out of their view.
 */
export const authorizeShareRegister = (actor: Actor): Decision => (isComplianceOfficer(actor) || isPartner(actor) ? allow : deny("role_lacks_permission"));

// ——— People and governance (issue #14): devices, attestations, investigations ———

/**
 * Reporting a device lost (CHN-1): its owner, or compliance (`incident.manage`), since the report
 * opens an incident. The admin keeps the register but reports no one else's loss.
 */
export const authorizeDeviceLostReport = (actor: Actor, device: { ownerId: string }): Decision =>
  isSelf(actor, device.ownerId) || can(actor, "incident.manage") ? allow : deny("not_device_owner");

/**
 * Deciding an investigation (GOV-5): compliance (`accountability.manage`), and never the person
 * investigated: nobody decides their own sanction.
 */
export function authorizeCaseDecision(actor: Actor, facts: { subjectId: string }): Decision {
  if (!can(actor, "accountability.manage")) return deny("role_lacks_permission");
  if (isSelf(actor, facts.subjectId)) return deny("decider_is_subject");
  return allow;
}

// ——— Paper files (issue #14, PAP-1, PAP-2): borrowing, its approval, what the register shows ———

/**
 * Borrowing a client's paper file follows need-to-know exactly as the client record does (IAM-3):
 * the borrower's role must hold `paper.borrow`, no wall may screen them from the client, and they
 * must reach it (a firm-wide role, or an open matter of the client they are on). Judged on the
 * borrower, whoever records the check-out at the desk.
 */
export function authorizePaperBorrow(borrower: Actor, relation: ClientRelation, erased: boolean): Decision {
  if (!can(borrower, "paper.borrow")) return deny("role_lacks_permission");
  return wallOrNeedToKnow(borrower, relation, erased) ?? allow;
}

/** Recording a check-out or a copy: the borrower for themselves, or the archive keeper (`paper.manage`) at the desk. */
export const authorizePaperDesk = (actor: Actor, borrowerId: string): Decision =>
  isSelf(actor, borrowerId) || can(actor, "paper.manage") ? allow : deny("role_lacks_permission");

/**
 * Approving an L3+ check-out or copy (four eyes, APR-2): `paper.approve` (the archive keeper,
 * compliance), never the borrower and never the person who recorded the request.
 */
export function authorizePaperApproval(actor: Actor, facts: { borrowerId: string; requestedBy: string }): Decision {
  if (!can(actor, "paper.approve")) return deny("role_lacks_permission");
  if (isSelf(actor, facts.borrowerId) || isSelf(actor, facts.requestedBy)) return deny("self_approval_forbidden");
  return allow;
}

/**
 * A paper file's title is shown only to someone who could read the client at the file's level:
 * no wall, need-to-know, clearance, and from L3 up the access conditions. Everyone else with
 * `paper.read` sees its code, reference and shelf.
 */
export function paperTitleShown(actor: Actor, relation: ClientRelation, level: Level): boolean {
  if (isScreenedBy(relation) || !needsToKnow(actor, relation)) return false;
  if (level > clearanceOf(actor)) return false;
  return !(level >= ACCESS_CONDITIONS_MIN_LEVEL && accessConditionsUnmet(relation));
}

// ——— Assessments and findings (issue #14, GOV-3, GOV-4): remediation and its verification ———

/** Moving a finding through remediation (in remediation, resolved): its owner, or compliance (`assessment.manage`). */
export const authorizeFindingProgress = (actor: Actor, finding: { ownerId: string }): Decision =>
  isSelf(actor, finding.ownerId) || can(actor, "assessment.manage") ? allow : deny("not_finding_owner");

/** Verifying a resolved finding (GOV-3): compliance (`assessment.manage`), never the finding's owner: nobody signs off their own fix. */
export function authorizeFindingVerify(actor: Actor, finding: { ownerId: string }): Decision {
  if (!can(actor, "assessment.manage")) return deny("role_lacks_permission");
  if (isSelf(actor, finding.ownerId)) return deny("owner_cannot_verify");
  return allow;
}
