/**
 * Background checks (TRN-2): per person, for the roles in BACKGROUND_CHECK_ROLES — date, scope,
 * outcome and when the next is due. The outcome notes are free text about a person: sealed.
 * Compliance only (`agreement.manage`), to record and to read; never one's own.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { isSelf } from "../../access/policy/predicates.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { activeUser, dayOf, refusedUnless } from "./training-guard.js";
import { BACKGROUND_CHECK_ROLES, type BackgroundCheckInput } from "./training-inputs.js";
import { firmDay } from "../../platform/firm-time.js";

const TABLE = "background_checks";

export interface PresentedBackgroundCheck {
  id: string;
  userId: string;
  checkedOn: string;
  scope: string[];
  outcome: string;
  notes: string | null;
  nextDueOn: string | null;
  recordedBy: string;
  createdAt: string;
}

export async function recordBackgroundCheck(
  services: Services,
  ctx: RequestContext,
  input: BackgroundCheckInput,
  now = new Date(),
): Promise<PresentedBackgroundCheck> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "background_check.record", targetType: "user", targetId: input.userId };
    const refused = refusedUnless(w, ctx, "agreement.manage", event);
    if (refused) return refused;
    if (isSelf(ctx.actor, input.userId)) return w.deny({ reason: "self_record_forbidden" }, event);
    if (!(await activeUser(w.tx, input.userId))) return w.refuse(NotFoundError("User"), event, "failure");
    const issues = [];
    if (input.checkedOn > firmDay(now)) issues.push({ field: "checkedOn", code: "in_future", message: "The day lies in the future." });
    if (input.nextDueOn !== null && input.nextDueOn <= input.checkedOn)
      issues.push({ field: "nextDueOn", code: "before_check", message: "Must be after the check." });
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const id = uuidv7();
    const row = {
      id,
      user_id: input.userId,
      checked_on: input.checkedOn,
      scope: JSON.stringify(input.scope),
      outcome: input.outcome,
      notes_ct: input.notes ? sealText(services.vault, TABLE, id, "notes", input.notes) : null,
      next_due_on: input.nextDueOn,
      recorded_by: ctx.actor.userId,
      created_at: now.toISOString(),
    };
    await w.tx.insertInto("background_checks").values(row).execute();
    w.record({ ...event, outcome: "success", details: { checkId: id, outcome: input.outcome, nextDueOn: input.nextDueOn } });
    return {
      id,
      userId: input.userId,
      checkedOn: input.checkedOn,
      scope: input.scope,
      outcome: input.outcome,
      notes: input.notes ?? null,
      nextDueOn: input.nextDueOn,
      recordedBy: ctx.actor.userId,
      createdAt: row.created_at,
    };
  });
}

export interface BackgroundCheckStatus {
  userId: string;
  role: string;
  latest: PresentedBackgroundCheck | null;
  /** Never checked, or the next check's day has come. */
  due: boolean;
}

/** Every active person in a role that needs a check, with their latest check (notes opened). */
export async function backgroundCheckRegister(services: Services, ctx: RequestContext, now = new Date()): Promise<{ items: BackgroundCheckStatus[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "background_check.list", targetType: "user", targetId: null };
    const refused = refusedUnless(w, ctx, "agreement.manage", event);
    if (refused) return refused;
    const users = await w.tx
      .selectFrom("users")
      .select(["id", "role"])
      .where("status", "=", "active")
      .where("role", "in", [...BACKGROUND_CHECK_ROLES])
      .orderBy("id")
      .execute();
    const checks = await w.tx.selectFrom("background_checks").selectAll().orderBy("checked_on", "desc").orderBy("id", "desc").execute();
    const today = dayOf(now);
    const items = users.map((u) => {
      const c = checks.find((x) => x.user_id === u.id);
      const latest = c
        ? {
            id: c.id,
            userId: c.user_id,
            checkedOn: c.checked_on,
            scope: JSON.parse(c.scope) as string[],
            outcome: c.outcome,
            notes: c.notes_ct ? openText(services.vault, TABLE, c.id, "notes", c.notes_ct) : null,
            nextDueOn: c.next_due_on,
            recordedBy: c.recorded_by,
            createdAt: c.created_at,
          }
        : null;
      return { userId: u.id, role: u.role, latest, due: latest === null || (latest.nextDueOn !== null && latest.nextDueOn <= today) };
    });
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}
