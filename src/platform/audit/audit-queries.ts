import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import { raiseWallBreachAlerts, screenedClients } from "../../access/walls/screening.js";
import { runAudited } from "./audited.js";
import { proveEvents } from "./audit-proofs.js";
import { auditLogKey } from "./tree-checkpoint.js";
import type { Tx } from "../db/engine.js";
import type { ProvenEventRow } from "./audit-proofs.js";

/** The walled clients and their matters: a screened reader sees no event about them. */
async function hiddenIds(tx: Tx, screened: ReadonlyMap<string, unknown>): Promise<string[]> {
  const clients = [...screened.keys()];
  const matters = (await tx.selectFrom("matters").select("id").where("client_id", "in", clients).execute()).map((m) => m.id);
  return [...clients, ...matters];
}

export interface AuditFilter {
  clientId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Leave out the routine entries (ROUTINE_ACTION_SUFFIXES, ROUTINE_ACTIONS) that bury the rest when someone reads the log. */
  hideRoutine?: boolean | undefined;
  /** Return events with seq below this (newest first paging). */
  before?: number | undefined;
  limit: number;
}

/**
 * Entries a page view writes by the dozen: lists (`….list`), each client named in a list or a
 * picker (`….list_item`), lookups (`….lookup`), and the reads of the log, the KPIs and one's own
 * work queues. Hidden on request, never deleted.
 */
export const ROUTINE_ACTION_SUFFIXES = [".list", ".list_item", ".lookup"] as const;
export const ROUTINE_ACTIONS = ["audit.read", "kpi.read", "work.read"] as const;

export interface AuditEventView {
  seq: number;
  /** Place in the log; null while pending (recorded, not yet placed and signed by the sequencer). */
  position: number | null;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  purpose: string | null;
  outcome: string;
  reason: string | null;
  requestId: string | null;
  details: unknown;
}

/** Who did what, to whom, why and with what outcome — newest first. Reading the log is audited too. */
export async function listAuditEvents(
  services: Services,
  ctx: RequestContext,
  filter: AuditFilter,
): Promise<{ items: AuditEventView[]; nextBefore: number | null }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "audit.read", targetType: filter.clientId ? "client" : null, targetId: filter.clientId ?? null, purpose: null };
    const decision = authorize(ctx.actor, "audit.read");
    if (decision.effect === "deny") return w.deny(decision, event);
    // Walls apply to the audit trail too: a screened reader must not learn that a walled client
    // exists from its access history, so it is answered like an unknown client and left out of lists.
    const screened = await screenedClients(w.tx, ctx.actor.userId);
    const walls = filter.clientId ? screened.get(filter.clientId) : undefined;
    if (walls)
      return w.refuse(NotFoundError("Client"), { ...event, reason: "screened_by_wall" }, "denied", raiseWallBreachAlerts(w.tx, ctx.actor.userId, walls));
    let q = w.tx.selectFrom("audit_events").selectAll();
    if (screened.size > 0) {
      const hidden = await hiddenIds(w.tx, screened);
      // Events about a walled client or its matters, and events naming either in their details.
      q = q.where((eb) => eb.or([eb("target_id", "is", null), eb("target_id", "not in", hidden)]));
      for (const id of hidden) q = q.where((eb) => eb.or([eb("details", "is", null), eb("details", "not like", `%${id}%`)]));
    }
    if (filter.clientId) q = q.where("target_type", "=", "client").where("target_id", "=", filter.clientId);
    if (filter.actorId) q = q.where("actor_id", "=", filter.actorId);
    if (filter.action) q = q.where("action", "=", filter.action);
    if (filter.outcome) q = q.where("outcome", "=", filter.outcome);
    if (filter.hideRoutine)
      q = q.where((eb) =>
        eb.not(eb.or([...ROUTINE_ACTION_SUFFIXES.map((suffix) => eb("action", "like", `%${suffix}`)), eb("action", "in", [...ROUTINE_ACTIONS])])),
      );
    if (filter.from) q = q.where("at", ">=", filter.from);
    if (filter.to) q = q.where("at", "<", filter.to);
    if (filter.before) q = q.where("seq", "<", filter.before);
    const rows = await q
      .orderBy("seq", "desc")
      .limit(filter.limit + 1)
      .execute();
    const page = rows.slice(0, filter.limit);
    w.record({ ...event, outcome: "success", details: { results: page.length } });
    return {
      items: page.map((r) => ({
        seq: r.seq,
        position: r.position === null ? null : Number(r.position),
        at: r.at,
        actorId: r.actor_id,
        actorRole: r.actor_role,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        purpose: r.purpose,
        outcome: r.outcome,
        reason: r.reason,
        requestId: r.request_id,
        details: r.details ? JSON.parse(r.details) : null,
      })),
      nextBefore: rows.length > filter.limit ? (page.at(-1)?.seq ?? null) : null,
    };
  });
}

export interface AuditEventProof {
  /** The log's verifier key; a checker should hold the firm's published copy. */
  vkey: string;
  treeSize: number;
  /** C2SP tlog-checkpoint signed note. */
  checkpoint: string;
  index: number;
  /** RFC 9162 audit path, bottom up, base64. */
  proof: string[];
  event: ProvenEventRow;
}

/**
 * One event's inclusion proof under a checkpoint signed now (so the newest events are covered), for
 * an auditor or a witness. Walls apply as to the trail: an event about a walled client is not found.
 */
export async function proveAuditEvent(services: Services, ctx: RequestContext, eventId: string): Promise<AuditEventProof> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "audit.prove", targetType: "audit_event", targetId: eventId, purpose: null };
    const decision = authorize(ctx.actor, "audit.read");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("audit_events").selectAll().where("id", "=", eventId).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Audit event"), event);
    const screened = await screenedClients(w.tx, ctx.actor.userId);
    if (screened.size > 0) {
      const hidden = await hiddenIds(w.tx, screened);
      if (hidden.some((id) => row.target_id === id || row.details?.includes(id)))
        return w.refuse(NotFoundError("Audit event"), { ...event, reason: "screened_by_wall" });
    }
    await services.auditLog.integrate(w.tx);
    const { checkpoint, proofs } = await proveEvents(w.tx, [row]);
    w.record({ ...event, outcome: "success", details: { treeSize: checkpoint.size } });
    const { index, proof, event: proven } = proofs[0]!;
    return { vkey: auditLogKey(services.vault.checkpointPublicKey).vkey, treeSize: checkpoint.size, checkpoint: checkpoint.note, index, proof, event: proven };
  });
}
