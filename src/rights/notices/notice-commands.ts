/**
 * The only code that writes privacy notices: draft, change a draft, publish. Each call is one
 * audited transaction; events carry the version and codes, never the text.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { noticeContentHash, noticeFromRow, NoticePublishedError, type Notice, type NoticeContent } from "./notice.js";
import { findNoticeRow, nextNoticeVersion } from "./notice-store.js";

const event = (action: string, version: number | null) => ({
  action,
  targetType: "notice",
  targetId: version === null ? null : String(version),
  purpose: null,
});

export async function draftNotice(services: Services, ctx: RequestContext, content: NoticeContent): Promise<Notice> {
  return runAudited(services, ctx, async (w) => {
    const decision = authorize(ctx.actor, "notice.manage");
    if (decision.effect === "deny") return w.deny(decision, event("notice.draft", null));
    const now = new Date().toISOString();
    const version = await nextNoticeVersion(w.tx);
    await w.tx
      .insertInto("privacy_notices")
      .values({
        version,
        status: "draft",
        effective_from: content.effectiveFrom,
        title_zh: content.titleZh,
        title_en: content.titleEn,
        body_zh: content.bodyZh,
        body_en: content.bodyEn,
        content_hash: null,
        created_at: now,
        created_by: ctx.actor.userId,
        updated_at: now,
        published_at: null,
        published_by: null,
      })
      .execute();
    w.record({ ...event("notice.draft", version), outcome: "success" });
    return noticeFromRow((await findNoticeRow(w.tx, version))!);
  });
}

/** Changes a draft. A published version is evidence of what clients were shown: 409, draft a new one. */
export async function updateDraft(services: Services, ctx: RequestContext, version: number, changes: Partial<NoticeContent>): Promise<Notice> {
  return runAudited(services, ctx, async (w) => {
    const ev = event("notice.update", version);
    const decision = authorize(ctx.actor, "notice.manage");
    if (decision.effect === "deny") return w.deny(decision, ev);
    const row = await findNoticeRow(w.tx, version);
    if (!row) return w.refuse(NotFoundError("Notice"), ev, "failure");
    if (row.status !== "draft") return w.refuse(NoticePublishedError(), ev);
    const now = new Date().toISOString();
    await w.tx
      .updateTable("privacy_notices")
      .set({
        ...(changes.effectiveFrom !== undefined ? { effective_from: changes.effectiveFrom } : {}),
        ...(changes.titleZh !== undefined ? { title_zh: changes.titleZh } : {}),
        ...(changes.titleEn !== undefined ? { title_en: changes.titleEn } : {}),
        ...(changes.bodyZh !== undefined ? { body_zh: changes.bodyZh } : {}),
        ...(changes.bodyEn !== undefined ? { body_en: changes.bodyEn } : {}),
        updated_at: now,
      })
      // The status guard makes a concurrent publication win: a published row is never touched.
      .where("version", "=", version)
      .where("status", "=", "draft")
      .execute();
    w.record({ ...ev, outcome: "success", details: { fields: Object.keys(changes) } });
    return noticeFromRow((await findNoticeRow(w.tx, version))!);
  });
}

/** Publishes a draft and stores the SHA-256 of its content; from then on the version is immutable. */
export async function publishNotice(services: Services, ctx: RequestContext, version: number): Promise<Notice> {
  return runAudited(services, ctx, async (w) => {
    const ev = event("notice.publish", version);
    const decision = authorize(ctx.actor, "notice.manage");
    if (decision.effect === "deny") return w.deny(decision, ev);
    const row = await findNoticeRow(w.tx, version);
    if (!row) return w.refuse(NotFoundError("Notice"), ev, "failure");
    if (row.status !== "draft") return w.refuse(NoticePublishedError(), ev);
    const draft = noticeFromRow(row);
    const hash = noticeContentHash(version, draft);
    const now = new Date().toISOString();
    const result = await w.tx
      .updateTable("privacy_notices")
      .set({ status: "published", content_hash: hash, published_at: now, published_by: ctx.actor.userId, updated_at: now })
      .where("version", "=", version)
      .where("status", "=", "draft")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return w.refuse(NoticePublishedError(), ev);
    w.record({ ...ev, outcome: "success", details: { contentHash: hash, effectiveFrom: draft.effectiveFrom } });
    return noticeFromRow((await findNoticeRow(w.tx, version))!);
  });
}
