import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

let serial = 0;
const matterNumber = () => `2026-民-${String(++serial).padStart(4, "0")}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: matters, need-to-know, ethical walls and conflict checks`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser, partner2!: TestUser, lawyer!: TestUser, lawyer2!: TestUser, paralegal!: TestUser, compliance!: TestUser, clerk!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      partner = await buildUser(services, "partner");
      partner2 = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      lawyer2 = await buildUser(services, "lawyer");
      paralegal = await buildUser(services, "paralegal");
      compliance = await buildUser(services, "compliance");
      clerk = await buildUser(services, "records-clerk");
    });

    const post = (token: string, url: string, payload: object, purpose?: string) =>
      app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token, purpose), payload });
    const get = (token: string, url: string, purpose = "case-handling") => app.inject({ method: "GET", url: `/api/v1${url}`, headers: auth(token, purpose) });
    const newClient = async (overrides = {}) => {
      const res = await post(partner.token, "/clients", clientInput(overrides));
      expect(res.statusCode).toBe(201);
      return res.json() as { id: string; idNumber: string; name: string; phone: string };
    };
    const newMatter = async (clientId: string, team: { userId: string; role: string }[] = [], title = "张三诉李四劳动合同纠纷") => {
      const res = await post(partner.token, "/matters", {
        clientId,
        number: matterNumber(),
        title,
        practiceArea: "labour",
        responsiblePartnerId: partner.actor.userId,
        team,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; team: { userId: string; role: string }[]; title: string };
    };
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    // The per-wall breach records; the detection engine's aggregated wall_breach alert (issue #6) is tested in detection.integration.test.ts.
    const alertsFor = (userId: string) =>
      services.engine.db
        .selectFrom("alerts")
        .selectAll()
        .where("user_id", "=", userId)
        .where("kind", "=", "wall_breach_attempt")
        .orderBy("created_at")
        .execute();

    it("opens a matter with validation, seals its title, and audits it", async () => {
      const client = await newClient();
      const title = "欧阳锋诉黄药师股权转让纠纷";
      const matter = await newMatter(client.id, [{ userId: lawyer.actor.userId, role: "member" }], title);
      expect(matter).toMatchObject({ clientId: client.id, title, status: "open", practiceArea: "labour", responsiblePartnerId: partner.actor.userId });
      expect(matter.team.map((m) => [m.userId, m.role]).sort()).toEqual(
        [
          [lawyer.actor.userId, "member"],
          [partner.actor.userId, "lead"],
        ].sort(),
      );
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "matter.create", outcome: "success", target_id: matter.id });

      // The title is stored only as ciphertext: no row of the matters table holds it in any encoding.
      const rows = await services.engine.db.selectFrom("matters").selectAll().execute();
      const dump = JSON.stringify(rows, (_k, v) => (v && v.type === "Buffer" ? Buffer.from(v.data).toString("latin1") : v));
      for (const needle of [title, Buffer.from(title).toString("latin1"), Buffer.from(title).toString("hex"), Buffer.from(title).toString("base64")])
        expect(dump).not.toContain(needle);
      expect(Buffer.concat(rows.map((r) => r.title_ct!)).includes(Buffer.from(title))).toBe(false);

      const bad = await post(partner.token, "/matters", {
        clientId: client.id,
        number: "2026/民/1",
        title,
        practiceArea: "astrology",
        responsiblePartnerId: partner.actor.userId,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(["number", "practiceArea"]));
      const dup = await post(partner.token, "/matters", {
        clientId: client.id,
        number: (await services.engine.db.selectFrom("matters").select("number").where("id", "=", matter.id).executeTakeFirstOrThrow()).number,
        title,
        practiceArea: "labour",
        responsiblePartnerId: partner.actor.userId,
      });
      expect([dup.statusCode, dup.json().error.code]).toEqual([409, "matter_number_taken"]);
      const notPartner = await post(partner.token, "/matters", {
        clientId: client.id,
        number: matterNumber(),
        title,
        practiceArea: "labour",
        responsiblePartnerId: lawyer.actor.userId,
      });
      expect([notPartner.statusCode, notPartner.json().error.fields[0].code]).toEqual([400, "not_partner"]);
      const zh = await app.inject({
        method: "POST",
        url: "/api/v1/matters",
        headers: { ...auth(partner.token), "accept-language": "zh-CN" },
        payload: {
          clientId: client.id,
          number: (await services.engine.db.selectFrom("matters").select("number").where("id", "=", matter.id).executeTakeFirstOrThrow()).number,
          title,
          practiceArea: "labour",
          responsiblePartnerId: partner.actor.userId,
        },
      });
      expect(zh.json().error.message).toBe("该案件编号已被使用。");
    });

    it("gives lawyers and paralegals a client only through a matter they are on; removal revokes at once", async () => {
      const client = await newClient({ phone: "13811112222" });
      const denied = await get(lawyer2.token, `/clients/${client.id}`);
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "not_on_matter"]);
      expect(await lastEvent(lawyer2.actor.userId)).toMatchObject({ action: "client.read", outcome: "denied", reason: "not_on_matter", target_id: client.id });
      const search = await post(lawyer2.token, "/clients/search", { phone: "13811112222" }, "case-handling");
      expect(search.json().items).toEqual([]);

      const matter = await newMatter(client.id);
      const added = await post(partner.token, `/matters/${matter.id}/members`, { userId: lawyer2.actor.userId, role: "member" });
      expect(added.statusCode).toBe(200);
      const ok = await get(lawyer2.token, `/clients/${client.id}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ name: client.name, phone: "13811112222", access: { decision: "mask", maskedFields: ["idNumber"] } });
      expect((await post(lawyer2.token, "/clients/search", { phone: "13811112222" }, "case-handling")).json().items.map((c: { id: string }) => c.id)).toEqual([
        client.id,
      ]);
      expect((await get(lawyer2.token, `/matters/${matter.id}`)).json().title).toBe("张三诉李四劳动合同纠纷");
      // A lawyer may not manage the team.
      expect((await post(lawyer2.token, `/matters/${matter.id}/members`, { userId: lawyer.actor.userId, role: "member" })).statusCode).toBe(403);

      const removed = await app.inject({ method: "DELETE", url: `/api/v1/matters/${matter.id}/members/${lawyer2.actor.userId}`, headers: auth(partner.token) });
      expect(removed.statusCode).toBe(200);
      const after = await get(lawyer2.token, `/clients/${client.id}`);
      expect([after.statusCode, after.json().error.code]).toEqual([403, "not_on_matter"]);
      expect((await get(lawyer2.token, `/matters/${matter.id}`)).json().error.code).toBe("not_on_matter");

      // A paralegal on the matter reads, with L3+ fields masked; closing the matter ends it.
      await post(partner.token, `/matters/${matter.id}/members`, { userId: paralegal.actor.userId, role: "observer" });
      const para = await get(paralegal.token, `/clients/${client.id}`);
      expect(para.statusCode).toBe(200);
      expect(para.json().phone).toBe("138****2222");
      expect(para.json().access.maskedFields).toEqual(expect.arrayContaining(["idNumber", "phone", "email", "address", "birthDate", "notes"]));
      expect(para.json().idNumber).not.toBe(client.idNumber);
      expect((await post(partner.token, `/matters/${matter.id}/close`, {})).json()).toMatchObject({ status: "closed" });
      expect((await get(paralegal.token, `/clients/${client.id}`)).json().error.code).toBe("not_on_matter");

      // Partners and compliance read by policy, without membership.
      expect((await get(partner2.token, `/clients/${client.id}`)).json()).toMatchObject({ idNumber: client.idNumber, access: { decision: "allow" } });
      expect((await get(compliance.token, `/clients/${client.id}`)).json().access.maskedFields).toEqual(["idNumber"]);
    });

    it("lets a creator reach their client until its first matter; no self-staffing on others' clients", async () => {
      const mine = (await post(lawyer.token, "/clients", clientInput())).json();
      expect((await get(lawyer.token, `/clients/${mine.id}`)).statusCode).toBe(200);
      const opened = await post(lawyer.token, "/matters", {
        clientId: mine.id,
        number: matterNumber(),
        title: "咨询",
        practiceArea: "other",
        responsiblePartnerId: partner.actor.userId,
      });
      expect(opened.statusCode).toBe(201);
      expect(opened.json().team).toEqual([expect.objectContaining({ userId: lawyer.actor.userId, role: "lead" })]);
      expect((await get(lawyer.token, `/clients/${mine.id}`)).statusCode).toBe(200);
      const other = await newClient();
      const sneaky = await post(lawyer.token, "/matters", {
        clientId: other.id,
        number: matterNumber(),
        title: "x",
        practiceArea: "other",
        responsiblePartnerId: partner.actor.userId,
      });
      expect([sneaky.statusCode, sneaky.json().error.code]).toEqual([403, "not_on_matter"]);
    });

    it("screens walled users completely: 404, invisible in search, denied audit event and a wall-breach alert", async () => {
      const phone = "13822223333";
      const client = await newClient({ phone });
      const matter = await newMatter(client.id, [{ userId: lawyer.actor.userId, role: "lead" }]);
      expect((await get(lawyer.token, `/clients/${client.id}`)).statusCode).toBe(200);

      expect(
        (await post(lawyer.token, "/walls", { reason: "conflict_of_interest", matterIds: [matter.id], screenedUserIds: [lawyer.actor.userId] })).statusCode,
      ).toBe(403);
      const wallRes = await post(compliance.token, "/walls", {
        reason: "conflict_of_interest",
        reference: "CW-2026-7",
        matterIds: [matter.id],
        screenedUserIds: [lawyer.actor.userId, partner2.actor.userId],
      });
      expect(wallRes.statusCode, wallRes.body).toBe(201);
      const wall = wallRes.json();
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "wall.create", outcome: "success", target_id: wall.id });
      expect((await get(partner.token, `/walls/${wall.id}`, "")).json()).toMatchObject({ matterIds: [matter.id], reason: "conflict_of_interest" });

      for (const screened of [lawyer, partner2]) {
        const res = await get(screened.token, `/clients/${client.id}`);
        const event = await lastEvent(screened.actor.userId);
        const missing = await get(screened.token, `/clients/00000000-0000-7000-8000-000000000000`);
        // Byte for byte the answer for a client that does not exist, bar the request id.
        expect([res.statusCode, res.json().error]).toEqual([404, missing.json().error]);
        expect(event).toMatchObject({ action: "client.read", outcome: "denied", reason: "screened_by_wall", target_id: client.id });
        const alerts = await alertsFor(screened.actor.userId);
        expect(alerts.at(-1)).toMatchObject({ kind: "wall_breach_attempt", wall_id: wall.id, event_seq: event.seq, status: "new" });
        // Ids, codes and sequence numbers only: no column can hold personal data.
        expect(Object.keys(alerts.at(-1)!).sort()).toEqual([
          "containment",
          "created_at",
          "dismiss_reason",
          "event_seq",
          "evidence",
          "facts",
          "id",
          "incident_id",
          "kind",
          "rule_code",
          "severity",
          "status",
          "status_at",
          "status_by",
          "user_id",
          "wall_id",
        ]);

        const before = (await alertsFor(screened.actor.userId)).length;
        const search = await post(screened.token, "/clients/search", { phone }, "case-handling");
        expect([search.statusCode, search.json()]).toEqual([200, { items: [] }]);
        expect(search.body).not.toContain(client.id);
        expect((await alertsFor(screened.actor.userId)).length).toBe(before + 1);
        const denial = await services.engine.db
          .selectFrom("audit_events")
          .selectAll()
          .where("actor_id", "=", screened.actor.userId)
          .where("reason", "=", "screened_by_wall")
          .where("target_id", "=", client.id)
          .orderBy("seq", "desc")
          .executeTakeFirstOrThrow();
        expect(JSON.parse(denial.details!)).toEqual({ via: "search" });
        expect((await get(screened.token, `/matters/${matter.id}`)).statusCode).toBe(404);
        if (screened === partner2) {
          // The audit trail does not betray the walled client either (partners may read the log).
          expect((await get(partner2.token, `/audit?clientId=${client.id}`, "")).statusCode).toBe(404);
          const listed = (await get(partner2.token, "/audit?limit=500", "")).json().items as { targetId: string | null }[];
          expect(listed.length).toBeGreaterThan(0);
          expect(listed.some((e) => e.targetId === client.id)).toBe(false);
          const leaks = listed.filter((e) => JSON.stringify(e).includes(client.id));
          expect(leaks).toEqual([]);
        }
        expect((await get(screened.token, `/clients/${client.id}/matters`)).statusCode).toBe(404);
      }
      // The wall wins over membership (the lawyer is still on the team) and over the partner role.
      expect(
        (await app.inject({ method: "PATCH", url: `/api/v1/clients/${client.id}`, headers: auth(lawyer.token, "case-handling"), payload: { notes: "x" } }))
          .statusCode,
      ).toBe(404);
      expect((await post(partner2.token, `/clients/${client.id}/erase`, { reason: "client_request" })).statusCode).toBe(404);
      // Others are unaffected, and a screened user cannot be put on the walled client's matters.
      expect((await get(partner.token, `/clients/${client.id}`)).statusCode).toBe(200);
      expect((await post(partner.token, "/clients/search", { phone }, "case-handling")).json().items).toHaveLength(1);
      const join = await post(partner.token, `/matters/${matter.id}/members`, { userId: partner2.actor.userId, role: "member" });
      expect([join.statusCode, join.json().error.code]).toEqual([409, "member_screened"]);
    });

    it("reports conflicts by blind index without names, and hides walled details", async () => {
      const name = "司马相如";
      const idNumber = residentId("19800101");
      const open = await newClient({ name, birthDate: "1980-01-01", idNumber });
      await newMatter(open.id);
      const walledClient = await newClient({ name });
      await post(compliance.token, "/walls", { reason: "lateral_hire", clientIds: [walledClient.id], screenedUserIds: [clerk.actor.userId] });

      const res = await post(clerk.token, "/conflicts/search", { name: " 司马相如 ", idNumber }, "conflict-check");
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json();
      expect(report).toEqual({
        total: 2,
        walled: 1,
        hits: [{ walled: false, clientId: open.id, matchedOn: ["name", "idNumber"], openMatters: 1, practiceAreas: ["labour"] }, { walled: true }],
      });
      expect(res.body).not.toContain(walledClient.id);
      expect(res.body).not.toContain(name);
      expect(await alertsFor(clerk.actor.userId)).toHaveLength(1);

      const byQuery = await app.inject({
        method: "GET",
        url: `/api/v1/conflicts?name=${encodeURIComponent(name)}`,
        headers: auth(partner.token, "conflict-check"),
      });
      expect(byQuery.json()).toMatchObject({ total: 2, walled: 0 });
      expect(
        byQuery
          .json()
          .hits.map((h: { clientId: string }) => h.clientId)
          .sort(),
      ).toEqual([open.id, walledClient.id].sort());
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "conflict.check", outcome: "success" });

      const wrongPurpose = await post(clerk.token, "/conflicts/search", { name }, "case-handling");
      expect([wrongPurpose.statusCode, wrongPurpose.json().error.code]).toEqual([403, "purpose_not_permitted"]);
      expect((await post(clerk.token, "/conflicts/search", { name })).statusCode).toBe(400);
      expect((await post(paralegal.token, "/conflicts/search", { name }, "conflict-check")).json().error.code).toBe("role_lacks_permission");
      expect((await post(clerk.token, "/conflicts/search", { name: "无此人" }, "conflict-check")).json()).toEqual({ total: 0, walled: 0, hits: [] });
    });

    it("keeps the audit chain intact", async () => {
      const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          "/api/v1/matters",
          "/api/v1/matters/{id}",
          "/api/v1/clients/{id}/matters",
          "/api/v1/walls",
          "/api/v1/conflicts",
          "/api/v1/conflicts/search",
        ]),
      );
      const { verifyAuditChain } = await import("../src/platform/audit/audit-verifier.js");
      expect((await verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey)).ok).toBe(true);
    });
  });
}
