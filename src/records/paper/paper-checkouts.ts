/**
 * Borrowing and copying paper files (PAP-2: 借阅、复制须登记): who took which file, for which
 * registered purpose, until when; who copied it, how many and why. From L3 up a check-out or a
 * copy waits for an approver who is neither the borrower nor the person who recorded it (four
 * eyes). The borrower must reach the client exactly as for the client record: a walled lawyer
 * cannot take the file out, and the refusal is audited (with the wall-breach alert).
 */
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { authorizePaperApproval, authorizePaperBorrow, authorizePaperDesk, can, type Decision } from "../../access/policy/policy.js";
import { isRole } from "../../access/policy/roles.js";
import { raiseWallBreachAlerts } from "../../access/walls/screening.js";
import { type AuditedWork, type Refusal, runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPaperCheckout, DbPaperCopy, DbPaperFile } from "../../platform/db/schema.js";
import { AuthorizationError } from "../../access/policy/denial.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { clientRelation } from "../matters/need-to-know.js";
import { findFile, type PaperEvent, relationsFor } from "./paper-access.js";
import { isScreenedBy } from "../../access/policy/predicates.js";
import { APPROVAL_MIN_LEVEL, addDays, type CheckoutInput, type CopyInput, type DecisionInput, firmDay, MAX_LOAN_DAYS } from "./paper.js";

export interface PresentedCheckout {
  id: string;
  fileId: string;
  fileCode: string;
  reference: string;
  level: number;
  borrowerId: string;
  purpose: string;
  dueOn: string;
  status: "pending" | "out" | "returned" | "rejected";
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  checkedOutAt: string | null;
  returnedAt: string | null;
  overdue: boolean;
}

export interface PresentedCopy {
  id: string;
  fileId: string;
  fileCode: string;
  reference: string;
  madeBy: string;
  copies: number;
  purpose: string;
  status: "pending" | "approved" | "rejected";
  recordedBy: string;
  recordedAt: string;
  decidedBy: string | null;
}

const presentCheckout = (c: DbPaperCheckout, f: Pick<DbPaperFile, "code" | "reference" | "level">, today: string): PresentedCheckout => ({
  id: c.id,
  fileId: c.file_id,
  fileCode: f.code,
  reference: f.reference,
  level: Number(f.level),
  borrowerId: c.borrower_id,
  purpose: c.purpose,
  dueOn: c.due_on,
  status: c.status as PresentedCheckout["status"],
  requestedBy: c.requested_by,
  requestedAt: c.requested_at,
  decidedBy: c.decided_by,
  checkedOutAt: c.checked_out_at,
  returnedAt: c.returned_at,
  overdue: c.status === "out" && c.due_on < today,
});

const presentCopy = (c: DbPaperCopy, f: Pick<DbPaperFile, "code" | "reference">): PresentedCopy => ({
  id: c.id,
  fileId: c.file_id,
  fileCode: f.code,
  reference: f.reference,
  madeBy: c.made_by,
  copies: Number(c.copies),
  purpose: c.purpose,
  status: c.status as PresentedCopy["status"],
  recordedBy: c.recorded_by,
  recordedAt: c.recorded_at,
  decidedBy: c.decided_by,
});

/** A staff member as the policy sees them, or null when there is no such active account. */
async function staffActor(tx: Tx, userId: string): Promise<Actor | null> {
  const u = await tx.selectFrom("users").select(["id", "role", "status"]).where("id", "=", userId).executeTakeFirst();
  return u && u.status === "active" && isRole(u.role) ? { userId: u.id, role: u.role } : null;
}

/**
 * The borrower's (or copier's) right to the file's client, judged on them: when they act for
 * themselves a wall answers 404 and raises the breach alert, as a client read would; at the desk the
 * archive keeper, who is not screened, hears 403 with the reason, and the alert is raised for the
 * screened borrower.
 */
async function borrowerRefusal(w: AuditedWork, ctx: RequestContext, borrower: Actor, file: DbPaperFile, event: PaperEvent, now: Date): Promise<Refusal | null> {
  const client = (await findClientRow(w.tx, file.client_id))!;
  const relation = await clientRelation(w.tx, borrower, client, now);
  const decision: Decision = authorizePaperBorrow(borrower, relation, client.status === "erased");
  if (decision.effect !== "deny") return null;
  if (borrower.userId === ctx.actor.userId) return refuseRecord(w, ctx, decision, relation, event);
  if (decision.reason === "screened_by_wall")
    return w.refuse(AuthorizationError(decision.reason), event, "denied", raiseWallBreachAlerts(w.tx, borrower.userId, relation.screenedBy));
  return w.deny(decision, event);
}

