/**
 * What the caller may do with one record, returned with the record (as outline's `presentPolicies`),
 * so the console shows only the actions the API would take and keeps no rules of its own.
 *
 * Every ability is the answer of the very policy function the command asks, on the facts the read
 * already loaded: nothing here restates a rule. Where the record's state alone makes the command
 * refuse (a closed matter, a client under a legal hold, a restriction that is not there, a lifted
 * wall) the ability is false as well: an ability never promises what the API would refuse.
 */
import type { Actor } from "./actor.js";
import {
  authorize,
  authorizeApprovalRequest,
  authorizeBreakGlassOpen,
  authorizeConsentChange,
  authorizeExport,
  authorizeIncidentEvidence,
  authorizeMatter,
  authorizeMatterCreate,
  authorizePurposeChange,
  authorizeRecordRead,
  authorizeRecordWrite,
  authorizeRestrictionLift,
  authorizeWallLift,
  mayBeResponsiblePartner,
  mayOwnWall,
  type ClientRelation,
  type Decision,
  type GuardedRecord,
  type MatterRelation,
} from "./policy.js";
import { ACTIONS, isRole, type Action } from "./roles.js";

const allows = (decision: { effect: "allow" | "mask" | "deny" }): boolean => decision.effect !== "deny";

/** The firm-level abilities (menus, "new …" buttons): the actions the policy lets the role take at all. */
export const firmPermissions = (actor: Actor): Action[] => ACTIONS.filter((action) => allows(authorize(actor, action))).sort();

/** What a read of one client loaded: the declared purpose, the guarded record and the reader's relation. */
export interface ClientFacts {
  readonly purpose: string;
  readonly record: GuardedRecord;
  readonly relation: ClientRelation;
  /** An active legal hold keeps the data: erasure is refused (409 legal_hold). */
  readonly underLegalHold: boolean;
  /** Processing is restricted (PIPL Art. 47): only then is there a restriction to lift, and purposes stay put. */
  readonly restricted: boolean;
  /** The caller is the responsible partner of an open matter of the client (purpose changes). */
  readonly responsibleForOpenMatter: boolean;
  /** The read's own decision, when the abilities follow a read: the same call, not made twice. */
  readonly readDecision?: Decision;
}

export interface ClientAbilities {
  read: boolean;
  update: boolean;
  erase: boolean;
  /** Needs a current export grant; without one `requestApproval` is the way to it. */
  export: boolean;
  requestApproval: boolean;
  breakGlass: boolean;
  manageConsent: boolean;
  liftRestriction: boolean;
  openMatter: boolean;
  /** PUT /clients/{id}/purposes; a restricted record keeps its purposes (409 processing_restricted). */
  changePurposes: boolean;
}

export function clientAbilities(actor: Actor, facts: ClientFacts): ClientAbilities {
  const { purpose, record, relation } = facts;
  const read = allows(facts.readDecision ?? authorizeRecordRead(actor, "client.read", purpose, record, relation));
  return {
    read,
    // An update is a read under the same purpose followed by the write check (client-updater.ts).
    update: read && allows(authorizeRecordWrite(actor, "client.update", record, relation)),
    erase: allows(authorizeRecordWrite(actor, "client.erase", record, relation)) && !facts.underLegalHold,
    export: allows(authorizeExport(actor, purpose, record, relation)),
    requestApproval: allows(authorizeApprovalRequest(actor, relation, record.erased)),
    breakGlass: allows(authorizeBreakGlassOpen(actor, record.erased)),
    manageConsent: allows(authorizeConsentChange(actor, record, relation)),
    liftRestriction: allows(authorizeRestrictionLift(actor, record, relation)) && facts.restricted,
    openMatter: allows(authorizeMatterCreate(actor, record, relation)),
    changePurposes:
      allows(authorizePurposeChange(actor, record, { ...relation, responsibleForOpenMatter: facts.responsibleForOpenMatter })) && !facts.restricted,
  };
}

export interface MatterAbilities {
  read: boolean;
  /** Add members or change their matter role (an open matter only). */
  manageTeam: boolean;
  close: boolean;
  /** Raise an ethical wall around this matter. */
  raiseWall: boolean;
}

export function matterAbilities(actor: Actor, facts: { relation: MatterRelation; open: boolean }): MatterAbilities {
  const manage = allows(authorizeMatter(actor, "matter.manage", facts.relation));
  return {
    read: allows(authorizeMatter(actor, "matter.read", facts.relation)),
    // A closed matter takes no new members and cannot be closed again (409 matter_closed).
    manageTeam: manage && facts.open,
    close: manage && facts.open,
    raiseWall: allows(authorize(actor, "wall.manage")),
  };
}

export interface IncidentAbilities {
  /** Status, impact, team, tasks, blast radius, notices. */
  manage: boolean;
  /** Upload, list and download evidence files. */
  evidence: boolean;
}

export const incidentAbilities = (actor: Actor, facts: { onTeam: boolean }): IncidentAbilities => ({
  manage: allows(authorize(actor, "incident.manage")),
  evidence: allows(authorizeIncidentEvidence(actor, facts.onTeam)),
});

export interface WallAbilities {
  lift: boolean;
}

/** A lifted wall cannot be lifted again (409 wall_lifted). */
export const wallAbilities = (actor: Actor, wall: { ownerId: string; liftedAt?: string | null | undefined }): WallAbilities => ({
  lift: !wall.liftedAt && allows(authorizeWallLift(actor, wall)),
});

/** Whom the console may offer when a form names someone answerable: the staff directory carries it. */
export interface StaffEligibility {
  responsiblePartner: boolean;
  wallOwner: boolean;
}

export function staffEligibility(user: { id: string; role: string }): StaffEligibility {
  if (!isRole(user.role)) return { responsiblePartner: false, wallOwner: false };
  const candidate = { userId: user.id, role: user.role };
  return { responsiblePartner: mayBeResponsiblePartner(candidate), wallOwner: mayOwnWall(candidate) };
}
