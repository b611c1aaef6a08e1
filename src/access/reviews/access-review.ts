/**
 * Access reviews (recertification, IAM-4): a campaign snapshots who has which access, each item goes
 * to a reviewer who keeps or revokes it, and a revoke ends the access in the same transaction.
 */
import { AppError } from "../../platform/errors.js";

export const ITEM_KINDS = ["matter_member", "grant", "role"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const DECISIONS = ["keep", "revoke"] as const;
export type Decision = (typeof DECISIONS)[number];

/** Why a reviewer kept or revoked an item: codes, never free text. */
export const DECISION_REASONS = ["still_needed", "left_matter", "role_changed", "left_firm", "excessive", "no_longer_needed", "other"] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** Why compliance closed a campaign with items still undecided. */
export const CLOSE_REASONS = ["deadline_passed", "reviewer_unavailable", "superseded", "other"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** What a revoke did. `already_ended`: the access was gone by the time of the decision. */
export type RevokeEffect = "member_removed" | "grant_revoked" | "user_disabled" | "already_ended";

export interface CampaignProgress {
  total: number;
  decided: number;
  kept: number;
  revoked: number;
  notReviewed: number;
  pending: number;
  overdue: boolean;
}

export interface PresentedCampaign {
  id: string;
  name: string;
  dueOn: string;
  status: "open" | "closed";
  startedBy: string;
  startedAt: string;
  closedBy: string | null;
  closedAt: string | null;
  closeReason: CloseReason | null;
  progress: CampaignProgress;
}

export interface PresentedItem {
  id: string;
  campaignId: string;
  kind: ItemKind;
  subjectUserId: string;
  reviewerId: string | null;
  reviewerPool: "user" | "compliance";
  matterId: string | null;
  /** The matter's docket number (not personal data), for the reviewer's list. */
  matterNumber: string | null;
  grantId: string | null;
  clientId: string | null;
  /** The matter role, the grant kind, or the user's role when the campaign started. */
  access: string;
  decision: Decision | "not_reviewed" | null;
  reasonCode: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  effect: RevokeEffect | null;
}

/** A due date is a calendar day; the campaign is overdue once that day has ended (UTC). */
export const DUE_ON = /^\d{4}-\d{2}-\d{2}$/;
export const dueEnds = (dueOn: string): number => Date.parse(`${dueOn}T00:00:00.000Z`) + 86_400_000;
export const isOverdue = (dueOn: string, status: string, now: Date): boolean => status === "open" && now.getTime() >= dueEnds(dueOn);

/** Campaign names: letters, digits, spaces and a little punctuation (sealed at rest all the same). */
export const CAMPAIGN_NAME = /^[\p{L}\p{N} ._:/()#-]{1,80}$/u;

export const CampaignClosedError = () => new AppError(409, "review_campaign_closed", "The access review campaign is closed.");
export const ItemDecidedError = () => new AppError(409, "review_item_decided", "This review item has already been decided.");
export const ReviewIncompleteError = () =>
  new AppError(409, "review_incomplete", "Some items are still undecided; close with a reason to record them as not reviewed.");