async function purposeIssue(services: Services, tx: Tx, purpose: string) {
  return (await services.purposes.codes(tx)).has(purpose) ? null : { field: "purpose", code: "unknown_purpose", message: "Not a registered purpose code." };
}

export async function checkOut(services: Services, ctx: RequestContext, input: CheckoutInput, now = new Date()): Promise<PresentedCheckout> {
  const id = uuidv7();
  const borrowerId = input.borrowerId ?? ctx.actor.userId;
  return runAudited(services, { ...ctx, purpose: input.purpose }, async (w) => {
    const event: PaperEvent = { action: "paper.checkout", targetType: "paper_file", targetId: input.fileId, details: { checkoutId: id, borrowerId } };
    const desk = authorizePaperDesk(ctx.actor, borrowerId);
    if (desk.effect === "deny") return w.deny(desk, event);
    const file = await findFile(w.tx, input.fileId);
    if (!file) return w.refuse(NotFoundError("Paper file"), event, "failure");
    const borrower = await staffActor(w.tx, borrowerId);
    if (!borrower) return w.refuse(ValidationError([{ field: "borrowerId", code: "unknown_user", message: "No such active staff member." }]), event, "failure");
    const refused = await borrowerRefusal(w, ctx, borrower, file, event, now);
    if (refused) return refused;
    const today = firmDay(now);
    const issues = [await purposeIssue(services, w.tx, input.purpose)].filter((i) => i !== null);
    if (input.dueOn < today || input.dueOn > addDays(today, MAX_LOAN_DAYS))
      issues.push({ field: "dueOn", code: "out_of_range", message: `From today to ${MAX_LOAN_DAYS} days ahead.` });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    if (file.status !== "active") return w.refuse(ConflictError("file_destroyed", "This paper file was destroyed."), event, "failure");
    const open = await w.tx
      .selectFrom("paper_checkouts")
      .select("id")
      .where("file_id", "=", file.id)
      .where("status", "in", ["pending", "out"])
      .executeTakeFirst();
    if (open) return w.refuse(ConflictError("file_checked_out", "This file is already out or waiting for approval."), event, "failure");
    const needsApproval = Number(file.level) >= APPROVAL_MIN_LEVEL;
    const at = now.toISOString();
    const row: DbPaperCheckout = {
      id,
      file_id: file.id,
      borrower_id: borrowerId,
      purpose: input.purpose,
      due_on: input.dueOn,
      status: needsApproval ? "pending" : "out",
      requested_by: ctx.actor.userId,
      requested_at: at,
      decided_by: null,
      decided_at: null,
      checked_out_at: needsApproval ? null : at,
      returned_at: null,
      returned_to: null,
    };
    await w.tx.insertInto("paper_checkouts").values(row).execute();
    w.record({
      ...event,
      outcome: "success",
      details: { checkoutId: id, borrowerId, clientId: file.client_id, dueOn: input.dueOn, level: Number(file.level), status: row.status },
    });
    return presentCheckout(row, file, today);
  });
}

