/**
 * The self-assessment control list (GOV-3) as data: seeded from REQUIREMENTS.md and PIPL by
 * migration 0035, then kept by compliance — applicability, texts, the evidence source, new controls.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { refusedUnless } from "./assessment.js";
import type { ControlCreateInput, ControlUpdateInput } from "./assessment-inputs.js";
import type { DbAssessmentControl } from "./tables.js";

export interface PresentedControl {
  code: string;
  area: string;
  titleZh: string;
  titleEn: string;
  evidenceSource: string | null;
  applicable: boolean;
  applicabilityNote: string | null;
  active: boolean;
}

export const presentControl = (r: DbAssessmentControl): PresentedControl => ({
  code: r.code,
  area: r.area,
  titleZh: r.title_zh,
  titleEn: r.title_en,
  evidenceSource: r.evidence_source,
  applicable: r.applicable === 1,
  applicabilityNote: r.applicability_note,
  active: r.active === 1,
});

export const controlsIn = async (tx: Tx): Promise<DbAssessmentControl[]> =>
  tx.selectFrom("assessment_controls").selectAll().orderBy("position").orderBy("code").execute();

export async function listControls(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.controls.read", targetType: "assessment_controls", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.read", event);
    if (refused) return refused;
    const items = (await controlsIn(w.tx)).map(presentControl);
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

export async function addControl(services: Services, ctx: RequestContext, input: ControlCreateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.control.add", targetType: "assessment_control", targetId: input.code };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    if (await w.tx.selectFrom("assessment_controls").select("code").where("code", "=", input.code).executeTakeFirst())
      return w.refuse(ConflictError("control_exists", "A control with this code exists."), event, "failure");
    const last = await w.tx
      .selectFrom("assessment_controls")
      .select((eb) => eb.fn.max("position").as("p"))
      .executeTakeFirstOrThrow();
    await w.tx
      .insertInto("assessment_controls")
      .values({
        code: input.code,
        position: Number(last.p ?? 0) + 10,
        area: input.area,
        title_zh: input.titleZh,
        title_en: input.titleEn,
        evidence_source: input.evidenceSource,
        applicable: input.applicable ? 1 : 0,
        applicability_note: input.applicabilityNote,
        active: 1,
        updated_at: now.toISOString(),
        updated_by: ctx.actor.userId,
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { area: input.area, evidenceSource: input.evidenceSource, applicable: input.applicable } });
    return presentControl(await w.tx.selectFrom("assessment_controls").selectAll().where("code", "=", input.code).executeTakeFirstOrThrow());
  });
}

export async function updateControl(services: Services, ctx: RequestContext, code: string, change: ControlUpdateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.control.update", targetType: "assessment_control", targetId: code };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const done = await w.tx
      .updateTable("assessment_controls")
      .set({
        ...(change.titleZh !== undefined ? { title_zh: change.titleZh } : {}),
        ...(change.titleEn !== undefined ? { title_en: change.titleEn } : {}),
        ...(change.evidenceSource !== undefined ? { evidence_source: change.evidenceSource } : {}),
        ...(change.applicable !== undefined ? { applicable: change.applicable ? 1 : 0 } : {}),
        ...(change.applicabilityNote !== undefined ? { applicability_note: change.applicabilityNote } : {}),
        ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}),
        updated_at: now.toISOString(),
        updated_by: ctx.actor.userId,
      })
      .where("code", "=", code)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return w.refuse(NotFoundError("Control"), event, "failure");
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(change).sort() } });
    return presentControl(await w.tx.selectFrom("assessment_controls").selectAll().where("code", "=", code).executeTakeFirstOrThrow());
  });
}
