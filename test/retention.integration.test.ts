import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { addPeriod } from "../src/governance/retention/retention-schedule.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const yearsAgo = (n: number) => addPeriod(new Date().toISOString(), "years", -n);

for (const dialect of DIALECTS) {
  describe(`${dialect}: retention sweep, approved destruction and certificates`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser, lawyer: TestUser, officerA: TestUser, officerB: TestUser;
    const ids = {} as Record<"due" | "held" | "recent" | "open" | "idleOld" | "idleRecent", string>;
    let dueMatter: string;

    const close = (matterId: string, at: string) =>
      sql`update matters set status = 'closed', closed_at = ${at} where id = ${matterId}`.execute(suite.services.engine.db);
    const sweep = async (token: string) => suite.app.inject({ method: "POST", url: "/api/v1/retention/sweep", headers: auth(token), payload: {} });
    const post = (url: string, token: string, payload?: object) =>
      suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });

    beforeAll(async () => {
      const s = suite.services;
      partner = await buildUser(s, "partner");
      lawyer = await buildUser(s, "lawyer");
      officerA = await buildUser(s, "compliance");
      officerB = await buildUser(s, "compliance");
      for (const k of ["due", "held", "recent", "open", "idleOld", "idleRecent"] as const) ids[k] = (await buildClient(s, partner.actor)).id;
      dueMatter = (await buildMatter(s, partner.actor, ids.due, [{ userId: lawyer.actor.userId, role: "member" }])).id;
      await close(dueMatter, yearsAgo(11));
      await close((await buildMatter(s, partner.actor, ids.held)).id, yearsAgo(11));
      await close((await buildMatter(s, partner.actor, ids.recent)).id, yearsAgo(1));
      await close((await buildMatter(s, partner.actor, ids.open)).id, yearsAgo(20));
      await buildMatter(s, partner.actor, ids.open); // a second, still open matter keeps the client
      await sql`update clients set updated_at = ${yearsAgo(4)} where id = ${ids.idleOld}`.execute(s.engine.db);
      const hold = await post("/holds", officerA.token, {
        clientId: ids.held,
        custodianId: officerA.actor.userId,
        reason: "litigation_pending",
        reviewDate: addPeriod(new Date().toISOString(), "days", 30).slice(0, 10),
      });
      expect(hold.statusCode).toBe(201);
    });

    it("seeds editable default schedules and lets compliance change them", async () => {
      const res = await suite.app.inject({ method: "GET", url: "/api/v1/retention/schedules", headers: auth(officerA.token) });
      expect(res.statusCode).toBe(200);
      const byClass = Object.fromEntries(res.json().items.map((s: { recordClass: string }) => [s.recordClass, s]));
      expect(byClass.client_file).toMatchObject({ trigger: "matter_closed", periodUnit: "years", periodAmount: 10, isDefault: true });
      const put = await suite.app.inject({
        method: "PUT",
        url: "/api/v1/retention/schedules/billing_record",
        headers: auth(officerA.token),
        payload: { trigger: "matter_closed", periodUnit: "years", periodAmount: 8 },
      });
      expect(put.json()).toMatchObject({ periodAmount: 8, isDefault: false, updatedBy: officerA.actor.userId });
      const denied = await suite.app.inject({ method: "GET", url: "/api/v1/retention/schedules", headers: auth(partner.token) });
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
    });

    it("lists only due clients and sets held ones apart", async () => {
      expect((await sweep(partner.token)).statusCode).toBe(403);
      const res = await sweep(officerA.token);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.due.map((d: { clientId: string }) => d.clientId).sort()).toEqual([ids.due, ids.idleOld].sort());
      expect(body.held.map((h: { clientId: string }) => h.clientId)).toEqual([ids.held]);
      expect(body.due.find((d: { clientId: string }) => d.clientId === ids.due)).toMatchObject({ recordClasses: ["client_file", "matter_file"], matters: 1 });
      // Previewing ten years ahead brings the recently closed client in, never the one with an open matter.
      const ahead = await post("/retention/sweep", officerA.token, { asOf: addPeriod(new Date().toISOString(), "years", 10) });
      const aheadIds = ahead.json().due.map((d: { clientId: string }) => d.clientId);
      expect(aheadIds).toContain(ids.recent);
      expect(aheadIds).not.toContain(ids.open);
    });

    it("refuses to batch clients that are not due or are held", async () => {
      for (const id of [ids.recent, ids.held, ids.open]) {
        const res = await post("/retention/batches", officerA.token, { clientIds: [id] });
        expect([res.statusCode, res.json().error.fields[0].code]).toEqual([400, "not_due"]);
      }
    });

    it("destroys only after one other compliance officer approves, and certifies it", async () => {
      const { count: before } = (await sql<{ count: number }>`select count(*) as count from audit_events`.execute(suite.services.engine.db)).rows[0]!;
      const created = await post("/retention/batches", officerA.token, { clientIds: [ids.due, ids.idleOld] });
      expect(created.statusCode).toBe(201);
      const batch = created.json();
      expect(batch.status).toBe("pending");

      const early = await post(`/retention/batches/${batch.id}/execute`, officerA.token);
      expect([early.statusCode, early.json().error.code]).toEqual([409, "destruction_not_approved"]);
      const self = await post(`/retention/batches/${batch.id}/approve`, officerA.token);
      expect([self.statusCode, self.json().error.code]).toEqual([403, "self_approval_forbidden"]);
      expect((await post(`/retention/batches/${batch.id}/approve`, partner.token)).statusCode).toBe(403);
      // Nothing was destroyed by the refused attempts.
      expect((await suite.app.inject({ method: "GET", url: `/api/v1/clients/${ids.due}`, headers: auth(partner.token, "case-handling") })).statusCode).toBe(
        200,
      );

      const approved = await post(`/retention/batches/${batch.id}/approve`, officerB.token);
      expect(approved.json()).toMatchObject({ status: "approved", decidedBy: officerB.actor.userId });
      const executed = await post(`/retention/batches/${batch.id}/execute`, officerA.token);
      expect(executed.statusCode).toBe(200);
      const cert = executed.json();
      expect(cert.recordCounts).toEqual({ client_file: 2, matter_file: 1, data_key: 2, document: 0, document_version: 0, document_bytes: 0 });
      expect(cert.method).toMatch(/crypto-shredding/);
      expect(cert.approvers.map((a: { userId: string }) => a.userId)).toEqual([officerB.actor.userId]);
      expect(cert.requestedBy).toBe(officerA.actor.userId);
      expect(cert.clientIds.sort()).toEqual([ids.due, ids.idleOld].sort());
      expect(cert.notify.find((n: { clientId: string }) => n.clientId === ids.due).userIds.sort()).toEqual([partner.actor.userId, lawyer.actor.userId].sort());
      expect(cert.audit.seqFrom).toBeGreaterThan(Number(before));
      expect(cert.audit.seqTo).toBeGreaterThan(cert.audit.seqFrom);

      const again = await post(`/retention/batches/${batch.id}/execute`, officerA.token);
      expect(again.statusCode).toBe(409);
      const read = await suite.app.inject({ method: "GET", url: `/api/v1/retention/certificates/${cert.id}`, headers: auth(officerB.token) });
      expect(read.json()).toEqual(cert);

      // The certified range holds exactly the per-client destruction events and the execution.
      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["action", "target_id", "details"])
        .where("seq", ">=", cert.audit.seqFrom)
        .where("seq", "<=", cert.audit.seqTo)
        .orderBy("seq")
        .execute();
      expect(events.map((e) => e.action)).toEqual(["retention.destroy", "retention.destroy", "retention.destruction_execute"]);
      expect(events.map((e) => e.details).join("")).not.toContain("王小明");
    });

    it("leaves the destroyed clients unreadable and every other client intact", async () => {
      for (const id of [ids.due, ids.idleOld]) {
        const res = await suite.app.inject({ method: "GET", url: `/api/v1/clients/${id}`, headers: auth(partner.token, "case-handling") });
        expect([res.statusCode, res.json().error.code]).toEqual([410, "client_erased"]);
        const key = await suite.services.engine.db.transaction().execute((tx) => suite.services.keyRing.openDataKey(tx, id));
        expect(key).toBeNull();
        const row = await suite.services.engine.db.selectFrom("clients").select(["name_ct", "id_number_ct"]).where("id", "=", id).executeTakeFirstOrThrow();
        expect([row.name_ct, row.id_number_ct]).toEqual([null, null]);
      }
      const title = await suite.services.engine.db.selectFrom("matters").select("title_ct").where("id", "=", dueMatter).executeTakeFirstOrThrow();
      expect(title.title_ct).toBeNull();
      for (const id of [ids.held, ids.recent, ids.open, ids.idleRecent]) {
        const res = await suite.app.inject({ method: "GET", url: `/api/v1/clients/${id}`, headers: auth(partner.token, "case-handling") });
        expect([res.statusCode, res.json().name]).toEqual([200, "王小明"]);
      }
    });

    it("keeps anonymised statistics by practice area and year", async () => {
      const res = await suite.app.inject({ method: "GET", url: "/api/v1/retention/statistics", headers: auth(officerA.token) });
      const year = new Date().getUTCFullYear();
      expect(res.json().items).toEqual(
        [
          { practiceArea: "labour", year, clients: 1, matters: 1 },
          { practiceArea: "none", year, clients: 1, matters: 0 },
        ].sort((a, b) => a.practiceArea.localeCompare(b.practiceArea)),
      );
      const columns = Object.keys(await suite.services.engine.db.selectFrom("retention_statistics").selectAll().executeTakeFirstOrThrow());
      expect(columns.sort()).toEqual(["clients", "matters", "practice_area", "year"]);
    });

    it("makes a held client due once the hold is lifted", async () => {
      const holds = await suite.app.inject({ method: "GET", url: `/api/v1/holds?clientId=${ids.held}&active=true`, headers: auth(officerA.token) });
      await post(`/holds/${holds.json().items[0].id}/lift`, officerA.token, { reason: "matter_concluded" });
      const body = (await sweep(officerA.token)).json();
      expect(body.due.map((d: { clientId: string }) => d.clientId)).toEqual([ids.held]);
      expect(body.held).toEqual([]);
    });
  });
}
