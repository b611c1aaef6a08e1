/**
 * One-time questionnaire links (issue #13, VEN-1), on both engines, through the API: compliance
 * issues a link for a partner contact; the partner opens it and submits without a staff sign-in;
 * the answers become an assessment answered by the partner, scored, that counts only once
 * compliance confirms it. A used, expired or revoked link is refused alike (410); a wrong secret is
 * answered exactly as an unknown link (404); every public use is audited against the partner.
 */
import type { FastifyInstance } from "fastify";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addPartnerCommands } from "../src/governance/partners/partners-cli.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { day, GOOD_ANSWERS } from "./support/partners.js";

const CONTACT = { name: "陈静怡", email: "chen.jingyi@translate.example.cn" };

for (const dialect of DIALECTS) {
  describe(`${dialect}: partner questionnaire links`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser, lawyer: TestUser;
    let partnerId: string, contactId: string;
    let address = 0;

    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token), ...(payload ? { payload } : {}) });
    /** The partner's browser: no credentials, its own address. */
    const publicCall = (path: "open" | "submit", payload: object, remoteAddress = "192.0.2.10") =>
      app.inject({ method: "POST", url: `/api/v1/partner-questionnaire/${path}`, payload, remoteAddress });
    const issue = async (body: object = {}) => {
      const res = await call("POST", `/partners/${partnerId}/questionnaire-links`, compliance, { contactId, ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { link: { id: string; status: string; expiresAt: string }; path: string; token: string };
    };
    const lastPublicEvent = () =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_role", "=", "portal").orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const partnerRead = async () => (await call("GET", `/partners/${partnerId}`, compliance)).json();

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      compliance = await buildUser(services, "compliance");
      lawyer = await buildUser(services, "lawyer");
      const res = await call("POST", "/partners", compliance, {
        name: "信达翻译有限公司",
        kind: "translator",
        piplRole: "entrusted_processor",
        jurisdiction: "CN",
        dataCategories: ["identity"],
        maxLevel: 2,
        status: "active",
        contacts: [CONTACT],
      });
      expect(res.statusCode, res.body).toBe(201);
      partnerId = res.json().id;
      contactId = res.json().contacts[0].id;
      const contract = await call("POST", `/partners/${partnerId}/contracts`, compliance, { kind: "dpa", version: "1", signedOn: day(-10) });
      expect(contract.statusCode, contract.body).toBe(201);
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("issue → open → submit: an assessment answered by the partner, scored, counting only once compliance confirms it", async () => {
      const mailsBefore = await services.engine.db.selectFrom("email_outbox").select("id").where("purpose", "=", "partner_questionnaire_link").execute();
      const issued = await issue({ email: true, language: "en" });
      expect(issued.token).toMatch(/^cpq_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
      expect(issued.path).toBe(`/portal/#/questionnaire/${issued.token}`);
      expect(issued.link).toMatchObject({ status: "active", emailed: true, contactId, language: "en" });
      // 14 days by default.
      expect(Math.round((Date.parse(issued.link.expiresAt) - Date.now()) / 86_400_000)).toBe(14);
      const secret = issued.token.split(".")[1]!;
      // Stored: a SHA-256 of the secret, never the secret; the issue event names ids only.
      const stored = await services.engine.db.selectFrom("partner_questionnaire_links").selectAll().where("id", "=", issued.link.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      const issuedEvent = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "partner.link.issue")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      expect(issuedEvent).toMatchObject({ outcome: "success", target_id: partnerId, actor_id: compliance.actor.userId });
      expect(JSON.parse(issuedEvent.details!)).toMatchObject({ linkId: issued.link.id, contactId, emailed: true });
      expect(issuedEvent.details).not.toContain(secret);
      // The email went to the contact through the outbox (sealed there).
      const mails = await services.engine.db.selectFrom("email_outbox").selectAll().where("purpose", "=", "partner_questionnaire_link").execute();
      expect(mails).toHaveLength(mailsBefore.length + 1);
      expect(JSON.stringify(mails)).not.toContain(CONTACT.email);

      // The partner opens it: no cookie, no bearer; the token in the body.
      const opened = await publicCall("open", { token: issued.token });
      expect(opened.statusCode, opened.body).toBe(200);
      expect(opened.json()).toMatchObject({ partnerName: "信达翻译有限公司", language: "en", expiresAt: issued.link.expiresAt });
      const questions = opened.json().questions as { code: string; kind: string; answers: string[]; textZh: string; textEn: string }[];
      expect(questions.find((q) => q.code === "breach_history")).toMatchObject({ kind: "choice", answers: ["none", "minor", "major"] });
      expect(JSON.stringify(opened.json())).not.toContain("risk");
      expect(await lastPublicEvent()).toMatchObject({
        action: "partner.link.open",
        outcome: "success",
        actor_id: null,
        target_type: "partner",
        target_id: partnerId,
      });

      // An incomplete form is refused per field, and leaves the link usable.
      const partial = await publicCall("submit", { token: issued.token, answers: { iso27001: "yes" } });
      expect([partial.statusCode, partial.json().error.code]).toEqual([400, "validation_error"]);
      expect(partial.json().error.fields.map((f: { field: string }) => f.field)).toContain("answers.breach_history");
      const wrongAnswer = await publicCall("submit", { token: issued.token, answers: { ...GOOD_ANSWERS, iso27001: "maybe" } });
      expect(wrongAnswer.json().error.fields).toEqual([expect.objectContaining({ field: "answers.iso27001", code: "unknown_answer" })]);

      // Two medium answers: scored medium, with its reasons.
      const answers = { ...GOOD_ANSWERS, iso27001: "no", data_location: "abroad", notes: "Servers in Hong Kong" };
      const submitted = await publicCall("submit", { token: issued.token, answers });
      expect(submitted.statusCode, submitted.body).toBe(201);
      expect(submitted.json()).toMatchObject({ received: true });
      const submitEvent = await lastPublicEvent();
      expect(submitEvent).toMatchObject({ action: "partner.link.submit", outcome: "success", actor_role: "portal", target_id: partnerId });
      expect(JSON.parse(submitEvent.details!)).toMatchObject({
        linkId: issued.link.id,
        contactId,
        riskLevel: "medium",
        raisedBy: ["iso27001", "data_location"],
      });
      expect(submitEvent.details).not.toContain("Hong Kong");

      const p = await partnerRead();
      const assessment = p.assessments[0];
      expect(assessment).toMatchObject({
        answeredBy: "partner",
        contactId,
        reviewStatus: "pending_review",
        riskLevel: "medium",
        answers,
        reasons: [
          { question: "iso27001", answer: "no", risk: "medium" },
          { question: "data_location", answer: "abroad", risk: "medium" },
        ],
      });
      expect(p.questionnaireLinks[0]).toMatchObject({ id: issued.link.id, status: "used", assessmentId: assessment.id });
      // Not yet counted: the partner is still "not assessed" for the sharing rule.
      expect(p.risk).toBeNull();
      expect(p.readiness).toEqual({ ready: false, reason: "partner_not_assessed" });
      // The issuer is told there is something to review.
      const told = await services.engine.db.selectFrom("notifications").selectAll().where("user_id", "=", compliance.actor.userId).execute();
      expect(told.some((n) => JSON.parse(n.payload).data.reason === "assessment_pending_review")).toBe(true);

      // A lawyer may not confirm it; compliance does, and then it counts.
      const refused = await call("POST", `/partners/${partnerId}/assessments/${assessment.id}/review`, lawyer, { decision: "confirm" });
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const confirmed = await call("POST", `/partners/${partnerId}/assessments/${assessment.id}/review`, compliance, { decision: "confirm" });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json().risk).toMatchObject({ level: "medium" });
      expect(confirmed.json().readiness).toEqual({ ready: true, reason: null });
      expect(confirmed.json().assessments[0]).toMatchObject({ reviewStatus: "confirmed", reviewedBy: compliance.actor.userId });
      const twice = await call("POST", `/partners/${partnerId}/assessments/${assessment.id}/review`, compliance, { decision: "reject" });
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, "assessment_not_pending"]);

      // Used up: a second submission (or opening) is refused.
      const again = await publicCall("submit", { token: issued.token, answers: GOOD_ANSWERS });
      expect([again.statusCode, again.json().error.code]).toEqual([410, "questionnaire_link_closed"]);
      expect(await lastPublicEvent()).toMatchObject({ action: "partner.link.submit", outcome: "failure", reason: "link_used", target_id: partnerId });
      const reopen = await publicCall("open", { token: issued.token });
      expect(reopen.statusCode).toBe(410);
    });

    it("a rejected answer never counts", async () => {
      const issued = await issue();
      const submitted = await publicCall("submit", { token: issued.token, answers: { ...GOOD_ANSWERS, breach_history: "major" } });
      expect(submitted.statusCode, submitted.body).toBe(201);
      const pending = (await partnerRead()).assessments[0];
      expect(pending).toMatchObject({ riskLevel: "high", reviewStatus: "pending_review" });
      const rejected = await call("POST", `/partners/${partnerId}/assessments/${pending.id}/review`, compliance, { decision: "reject" });
      expect(rejected.statusCode, rejected.body).toBe(200);
      // The confirmed medium assessment still stands.
      expect(rejected.json().risk).toMatchObject({ level: "medium" });
      expect(rejected.json().readiness.ready).toBe(true);
    });

    it("a wrong secret is answered exactly as an unknown link: 404, whichever part was wrong", async () => {
      const issued = await issue();
      const [id] = issued.token.slice(4).split(".");
      const otherSecret = "A".repeat(43);
      const wrongSecret = await publicCall("open", { token: `cpq_${id}.${otherSecret}` });
      const unknownId = await publicCall("open", { token: `cpq_${"B".repeat(16)}.${issued.token.split(".")[1]}` });
      const malformed = await publicCall("open", { token: "cpq_nonsense" });
      for (const res of [wrongSecret, unknownId, malformed]) expect(res.statusCode).toBe(404);
      expect(wrongSecret.json().error).toEqual(unknownId.json().error);
      expect(malformed.json().error).toEqual(unknownId.json().error);
      // Audited apart: the wrong secret against the partner, the unknown link without a target.
      const events = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "partner.link.open")
        .where("outcome", "!=", "success")
        .orderBy("seq", "desc")
        .limit(3)
        .execute();
      expect(events.map((e) => [e.reason, e.target_id])).toEqual([
        ["unknown_link", null],
        ["unknown_link", null],
        ["link_secret_wrong", partnerId],
      ]);
      // The link still works for its real holder.
      expect((await publicCall("open", { token: issued.token })).statusCode).toBe(200);
    });

    it("an expired link and a revoked link are refused alike (410)", async () => {
      const expired = await issue({ expiresInDays: 1 });
      await services.engine.db
        .updateTable("partner_questionnaire_links")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("id", "=", expired.link.id)
        .execute();
      const late = await publicCall("submit", { token: expired.token, answers: GOOD_ANSWERS });
      expect([late.statusCode, late.json().error.code]).toEqual([410, "questionnaire_link_closed"]);
      expect(await lastPublicEvent()).toMatchObject({ reason: "link_expired", target_id: partnerId });

      const revoked = await issue();
      const lawyerRevoke = await call("POST", `/partners/${partnerId}/questionnaire-links/${revoked.link.id}/revoke`, lawyer);
      expect(lawyerRevoke.statusCode).toBe(403);
      const res = await call("POST", `/partners/${partnerId}/questionnaire-links/${revoked.link.id}/revoke`, compliance);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: "revoked", revokedBy: compliance.actor.userId });
      const after = await publicCall("submit", { token: revoked.token, answers: GOOD_ANSWERS });
      expect([after.statusCode, after.json().error.code]).toEqual([410, "questionnaire_link_closed"]);
      expect(await lastPublicEvent()).toMatchObject({ reason: "link_revoked" });
      expect(after.json().error).toEqual(late.json().error);
      // Revoking twice, or an expired link, is a conflict for staff.
      const twice = await call("POST", `/partners/${partnerId}/questionnaire-links/${revoked.link.id}/revoke`, compliance);
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, "questionnaire_link_not_active"]);
      // Nothing was recorded from either.
      const assessments = await services.engine.db.selectFrom("partner_assessments").select("link_id").where("partner_id", "=", partnerId).execute();
      expect(assessments.map((a) => a.link_id)).not.toContain(expired.link.id);
      expect(assessments.map((a) => a.link_id)).not.toContain(revoked.link.id);
    });

    it("issuing is refused without partner.manage, and for someone who is not the partner's contact", async () => {
      const res = await call("POST", `/partners/${partnerId}/questionnaire-links`, lawyer, { contactId });
      expect([res.statusCode, res.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const stranger = await call("POST", `/partners/${partnerId}/questionnaire-links`, compliance, { contactId: "00000000-0000-7000-8000-000000000000" });
      expect([stranger.statusCode, stranger.json().error.fields[0].code]).toEqual([400, "unknown_contact"]);
    });

    it("counts public requests per address: the 31st in an hour is 429, audited", async () => {
      const remote = `198.51.100.${++address}`;
      for (let i = 0; i < 30; i++) expect((await publicCall("open", { token: "cpq_x" }, remote)).statusCode).toBe(404);
      const limited = await publicCall("open", { token: "cpq_x" }, remote);
      expect([limited.statusCode, limited.json().error.code]).toEqual([429, "rate_limited"]);
      expect(await lastPublicEvent()).toMatchObject({ action: "partner.link.open", reason: "rate_limited" });
      // Another address is not affected.
      expect((await publicCall("open", { token: "cpq_x" }, "198.51.100.200")).statusCode).toBe(404);
    });

    it("documents the routes in OpenAPI: the public ones need no credentials", async () => {
      const res = await app.inject({ method: "GET", url: "/api/openapi.json" });
      expect(res.statusCode).toBe(200);
      const paths = res.json().paths;
      expect(paths["/api/v1/partner-questionnaire/submit"].post.security).toEqual([]);
      expect(paths["/api/v1/partner-questionnaire/open"].post.summary).toBeTruthy();
      expect(paths["/api/v1/partners/{id}/questionnaire-links"].post.summary).toBeTruthy();
      expect(paths["/api/v1/partners/{id}/assessments/{childId}/review"].post.summary).toBeTruthy();
      expect(paths["/api/v1/partners/{id}/incidents"].post.requestBody).toBeTruthy();
    });

    it("custodia partners link issue | revoke, as console compliance", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, db.env);
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      const cli = (...args: string[]) => {
        const program = new Command("custodia").exitOverride();
        addPartnerCommands(program);
        return program.parseAsync(["partners", ...args, "--json"], { from: "user" });
      };
      try {
        await cli("link", "issue", partnerId, "--contact", contactId, "--days", "3");
        const issued = JSON.parse(out.pop()!);
        expect(issued.link).toMatchObject({ status: "active", emailed: false });
        expect((await publicCall("open", { token: issued.token })).statusCode).toBe(200);
        await cli("link", "revoke", partnerId, issued.link.id);
        expect(JSON.parse(out.pop()!)).toMatchObject({ id: issued.link.id, status: "revoked" });
        expect((await publicCall("open", { token: issued.token })).statusCode).toBe(410);
      } finally {
        log.mockRestore();
        process.env = saved;
      }
    });
  });
}
