import type { RequestContext } from "../policy/actor.js";
import { authorize, authorizeBreakGlassOpen, authorizeBreakGlassReview } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { findClientRow } from "../../records/clients/client-store.js";
import type { Tx } from "../../platform/db/engine.js";
import { GoneError, NotFoundError, ReviewNotPendingError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { raiseBreakGlassAlert } from "../../response/detection/alert-store.js";
import { notify } from "../../response/notifications/notifier.js";
import {
  BREAK_GLASS_JUSTIFICATIONS,
  BREAK_GLASS_MINUTES,
  BREAK_GLASS_REFERENCE,
  REVIEW_OUTCOMES,
  type BreakGlassJustification,
  type PresentedBreakGlass,
  type ReviewOutcome,
} from "./break-glass.js";

async function present(tx: Tx, id: string): Promise<PresentedBreakGlass | null> {
  const row = await tx
    .selectFrom("break_glass_accesses as a")
    .innerJoin("break_glass_reviews as r", "r.access_id", "a.id")
    .selectAll("a")
    .select(["r.status", "r.reviewer_id", "r.reviewed_at"])
    .where("a.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    clientId: row.client_id,
    justification: row.justification as BreakGlassJustification,
    reference: row.reference,
    openedAt: row.opened_at,
    expiresAt: row.expires_at,
    review: { status: row.status as PresentedBreakGlass["review"]["status"], reviewerId: row.reviewer_id, reviewedAt: row.reviewed_at },
  };
}

/**
 * Opens emergency access to one client for BREAK_GLASS_MINUTES: it overrides need-to-know and
 * walls (the only thing that does) for reads. It alerts compliance at once and queues a mandatory
 * after-the-fact review. The justification is a code plus a mandatory ticket or incident reference.
 */
export async function openBreakGlassAccess(
  services: Services,
  ctx: RequestContext,
  clientId: string,
  input: { justification: BreakGlassJustification; reference: string },
): Promise<PresentedBreakGlass & { notified: number }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "break_glass.open", targetType: "client", targetId: clientId, purpose: null };
    const issues: FieldIssue[] = [];
    if (!(BREAK_GLASS_JUSTIFICATIONS as readonly string[]).includes(input.justification))
      issues.push({ field: "justification", code: "invalid_value", message: "Not a justification code." });
    if (!BREAK_GLASS_REFERENCE.test(input.reference ?? "")) issues.push({ field: "reference", code: "format", message: "A ticket or incident number." });
    const client = await findClientRow(w.tx, clientId);
    const decision = authorizeBreakGlassOpen(ctx.actor, client?.status === "erased");
    if (decision.effect === "deny" && decision.reason === "role_lacks_permission") return w.deny(decision, event);
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    if (decision.effect === "deny") return w.refuse(GoneError(), event, "failure");
    const now = new Date();
    const id = uuidv7();
    const expiresAt = new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000).toISOString();
    await w.tx
      .insertInto("break_glass_accesses")
      .values({
        id,
        user_id: ctx.actor.userId,
        client_id: clientId,
        justification: input.justification,
        reference: input.reference,
        opened_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    await w.tx
      .insertInto("break_glass_reviews")
      .values({ access_id: id, status: "pending", reviewer_id: null, reviewed_at: null, created_at: now.toISOString() })
      .execute();
    w.record(
      {
        ...event,
        outcome: "success",
        reason: "break_glass",
        details: { breakGlassId: id, justification: input.justification, reference: input.reference, expiresAt, severity: "high" },
      },
      // One high-severity alert for compliance, raised by detection (which owns alerts) on the opening event.
      (opened) => raiseBreakGlassAlert(w.tx, { userId: ctx.actor.userId, event: opened }),
    );
    // And a notification to those subscribed (compliance by default): the caller is told how many.
    const notified = await notify(w.tx, services.vault, {
      kind: "break_glass.opened",
      breakGlassId: id,
      userId: ctx.actor.userId,
      expiresAt,
      at: now.toISOString(),
    });
    return { ...(await present(w.tx, id))!, notified };
  });
}

/** The mandatory after-the-fact review, by compliance (never by the person who broke the glass). */
export async function reviewBreakGlassAccess(
  services: Services,
  ctx: RequestContext,
  id: string,
  input: { outcome: ReviewOutcome },
): Promise<PresentedBreakGlass> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "break_glass.review", targetType: "break_glass", targetId: id, purpose: null };
    const access = await w.tx.selectFrom("break_glass_accesses").select(["user_id", "client_id"]).where("id", "=", id).executeTakeFirst();
    const decision = authorizeBreakGlassReview(ctx.actor, access?.user_id ?? "");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!access) return w.refuse(NotFoundError("Break-glass access"), event, "failure");
    if (!(REVIEW_OUTCOMES as readonly string[]).includes(input.outcome))
      return w.refuse(ValidationError([{ field: "outcome", code: "invalid_value", message: "accepted or rejected." }]), event, "failure");
    const review = await w.tx.selectFrom("break_glass_reviews").select("status").where("access_id", "=", id).executeTakeFirstOrThrow();
    if (review.status !== "pending") return w.refuse(ReviewNotPendingError(), { ...event, details: { status: review.status } }, "failure");
    const at = new Date().toISOString();
    await w.tx
      .updateTable("break_glass_reviews")
      .set({ status: input.outcome, reviewer_id: ctx.actor.userId, reviewed_at: at })
      .where("access_id", "=", id)
      .execute();
    // A rejected emergency access ends at once if it is still open.
    if (input.outcome === "rejected")
      await w.tx.updateTable("break_glass_accesses").set({ expires_at: at }).where("id", "=", id).where("expires_at", ">", at).execute();
    w.record({ ...event, outcome: "success", details: { outcome: input.outcome, userId: access.user_id, clientId: access.client_id } });
    return (await present(w.tx, id))!;
  });
}

/** The caller's own break-glass accesses still open (the console's banner counts them down), soonest to end first. */
export async function listMyActiveBreakGlass(services: Services, ctx: RequestContext): Promise<PresentedBreakGlass[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "break_glass.list_own", targetType: "break_glass", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "break_glass.open");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx
      .selectFrom("break_glass_accesses")
      .select("id")
      .where("user_id", "=", ctx.actor.userId)
      .where("expires_at", ">", new Date().toISOString())
      .orderBy("expires_at")
      .limit(50)
      .execute();
    const items: PresentedBreakGlass[] = [];
    for (const { id } of rows) items.push((await present(w.tx, id))!);
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return items;
  });
}

/** Break-glass accesses waiting for review (compliance's queue), oldest first. */
export async function listPendingBreakGlass(services: Services, ctx: RequestContext): Promise<PresentedBreakGlass[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "break_glass.list", targetType: "break_glass", targetId: null, purpose: null };
    const decision = authorizeBreakGlassReview(ctx.actor, "");
    if (decision.effect === "deny") return w.deny(decision, event);
    const ids = await w.tx.selectFrom("break_glass_reviews").select("access_id").where("status", "=", "pending").orderBy("created_at").limit(200).execute();
    const items: PresentedBreakGlass[] = [];
    for (const { access_id } of ids) items.push((await present(w.tx, access_id))!);
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return items;
  });
}
