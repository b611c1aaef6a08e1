/**
 * Access-review use cases (IAM-4): compliance starts and closes campaigns (`access_review.manage`);
 * each item's reviewer keeps or revokes it. A revoke ends the access in the decision's transaction,
 * through the same domain steps the rest of Custodia uses (team removal, grant end, leaver cut-off).
 */
import type { RequestContext } from "../policy/actor.js";
import { authorize, authorizeAccessReviewDecision } from "../policy/policy.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import { NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { revokeGrant } from "../grants/grant-store.js";
import { uuidv7 } from "../../platform/ids.js";
import { takeOffTeam } from "../../records/matters/matter-team.js";
import type { Services } from "../../platform/services.js";
import { disableAccount } from "../../identity/users/user-admin.js";
import { sealText } from "../../vault/sealed-text.js";
import {
  CAMPAIGN_NAME,
  CampaignClosedError,
  CLOSE_REASONS,
  DECISION_REASONS,
  DECISIONS,
  DUE_ON,
  dueEnds,
  ItemDecidedError,
  ReviewIncompleteError,
  type CloseReason,
  type Decision,
  type DecisionReason,
  type PresentedCampaign,
  type PresentedItem,
  type RevokeEffect,
} from "./access-review.js";
import { findCampaign, itemsQuery, presentCampaign, presentItem, progressOf, snapshotItems } from "./access-review-store.js";

const includes = (list: readonly string[], v: unknown): boolean => typeof v === "string" && list.includes(v);

/** Starts a campaign: validates name and due day, then snapshots every item to review with its reviewer. */
export async function startAccessReview(services: Services, ctx: RequestContext, input: { name: string; dueOn: string }): Promise<PresentedCampaign> {
  return runAudited(services, ctx, async (w) => {
    const id = uuidv7();
    const event = { action: "access_review.start", targetType: "access_review", targetId: id, purpose: null };
    const role = authorize(ctx.actor, "access_review.manage");
    if (role.effect === "deny") return w.deny(role, { ...event, targetId: null });
    const now = new Date();
    const name = typeof input.name === "string" ? input.name.trim() : "";
    const issues: FieldIssue[] = [];
    if (!CAMPAIGN_NAME.test(name)) issues.push({ field: "name", code: "format", message: "1–80 letters, digits, spaces or . _ : / ( ) # -" });
    if (
      !DUE_ON.test(input.dueOn ?? "") ||
      Number.isNaN(dueEnds(input.dueOn)) ||
      new Date(`${input.dueOn}T00:00:00Z`).toISOString().slice(0, 10) !== input.dueOn
    ) {
      issues.push({ field: "dueOn", code: "format", message: "A date, YYYY-MM-DD." });
    } else if (dueEnds(input.dueOn) <= now.getTime()) issues.push({ field: "dueOn", code: "in_past", message: "The date lies in the past." });
    if (issues.length)
      return w.refuse(ValidationError(issues), { ...event, targetId: null, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const row = {
      id,
      name_ct: sealText(services.vault, "access_review_campaigns", id, "name", name),
      due_on: input.dueOn,
      status: "open",
      started_by: ctx.actor.userId,
      started_at: now.toISOString(),
      closed_by: null,
      closed_at: null,
      close_reason: null,
    };
    await w.tx.insertInto("access_review_campaigns").values(row).execute();
    const counts = await snapshotItems(w.tx, id, now);
    w.record({
      ...event,
      outcome: "success",
      details: { dueOn: input.dueOn, matterMembers: counts.matter_member, grants: counts.grant, roles: counts.role, compliancePool: counts.compliancePool },
    });
    return presentCampaign(services.vault, row, (await progressOf(w.tx, [row], now)).get(id)!);
  });
}

/**
 * Closes a campaign. With items still undecided it is refused unless a reason code is given; those
 * items are then recorded as `not_reviewed` with that reason, and their access stays as it was.
 */
export async function closeAccessReview(
  services: Services,
  ctx: RequestContext,
  id: string,
  input: { reason?: CloseReason | undefined },
): Promise<PresentedCampaign> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "access_review.close", targetType: "access_review", targetId: id, purpose: null };
    const role = authorize(ctx.actor, "access_review.manage");
    if (role.effect === "deny") return w.deny(role, event);
    if (input.reason !== undefined && !includes(CLOSE_REASONS, input.reason))
      return w.refuse(ValidationError([{ field: "reason", code: "invalid_value", message: "Not a close reason code." }]), event, "failure");
    const campaign = await findCampaign(w.tx, id);
    if (!campaign) return w.refuse(NotFoundError("Access review"), event, "failure");
    if (campaign.status !== "open") return w.refuse(CampaignClosedError(), event, "failure");
    const now = new Date();
    const pending = (await progressOf(w.tx, [campaign], now)).get(id)!.pending;
    if (pending > 0 && !input.reason) return w.refuse(ReviewIncompleteError(), { ...event, details: { pending } }, "failure");
    const at = now.toISOString();
    if (pending > 0) {
      await w.tx
        .updateTable("access_review_items")
        .set({ decision: "not_reviewed", reason_code: input.reason!, decided_by: ctx.actor.userId, decided_at: at })
        .where("campaign_id", "=", id)
        .where("decision", "is", null)
        .execute();
    }
    const closed = { status: "closed", closed_by: ctx.actor.userId, closed_at: at, close_reason: pending > 0 ? input.reason! : null };
    await w.tx.updateTable("access_review_campaigns").set(closed).where("id", "=", id).where("status", "=", "open").execute();
    w.record({ ...event, outcome: "success", reason: closed.close_reason, details: { notReviewed: pending } });
    const row = { ...campaign, ...closed };
    return presentCampaign(services.vault, row, (await progressOf(w.tx, [row], now)).get(id)!);
  });
}

