/**
 * Small, pure predicates the policy is built from. The facts they read (matter membership, walls)
 * are loaded by the caller — `matters/need-to-know.ts` — so the policy itself does no I/O.
 */
import type { Actor } from "./actor.js";
import { ROLE_DEFINITIONS, type Level } from "./roles.js";
import type { ApprovalKind } from "../approvals/approval.js";

/** How the acting user relates to one client record. */
export interface ClientRelation {
  /** The actor is on the team of at least one open matter of this client. */
  readonly onOpenMatter: boolean;
  /** The client has at least one matter (open or closed). */
  readonly clientHasMatter: boolean;
  /** The actor created the client record. */
  readonly createdClient: boolean;
  /** Active walls that screen the actor from this client, directly or through one of its matters. */
  readonly screenedBy: readonly string[];
  /** Current grants (started, not expired, not revoked) the actor holds on this client. */
  readonly grants?: readonly GrantRef[];
  /** The actor's current break-glass access to this client, if any. */
  readonly breakGlass?: string | null;
  /**
   * The actor has a current confidentiality agreement and privacy training on record (TRN-2).
   * Every production read loads it (matters/need-to-know.ts); omitted only in pure tests of other rules.
   */
  readonly accessConditionsMet?: boolean;
}

/** A current grant: its id (recorded with every use) and kind. */
export interface GrantRef {
  readonly id: string;
  readonly kind: ApprovalKind;
}

/** How the acting user relates to one matter. */
export interface MatterRelation {
  /** The actor is on the matter's team (any matter role, open or closed matter). */
  readonly isMember: boolean;
  /** Active walls that screen the actor from the matter or its client. */
  readonly screenedBy: readonly string[];
}

export const NO_RELATION: ClientRelation = Object.freeze({ onOpenMatter: false, clientHasMatter: false, createdClient: false, screenedBy: [] });

export const clearanceCovers = (actor: Actor, level: Level): boolean => ROLE_DEFINITIONS[actor.role].clearance >= level;
export const hasFirmScope = (actor: Actor): boolean => ROLE_DEFINITIONS[actor.role].scope === "firm";
export const isScreenedBy = (relation: { readonly screenedBy: readonly string[] }): boolean => relation.screenedBy.length > 0;
export const isOnMatter = (relation: ClientRelation): boolean => relation.onOpenMatter;

/**
 * The creator of a client may keep working on it until its first matter is opened: intake comes
 * before the engagement, and without this a lawyer could not open the matter for the client they
 * just took in. From the first matter on, only the matter teams reach the client (a closed matter
 * does not hand the client back to its creator).
 */
export const isCreatorOfUnmatteredClient = (relation: ClientRelation): boolean => relation.createdClient && !relation.clientHasMatter;

/** Need-to-know (IAM-3): firm-wide roles by policy; matter roles through an open matter they are on. */
export const needsToKnow = (actor: Actor, relation: ClientRelation): boolean =>
  hasFirmScope(actor) || isOnMatter(relation) || isCreatorOfUnmatteredClient(relation);

/** The actor's current grant of this kind on the client, or null. Expiry was checked when loaded. */
export const grantOf = (relation: ClientRelation, kind: ApprovalKind): GrantRef | null => relation.grants?.find((g) => g.kind === kind) ?? null;
export const hasGrant = (relation: ClientRelation, kind: ApprovalKind): boolean => grantOf(relation, kind) !== null;

/** A grant is current from its start until its expiry, unless revoked. Checked at every use. */
export const isCurrentGrant = (grant: { starts_at: string; expires_at: string; revoked_at: string | null }, now: Date): boolean =>
  grant.revoked_at === null && Date.parse(grant.starts_at) <= now.getTime() && now.getTime() < Date.parse(grant.expires_at);

export const isUnderBreakGlass = (relation: ClientRelation): boolean => Boolean(relation.breakGlass);

/**
 * A read_sensitive grant lifts the last tier only (IAM-3): roles cleared for L3 (lawyer, compliance)
 * read L4 unmasked under it; lower roles gain the client but keep their clearance.
 */
export const grantLiftsClearance = (actor: Actor): boolean => ROLE_DEFINITIONS[actor.role].clearance >= 3;

/** Only an explicit `false` counts: the loader always sets it (see ClientRelation). */
export const accessConditionsUnmet = (relation: ClientRelation): boolean => relation.accessConditionsMet === false;

/** Four-eyes predicates (APR-2). */
export const isSelf = (actor: Actor, userId: string): boolean => actor.userId === userId;
export const isSupervisorOf = (actor: Actor, requester: { supervisorId: string | null }): boolean =>
  requester.supervisorId !== null && requester.supervisorId === actor.userId;
export const isComplianceOfficer = (actor: Actor): boolean => actor.role === "compliance";
export const isPartner = (actor: Actor): boolean => actor.role === "partner";

/** The operator at the server's console (the CLI, holding the master key): never a staff account. */
export const CONSOLE_ACTOR_ID = "system:console";
export const isConsoleOperator = (actor: Actor): boolean => actor.userId === CONSOLE_ACTOR_ID;