/** Approving or rejecting an L3+ check-out: the approver hands the file out (status `out`). */
export async function decideCheckout(
  services: Services,
  ctx: RequestContext,
  checkoutId: string,
  input: DecisionInput,
  now = new Date(),
): Promise<PresentedCheckout> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.checkout.decide", targetType: "paper_checkout", targetId: checkoutId, details: { decision: input.decision } };
    const row = await w.tx.selectFrom("paper_checkouts").selectAll().where("id", "=", checkoutId).executeTakeFirst();
    if (!row) {
      const role = authorizePaperApproval(ctx.actor, { borrowerId: "", requestedBy: "" });
      return role.effect === "deny" ? w.deny(role, event) : w.refuse(NotFoundError("Check-out"), event, "failure");
    }
    const decision = authorizePaperApproval(ctx.actor, { borrowerId: row.borrower_id, requestedBy: row.requested_by });
    if (decision.effect === "deny") return w.deny(decision, event);
    if (row.status !== "pending") return w.refuse(ConflictError("not_pending", "This check-out is not waiting for a decision."), event, "failure");
    const file = (await findFile(w.tx, row.file_id))!;
    if (input.decision === "approve") {
      // A wall raised since the request stops the loan: the borrower's right is judged again now.
      const borrower = await staffActor(w.tx, row.borrower_id);
      if (!borrower) return w.refuse(ConflictError("borrower_inactive", "The borrower's account is no longer active."), event, "failure");
      const client = (await findClientRow(w.tx, file.client_id))!;
      const again = authorizePaperBorrow(borrower, await clientRelation(w.tx, borrower, client, now), client.status === "erased");
      if (again.effect === "deny") return w.deny(again, event);
    }
    const at = now.toISOString();
    const status = input.decision === "approve" ? "out" : "rejected";
    await w.tx
      .updateTable("paper_checkouts")
      .set({ status, decided_by: ctx.actor.userId, decided_at: at, checked_out_at: status === "out" ? at : null })
      .where("id", "=", checkoutId)
      .execute();
    w.record({ ...event, outcome: "success", details: { decision: input.decision, fileId: file.id, borrowerId: row.borrower_id } });
    const updated = (await w.tx.selectFrom("paper_checkouts").selectAll().where("id", "=", checkoutId).executeTakeFirst())!;
    return presentCheckout(updated, file, firmDay(now));
  });
}

/** The file is back on its shelf: the archive keeper receives it. */
export async function checkIn(services: Services, ctx: RequestContext, checkoutId: string, now = new Date()): Promise<PresentedCheckout> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.checkin", targetType: "paper_checkout", targetId: checkoutId };
    if (!can(ctx.actor, "paper.manage")) return w.deny({ reason: "role_lacks_permission" }, event);
    const row = await w.tx.selectFrom("paper_checkouts").selectAll().where("id", "=", checkoutId).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Check-out"), event, "failure");
    if (row.status !== "out") return w.refuse(ConflictError("not_out", "This file is not checked out."), event, "failure");
    const at = now.toISOString();
    await w.tx
      .updateTable("paper_checkouts")
      .set({ status: "returned", returned_at: at, returned_to: ctx.actor.userId })
      .where("id", "=", checkoutId)
      .execute();
    const today = firmDay(now);
    w.record({ ...event, outcome: "success", details: { fileId: row.file_id, borrowerId: row.borrower_id, late: row.due_on < today } });
    const file = (await findFile(w.tx, row.file_id))!;
    return presentCheckout({ ...row, status: "returned", returned_at: at, returned_to: ctx.actor.userId }, file, today);
  });
}

/** Recording copies made of a file: who, how many, why; from L3 up they wait for an approver. */
export async function recordCopy(services: Services, ctx: RequestContext, input: CopyInput, now = new Date()): Promise<PresentedCopy> {
  const id = uuidv7();
  const madeBy = input.madeBy ?? ctx.actor.userId;
  return runAudited(services, { ...ctx, purpose: input.purpose }, async (w) => {
    const event: PaperEvent = { action: "paper.copy", targetType: "paper_file", targetId: input.fileId, details: { copyId: id, madeBy } };
    const desk = authorizePaperDesk(ctx.actor, madeBy);
    if (desk.effect === "deny") return w.deny(desk, event);
    const file = await findFile(w.tx, input.fileId);
    if (!file) return w.refuse(NotFoundError("Paper file"), event, "failure");
    const maker = await staffActor(w.tx, madeBy);
    if (!maker) return w.refuse(ValidationError([{ field: "madeBy", code: "unknown_user", message: "No such active staff member." }]), event, "failure");
    const refused = await borrowerRefusal(w, ctx, maker, file, event, now);
    if (refused) return refused;
    const issue = await purposeIssue(services, w.tx, input.purpose);
    if (issue) return w.refuse(ValidationError([issue]), event, "failure");
    if (file.status !== "active") return w.refuse(ConflictError("file_destroyed", "This paper file was destroyed."), event, "failure");
    const needsApproval = Number(file.level) >= APPROVAL_MIN_LEVEL;
    const row: DbPaperCopy = {
      id,
      file_id: file.id,
      made_by: madeBy,
      copies: input.copies,
      purpose: input.purpose,
      status: needsApproval ? "pending" : "approved",
      recorded_by: ctx.actor.userId,
      recorded_at: now.toISOString(),
      decided_by: null,
      decided_at: null,
    };
    await w.tx.insertInto("paper_copies").values(row).execute();
    w.record({ ...event, outcome: "success", details: { copyId: id, madeBy, clientId: file.client_id, copies: input.copies, status: row.status } });
    return presentCopy(row, file);
  });
}

