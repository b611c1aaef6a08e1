/**
 * Awards for confidentiality (TRN-3: 保密之星 and the like) and the internal publication of
 * outcomes (GOV-5). Compliance (`accountability.manage`) grants and publishes; every signed-in
 * staff member reads the publications. What a publication may say is fixed here, as policy: an
 * award names its winner (the console shows the name from the staff directory); a sanction says
 * only the role, the rule broken, the sanction and the date.
 */
import { z } from "zod";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { humanText } from "../../http/schema-text.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { DbAccountabilityPublication, DbStaffAward } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { PERIOD_PATTERN } from "./appraisal-score.js";

export const AWARD_CODES = ["confidentiality_star", "privacy_champion", "incident_responder"] as const;

export const AwardInput = z.strictObject({
  userId: z.string().min(1).max(64),
  awardCode: z.enum(AWARD_CODES),
  period: z.string().regex(PERIOD_PATTERN).describe("A quarter, e.g. 2026-Q3"),
  citation: humanText({ multiline: true }).max(2000).optional().describe("Why; sealed at rest, not published"),
  awardedOn: z.iso.date().optional().describe("Defaults to today"),
});
export type AwardInput = z.infer<typeof AwardInput>;

const presentAward = (services: Services, a: DbStaffAward) => ({
  id: a.id,
  userId: a.user_id,
  awardCode: a.award_code,
  period: a.period,
  citation: a.citation_ct === null ? null : openText(services.vault, "staff_awards", a.id, "citation", a.citation_ct),
  awardedOn: a.awarded_on,
  awardedBy: a.awarded_by,
  published: a.publication_id !== null,
});

/** An allow-list: a sanction's publication carries no user id, an award's no role. */
export const presentPublication = (p: DbAccountabilityPublication) =>
  p.kind === "award"
    ? { id: p.id, kind: "award" as const, publishedOn: p.published_on, userId: p.user_id, awardCode: p.award_code, period: p.period }
    : { id: p.id, kind: "sanction" as const, publishedOn: p.published_on, subjectRole: p.subject_role, ruleCode: p.rule_code, sanction: p.sanction };

export async function grantAward(services: Services, ctx: RequestContext, input: AwardInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.award.grant", targetType: "user", targetId: input.userId };
    const decision = authorize(ctx.actor, "accountability.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!(await w.tx.selectFrom("users").select("id").where("id", "=", input.userId).executeTakeFirst()))
      return w.refuse(ValidationError([{ field: "userId", code: "unknown_user", message: "No user has this id." }]), event, "failure");
    const row: DbStaffAward = {
      id,
      user_id: input.userId,
      award_code: input.awardCode,
      period: input.period,
      citation_ct: input.citation ? sealText(services.vault, "staff_awards", id, "citation", input.citation) : null,
      awarded_on: input.awardedOn ?? now.toISOString().slice(0, 10),
      awarded_by: ctx.actor.userId,
      publication_id: null,
      created_at: now.toISOString(),
    };
    await w.tx.insertInto("staff_awards").values(row).execute();
    w.record({ ...event, outcome: "success", details: { awardId: id, awardCode: input.awardCode, period: input.period } });
    return presentAward(services, row);
  });
}

export async function listAwards(services: Services, ctx: RequestContext, filter: { period?: string | undefined }) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.award.list", targetType: "user", targetId: null };
    const decision = authorize(ctx.actor, "accountability.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    let q = w.tx.selectFrom("staff_awards").selectAll().orderBy("period", "desc").orderBy("id", "desc").limit(500);
    if (filter.period) q = q.where("period", "=", filter.period);
    const rows = await q.execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return { items: rows.map((a) => presentAward(services, a)) };
  });
}

export async function publishAward(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "accountability.award.publish", targetType: "staff_award", targetId: id };
    const decision = authorize(ctx.actor, "accountability.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("staff_awards").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Award"), event, "failure");
    if (row.publication_id !== null) return w.refuse(ConflictError("already_published", "This award is already published."), event, "failure");
    const publicationId = uuidv7();
    const at = now.toISOString();
    await w.tx
      .insertInto("accountability_publications")
      .values({
        id: publicationId,
        kind: "award",
        published_on: at.slice(0, 10),
        published_by: ctx.actor.userId,
        user_id: row.user_id,
        subject_role: null,
        rule_code: null,
        sanction: null,
        award_code: row.award_code,
        period: row.period,
        created_at: at,
      })
      .execute();
    await w.tx.updateTable("staff_awards").set({ publication_id: publicationId }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { publicationId, awardCode: row.award_code, period: row.period } });
    return presentAward(services, { ...row, publication_id: publicationId });
  });
}

/** The internal noticeboard: every signed-in staff member reads it. */
export async function listPublications(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const rows = await w.tx.selectFrom("accountability_publications").selectAll().orderBy("published_on", "desc").orderBy("id", "desc").limit(200).execute();
    w.record({
      action: "accountability.publication.list",
      targetType: "accountability_publication",
      targetId: null,
      outcome: "success",
      details: { count: rows.length },
    });
    return { items: rows.map(presentPublication) };
  });
}
