/**
 * Destruction (RET-2, RET-3): a batch of due clients is asked for, approved by one compliance officer
 * other than the requester, then executed: each client is crypto-shredded (its data key destroyed,
 * ciphertexts and indexes cleared), anonymised statistics are counted in the same transaction, and a
 * destruction certificate is issued. Nothing runs without the approval; everything is audited with
 * ids, codes and counts only.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeDestructionDecision } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { shredClient } from "../../records/clients/client-eraser.js";
import { purgeAfterCommit } from "../../records/documents/document-blob-sweeper.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbDestructionBatch, DbDestructionCertificate } from "../../platform/db/schema.js";
import { AppError, ApprovalNotPendingError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { sweepIn } from "./retention-sweeper.js";
import { type OutsideHolder, outsideHoldersOf, requestReturnsWithin } from "../../records/disclosures/disclosure-returns.js";

export const DESTRUCTION_METHOD =
  "crypto-shredding: per-client data key destroyed; ciphertexts and blind indexes cleared; documents' file keys destroyed and their files deleted";
export const MAX_BATCH = 1000;

export const DestructionNotApprovedError = () =>
  new AppError(409, "destruction_not_approved", "This destruction batch is not approved, or was already executed.");

export interface DestructionBatch {
  id: string;
  status: "pending" | "approved" | "rejected" | "executed";
  clientIds: string[];
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  executedAt: string | null;
  certificateId: string | null;
}

export interface DestructionCertificate {
  id: string;
  batchId: string;
  issuedAt: string;
  method: string;
  /** How many records of each class were destroyed. */
  recordCounts: Record<string, number>;
  clientIds: string[];
  /** Clients of the batch left alone at execution, with the reason code. */
  skipped: { clientId: string; reason: string }[];
  requestedBy: string;
  approvers: { userId: string; decidedAt: string }[];
  /**
   * Who must be told, per client. There is no register of partners or recipients the data went to
   * yet, so this lists each client's matter teams and responsible partners.
   */
  notify: { clientId: string; userIds: string[] }[];
  notifySource: "matter_team";
  audit: { seqFrom: number | null; seqTo: number | null };
  /**
   * Partners that received the destroyed clients' data (src/records/disclosures/), asked to return
   * or delete it when the batch ran (RET-3). Read live: a confirmation that arrives later shows here,
   * and one still awaited shows as `return_requested`. Destruction does not wait for them: the
   * firm's own copy goes when it is due, and the certificate records what is still outside.
   */
  outsideHolders: OutsideHolder[];
}

async function presentBatch(tx: Tx, b: DbDestructionBatch): Promise<DestructionBatch> {
  const clients = await tx.selectFrom("destruction_batch_clients").select("client_id").where("batch_id", "=", b.id).orderBy("client_id").execute();
  return {
    id: b.id,
    status: b.status as DestructionBatch["status"],
    clientIds: clients.map((c) => c.client_id),
    requestedBy: b.requested_by,
    requestedAt: b.requested_at,
    decidedBy: b.decided_by,
    decidedAt: b.decided_at,
    executedAt: b.executed_at,
    certificateId: b.certificate_id,
  };
}

export const presentCertificate = (c: DbDestructionCertificate): Omit<DestructionCertificate, "outsideHolders"> => ({
  id: c.id,
  batchId: c.batch_id,
  issuedAt: c.issued_at,
  method: c.method,
  recordCounts: JSON.parse(c.record_counts),
  clientIds: JSON.parse(c.client_ids),
  skipped: JSON.parse(c.skipped),
  requestedBy: c.requested_by,
  approvers: JSON.parse(c.approvers),
  notify: JSON.parse(c.notify),
  notifySource: "matter_team",
  audit: { seqFrom: c.audit_seq_from === null ? null : Number(c.audit_seq_from), seqTo: c.audit_seq_to === null ? null : Number(c.audit_seq_to) },
});

const findBatch = (tx: Tx, id: string) => tx.selectFrom("destruction_batches").selectAll().where("id", "=", id).executeTakeFirst();