export async function decideCopy(services: Services, ctx: RequestContext, copyId: string, input: DecisionInput, now = new Date()): Promise<PresentedCopy> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.copy.decide", targetType: "paper_copy", targetId: copyId, details: { decision: input.decision } };
    const row = await w.tx.selectFrom("paper_copies").selectAll().where("id", "=", copyId).executeTakeFirst();
    if (!row) {
      const role = authorizePaperApproval(ctx.actor, { borrowerId: "", requestedBy: "" });
      return role.effect === "deny" ? w.deny(role, event) : w.refuse(NotFoundError("Copy"), event, "failure");
    }
    const decision = authorizePaperApproval(ctx.actor, { borrowerId: row.made_by, requestedBy: row.recorded_by });
    if (decision.effect === "deny") return w.deny(decision, event);
    if (row.status !== "pending") return w.refuse(ConflictError("not_pending", "This copy is not waiting for a decision."), event, "failure");
    const status = input.decision === "approve" ? "approved" : "rejected";
    const at = now.toISOString();
    await w.tx.updateTable("paper_copies").set({ status, decided_by: ctx.actor.userId, decided_at: at }).where("id", "=", copyId).execute();
    w.record({ ...event, outcome: "success", details: { decision: input.decision, fileId: row.file_id, madeBy: row.made_by } });
    const file = (await findFile(w.tx, row.file_id))!;
    return presentCopy({ ...row, status, decided_by: ctx.actor.userId, decided_at: at }, file);
  });
}

/**
 * Loans and copies: the archive keeper and those who oversee see all of them (never across a
 * wall); a borrower sees their own.
 */
export async function listCheckouts(
  services: Services,
  ctx: RequestContext,
  query: { status?: "pending" | "out" | "returned" | "rejected" | undefined; overdue?: boolean | undefined } = {},
  now = new Date(),
): Promise<{ items: PresentedCheckout[]; copies: PresentedCopy[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.checkout.list", targetType: "paper_checkout", targetId: null };
    const all = can(ctx.actor, "paper.manage") || can(ctx.actor, "paper.oversee") || can(ctx.actor, "paper.approve");
    if (!all && !can(ctx.actor, "paper.borrow")) return w.deny({ reason: "role_lacks_permission" }, event);
    const today = firmDay(now);
    let q = w.tx
      .selectFrom("paper_checkouts as c")
      .innerJoin("paper_files as f", "f.id", "c.file_id")
      .selectAll("c")
      .select(["f.code", "f.reference", "f.level", "f.client_id"]);
    if (!all) q = q.where("c.borrower_id", "=", ctx.actor.userId);
    if (query.status) q = q.where("c.status", "=", query.status);
    if (query.overdue) q = q.where("c.status", "=", "out").where("c.due_on", "<", today);
    const rows = await q.orderBy("c.id", "desc").limit(500).execute();
    let cq = w.tx
      .selectFrom("paper_copies as c")
      .innerJoin("paper_files as f", "f.id", "c.file_id")
      .selectAll("c")
      .select(["f.code", "f.reference", "f.client_id"]);
    if (!all) cq = cq.where("c.made_by", "=", ctx.actor.userId);
    const copyRows = await cq.orderBy("c.id", "desc").limit(500).execute();
    const relations = await relationsFor(
      w.tx,
      ctx,
      [...rows, ...copyRows].map((r) => r.client_id),
      now,
    );
    const unscreened = (clientId: string) => !isScreenedBy(relations.get(clientId) ?? { screenedBy: [] });
    const items = rows.filter((r) => unscreened(r.client_id)).map((r) => presentCheckout(r, r, today));
    const copies = copyRows.filter((r) => unscreened(r.client_id)).map((r) => presentCopy(r, r));
    w.record({ ...event, outcome: "success", details: { results: items.length, copies: copies.length } });
    return { items, copies };
  });
}

/** Check-outs past their due day in the firm's calendar (the paper-overdue job). */
export const overdueCheckouts = (tx: Tx, today: string) =>
  tx
    .selectFrom("paper_checkouts as c")
    .innerJoin("paper_files as f", "f.id", "c.file_id")
    .select(["c.id", "c.file_id", "c.borrower_id", "c.due_on", "f.code"])
    .where("c.status", "=", "out")
    .where("c.due_on", "<", today)
    .orderBy("c.due_on")
    .execute();
