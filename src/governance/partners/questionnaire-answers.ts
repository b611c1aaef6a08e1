/**
 * The partner's side of a questionnaire link (issue #13, VEN-1): no staff sign-in, only the
 * one-time token, carried in the request body (never a cookie, so no cross-site request can use
 * it; never the URL path, so it stays out of request logs). Every use is one unit of work with the
 * portal as actor and the partner as target (the contact is nobody on staff), requests are counted
 * per address in the database, and the answer never tells an unknown link from a wrong secret.
 *
 * Submitted answers become an assessment marked as answered by the partner (with the contact it
 * was issued to), scored by the same rule as staff assessments, and waiting for compliance to
 * confirm it: until then it does not count for the sharing rule (partner-facts.ts).
 */
import { type AuditedWork, type Refusal, runUnitOfWork } from "../../platform/audit/audited.js";
import { parseToken } from "../../platform/crypto/bearer.js";
import { constantTimeEqual, sha256Hex } from "../../platform/crypto/secrets.js";
import type { DbPartnerQuestionnaireLink } from "../../platform/db/schema.js";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { firmName } from "../../records/documents/share-code.js";
import { countAgainst } from "../../rights/requests/portal-intake.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { dayOf, type RiskLevel } from "./partner.js";
import type { AnswerKind } from "./questionnaire.js";
import { LINK_REQUESTS_PER_ADDRESS_PER_HOUR, linkStatusAt, QUESTIONNAIRE_LINK_TOKEN } from "./questionnaire-links.js";
import { reassessmentDueOn, scoreAssessment } from "./risk-scoring.js";

/** Who is at the other end: the HTTP request's id and address (kept only as a keyed MAC). */
export interface LinkCaller {
  requestId: string;
  address: string;
}

const ADDRESS_MAC_PURPOSE = "partner-questionnaire-address";

/** One answer for a used, revoked or expired link: the holder of a real link learns it is closed, nothing more. */
export const LinkClosedError = () => new AppError(410, "questionnaire_link_closed", "This link can no longer be used. Ask the firm for a new one.");
export const LinkRateLimitedError = () => new AppError(429, "rate_limited", "Too many requests from this address; try again later.");

interface OpenLink {
  row: DbPartnerQuestionnaireLink;
  event: { action: string; targetType: string; targetId: string; details: { linkId: string; contactId: string } };
  now: Date;
}

