/**
 * Small, pure predicates the policy is built from. The facts they read (matter membership, walls)
 * are loaded by the caller — `matters/need-to-know.ts` — so the policy itself does no I/O.
 */
import type { Actor } from "./actor.js";
import { ROLE_DEFINITIONS, type Level } from "./roles.js";

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