/** Asks for the destruction of due clients: the given ones (each must be due now) or all of them. */
export async function requestDestruction(services: Services, ctx: RequestContext, input: { clientIds?: string[] | undefined } = {}): Promise<DestructionBatch> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.destruction_request", targetType: "destruction_batch", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const now = new Date().toISOString();
    const sweep = await sweepIn(w.tx, now, input.clientIds);
    const due = new Set(sweep.due.map((d) => d.clientId));
    const wanted = input.clientIds ? [...new Set(input.clientIds)] : [...due].slice(0, MAX_BATCH);
    const notDue = wanted.filter((id) => !due.has(id));
    if (notDue.length || !wanted.length || wanted.length > MAX_BATCH) {
      const code = !wanted.length ? "nothing_due" : wanted.length > MAX_BATCH ? "too_big" : "not_due";
      return w.refuse(
        ValidationError([{ field: "clientIds", code, message: "Only clients due for destruction and not under a legal hold, at most 1000." }]),
        { ...event, details: { notDue: notDue.length } },
        "failure",
      );
    }
    const batch: DbDestructionBatch = {
      id: uuidv7(),
      status: "pending",
      requested_by: ctx.actor.userId,
      requested_at: now,
      decided_by: null,
      decided_at: null,
      executed_at: null,
      certificate_id: null,
    };
    await w.tx.insertInto("destruction_batches").values(batch).execute();
    for (let i = 0; i < wanted.length; i += 500) {
      await w.tx
        .insertInto("destruction_batch_clients")
        .values(wanted.slice(i, i + 500).map((client_id) => ({ batch_id: batch.id, client_id })))
        .execute();
    }
    w.record({ ...event, targetId: batch.id, outcome: "success", details: { clients: wanted.length } });
    return presentBatch(w.tx, batch);
  });
}

export async function readDestructionBatch(services: Services, ctx: RequestContext, id: string): Promise<DestructionBatch> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.destruction_read", targetType: "destruction_batch", targetId: id, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const batch = await findBatch(w.tx, id);
    if (!batch) return w.refuse(NotFoundError("Destruction batch"), event, "failure");
    w.record({ ...event, outcome: "success" });
    return presentBatch(w.tx, batch);
  });
}

/** One compliance officer, never the requester, approves or rejects a pending batch. */
export async function decideDestruction(services: Services, ctx: RequestContext, id: string, verdict: "approve" | "reject"): Promise<DestructionBatch> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: `retention.destruction_${verdict}`, targetType: "destruction_batch", targetId: id, purpose: null };
    const role = authorize(ctx.actor, "retention.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const batch = await findBatch(w.tx, id);
    if (!batch) return w.refuse(NotFoundError("Destruction batch"), event, "failure");
    const decision = authorizeDestructionDecision(ctx.actor, { requestedBy: batch.requested_by });
    if (decision.effect === "deny") return w.deny(decision, event);
    if (batch.status !== "pending") return w.refuse(ApprovalNotPendingError(), { ...event, details: { status: batch.status } }, "failure");
    const at = new Date().toISOString();
    const status = verdict === "approve" ? "approved" : "rejected";
    await w.tx
      .updateTable("destruction_batches")
      .set({ status, decided_by: ctx.actor.userId, decided_at: at })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .execute();
    w.record({ ...event, outcome: "success", details: { requestedBy: batch.requested_by } });
    return presentBatch(w.tx, { ...batch, status, decided_by: ctx.actor.userId, decided_at: at });
  });
}

/**
 * Executes an approved batch. Each client is checked again (a hold placed since, a matter reopened,
 * an erasure meanwhile) and skipped with a reason; the rest are shredded, counted and certified.
 */