const runAsPartner = <T>(services: Services, caller: LinkCaller, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> =>
  runUnitOfWork(services, { actor: { kind: "portal" }, requestId: caller.requestId, purpose: null }, work);

/**
 * Counts the request against its address, then finds the link and checks its secret. An unknown
 * link and a wrong secret get the same 404 (audited apart); a closed link gets one 410 whatever
 * closed it (the audit event says which).
 */
async function followLink(services: Services, w: AuditedWork, caller: LinkCaller, token: string, action: string): Promise<OpenLink | Refusal> {
  const now = new Date();
  const unknown = { action, targetType: "partner", targetId: null };
  const addressMac = services.vault.mac(ADDRESS_MAC_PURPOSE, caller.address);
  if (!(await countAgainst(w.tx, `pq-ip:${addressMac}`, LINK_REQUESTS_PER_ADDRESS_PER_HOUR, 3600_000, now)))
    return w.refuse(LinkRateLimitedError(), { ...unknown, details: { limit: "address" } }, "failure");
  const parsed = parseToken(token, QUESTIONNAIRE_LINK_TOKEN);
  const row = parsed ? await w.tx.selectFrom("partner_questionnaire_links").selectAll().where("token_id", "=", parsed.id).executeTakeFirst() : undefined;
  if (!parsed || !row) return w.refuse(NotFoundError("Link"), { ...unknown, reason: "unknown_link" }, "failure");
  const event = { action, targetType: "partner", targetId: row.partner_id, details: { linkId: row.id, contactId: row.contact_id } };
  // Constant-time comparison: no timing side channel on the secret.
  if (!constantTimeEqual(row.secret_hash, sha256Hex(parsed.secret)))
    return w.refuse(NotFoundError("Link"), { ...event, reason: "link_secret_wrong" }, "denied");
  const status = linkStatusAt(row, now);
  if (status !== "active") return w.refuse(LinkClosedError(), { ...event, reason: `link_${status}` }, "failure");
  return { row, event, now };
}

interface ActiveQuestion {
  code: string;
  textZh: string;
  textEn: string;
  kind: AnswerKind;
  riskByAnswer: Record<string, RiskLevel>;
}

async function activeQuestions(w: AuditedWork): Promise<ActiveQuestion[]> {
  const rows = await w.tx.selectFrom("partner_questions").selectAll().where("active", "=", 1).orderBy("position").orderBy("code").execute();
  return rows.map((r) => ({
    code: r.code,
    textZh: r.text_zh,
    textEn: r.text_en,
    kind: r.answer_kind as AnswerKind,
    riskByAnswer: JSON.parse(r.risk_by_answer) as Record<string, RiskLevel>,
  }));
}

/** What the page shows: the firm, the partner's name, the expiry and the questions with their answers (never the risk each carries). */
export async function openQuestionnaireLink(services: Services, caller: LinkCaller, token: string) {
  return runAsPartner(services, caller, async (w) => {
    const link = await followLink(services, w, caller, token, "partner.link.open");
    if (!("row" in link)) return link;
    const partner = await w.tx.selectFrom("partners").select("name").where("id", "=", link.row.partner_id).executeTakeFirstOrThrow();
    const questions = await activeQuestions(w);
    w.record({ ...link.event, outcome: "success" });
    return {
      firm: firmName(),
      partnerName: partner.name,
      language: link.row.language,
      expiresAt: link.row.expires_at,
      questions: questions.map((q) => ({ code: q.code, textZh: q.textZh, textEn: q.textEn, kind: q.kind, answers: Object.keys(q.riskByAnswer) })),
    };
  });
}

/**
 * Records the partner's answers as an assessment pending compliance's review and uses the link
 * up, in one unit of work: a second submission, even a concurrent one, finds it used. Every
 * active question with fixed answers must be answered with one of them.
 */
export async function submitQuestionnaireLink(services: Services, caller: LinkCaller, token: string, answers: Record<string, string>) {
  return runAsPartner(services, caller, async (w) => {
    const link = await followLink(services, w, caller, token, "partner.link.submit");
    if (!("row" in link)) return link;
    const { row, now, event } = link;
    const questions = await activeQuestions(w);
    const issues = [
      ...Object.entries(answers).flatMap(([code, answer]) => {
        const q = questions.find((x) => x.code === code);
        if (!q) return [{ field: `answers.${code}`, code: "unknown_question", message: "Not a question of the questionnaire." }];
        if (q.kind !== "text" && !(answer in q.riskByAnswer))
          return [{ field: `answers.${code}`, code: "unknown_answer", message: "Not one of the question's answers." }];
        return [];
      }),
      ...questions
        .filter((q) => q.kind !== "text" && !answers[q.code])
        .map((q) => ({ field: `answers.${q.code}`, code: "required", message: "Please answer this question." })),
    ];
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    // Text answers left empty are not kept.
    const kept = Object.fromEntries(Object.entries(answers).filter(([, a]) => a.trim() !== ""));
    const score = scoreAssessment(questions, kept);
    const assessedOn = dayOf(now);
    const dueOn = reassessmentDueOn(assessedOn, score.level);
    const used = await w.tx
      .updateTable("partner_questionnaire_links")
      .set({ status: "used", used_at: now.toISOString() })
      .where("id", "=", row.id)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return w.refuse(LinkClosedError(), { ...event, reason: "link_used" }, "failure");
    const assessmentId = uuidv7();
    await w.tx
      .insertInto("partner_assessments")
      .values({
        id: assessmentId,
        partner_id: row.partner_id,
        assessed_on: assessedOn,
        // The staff member who asked; answered_by and contact_id say who answered.
        assessor_id: row.issued_by,
        answers: JSON.stringify(kept),
        risk_level: score.level,
        reasons: JSON.stringify(score.reasons),
        reassessment_due_on: dueOn,
        created_at: now.toISOString(),
        answered_by: "partner",
        contact_id: row.contact_id,
        link_id: row.id,
        review_status: "pending_review",
        reviewed_by: null,
        reviewed_at: null,
      })
      .execute();
    await w.tx.updateTable("partner_questionnaire_links").set({ assessment_id: assessmentId }).where("id", "=", row.id).execute();
    // The compliance officer who issued the link learns there is an assessment to review.
    await notifyUsers(
      w.tx,
      services.vault,
      { kind: "partner.attention", partnerId: row.partner_id, reason: "assessment_pending_review", dueOn: null, at: now.toISOString() },
      [row.issued_by],
      now.toISOString(),
    );
    // Question codes and the level only: answers may be free text.
    w.record({
      ...event,
      outcome: "success",
      details: { ...event.details, assessmentId, riskLevel: score.level, raisedBy: score.reasons.map((r) => r.question) },
    });
    return { received: true as const, submittedAt: now.toISOString() };
  });
}
