/**
 * Deadline regimes as editable data (DSR-3): staff who handle requests read them; compliance edits
 * them (`regime.manage`). An edit changes no due date already computed: a request takes the new
 * figures only when it is re-assigned (POST /requests/{id}/assign with the regime). An unverified
 * regime says so (`verified: false`) so the console can warn before anyone relies on it.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { DbRequestRegime } from "../../platform/db/schema.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { DeadlineUnit } from "./deadlines.js";

export const DEADLINE_UNITS = ["working_days", "calendar_days", "months"] as const satisfies readonly DeadlineUnit[];

export interface RequestRegime {
  code: string;
  nameZh: string;
  nameEn: string;
  unit: DeadlineUnit;
  amount: number;
  extension: { unit: DeadlineUnit; amount: number } | null;
  reminderDays: number;
  /** False: an UNVERIFIED default or figure; the console warns. */
  verified: boolean;
  /** Where the figure comes from (a citation), as the firm wrote it. */
  source: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface RegimeUpdate {
  unit: DeadlineUnit;
  amount: number;
  extension: { unit: DeadlineUnit; amount: number } | null;
  reminderDays: number;
  verified: boolean;
  source: string;
  nameZh?: string | undefined;
  nameEn?: string | undefined;
}

export const presentRegime = (r: DbRequestRegime): RequestRegime => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  unit: r.unit as DeadlineUnit,
  amount: r.amount,
  extension: r.extension_unit && r.extension_amount ? { unit: r.extension_unit as DeadlineUnit, amount: r.extension_amount } : null,
  reminderDays: r.reminder_days,
  verified: r.verified === 1,
  source: r.source,
  updatedAt: r.updated_at ?? null,
  updatedBy: r.updated_by ?? null,
});

/** The figures an audit event keeps: codes and numbers, not the free-text source or names. */
const figures = (r: RequestRegime): string =>
  `${r.amount} ${r.unit}; extension ${r.extension ? `${r.extension.amount} ${r.extension.unit}` : "none"}; reminder ${r.reminderDays}d; ${r.verified ? "verified" : "unverified"}`;

export async function listRegimes(services: Services, ctx: RequestContext): Promise<RequestRegime[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request_regime.list", targetType: "request_regime", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "request.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const items = (await w.tx.selectFrom("request_regimes").selectAll().orderBy("code").execute()).map(presentRegime);
    w.record({ ...event, outcome: "success", details: { results: items.length, unverified: items.filter((r) => !r.verified).map((r) => r.code) } });
    return items;
  });
}

export async function updateRegime(services: Services, ctx: RequestContext, code: string, input: RegimeUpdate): Promise<RequestRegime> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request_regime.update", targetType: "request_regime", targetId: code, purpose: null };
    const decision = authorize(ctx.actor, "regime.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("request_regimes").selectAll().where("code", "=", code).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Regime"), event, "failure");
    const at = new Date().toISOString();
    await w.tx
      .updateTable("request_regimes")
      .set({
        unit: input.unit,
        amount: input.amount,
        extension_unit: input.extension?.unit ?? null,
        extension_amount: input.extension?.amount ?? null,
        reminder_days: input.reminderDays,
        verified: input.verified ? 1 : 0,
        source: input.source,
        ...(input.nameZh !== undefined ? { name_zh: input.nameZh } : {}),
        ...(input.nameEn !== undefined ? { name_en: input.nameEn } : {}),
        updated_at: at,
        updated_by: ctx.actor.userId,
      })
      .where("code", "=", code)
      .execute();
    const updated = presentRegime((await w.tx.selectFrom("request_regimes").selectAll().where("code", "=", code).executeTakeFirst())!);
    w.record({
      ...event,
      outcome: "success",
      details: { before: figures(presentRegime(row)), after: figures(updated), sourceChanged: updated.source !== row.source },
    });
    return updated;
  });
}
