import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, clientInput, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokenId = (token: string) => /^cst_([^.]+)\./.exec(token)![1]!;
const hours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

for (const dialect of DIALECTS) {
  describe(`${dialect}: incidents, blast radius, deadlines, notices and internal reports`, () => {
    const suite = httpSuite(dialect);
    const post = (url: string, token: string, payload?: object, purpose?: string) =>
      suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token, purpose), ...(payload ? { payload } : {}) });
    let compliance: TestUser;
    let incidentId: string;
    let clientA: string;
    const NAME_A = "欧阳娜娜";

    it("computes the blast radius of a compromised token: exactly the clients and unmasked fields it read", async () => {
      const { services } = suite;
      compliance = await buildUser(services, "compliance");
      const partner = await buildUser(services, "partner");
      const lawyer = await buildUser(services, "lawyer"); // clearance L3: idNumber (L4) comes back masked
      const a = await buildClient(services, partner.actor, { name: NAME_A });
      const b = await buildClient(services, partner.actor, clientInput({ name: "司马光", phone: "13700001111" }));
      const c = await buildClient(services, partner.actor, { name: "诸葛亮" });
      const d = await buildClient(services, partner.actor, { name: "上官婉儿" });
      clientA = a.id;
      for (const client of [a, b, c]) await buildMatter(services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }]);

      // Before the window: the lawyer's legitimate read of C.
      expect((await suite.app.inject({ method: "GET", url: `/api/v1/clients/${c.id}`, headers: auth(lawyer.token, "case-handling") })).statusCode).toBe(200);
      await sleep(5);
      const from = new Date().toISOString();
      await sleep(5);
      // The thief, with the lawyer's token: reads A, finds B by search, is refused D.
      expect(
        (await suite.app.inject({ method: "GET", url: `/api/v1/clients/${a.id}`, headers: auth(lawyer.token, "case-handling") })).json().access.maskedFields,
      ).toEqual(["idNumber"]);
      const found = await post("/clients/search", lawyer.token, { phone: "13700001111" }, "case-handling");
      expect(found.json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
      expect((await suite.app.inject({ method: "GET", url: `/api/v1/clients/${d.id}`, headers: auth(lawyer.token, "case-handling") })).statusCode).toBe(403);
      // Someone else's read in the window is not the thief's.
      await suite.app.inject({ method: "GET", url: `/api/v1/clients/${c.id}`, headers: auth(partner.token, "case-handling") });
      await sleep(5);
      const to = new Date().toISOString();
      await suite.app.inject({ method: "GET", url: `/api/v1/clients/${c.id}`, headers: auth(lawyer.token, "case-handling") }); // after the window

      const awareAt = new Date(Date.now() - 60_000).toISOString();
      const opened = await post("/incidents", compliance.token, {
        source: "partner",
        category: "unauthorised_access",
        cause: "credential_compromise",
        measures: ["credentials_revoked", "monitoring_increased"],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: true,
        euSubjects: true,
        awareAt,
        contact: "privacy@firm.test / 010-88886666",
      });
      expect(opened.statusCode).toBe(201);
      incidentId = opened.json().id;
      expect(opened.json()).toMatchObject({ severity: "low", status: "open", duties: [], team: [{ userId: compliance.actor.userId, role: "lead" }] });

      const radius = await post(`/incidents/${incidentId}/blast-radius`, compliance.token, { tokenId: tokenId(lawyer.token), from, to });
      expect(radius.statusCode).toBe(200);
      const unmasked = ["name", "phone", "email", "address", "birthDate", "notes"];
      expect(radius.json().affectedClients).toEqual([a.id, b.id].sort().map((clientId) => ({ clientId, fields: unmasked, exported: false })));
      // Two people and data out of the firm: medium, which owes the PIPL and (EU clients) GDPR Art. 33 duties.
      expect(radius.json()).toMatchObject({ severity: "medium", impact: { peopleAffected: 2, l4Involved: false, leftFirm: true } });
      expect(
        radius
          .json()
          .duties.map((d: { regime: string }) => d.regime)
          .sort(),
      ).toEqual(["gdpr_33_authority", "pipl_57_individuals", "pipl_57_regulator"]);
      const stored = await services.engine.db.selectFrom("incident_affected_clients").selectAll().where("incident_id", "=", incidentId).execute();
      expect(JSON.stringify(stored)).not.toContain(NAME_A);
      expect(await post(`/incidents/${incidentId}/blast-radius`, partner.token, { tokenId: tokenId(lawyer.token), from, to }).then((r) => r.statusCode)).toBe(
        403,
      );
    });

    it("adds the duties of a higher grade, each due from the awareness time with a countdown", async () => {
      const res = await suite.app.inject({
        method: "PATCH",
        url: `/api/v1/incidents/${incidentId}/impact`,
        headers: auth(compliance.token),
        payload: { l4Involved: true },
      });
      const incident = res.json();
      expect(incident.severity).toBe("high");
      const due = Object.fromEntries(incident.duties.map((d: { regime: string; dueAt: string }) => [d.regime, d.dueAt]));
      expect(due).toEqual({
        cac_other_operator_4h: hours(incident.awareAt, 4),
        pipl_57_regulator: hours(incident.awareAt, 4),
        pipl_57_individuals: hours(incident.awareAt, 24),
        gdpr_33_authority: hours(incident.awareAt, 72),
        gdpr_34_data_subjects: hours(incident.awareAt, 72),
      });
      const byRegime = Object.fromEntries(incident.duties.map((d: { regime: string }) => [d.regime, d]));
      expect(byRegime.cac_other_operator_4h).toMatchObject({ timeZone: "Asia/Shanghai", unverified: false, overdue: false, status: "pending" });
      expect(byRegime.cac_other_operator_4h.dueAtLocal).toMatch(/ \+08:00$/);
      expect(byRegime.gdpr_33_authority.dueAtLocal).toMatch(/ \+0[12]:00$/);
      expect(byRegime.pipl_57_regulator.unverified).toBe(true);
      expect(byRegime.cac_other_operator_4h.remainingMs).toBeGreaterThan(2.9 * 3_600_000);
      const done = await post(`/incidents/${incidentId}/duties/${byRegime.cac_other_operator_4h.id}/done`, compliance.token);
      expect(done.json().duties.find((d: { regime: string }) => d.regime === "cac_other_operator_4h")).toMatchObject({ status: "done", overdue: false });
    });

    it("keeps a forward-only status timeline, a response team and tasks with owners and due dates", async () => {
      const partner = await buildUser(suite.services, "partner");
      const withMember = await post(`/incidents/${incidentId}/members`, compliance.token, { userId: partner.actor.userId, role: "legal" });
      expect(withMember.json().team).toContainEqual(expect.objectContaining({ userId: partner.actor.userId, role: "legal" }));
      const withTask = await post(`/incidents/${incidentId}/tasks`, compliance.token, {
        title: "Rotate the lawyer's credentials",
        ownerId: partner.actor.userId,
        dueAt: new Date(Date.now() - 1000).toISOString(),
      });
      const task = withTask.json().tasks[0];
      expect(task).toMatchObject({ ownerId: partner.actor.userId, status: "open", overdue: true });
      expect(task.title).toBe("Rotate the lawyer's credentials");
      expect(JSON.stringify(await suite.services.engine.db.selectFrom("incident_tasks").selectAll().execute())).not.toContain("Rotate the lawyer");
      expect((await post(`/incidents/${incidentId}/tasks/${task.id}/done`, compliance.token)).json().tasks[0]).toMatchObject({
        status: "done",
        overdue: false,
      });
      await post(`/incidents/${incidentId}/status`, compliance.token, { status: "contained" });
      const investigating = await post(`/incidents/${incidentId}/status`, compliance.token, { status: "investigating" });
      expect(investigating.json().timeline.map((t: { status: string }) => t.status)).toEqual(["open", "contained", "investigating"]);
      const back = await post(`/incidents/${incidentId}/status`, compliance.token, { status: "open" });
      expect([back.statusCode, back.json().error.code]).toEqual([409, "incident_status_invalid"]);
    });

    it("drafts Art. 57 notices in Chinese and English; the per-client draft names the client and nothing records it", async () => {
      const draft = async (payload: object) => (await post(`/incidents/${incidentId}/notices`, compliance.token, payload)).json();
      const zh = await draft({ audience: "regulator", language: "zh-CN" });
      // Categories, cause, possible harm, measures, what individuals can do, contact.
      for (const part of [
        "电话",
        "出生日期",
        "员工账户或访问令牌被他人盗用",
        "骚扰或诈骗电话",
        "已吊销相关账户的全部访问令牌",
        "不要向自称本所",
        "privacy@firm.test",
        "约 2 人",
      ])
        expect(zh.body).toContain(part);
      const en = await draft({ audience: "regulator", language: "en" });
      for (const part of [
        "Phone",
        "Date of birth",
        "a staff account or access token was used by someone else",
        "nuisance or fraudulent calls",
        "all access tokens of the account concerned were revoked",
        "never give verification codes",
        "privacy@firm.test",
        "approximately 2 individuals",
      ])
        expect(en.body).toContain(part);
      expect(en.body).not.toContain("Identifier number"); // the thief saw it masked
      const personal = await draft({ audience: "client", language: "zh-CN", clientId: clientA });
      expect(personal.body).toContain(`尊敬的${NAME_A}：`);
      expect((await draft({ audience: "client", language: "en", clientId: clientA })).body).toContain(`Dear ${NAME_A},`);
      const stranger = await post(`/incidents/${incidentId}/notices`, compliance.token, {
        audience: "client",
        language: "en",
        clientId: "00000000-0000-7000-8000-000000000000",
      });
      expect(stranger.statusCode).toBe(404);
      const events = await suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", "incident.notice.draft").execute();
      expect(events.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(events)).not.toContain(NAME_A);
      expect(suite.logs.join("")).not.toContain(NAME_A);
    });

    it("takes internal reports; an anonymous one carries no reporter anywhere", async () => {
      const paralegal = await buildUser(suite.services, "paralegal");
      const since = (
        await suite.services.engine.db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.max("seq").as("seq"))
          .executeTakeFirstOrThrow()
      ).seq;
      const filed = await post("/reports", paralegal.token, {
        category: "sharing_credentials",
        description: "A colleague shares a login at the front desk.",
        anonymous: true,
      });
      expect(filed.statusCode).toBe(201);
      const id = filed.json().id;
      const row = await suite.services.engine.db.selectFrom("internal_reports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(row.reporter_id).toBeNull();
      expect(row.created_at).toMatch(/T\d\d:00:00\.000Z$/);
      expect(row.description_ct).not.toContain("colleague");
      const events = await suite.services.engine.db.selectFrom("audit_events").selectAll().where("seq", ">", Number(since)).execute();
      expect(events).toMatchObject([{ action: "report.file", actor_id: null, actor_role: null, request_id: null, target_id: id }]);
      expect(JSON.stringify(events)).not.toContain(paralegal.actor.userId);
      expect(JSON.stringify(row)).not.toContain(paralegal.actor.userId);

      const named = await post("/reports", paralegal.token, { category: "other", description: "Files left on a printer." });
      const namedRow = await suite.services.engine.db
        .selectFrom("internal_reports")
        .select("reporter_id")
        .where("id", "=", named.json().id)
        .executeTakeFirstOrThrow();
      expect(namedRow.reporter_id).toBe(paralegal.actor.userId);

      expect((await suite.app.inject({ method: "GET", url: `/api/v1/reports/${id}`, headers: auth(paralegal.token) })).statusCode).toBe(403);
      const triaged = await suite.app.inject({
        method: "PATCH",
        url: `/api/v1/reports/${id}`,
        headers: auth(compliance.token),
        payload: { status: "investigating", note: "Spoke to the front-desk lead.", incidentId },
      });
      expect(triaged.json()).toMatchObject({
        anonymous: true,
        reporterId: null,
        status: "investigating",
        incidentId,
        description: "A colleague shares a login at the front desk.",
        notes: [{ authorId: compliance.actor.userId, text: "Spoke to the front-desk lead." }],
      });
    });

    it("leaves the audit chain intact", async () => {
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
