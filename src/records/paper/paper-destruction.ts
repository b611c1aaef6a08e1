/**
 * Destroying paper files (PAP-2: 销毁须记录): driven by the retention schedules (the client must
 * be due under them, as for the retention sweep) and refused under a legal hold. The record names
 * the method, the day, the witnesses (staff, at least one besides the recorder) and the files; its
 * certificate is a PDF made from the record on demand.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { can } from "../../access/policy/policy.js";
import { sweepIn } from "../../governance/retention/retention-sweeper.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { activeHoldFor } from "../../rights/holds/hold-store.js";
import { type PaperEvent, refusedUnless } from "./paper-access.js";
import { type DestructionInput, type DestructionMethod, firmDay } from "./paper.js";
import { destructionCertificatePdf } from "./paper-pdf.js";

export interface PresentedDestruction {
  id: string;
  method: DestructionMethod;
  destroyedOn: string;
  witnesses: string[];
  files: { id: string; code: string; reference: string }[];
  recordedBy: string;
  recordedAt: string;
}

export async function recordDestruction(services: Services, ctx: RequestContext, input: DestructionInput, now = new Date()): Promise<PresentedDestruction> {
  const id = uuidv7();
  const fileIds = [...new Set(input.fileIds)];
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.destroy", targetType: "paper_destruction", targetId: id, details: { files: fileIds.length } };
    const refused = refusedUnless(w, ctx, "paper.destroy", event);
    if (refused) return refused;
    const issues = [];
    if (input.destroyedOn > firmDay(now)) issues.push({ field: "destroyedOn", code: "in_future", message: "A destruction is recorded once done." });
    const witnesses = [...new Set(input.witnesses)];
    if (witnesses.includes(ctx.actor.userId) || witnesses.length !== input.witnesses.length)
      issues.push({ field: "witnesses", code: "not_distinct", message: "Witnesses are other staff members, each named once." });
    const staff = await w.tx.selectFrom("users").select("id").where("id", "in", witnesses).where("status", "=", "active").execute();
    if (staff.length !== witnesses.length) issues.push({ field: "witnesses", code: "unknown_user", message: "Every witness is an active staff member." });
    const files = await w.tx.selectFrom("paper_files").selectAll().where("id", "in", fileIds).execute();
    if (files.length !== fileIds.length) issues.push({ field: "fileIds", code: "unknown_record", message: "No such paper file." });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    if (files.some((f) => f.status !== "active")) return w.refuse(ConflictError("file_destroyed", "A file was already destroyed."), event, "failure");
    const out = await w.tx.selectFrom("paper_checkouts").select("file_id").where("file_id", "in", fileIds).where("status", "in", ["pending", "out"]).execute();
    if (out.length) return w.refuse(ConflictError("file_checked_out", "A file is out or waiting for approval."), event, "failure");
    const clientIds = [...new Set(files.map((f) => f.client_id))];
    for (const clientId of clientIds)
      if (await activeHoldFor(w.tx, clientId))
        return w.refuse(
          ConflictError("legal_hold", "A legal hold keeps this client's records."),
          { ...event, details: { files: fileIds.length, clientId } },
          "failure",
        );
    const sweep = await sweepIn(w.tx, now.toISOString(), clientIds);
    const due = new Set(sweep.due.map((d) => d.clientId));
    const notDue = clientIds.find((c) => !due.has(c));
    if (notDue)
      return w.refuse(
        ConflictError("retention_not_due", "The retention schedule keeps this client's records for now."),
        { ...event, details: { files: fileIds.length, clientId: notDue } },
        "failure",
      );
    const at = now.toISOString();
    await w.tx
      .insertInto("paper_destructions")
      .values({
        id,
        method: input.method,
        destroyed_on: input.destroyedOn,
        witnesses: JSON.stringify(witnesses),
        file_ids: JSON.stringify(fileIds),
        recorded_by: ctx.actor.userId,
        recorded_at: at,
      })
      .execute();
    await w.tx.updateTable("paper_files").set({ status: "destroyed", destruction_id: id }).where("id", "in", fileIds).execute();
    w.record({ ...event, outcome: "success", details: { files: fileIds.length, method: input.method, witnesses: witnesses.length, clientIds } });
    return {
      id,
      method: input.method,
      destroyedOn: input.destroyedOn,
      witnesses,
      files: files.map((f) => ({ id: f.id, code: f.code, reference: f.reference })),
      recordedBy: ctx.actor.userId,
      recordedAt: at,
    };
  });
}

const mayReadDestructions = (ctx: RequestContext) => can(ctx.actor, "paper.destroy") || can(ctx.actor, "paper.oversee");

export async function listDestructions(services: Services, ctx: RequestContext): Promise<{ items: PresentedDestruction[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.destruction.list", targetType: "paper_destruction", targetId: null };
    if (!mayReadDestructions(ctx)) return w.deny({ reason: "role_lacks_permission" }, event);
    const rows = await w.tx.selectFrom("paper_destructions").selectAll().orderBy("id", "desc").limit(200).execute();
    const files = await w.tx.selectFrom("paper_files").select(["id", "code", "reference", "destruction_id"]).where("destruction_id", "is not", null).execute();
    const items = rows.map((r) => ({
      id: r.id,
      method: r.method as DestructionMethod,
      destroyedOn: r.destroyed_on,
      witnesses: JSON.parse(r.witnesses) as string[],
      files: files.filter((f) => f.destruction_id === r.id).map((f) => ({ id: f.id, code: f.code, reference: f.reference })),
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
    }));
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return { items };
  });
}

/** The certificate names the recorder and witnesses by their staff names: it is what they sign. */
export async function destructionCertificate(services: Services, ctx: RequestContext, id: string): Promise<Buffer> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.destruction.certificate", targetType: "paper_destruction", targetId: id };
    if (!mayReadDestructions(ctx)) return w.deny({ reason: "role_lacks_permission" }, event);
    const r = await w.tx.selectFrom("paper_destructions").selectAll().where("id", "=", id).executeTakeFirst();
    if (!r) return w.refuse(NotFoundError("Destruction"), event, "failure");
    const witnesses = JSON.parse(r.witnesses) as string[];
    const names = new Map(
      (
        await w.tx
          .selectFrom("users")
          .select(["id", "display_name"])
          .where("id", "in", [...witnesses, r.recorded_by])
          .execute()
      ).map((u) => [u.id, u.display_name]),
    );
    const files = await w.tx.selectFrom("paper_files").select(["code", "reference"]).where("destruction_id", "=", id).orderBy("code").execute();
    const pdf = await destructionCertificatePdf({
      id,
      method: r.method,
      destroyedOn: r.destroyed_on,
      recordedAt: r.recorded_at,
      recordedBy: names.get(r.recorded_by) ?? r.recorded_by,
      witnesses: witnesses.map((u) => names.get(u) ?? u),
      files,
    });
    w.record({ ...event, outcome: "success", details: { files: files.length } });
    return pdf;
  });
}
