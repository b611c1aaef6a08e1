/** Reading access reviews: campaigns and progress (compliance), and each reviewer's own pending items. */
import type { Actor, RequestContext } from "../policy/actor.js";
import { authorize } from "../policy/policy.js";
import { isComplianceOfficer } from "../policy/predicates.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import type { PresentedCampaign, PresentedItem } from "./access-review.js";
import { findCampaign, itemsQuery, presentCampaign, presentItem, progressOf } from "./access-review-store.js";

/** Most items one answer carries; the progress counts always cover all of them. */
export const ITEM_LIMIT = 2000;

/** Every campaign, newest first, with decided/total and the overdue flag. */
export async function listAccessReviews(services: Services, ctx: RequestContext): Promise<PresentedCampaign[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "access_review.list", targetType: "access_review", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "access_review.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const rows = await w.tx.selectFrom("access_review_campaigns").selectAll().orderBy("started_at", "desc").orderBy("id", "desc").limit(200).execute();
    const progress = await progressOf(w.tx, rows, new Date());
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return rows.map((r) => presentCampaign(services.vault, r, progress.get(r.id)!));
  });
}

/** One campaign's progress and its items (up to ITEM_LIMIT, pending first). */
export async function accessReviewStatus(
  services: Services,
  ctx: RequestContext,
  id: string,
): Promise<PresentedCampaign & { items: PresentedItem[]; truncated: boolean }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "access_review.read", targetType: "access_review", targetId: id, purpose: null };
    const role = authorize(ctx.actor, "access_review.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const row = await findCampaign(w.tx, id);
    if (!row) return w.refuse(NotFoundError("Access review"), event, "failure");
    const progress = (await progressOf(w.tx, [row], new Date())).get(id)!;
    const items = await itemsQuery(w.tx)
      .where("i.campaign_id", "=", id)
      .orderBy("i.decided_at", "desc")
      .orderBy("i.kind")
      .orderBy("i.id")
      .limit(ITEM_LIMIT)
      .execute();
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return { ...presentCampaign(services.vault, row, progress), items: items.map(presentItem), truncated: progress.total > items.length };
  });
}

/** The actor's pending items across open campaigns, soonest due first (also the home page's work queue). */
export function pendingItemsOf(tx: Tx, actor: Actor) {
  const me = actor.userId;
  const compliance = isComplianceOfficer(actor);
  return itemsQuery(tx)
    .innerJoin("access_review_campaigns as c", "c.id", "i.campaign_id")
    .select("c.due_on")
    .where("c.status", "=", "open")
    .where("i.decision", "is", null)
    .where("i.subject_user_id", "!=", me)
    .where((eb) => (compliance ? eb.or([eb("i.reviewer_id", "=", me), eb("i.reviewer_pool", "=", "compliance")]) : eb("i.reviewer_id", "=", me)))
    .orderBy("c.due_on")
    .orderBy("i.kind")
    .orderBy("i.id");
}

/**
 * The caller's pending items across open campaigns: those assigned to them and, for a compliance
 * officer, compliance's items. Never an item about the caller's own access (four-eyes).
 */
export async function myReviewItems(services: Services, ctx: RequestContext): Promise<PresentedItem[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "access_review.items", targetType: "access_review_item", targetId: null, purpose: null };
    const rows = await pendingItemsOf(w.tx, ctx.actor).limit(ITEM_LIMIT).execute();
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return rows.map(presentItem);
  });
}
