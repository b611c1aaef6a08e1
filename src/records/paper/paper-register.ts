/**
 * Registering paper files (PAP-1) and reading the register. A file belongs to a client (and
 * optionally a matter), sits on a home shelf, and carries a label code; its title is sealed with the
 * client's data key, so erasing the client shreds it as well. The register shows each reader only
 * the files of clients they need to know (walls and matters, as for the client record).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { needsToKnow, isScreenedBy } from "../../access/policy/predicates.js";
import { runAudited } from "../../platform/audit/audited.js";
import { GoneError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { clientRelation } from "../matters/need-to-know.js";
import { newLabelCode, parseLabelCode } from "./label-code.js";
import { type PresentedPaperFile, findFile, presentFiles, refusedUnless, relationsFor, titleBinding } from "./paper-access.js";
import type { FileListQuery, FileRegisterInput } from "./paper.js";
import { labelSheetPdf } from "./paper-pdf.js";

export async function registerFile(services: Services, ctx: RequestContext, input: FileRegisterInput, now = new Date()): Promise<PresentedPaperFile> {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "paper.file.register", targetType: "paper_file", targetId: id, details: { clientId: input.clientId ?? null } };
    const refused = refusedUnless(w, ctx, "paper.manage", event);
    if (refused) return refused;
    if (input.matterNumber !== undefined) {
      const byNumber = await w.tx.selectFrom("matters").select(["id", "client_id"]).where("number", "=", input.matterNumber).executeTakeFirst();
      if (!byNumber || (input.clientId && input.clientId !== byNumber.client_id) || (input.matterId && input.matterId !== byNumber.id))
        return w.refuse(ValidationError([{ field: "matterNumber", code: "unknown_record", message: "No such matter." }]), event, "failure");
      input = { ...input, clientId: byNumber.client_id, matterId: byNumber.id };
    }
    if (!input.clientId) return w.refuse(ValidationError([{ field: "clientId", code: "required", message: "A client or a matter number." }]), event, "failure");
    const client = await findClientRow(w.tx, input.clientId);
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, client, now);
    if (isScreenedBy(relation)) return refuseRecord(w, ctx, { effect: "deny", reason: "screened_by_wall" }, relation, event);
    if (client.status === "erased") return w.refuse(GoneError(), event, "failure");
    let reference = input.reference ?? null;
    if (input.matterId) {
      const matter = await w.tx.selectFrom("matters").select(["client_id", "number"]).where("id", "=", input.matterId).executeTakeFirst();
      if (!matter || matter.client_id !== client.id)
        return w.refuse(ValidationError([{ field: "matterId", code: "unknown_record", message: "No such matter of this client." }]), event, "failure");
      reference = matter.number;
    }
    if (!reference)
      return w.refuse(
        ValidationError([{ field: "reference", code: "required", message: "A file without a matter needs an internal reference." }]),
        event,
        "failure",
      );
    const shelf = await w.tx.selectFrom("paper_locations").select("kind").where("id", "=", input.homeShelfId).executeTakeFirst();
    if (shelf?.kind !== "shelf")
      return w.refuse(ValidationError([{ field: "homeShelfId", code: "not_a_shelf", message: "A file's home is a shelf." }]), event, "failure");
    let code = newLabelCode();
    for (let i = 0; (await w.tx.selectFrom("paper_files").select("id").where("code", "=", code).executeTakeFirst()) && i < 8; i++) code = newLabelCode();
    const key = await services.keyRing.openDataKey(w.tx, client.id);
    if (!key) return w.refuse(GoneError(), event, "failure");
    await w.tx
      .insertInto("paper_files")
      .values({
        id,
        code,
        client_id: client.id,
        matter_id: input.matterId ?? null,
        reference,
        title_ct: services.vault.seal(key, titleBinding(id), input.title),
        level: input.level,
        home_location_id: input.homeShelfId,
        status: "active",
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
        destruction_id: null,
      })
      .execute();
    w.record({
      ...event,
      outcome: "success",
      details: { clientId: client.id, matterId: input.matterId ?? null, code, level: input.level, homeLocationId: input.homeShelfId },
    });
    const row = (await findFile(w.tx, id))!;
    return (await presentFiles(w.tx, services.keyRing, ctx, [row], now))[0]!;
  });
}

/** The register as the reader may see it: files of clients they need to know, never across a wall. */
export async function listFiles(
  services: Services,
  ctx: RequestContext,
  query: FileListQuery = {},
  now = new Date(),
): Promise<{ items: PresentedPaperFile[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "paper.file.list", targetType: "paper_file", targetId: null };
    const refused = refusedUnless(w, ctx, "paper.read", event);
    if (refused) return refused;
    let q = w.tx.selectFrom("paper_files").selectAll();
    if (query.clientId) q = q.where("client_id", "=", query.clientId);
    if (query.locationId) q = q.where("home_location_id", "=", query.locationId);
    if (query.status) q = q.where("status", "=", query.status);
    if (query.code !== undefined) q = q.where("code", "=", parseLabelCode(query.code) ?? "-");
    const rows = await q.orderBy("code").limit(1000).execute();
    const relations = await relationsFor(
      w.tx,
      ctx,
      rows.map((r) => r.client_id),
      now,
    );
    const visible = rows.filter((r) => {
      const rel = relations.get(r.client_id);
      return rel !== undefined && !isScreenedBy(rel) && needsToKnow(ctx.actor, rel);
    });
    const items = await presentFiles(w.tx, services.keyRing, ctx, visible, now);
    w.record({ ...event, outcome: "success", details: { results: items.length, clientId: query.clientId ?? null } });
    return { items };
  });
}

