/**
 * Legal holds (RET-1..3, minimal): a hold keeps a client's data whatever else would destroy it —
 * a deletion request, a direct erasure, later the retention sweep. A custodian answers for it, a
 * reason code says why, and a review date says when someone must decide whether it still applies.
 * Placing and lifting take `hold.manage` (compliance); every step is audited with ids and codes.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { findClientRow } from "../../records/clients/client-store.js";
import type { DbLegalHold } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";

export const HOLD_REASONS = [
  "litigation_pending",
  "litigation_anticipated",
  "regulatory_investigation",
  "internal_investigation",
  "statutory_retention",
  "audit",
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export const HOLD_LIFT_REASONS = ["matter_concluded", "investigation_closed", "retention_expired", "placed_in_error"] as const;
export type HoldLiftReason = (typeof HOLD_LIFT_REASONS)[number];

export interface LegalHold {
  id: string;
  clientId: string;
  custodianId: string;
  reason: HoldReason;
  reference: string | null;
  reviewDate: string;
  placedBy: string;
  placedAt: string;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
}

export const presentHold = (r: DbLegalHold): LegalHold => ({
  id: r.id,
  clientId: r.client_id,
  custodianId: r.custodian_id,
  reason: r.reason as HoldReason,
  reference: r.reference,
  reviewDate: r.review_date,
  placedBy: r.placed_by,
  placedAt: r.placed_at,
  liftedAt: r.lifted_at,
  liftedBy: r.lifted_by,
  liftReason: r.lift_reason,
});

export interface HoldInput {
  clientId: string;
  custodianId: string;
  reason: HoldReason;
  /** A case or docket number, never free text. */
  reference?: string | undefined;
  /** YYYY-MM-DD, not in the past. */
  reviewDate: string;
}

export const HoldLiftedError = () => ConflictError("hold_lifted", "The legal hold is already lifted.");

export async function placeHold(services: Services, ctx: RequestContext, input: HoldInput): Promise<LegalHold> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "hold.place", targetType: "client", targetId: input.clientId, purpose: null };
    const decision = authorize(ctx.actor, "hold.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const client = await findClientRow(w.tx, input.clientId);
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    const custodian = await w.tx.selectFrom("users").select(["id", "status"]).where("id", "=", input.custodianId).executeTakeFirst();
    if (custodian?.status !== "active") {
      return w.refuse(ValidationError([{ field: "custodianId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    }
    const now = new Date().toISOString();
    if (input.reviewDate < now.slice(0, 10)) {
      return w.refuse(ValidationError([{ field: "reviewDate", code: "in_past", message: "The review date lies in the past." }]), event, "failure");
    }
    const row: DbLegalHold = {
      id: uuidv7(),
      client_id: input.clientId,
      custodian_id: input.custodianId,
      reason: input.reason,
      reference: input.reference ?? null,
      review_date: input.reviewDate,
      placed_by: ctx.actor.userId,
      placed_at: now,
      lifted_at: null,
      lifted_by: null,
      lift_reason: null,
    };
    await w.tx.insertInto("legal_holds").values(row).execute();
    w.record({ ...event, outcome: "success", details: { holdId: row.id, holdReason: row.reason, custodianId: row.custodian_id, reviewDate: row.review_date } });
    return presentHold(row);
  });
}

export async function liftHold(services: Services, ctx: RequestContext, holdId: string, reason: HoldLiftReason): Promise<LegalHold> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "hold.lift", targetType: "legal_hold", targetId: holdId, purpose: null };
    const decision = authorize(ctx.actor, "hold.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("legal_holds").selectAll().where("id", "=", holdId).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Legal hold"), event, "failure");
    if (row.lifted_at) return w.refuse(HoldLiftedError(), event, "failure");
    const now = new Date().toISOString();
    await w.tx.updateTable("legal_holds").set({ lifted_at: now, lifted_by: ctx.actor.userId, lift_reason: reason }).where("id", "=", holdId).execute();
    w.record({ ...event, outcome: "success", details: { clientId: row.client_id, liftReason: reason } });
    return presentHold({ ...row, lifted_at: now, lifted_by: ctx.actor.userId, lift_reason: reason });
  });
}

export async function listHolds(
  services: Services,
  ctx: RequestContext,
  filter: { clientId?: string | undefined; active?: boolean | undefined },
): Promise<LegalHold[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "hold.list", targetType: filter.clientId ? "client" : null, targetId: filter.clientId ?? null, purpose: null };
    const decision = authorize(ctx.actor, "hold.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    let q = w.tx.selectFrom("legal_holds").selectAll();
    if (filter.clientId) q = q.where("client_id", "=", filter.clientId);
    if (filter.active) q = q.where("lifted_at", "is", null);
    const rows = await q.orderBy("placed_at", "desc").limit(500).execute();
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return rows.map(presentHold);
  });
}
