/**
 * The register of destruction batches (RET-2), newest first, for compliance (`retention.manage`).
 * Rows carry ids, states, people and times, and how many clients a batch names; the client ids
 * themselves are read one batch at a time (GET /retention/batches/{id}).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { decodeCursor, nextCursorOf, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { DestructionBatch } from "./destruction.js";

export const BATCH_STATUSES = ["pending", "approved", "rejected", "executed"] as const;

export type ListedDestructionBatch = Omit<DestructionBatch, "clientIds"> & { clientCount: number };

/** Keyset over `(requested_at, id)`. */
export async function listDestructionBatches(
  services: Services,
  ctx: RequestContext,
  page: { cursor?: string | undefined; limit: number; status?: (typeof BATCH_STATUSES)[number] | undefined },
): Promise<Page<ListedDestructionBatch>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.destruction_list", targetType: "destruction_batch", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    let q = w.tx.selectFrom("destruction_batches").selectAll();
    if (page.status) q = q.where("status", "=", page.status);
    if (after)
      q = q.where((eb) => eb.or([eb("requested_at", "<", after.createdAt), eb.and([eb("requested_at", "=", after.createdAt), eb("id", "<", after.id)])]));
    const rows = await q
      .orderBy("requested_at", "desc")
      .orderBy("id", "desc")
      .limit(page.limit + 1)
      .execute();
    const shown = rows.slice(0, page.limit);
    const counts = shown.length
      ? await w.tx
          .selectFrom("destruction_batch_clients")
          .select(["batch_id", (eb) => eb.fn.countAll<number | string>().as("n")])
          .where(
            "batch_id",
            "in",
            shown.map((r) => r.id),
          )
          .groupBy("batch_id")
          .execute()
      : [];
    const countOf = new Map(counts.map((c) => [c.batch_id, Number(c.n)]));
    const items = shown.map((b) => ({
      id: b.id,
      status: b.status as ListedDestructionBatch["status"],
      clientCount: countOf.get(b.id) ?? 0,
      requestedBy: b.requested_by,
      requestedAt: b.requested_at,
      decidedBy: b.decided_by,
      decidedAt: b.decided_at,
      executedAt: b.executed_at,
      certificateId: b.certificate_id,
    }));
    w.record({ ...event, outcome: "success", details: { results: items.length, status: page.status ?? null } });
    const last = shown.at(-1);
    return { items, nextCursor: nextCursorOf(last && { createdAt: last.requested_at, id: last.id }, rows.length > page.limit) };
  });
}
