/**
 * Archive-room control checks (PAP-1: 专门档案室、门禁、监控): dated records that someone checked the
 * room's access control or its CCTV, with the result. Notes may name people (a visitor, a guard),
 * so they are sealed with the firm-level key.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { can } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import type { DbPaperControlCheck } from "../../platform/db/schema.js";
import type { Vault } from "../../vault/vault.js";
import { type PaperEvent, refusedUnless } from "./paper-access.js";
import { type ControlCheckInput, type ControlKind, type ControlResult, firmDay } from "./paper.js";

// The sealed notes are bound to this table name (associated data).
const TABLE = "paper_control_checks";

export interface PresentedControlCheck {
  id: string;
  roomId: string;
  kind: ControlKind;
  checkedOn: string;
  checkedBy: string;
  result: ControlResult;
  notes: string | null;
  createdAt: string;
}

const present = (vault: Vault, r: DbPaperControlCheck): PresentedControlCheck => ({
  id: r.id,
  roomId: r.room_id,
  kind: r.kind as ControlKind,
  checkedOn: r.checked_on,
  checkedBy: r.checked_by,
  result: r.result as ControlResult,
  notes: r.notes_ct ? openText(vault, TABLE, r.id, "notes", r.notes_ct) : null,
  createdAt: r.created_at,
});

export async function recordControlCheck(services: Services, ctx: RequestContext, input: ControlCheckInput, now = new Date()): Promise<PresentedControlCheck> {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.control_check", targetType: "paper_location", targetId: input.roomId, details: { checkId: id } };
    const refused = refusedUnless(w, ctx, "paper.control", event);
    if (refused) return refused;
    const room = await w.tx.selectFrom("paper_locations").select("kind").where("id", "=", input.roomId).executeTakeFirst();
    const issues = [];
    if (room?.kind !== "room") issues.push({ field: "roomId", code: "not_a_room", message: "Checks are of an archive room." });
    if (input.checkedOn > firmDay(now)) issues.push({ field: "checkedOn", code: "in_future", message: "A check is recorded once done." });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    const row: DbPaperControlCheck = {
      id,
      room_id: input.roomId,
      kind: input.kind,
      checked_on: input.checkedOn,
      checked_by: ctx.actor.userId,
      result: input.result,
      notes_ct: input.notes ? sealText(services.vault, TABLE, id, "notes", input.notes) : null,
      created_at: now.toISOString(),
    };
    await w.tx.insertInto("paper_control_checks").values(row).execute();
    w.record({ ...event, outcome: "success", details: { checkId: id, kind: input.kind, result: input.result, checkedOn: input.checkedOn } });
    return present(services.vault, row);
  });
}

export async function listControlChecks(
  services: Services,
  ctx: RequestContext,
  query: { roomId?: string | undefined } = {},
): Promise<{ items: PresentedControlCheck[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.control_check.list", targetType: "paper_location", targetId: query.roomId ?? null };
    if (!can(ctx.actor, "paper.control") && !can(ctx.actor, "paper.oversee")) return w.deny({ reason: "role_lacks_permission" }, event);
    let q = w.tx.selectFrom("paper_control_checks").selectAll();
    if (query.roomId) q = q.where("room_id", "=", query.roomId);
    const rows = await q.orderBy("checked_on", "desc").orderBy("id", "desc").limit(500).execute();
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return { items: rows.map((r) => present(services.vault, r)) };
  });
}
