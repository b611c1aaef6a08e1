import { describe, expect, it } from "vitest";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const EMAIL = "complainant.li@example.cn";
const PHONE = "13866667777";

for (const dialect of DIALECTS) {
  describe(`${dialect}: complaints, accountability, post-incident review and drills`, () => {
    const suite = httpSuite(dialect);
    const post = (url: string, token: string, payload?: object) =>
      suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });
    let compliance: TestUser;
    let compliance2: TestUser;
    let partner: TestUser;
    let incidentId: string;

    const proof = async () => {
      const c = (await suite.app.inject({ method: "GET", url: "/api/v1/portal/challenge" })).json();
      return { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) };
    };

    it("portal complaint → ticket with SLA → response → linked to an incident", async () => {
      compliance = await buildUser(suite.services, "compliance");
      compliance2 = await buildUser(suite.services, "compliance");
      partner = await buildUser(suite.services, "partner");
      const p = await proof();
      const filed = await suite.app.inject({
        method: "POST",
        url: "/api/v1/portal/complaints",
        payload: { category: "data_handling", description: "我的资料被发给了无关人员", email: EMAIL, phone: PHONE, language: "zh-CN", proof: p },
      });
      expect(filed.statusCode).toBe(202);
      const { complaintId, slaDueAt } = filed.json();
      expect(Date.parse(slaDueAt) - Date.now()).toBeGreaterThan(14.9 * 86_400_000); // data_handling: 15 days
      expect(Date.parse(slaDueAt) - Date.now()).toBeLessThan(15.1 * 86_400_000);
      // The same proof twice is refused; without a proof the request does not validate.
      expect(
        (await suite.app.inject({ method: "POST", url: "/api/v1/portal/complaints", payload: { category: "other", description: "x", proof: p } })).json().error
          .code,
      ).toBe("proof_invalid");
      expect((await suite.app.inject({ method: "POST", url: "/api/v1/portal/complaints", payload: { category: "other", description: "x" } })).statusCode).toBe(
        400,
      );
      // Contact details and text are sealed at rest.
      const row = await suite.services.engine.db.selectFrom("complaints").selectAll().where("id", "=", complaintId).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(EMAIL);
      expect(JSON.stringify(row)).not.toContain(PHONE);
      expect(JSON.stringify(row)).not.toContain("无关人员");

      expect((await suite.app.inject({ method: "GET", url: `/api/v1/complaints/${complaintId}`, headers: auth(partner.token) })).statusCode).toBe(403);
      const ticket = await suite.app.inject({ method: "GET", url: `/api/v1/complaints/${complaintId}`, headers: auth(compliance.token) });
      expect(ticket.json()).toMatchObject({
        channel: "portal",
        category: "data_handling",
        status: "open",
        email: EMAIL,
        phone: PHONE,
        overdue: false,
        response: null,
        slaDueAt,
      });

      const noted = await suite.app.inject({
        method: "PATCH",
        url: `/api/v1/complaints/${complaintId}`,
        headers: auth(compliance.token),
        payload: { status: "investigating", note: "Checked the mail log." },
      });
      expect(noted.json()).toMatchObject({ status: "investigating", notes: [{ authorId: compliance.actor.userId, text: "Checked the mail log." }] });

      const answered = await post(`/complaints/${complaintId}/response`, compliance.token, { text: "您好，经核查……本所已采取以下措施。" });
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({ status: "responded", response: { by: compliance.actor.userId, emailed: true } });
      const queued = await suite.services.engine.db.selectFrom("email_outbox").selectAll().where("purpose", "=", "complaint_response").execute();
      expect(queued).toHaveLength(1);
      expect(JSON.stringify(queued)).not.toContain(EMAIL);

      const incident = await post("/incidents", compliance.token, {
        source: "client_complaint",
        category: "disclosure",
        cause: "misdirected_disclosure",
        measures: ["recipient_asked_to_delete"],
        peopleAffected: 1,
        l4Involved: false,
        leftFirm: true,
        euSubjects: false,
        contact: "privacy@firm.test",
      });
      incidentId = incident.json().id;
      const linked = await suite.app.inject({
        method: "PATCH",
        url: `/api/v1/complaints/${complaintId}`,
        headers: auth(compliance.token),
        payload: { incidentId },
      });
      expect(linked.json().incidentId).toBe(incidentId);

      const staff = await post("/complaints", compliance.token, { category: "service", description: "Phoned in a complaint", language: "en" });
      expect(staff.statusCode).toBe(201);
      expect(staff.json()).toMatchObject({ channel: "staff", filedBy: compliance.actor.userId, email: null });
      expect((await post("/complaints", partner.token, { category: "service", description: "x" })).statusCode).toBe(403);
    });

    it("keeps accountability records visible to compliance only", async () => {
      const created = await post("/accountability-records", compliance.token, {
        userId: partner.actor.userId,
        ruleCode: "need_to_know",
        sanction: "training",
        decidedOn: "2026-03-02",
        incidentId,
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        userId: partner.actor.userId,
        ruleCode: "need_to_know",
        sanction: "training",
        incidentId,
        recordedBy: compliance.actor.userId,
      });
      expect(
        (
          await post("/accountability-records", partner.token, {
            userId: compliance.actor.userId,
            ruleCode: "other",
            sanction: "warning",
            decidedOn: "2026-03-02",
          })
        ).statusCode,
      ).toBe(403);
      for (const user of [partner]) {
        const denied = await suite.app.inject({ method: "GET", url: "/api/v1/accountability-records", headers: auth(user.token) });
        expect(denied.statusCode).toBe(403);
      }
      const auditor = await buildUser(suite.services, "auditor");
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/accountability-records", headers: auth(auditor.token) })).statusCode).toBe(403);
      const list = await suite.app.inject({
        method: "GET",
        url: `/api/v1/accountability-records?userId=${partner.actor.userId}`,
        headers: auth(compliance.token),
      });
      expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([created.json().id]);
    });

    it("records a review; a corrective action cannot be closed by its owner alone", async () => {
      const review = await suite.app.inject({
        method: "PUT",
        url: `/api/v1/incidents/${incidentId}/review`,
        headers: auth(compliance.token),
        payload: {
          rootCause: "misdirected_disclosure",
          narrative: "Autocomplete picked the wrong address.",
          lessons: ["Disable autocomplete for external mail"],
        },
      });
      expect(review.statusCode).toBe(200);
      expect(review.json()).toMatchObject({
        rootCause: "misdirected_disclosure",
        narrative: "Autocomplete picked the wrong address.",
        lessons: ["Disable autocomplete for external mail"],
      });
      const stored = await suite.services.engine.db.selectFrom("incident_reviews").selectAll().where("incident_id", "=", incidentId).executeTakeFirstOrThrow();
      expect(stored.narrative_ct).not.toContain("Autocomplete");

      const dueAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const added = await post(`/incidents/${incidentId}/actions`, compliance.token, {
        title: "Turn off mail autocomplete",
        ownerId: compliance2.actor.userId,
        dueAt,
      });
      const actionId = added.json().actions[0].id;
      // The owner may not verify their own fix, before or after implementing it.
      const own = await post(`/incidents/${incidentId}/actions/${actionId}/close`, compliance2.token);
      expect(own.statusCode).toBe(409);
      expect(own.json().error.code).toBe("verifier_must_differ");
      expect((await post(`/incidents/${incidentId}/actions/${actionId}/implemented`, compliance2.token)).json().actions[0].status).toBe("implemented");
      expect((await post(`/incidents/${incidentId}/actions/${actionId}/close`, compliance2.token)).statusCode).toBe(409);
      expect((await post(`/incidents/${incidentId}/actions/${actionId}/close`, partner.token)).statusCode).toBe(403);
      const closed = await post(`/incidents/${incidentId}/actions/${actionId}/close`, compliance.token);
      expect(closed.json().actions[0]).toMatchObject({
        status: "closed",
        ownerId: compliance2.actor.userId,
        verifiedBy: compliance.actor.userId,
        overdue: false,
      });
    });

    it("records a drill", async () => {
      const drill = await post("/drills", compliance.token, {
        scenario: "ransomware",
        heldOn: "2026-02-20",
        participants: [compliance.actor.userId, partner.actor.userId],
        findings: "Backups restore in 3 h; phone tree outdated.",
      });
      expect(drill.statusCode).toBe(201);
      expect(
        (await post("/drills", partner.token, { scenario: "ransomware", heldOn: "2026-02-20", participants: [partner.actor.userId], findings: "x" }))
          .statusCode,
      ).toBe(403);
      const list = await suite.app.inject({ method: "GET", url: "/api/v1/drills", headers: auth(partner.token) });
      expect(list.json().items).toEqual([
        expect.objectContaining({
          id: drill.json().id,
          scenario: "ransomware",
          heldOn: "2026-02-20",
          participants: [compliance.actor.userId, partner.actor.userId],
          findings: "Backups restore in 3 h; phone tree outdated.",
        }),
      ]);
      // Staff-written free text is sealed at rest: lessons, action titles, drill findings.
      const db = suite.services.engine.db;
      const stored = JSON.stringify([
        await db.selectFrom("incident_reviews").selectAll().execute(),
        await db.selectFrom("corrective_actions").selectAll().execute(),
        await db.selectFrom("drills").selectAll().execute(),
      ]);
      for (const text of ["Disable autocomplete", "Turn off mail autocomplete", "phone tree outdated"]) expect(stored).not.toContain(text);
    });
  });
}