export interface PaperFileDetail extends PresentedPaperFile {
  checkouts: {
    id: string;
    borrowerId: string;
    purpose: string;
    dueOn: string;
    status: string;
    checkedOutAt: string | null;
    returnedAt: string | null;
    decidedBy: string | null;
  }[];
  copies: { id: string; madeBy: string; copies: number; purpose: string; status: string; recordedAt: string; decidedBy: string | null }[];
}

/** One file with its loans and copies. A file behind a wall answers 404, as its client would. */
export async function readPaperFile(services: Services, ctx: RequestContext, id: string, now = new Date()): Promise<PaperFileDetail> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "paper.file.read", targetType: "paper_file", targetId: id };
    const refused = refusedUnless(w, ctx, "paper.read", event);
    if (refused) return refused;
    const row = await findFile(w.tx, id);
    if (!row) return w.refuse(NotFoundError("Paper file"), event, "failure");
    const client = (await findClientRow(w.tx, row.client_id))!;
    const relation = await clientRelation(w.tx, ctx.actor, client, now);
    if (isScreenedBy(relation)) return refuseRecord(w, ctx, { effect: "deny", reason: "screened_by_wall" }, relation, event);
    if (!needsToKnow(ctx.actor, relation)) return w.deny({ reason: "not_on_matter" }, event);
    const file = (await presentFiles(w.tx, services.keyRing, ctx, [row], now))[0]!;
    const checkouts = await w.tx.selectFrom("paper_checkouts").selectAll().where("file_id", "=", id).orderBy("id", "desc").execute();
    const copies = await w.tx.selectFrom("paper_copies").selectAll().where("file_id", "=", id).orderBy("id", "desc").execute();
    w.record({ ...event, outcome: "success", details: { clientId: row.client_id } });
    return {
      ...file,
      checkouts: checkouts.map((c) => ({
        id: c.id,
        borrowerId: c.borrower_id,
        purpose: c.purpose,
        dueOn: c.due_on,
        status: c.status,
        checkedOutAt: c.checked_out_at,
        returnedAt: c.returned_at,
        decidedBy: c.decided_by,
      })),
      copies: copies.map((c) => ({
        id: c.id,
        madeBy: c.made_by,
        copies: Number(c.copies),
        purpose: c.purpose,
        status: c.status,
        recordedAt: c.recorded_at,
        decidedBy: c.decided_by,
      })),
    };
  });
}

/** A label sheet for the given files (A4, 24 a page): code, QR of the code, reference and level. */
export async function labelSheet(services: Services, ctx: RequestContext, fileIds: readonly string[]): Promise<Buffer> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "paper.labels.print", targetType: "paper_file", targetId: null, details: { files: fileIds.length } };
    const refused = refusedUnless(w, ctx, "paper.manage", event);
    if (refused) return refused;
    const rows = fileIds.length
      ? await w.tx
          .selectFrom("paper_files")
          .select(["id", "code", "reference", "level"])
          .where("id", "in", [...fileIds])
          .orderBy("code")
          .execute()
      : [];
    if (rows.length !== new Set(fileIds).size) return w.refuse(NotFoundError("Paper file"), event, "failure");
    const pdf = await labelSheetPdf(rows.map((r) => ({ code: r.code, reference: r.reference, level: Number(r.level) })));
    w.record({ ...event, outcome: "success", details: { files: rows.length } });
    return pdf;
  });
}