/** Ends the reviewed access now; `already_ended` when it was gone (or changed) before the decision. */
async function revoke(
  w: AuditedWork,
  item: { id: string; kind: string; subject_user_id: string; matter_id: string | null; grant_id: string | null; client_id: string | null; access: string },
): Promise<RevokeEffect> {
  const via = { accessReviewItemId: item.id };
  if (item.kind === "matter_member") return (await takeOffTeam(w, item.matter_id!, item.subject_user_id, via)) ? "member_removed" : "already_ended";
  if (item.kind === "grant") {
    if (!(await revokeGrant(w.tx, item.grant_id!, new Date().toISOString()))) return "already_ended";
    w.record({
      action: "grant.revoke",
      outcome: "success",
      targetType: "grant",
      targetId: item.grant_id,
      purpose: null,
      details: { userId: item.subject_user_id, clientId: item.client_id, ...via },
    });
    return "grant_revoked";
  }
  // A role is revoked by disabling the account (the leaver path): no lesser role is safe to pick
  // automatically. A user whose role has changed since the snapshot holds a role nobody reviewed yet.
  const user = await w.tx.selectFrom("users").select(["id", "status", "role"]).where("id", "=", item.subject_user_id).executeTakeFirst();
  if (user?.status !== "active" || user.role !== item.access) return "already_ended";
  await disableAccount(w, user, via);
  return "user_disabled";
}

/**
 * A reviewer's decision on one item. Only the assigned reviewer (or compliance, for its items) and
 * never the subject; the item is claimed before anything is revoked, so two decisions cannot both act.
 */
export async function decideAccessReviewItem(
  services: Services,
  ctx: RequestContext,
  itemId: string,
  input: { decision: Decision; reasonCode?: DecisionReason | undefined },
): Promise<PresentedItem> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "access_review.decide", targetType: "access_review_item", targetId: itemId, purpose: null };
    const item = await itemsQuery(w.tx).where("i.id", "=", itemId).executeTakeFirst();
    if (!item) return w.refuse(NotFoundError("Review item"), event, "failure");
    const facts = { campaignId: item.campaign_id, kind: item.kind, subjectUserId: item.subject_user_id };
    const decision = authorizeAccessReviewDecision(ctx.actor, {
      subjectUserId: item.subject_user_id,
      reviewerId: item.reviewer_id,
      pool: item.reviewer_pool === "compliance" ? "compliance" : "user",
    });
    if (decision.effect === "deny") return w.deny(decision, { ...event, details: facts });
    const issues: FieldIssue[] = [];
    if (!includes(DECISIONS, input.decision)) issues.push({ field: "decision", code: "invalid_value", message: "keep or revoke." });
    if (input.reasonCode !== undefined && !includes(DECISION_REASONS, input.reasonCode))
      issues.push({ field: "reasonCode", code: "invalid_value", message: "Not a reason code." });
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: facts }, "failure");
    const campaign = await findCampaign(w.tx, item.campaign_id);
    if (campaign?.status !== "open") return w.refuse(CampaignClosedError(), { ...event, details: facts }, "failure");
    const at = new Date().toISOString();
    const claimed = await w.tx
      .updateTable("access_review_items")
      .set({ decision: input.decision, reason_code: input.reasonCode ?? null, decided_by: ctx.actor.userId, decided_at: at })
      .where("id", "=", itemId)
      .where("decision", "is", null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return w.refuse(ItemDecidedError(), { ...event, details: facts }, "failure");
    const effect = input.decision === "revoke" ? await revoke(w, item) : null;
    if (effect) await w.tx.updateTable("access_review_items").set({ effect }).where("id", "=", itemId).execute();
    w.record({ ...event, outcome: "success", reason: input.reasonCode ?? null, details: { ...facts, decision: input.decision, effect } });
    return presentItem({ ...item, decision: input.decision, reason_code: input.reasonCode ?? null, decided_by: ctx.actor.userId, decided_at: at, effect });
  });
}
