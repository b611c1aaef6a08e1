import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeNoticeList } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { noticeFromRow, NoticeNotInForceError, presentNotice, type Notice, type NoticeLanguage } from "./notice.js";
import { findNoticeInForce } from "./notice-store.js";

/**
 * The published notice in force now, in one language. Public and unaudited: it is the firm's own
 * published text, and auditing anonymous reads would let anyone grow the audit chain.
 */
export async function currentNotice(services: Services, language: NoticeLanguage, now = new Date()) {
  const row = await findNoticeInForce(services.engine.db, now.toISOString());
  if (!row) throw NoticeNotInForceError();
  return presentNotice(noticeFromRow(row), language);
}

/** Every version, drafts included, newest first: for staff. */
export async function listNotices(services: Services, ctx: RequestContext): Promise<Notice[]> {
  return runAudited(services, ctx, async (w) => {
    const ev = { action: "notice.list", targetType: "notice", targetId: null, purpose: null };
    const decision = authorizeNoticeList(ctx.actor);
    if (decision.effect === "deny") return w.deny(decision, ev);
    const rows = await w.tx.selectFrom("privacy_notices").selectAll().orderBy("version", "desc").execute();
    w.record({ ...ev, outcome: "success", details: { count: rows.length } });
    return rows.map(noticeFromRow);
  });
}
