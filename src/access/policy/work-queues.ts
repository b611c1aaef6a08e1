/**
 * Which work queues a caller's home page shows (issue #15). A queue is the caller's share of
 * decisions the policy already lets them take, so the home page never offers work the API would
 * refuse, and no role list lives outside this module.
 *
 * Two kinds: queues of work assigned to a person (an approval whose supervisor slot is theirs, an
 * access-review item, their own training) are everyone's, since being assigned is the authority
 * (authorizeApprovalDecision, authorizeAccessReviewDecision, authorizeOwnTraining); the firm's
 * queues (requests, alerts, break-glass, incident duties) follow the permission that acts on them.
 */
import type { Actor } from "./actor.js";
import { authorize, authorizeOwnTraining, mayBeResponsiblePartner } from "./policy.js";
import { hasFirmScope } from "./predicates.js";
import type { Action } from "./roles.js";

export const WORK_QUEUES = [
  "myMatters",
  "approvalsToDecide",
  "myReviewItems",
  "myTraining",
  "requestsDue",
  "newAlerts",
  "breakGlassToReview",
  "incidentDuties",
] as const;
export type WorkQueue = (typeof WORK_QUEUES)[number];

export function workQueuesOf(actor: Actor): WorkQueue[] {
  const may = (action: Action) => authorize(actor, action).effect !== "deny";
  const shown: Record<WorkQueue, boolean> = {
    // Those who work on matters: the team roles, and partners who answer for them; not the firm-wide readers.
    myMatters: may("matter.read") && (!hasFirmScope(actor) || mayBeResponsiblePartner(actor)),
    approvalsToDecide: true,
    myReviewItems: true,
    myTraining: authorizeOwnTraining(actor, actor.userId).effect !== "deny",
    requestsDue: may("request.manage"),
    newAlerts: may("alert.manage"),
    breakGlassToReview: may("break_glass.review"),
    incidentDuties: may("incident.manage"),
  };
  return WORK_QUEUES.filter((queue) => shown[queue]);
}