export async function executeDestruction(services: Services, ctx: RequestContext, id: string): Promise<DestructionCertificate> {
  const certified = await runAudited(services, ctx, async (w) => {
    const event = { action: "retention.destruction_execute", targetType: "destruction_batch", targetId: id, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const batch = await findBatch(w.tx, id);
    if (!batch) return w.refuse(NotFoundError("Destruction batch"), event, "failure");
    if (batch.status !== "approved" || !batch.decided_by || !batch.decided_at)
      return w.refuse(DestructionNotApprovedError(), { ...event, details: { status: batch.status } }, "failure");

    const now = new Date().toISOString();
    const clientIds = (await presentBatch(w.tx, batch)).clientIds;
    const sweep = await sweepIn(w.tx, now, clientIds);
    const due = new Set(sweep.due.map((d) => d.clientId));
    const held = new Set(sweep.held.map((h) => h.clientId));
    const certificateId = uuidv7();
    const destroyed: string[] = [];
    const skipped: { clientId: string; reason: string }[] = [];
    const notify: { clientId: string; userIds: string[] }[] = [];
    let matterCount = 0;
    let keyCount = 0;
    // Outside holders first (RET-3): each partner holding a client about to be destroyed is asked to
    // return or delete it, in this transaction, so no destruction happens without its request.
    await requestReturnsWithin(services, w, { clientIds: clientIds.filter((c) => due.has(c)) }, "client_destroyed", new Date(now));
    // The clients' documents (src/records/documents/), destroyed with them: counts only.
    const documentCount = { documents: 0, versions: 0, bytes: 0 };
    const stats = new Map<string, { area: string; year: number; clients: number; matters: number }>();
    const bump = (area: string, year: number, clients: number, matters: number) => {
      const key = `${area}:${year}`;
      const s = stats.get(key) ?? { area, year, clients: 0, matters: 0 };
      s.clients += clients;
      s.matters += matters;
      stats.set(key, s);
    };

    for (const clientId of clientIds) {
      if (!due.has(clientId)) {
        const row = await w.tx.selectFrom("clients").select("status").where("id", "=", clientId).executeTakeFirst();
        skipped.push({ clientId, reason: held.has(clientId) ? "legal_hold" : row?.status === "erased" ? "already_erased" : "not_due" });
        continue;
      }
      const client = (await w.tx.selectFrom("clients").select(["row_version", "created_at"]).where("id", "=", clientId).executeTakeFirst())!;
      const matters = await w.tx
        .selectFrom("matters")
        .select(["id", "practice_area", "created_at", "closed_at", "responsible_partner_id"])
        .where("client_id", "=", clientId)
        .execute();
      const team = matters.length
        ? await w.tx
            .selectFrom("matter_members")
            .select("user_id")
            .distinct()
            .where(
              "matter_id",
              "in",
              matters.map((m) => m.id),
            )
            .execute()
        : [];
      notify.push({ clientId, userIds: [...new Set([...matters.map((m) => m.responsible_partner_id), ...team.map((t) => t.user_id)])].sort() });
      keyCount += Number(
        (
          await w.tx
            .selectFrom("data_keys")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("client_id", "=", clientId)
            .where("wrapped_key", "is not", null)
            .executeTakeFirst()
        )?.n ?? 0,
      );
      const documents = await shredClient(services, w.tx, clientId, Number(client.row_version), now, "retention_destroyed");
      documentCount.documents += documents.documents;
      documentCount.versions += documents.versions;
      documentCount.bytes += documents.bytes;
      // Statistics by practice area and the year each matter was opened; a client counts once,
      // under its most recently closed matter (or `none` and the year it was recorded).
      for (const m of matters) bump(m.practice_area, new Date(m.created_at).getUTCFullYear(), 0, 1);
      const last = [...matters].sort((a, b) => (b.closed_at ?? "").localeCompare(a.closed_at ?? ""))[0];
      bump(last?.practice_area ?? "none", new Date(last?.created_at ?? client.created_at).getUTCFullYear(), 1, 0);
      matterCount += matters.length;
      destroyed.push(clientId);
      const first = destroyed.length === 1 ? async (e: { seq: number }) => void (certificate.audit_seq_from = Number(e.seq)) : undefined;
      w.record(
        {
          action: "retention.destroy",
          targetType: "client",
          targetId: clientId,
          outcome: "success",
          purpose: null,
          details: { batchId: id, certificateId, matters: matters.length, documents: documents.documents, method: "crypto-shredding" },
        },
        first,
      );
    }
    for (const s of stats.values()) {
      const row = await w.tx
        .selectFrom("retention_statistics")
        .select(["clients", "matters"])
        .where("practice_area", "=", s.area)
        .where("year", "=", s.year)
        .executeTakeFirst();
      if (row) {
        await w.tx
          .updateTable("retention_statistics")
          .set({ clients: Number(row.clients) + s.clients, matters: Number(row.matters) + s.matters })
          .where("practice_area", "=", s.area)
          .where("year", "=", s.year)
          .execute();
      } else {
        await w.tx.insertInto("retention_statistics").values({ practice_area: s.area, year: s.year, clients: s.clients, matters: s.matters }).execute();
      }
    }

    const certificate: DbDestructionCertificate = {
      id: certificateId,
      batch_id: id,
      issued_at: now,
      method: DESTRUCTION_METHOD,
      record_counts: JSON.stringify({
        client_file: destroyed.length,
        matter_file: matterCount,
        data_key: keyCount,
        document: documentCount.documents,
        document_version: documentCount.versions,
        document_bytes: documentCount.bytes,
      }),
      client_ids: JSON.stringify(destroyed),
      skipped: JSON.stringify(skipped),
      requested_by: batch.requested_by,
      approvers: JSON.stringify([{ userId: batch.decided_by, decidedAt: batch.decided_at }]),
      notify: JSON.stringify(notify),
      audit_seq_from: null,
      audit_seq_to: null,
    };
    await w.tx.insertInto("destruction_certificates").values(certificate).execute();
    await w.tx.updateTable("destruction_batches").set({ status: "executed", executed_at: now, certificate_id: certificateId }).where("id", "=", id).execute();
    // The certificate names the audit events that record the destruction, from the first per-client
    // event to the execution event; their sequence numbers are known once appended (same transaction).
    const finish = async (e: { seq: number }) => {
      certificate.audit_seq_to = Number(e.seq);
      certificate.audit_seq_from ??= certificate.audit_seq_to;
      await w.tx
        .updateTable("destruction_certificates")
        .set({ audit_seq_from: certificate.audit_seq_from, audit_seq_to: certificate.audit_seq_to })
        .where("id", "=", certificateId)
        .execute();
    };
    w.record({ ...event, outcome: "success", details: { certificateId, destroyed: destroyed.length, skipped: skipped.length, matters: matterCount } }, finish);
    return { certificate, outsideHolders: await outsideHoldersOf(w.tx, destroyed) };
  });
  // The destroyed documents' files leave the blob store once the destruction committed.
  await purgeAfterCommit(services);
  return { ...presentCertificate(certified.certificate), outsideHolders: certified.outsideHolders };
}

export async function readCertificate(services: Services, ctx: RequestContext, id: string): Promise<DestructionCertificate> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.certificate_read", targetType: "destruction_certificate", targetId: id, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("destruction_certificates").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Destruction certificate"), event, "failure");
    w.record({ ...event, outcome: "success" });
    return { ...presentCertificate(row), outsideHolders: await outsideHoldersOf(w.tx, JSON.parse(row.client_ids) as string[]) };
  });
}

export interface RetentionStatistic {
  practiceArea: string;
  year: number;
  clients: number;
  matters: number;
}

/** Counts of destroyed clients and matters by practice area and year: no identifiers. */
export async function retentionStatistics(services: Services, ctx: RequestContext): Promise<RetentionStatistic[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.statistics", targetType: null, targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx.selectFrom("retention_statistics").selectAll().orderBy("year").orderBy("practice_area").execute();
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return rows.map((r) => ({ practiceArea: r.practice_area, year: Number(r.year), clients: Number(r.clients), matters: Number(r.matters) }));
  });
}
