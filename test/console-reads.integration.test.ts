import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import { DevOutboxSender } from "../src/rights/requests/code-sender.js";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import type { Services } from "../src/platform/services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

let serial = 0;
const matterNumber = () => `2026-控-${String(++serial).padStart(4, "0")}${Math.floor(Math.random() * 1000)}`;
/** A client with its own identifiers, so the list responses can be searched for them. */
const uniqueClient = (name: string) => {
  const n = String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(-8);
  return clientInput({ name, idNumber: residentId(), phone: `139${n}`, email: `c${n}@example.cn` });
};

type ListItem = { id: string; kind: string; name: string; status: string; createdAt: string; maskedFields: string[] };
type Created = { id: string; name: string; idNumber: string; phone: string; email: string };

for (const dialect of DIALECTS) {
  describe(`${dialect}: console reads (client and matter lists, walls, audit verification, dashboard)`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser, screened!: TestUser, lawyer!: TestUser, compliance!: TestUser, clerk!: TestUser, auditor!: TestUser, admin!: TestUser;
    const created: Created[] = [];
    let mine!: Created, walled!: Created, erased!: Created;
    let myMatter!: string, walledMatter!: string, wallId!: string;

    const suite = httpSuite(dialect);
    const call = (method: "GET" | "POST", token: string | null, url: string, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: token ? auth(token, purpose) : {}, ...(payload ? { payload } : {}) });
    const get = (token: string, url: string, purpose = "case-handling") => call("GET", token, url, undefined, purpose);
    const eventsOf = (res: LightMyRequestResponse) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("request_id", "=", String(res.headers["x-request-id"])).orderBy("seq").execute();
    const details = (e: { details: string | null }) => (e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {});
    /** Follows nextCursor to the end; fails if a page repeats or the walk does not end. */
    const allPages = async (token: string, path: string, limit: number) => {
      const ids: string[] = [];
      const pages: ListItem[][] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 100; i++) {
        const res = await get(token, `${path}${path.includes("?") ? "&" : "?"}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { items: ListItem[]; nextCursor: string | null };
        expect(body.items.length).toBeLessThanOrEqual(limit);
        pages.push(body.items);
        ids.push(...body.items.map((c) => c.id));
        cursor = body.nextCursor;
        if (!cursor) return { ids, pages };
      }
      throw new Error("pagination did not end");
    };
    const activeClientIds = async () =>
      (
        await services.engine.db
          .selectFrom("clients")
          .select(["id", "created_at"])
          .where("status", "=", "active")
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .execute()
      ).map((r) => r.id);

    beforeAll(async () => {
      services = suite.services;
      // Portal codes go to an outbox in the test's own data directory; a light proof keeps it quick.
      app = await buildServer(services, {
        logLevel: "silent",
        clientRequests: { sender: new DevOutboxSender(join(suite.db.config.dataDir, "outbox.jsonl")), proofBits: 6, intakeFloorMs: 0 },
      });
      await app.ready();
      partner = await buildUser(services, "partner");
      screened = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      compliance = await buildUser(services, "compliance");
      clerk = await buildUser(services, "records-clerk");
      auditor = await buildUser(services, "auditor");
      admin = await buildUser(services, "admin");
      for (let i = 0; i < 9; i++) {
        const input = uniqueClient(`客户${dialect}${i}号`);
        const res = await call("POST", partner.token, "/clients", input);
        expect(res.statusCode, res.body).toBe(201);
        created.push({ id: res.json().id, name: input.name, idNumber: input.idNumber!, phone: input.phone!, email: input.email! });
      }
      [mine, walled, erased] = [created[2]!, created[5]!, created[7]!];
      const matter = (clientId: string, team: { userId: string; role: string }[]) =>
        call("POST", partner.token, "/matters", {
          clientId,
          number: matterNumber(),
          title: "甲公司诉乙公司买卖合同纠纷",
          practiceArea: "corporate",
          responsiblePartnerId: partner.actor.userId,
          team,
        });
      const m1 = await matter(mine.id, [{ userId: lawyer.actor.userId, role: "member" }]);
      expect(m1.statusCode, m1.body).toBe(201);
      myMatter = m1.json().id;
      const m2 = await matter(walled.id, []);
      expect(m2.statusCode, m2.body).toBe(201);
      walledMatter = m2.json().id;
      const wall = await call("POST", compliance.token, "/walls", {
        reason: "conflict_of_interest",
        clientIds: [walled.id],
        screenedUserIds: [screened.actor.userId],
      });
      expect(wall.statusCode, wall.body).toBe(201);
      wallId = wall.json().id;
      const erase = await call("POST", partner.token, `/clients/${erased.id}/erase`, { reason: "purpose_fulfilled" });
      expect(erase.statusCode, erase.body).toBe(200);
    });

    afterAll(async () => {
      await app?.close();
    });

    describe("GET /clients/page", () => {
      it("returns every visible client exactly once across pages, newest first, and nothing erased", async () => {
        const expected = await activeClientIds();
        expect(expected).toContain(walled.id);
        expect(expected).not.toContain(erased.id);
        const { ids, pages } = await allPages(partner.token, "/clients/page", 2);
        expect(ids).toEqual(expected);
        expect(new Set(ids).size).toBe(ids.length);
        expect(pages.length).toBe(Math.ceil(expected.length / 2));
        // A page size above 100 is refused; so is a cursor this list did not hand out.
        expect((await get(partner.token, "/clients/page?limit=101")).statusCode).toBe(400);
        const bad = await get(partner.token, `/clients/page?cursor=${Buffer.from("not a cursor").toString("base64url")}`);
        expect([bad.statusCode, bad.json().error.fields[0].field]).toEqual([400, "cursor"]);
      });

      it("holds no identifier, phone or email, and a cursor holds no personal data", async () => {
        const res = await get(partner.token, "/clients/page?limit=100");
        const body = res.json() as { items: ListItem[]; nextCursor: string | null };
        for (const item of body.items) expect(Object.keys(item).sort()).toEqual(["createdAt", "id", "kind", "maskedFields", "name", "status"]);
        const shown = created.filter((c) => c.id !== erased.id);
        for (const c of shown) {
          expect(res.body).not.toContain(c.idNumber);
          expect(res.body).not.toContain(c.phone);
          expect(res.body).not.toContain(c.email);
          expect(body.items.find((i) => i.id === c.id)?.name).toBe(c.name);
        }
        const page = (await get(partner.token, "/clients/page?limit=1")).json() as { nextCursor: string };
        const decoded = Buffer.from(page.nextCursor, "base64url").toString("utf8");
        for (const c of created) expect(decoded).not.toContain(c.name);
      });

      it("masks the name above the reader's clearance, as a read does", async () => {
        const body = (await get(clerk.token, "/clients/page?limit=100")).json() as { items: ListItem[] };
        const item = body.items.find((i) => i.id === mine.id)!;
        expect(item.name).not.toBe(mine.name);
        expect(item.name).toBe(`${Array.from(mine.name)[0]}${"*".repeat(Array.from(mine.name).length - 2)}${Array.from(mine.name).at(-1)}`);
        expect(item.maskedFields).toEqual(["name"]);
      });

      it("gives a lawyer only the clients of their matters", async () => {
        const { ids } = await allPages(lawyer.token, "/clients/page", 5);
        expect(ids).toEqual([mine.id]);
      });

      it("leaves a walled client out of the items and the counts, without a breach alert", async () => {
        const alertsBefore = await services.engine.db.selectFrom("alerts").select("id").where("user_id", "=", screened.actor.userId).execute();
        const res = await get(screened.token, "/clients/page?limit=100");
        const ids = (res.json() as { items: ListItem[] }).items.map((i) => i.id);
        expect(ids).not.toContain(walled.id);
        expect(ids).toEqual((await activeClientIds()).filter((id) => id !== walled.id));
        expect(res.body).not.toContain(walled.name);
        const events = await eventsOf(res);
        const summary = events.find((e) => e.action === "client.list")!;
        expect(details(summary)).toMatchObject({ results: ids.length, excludedByPurpose: 0, excludedByNeedToKnow: 0 });
        expect(events.some((e) => e.target_id === walled.id)).toBe(false);
        expect(await services.engine.db.selectFrom("alerts").select("id").where("user_id", "=", screened.actor.userId).execute()).toHaveLength(
          alertsBefore.length,
        );
      });

      it("audits one client.list_item per client shown and a client.list summary", async () => {
        const res = await get(partner.token, "/clients/page?limit=3");
        const items = (res.json() as { items: ListItem[] }).items;
        const events = await eventsOf(res);
        const reads = events.filter((e) => e.action === "client.list_item");
        expect(reads.map((e) => e.target_id)).toEqual(items.map((i) => i.id));
        for (const e of reads) {
          expect(e).toMatchObject({ outcome: "success", purpose: "case-handling", actor_id: partner.actor.userId });
          // Only the name is shown: every other personal field counts as not read in clear.
          expect(details(e)).toMatchObject({ via: "list", fields: ["name"], masked: ["idNumber", "phone", "email", "address", "birthDate", "notes"] });
        }
        expect(events.at(-1)).toMatchObject({ action: "client.list", outcome: "success", target_type: "client" });
        expect(details(events.at(-1)!)).toMatchObject({ results: 3 });
      });

      it("requires a purpose and the client.search permission, and audits the refusals", async () => {
        const noPurpose = await call("GET", partner.token, "/clients/page");
        expect([noPurpose.statusCode, noPurpose.json().error.code]).toEqual([400, "purpose_required"]);
        expect(await eventsOf(noPurpose)).toMatchObject([{ action: "client.list", outcome: "denied", reason: "purpose_required" }]);
        const res = await get(auditor.token, "/clients/page");
        expect([res.statusCode, res.json().error.code]).toEqual([403, "role_lacks_permission"]);
        expect(await eventsOf(res)).toMatchObject([
          { action: "client.list", outcome: "denied", reason: "role_lacks_permission", actor_id: auditor.actor.userId },
        ]);
        expect((await call("GET", null, "/clients/page")).statusCode).toBe(401);
      });
    });

    describe("GET /matters and GET /walls", () => {
      it("lists the caller's matters with their matter role; firm-wide roles see all, never across a wall", async () => {
        const lawyerPage = (await get(lawyer.token, "/matters")).json() as { items: { id: string; myRole: string | null; title: string; clientId: string }[] };
        expect(lawyerPage.items.map((m) => [m.id, m.myRole, m.clientId])).toEqual([[myMatter, "member", mine.id]]);
        expect(lawyerPage.items[0]!.title).toBe("甲公司诉乙公司买卖合同纠纷");

        const all = (await services.engine.db.selectFrom("matters").select("id").orderBy("created_at", "desc").orderBy("id", "desc").execute()).map(
          (m) => m.id,
        );
        const { ids } = await allPages(partner.token, "/matters", 1);
        expect(ids).toEqual(all);
        const partnerPage = (await get(partner.token, "/matters")).json() as { items: { id: string; myRole: string | null }[] };
        expect(partnerPage.items.find((m) => m.id === myMatter)?.myRole).toBe("lead");

        const screenedRes = await get(screened.token, "/matters");
        const screenedIds = (screenedRes.json() as { items: { id: string }[] }).items.map((m) => m.id);
        expect(screenedIds).toEqual(all.filter((id) => id !== walledMatter));
        expect(details((await eventsOf(screenedRes)).at(-1)!)).toMatchObject({ results: all.length - 1 });

        expect((await get(partner.token, "/matters?status=closed")).json().items).toEqual([]);
        expect((await get(partner.token, "/matters?status=pending")).statusCode).toBe(400);
        const denied = await get(clerk.token, "/matters");
        expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
        expect(await eventsOf(denied)).toMatchObject([{ action: "matter.list", outcome: "denied" }]);
      });

      it("lists walls for partners and compliance, hiding from a screened manager the walls about their clients", async () => {
        const res = await call("GET", compliance.token, "/walls?limit=100");
        expect(res.statusCode, res.body).toBe(200);
        const wall = (res.json() as { items: { id: string; clientIds: string[]; screenedUserIds: string[]; liftedAt: string | null }[] }).items.find(
          (w) => w.id === wallId,
        );
        expect(wall).toMatchObject({ clientIds: [walled.id], screenedUserIds: [screened.actor.userId], liftedAt: null });
        expect(await eventsOf(res)).toMatchObject([{ action: "wall.list", outcome: "success" }]);
        const mineOnly = (await call("GET", screened.token, "/walls")).json() as { items: { id: string }[] };
        expect(mineOnly.items.map((w) => w.id)).not.toContain(wallId);
        const denied = await call("GET", lawyer.token, "/walls");
        expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
        expect(await eventsOf(denied)).toMatchObject([{ action: "wall.list", outcome: "denied", reason: "role_lacks_permission" }]);
      });
    });

    describe("GET /kpis/dashboard", () => {
      type Dashboard = {
        encryptionCoverage: { value: number; personalFields: number; sealedFields: number; unsealedFields: string[]; rowsChecked: number };
        approvalCompliance: { sensitiveOperations: number; withValidGrant: number };
        openRequests: number;
        overdueRequests: number;
        openAlerts: number;
        openIncidents: number;
      };
      const dashboard = async (token = compliance.token) => {
        const res = await call("GET", token, "/kpis/dashboard");
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as Dashboard;
      };

      it("measures encryption coverage from the stored rows", async () => {
        const before = await dashboard();
        expect(before.encryptionCoverage).toMatchObject({ value: 1, personalFields: 7, sealedFields: 7, unsealedFields: [] });
        expect(before.encryptionCoverage.rowsChecked).toBe((await activeClientIds()).length);
        // Plaintext left in a ciphertext column stops that field counting as sealed.
        const row = await services.engine.db.selectFrom("clients").select("notes_ct").where("id", "=", mine.id).executeTakeFirstOrThrow();
        await services.engine.db
          .updateTable("clients")
          .set({ notes_ct: Buffer.from("劳动合同纠纷咨询") })
          .where("id", "=", mine.id)
          .execute();
        try {
          expect((await dashboard()).encryptionCoverage).toMatchObject({ value: 6 / 7, sealedFields: 6, unsealedFields: ["notes"] });
        } finally {
          await services.engine.db.updateTable("clients").set({ notes_ct: row.notes_ct }).where("id", "=", mine.id).execute();
        }
        expect((await dashboard()).encryptionCoverage.value).toBe(1);
      });

      it("counts alerts, requests and sensitive operations as they happen", async () => {
        const before = await dashboard();
        // A wall-breach attempt raises an alert.
        expect((await get(screened.token, `/clients/${walled.id}`)).statusCode).toBe(404);
        const afterBreach = await dashboard();
        const newAlerts = await services.engine.db.selectFrom("alerts").select("id").where("status", "=", "new").execute();
        expect(afterBreach.openAlerts).toBe(newAlerts.length);
        expect(afterBreach.openAlerts).toBeGreaterThan(before.openAlerts);
        // Acknowledging one closes it for the dashboard.
        expect((await call("POST", compliance.token, `/alerts/${newAlerts[0]!.id}/acknowledge`)).statusCode).toBe(200);
        expect((await dashboard()).openAlerts).toBe(afterBreach.openAlerts - 1);

        // A read outside one's matters is a sensitive operation without a grant.
        expect((await get(lawyer.token, `/clients/${created[0]!.id}`)).statusCode).toBe(403);
        const afterRead = await dashboard();
        expect(afterRead.approvalCompliance.sensitiveOperations).toBe(before.approvalCompliance.sensitiveOperations + 1);
        expect(afterRead.approvalCompliance.withValidGrant).toBe(before.approvalCompliance.withValidGrant);

        // A client request from the portal is open; once its deadline passes it is overdue.
        const challenge = (await call("GET", null, "/portal/challenge")).json() as { challenge: string; bits: number };
        const submitted = await call("POST", null, "/portal/requests", {
          type: "access",
          idType: "resident_id",
          idNumber: mine.idNumber,
          language: "zh-CN",
          proof: { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.bits) },
        });
        expect(submitted.statusCode, submitted.body).toBe(202);
        const afterRequest = await dashboard();
        expect([afterRequest.openRequests, afterRequest.overdueRequests]).toEqual([before.openRequests + 1, before.overdueRequests]);
        await services.engine.db.updateTable("client_requests").set({ due_date: "2020-01-31" }).where("id", "=", submitted.json().requestId).execute();
        expect((await dashboard()).overdueRequests).toBe(before.overdueRequests + 1);
        expect((await dashboard(auditor.token)).openRequests).toBe(afterRequest.openRequests);
      });

      it("is refused, and the refusal audited, for roles without kpi.read", async () => {
        for (const user of [lawyer, admin]) {
          const res = await call("GET", user.token, "/kpis/dashboard");
          expect([res.statusCode, res.json().error.code]).toEqual([403, "role_lacks_permission"]);
          expect(await eventsOf(res)).toMatchObject([
            { action: "kpi.dashboard", outcome: "denied", reason: "role_lacks_permission", actor_id: user.actor.userId },
          ]);
        }
        const ok = await call("GET", partner.token, "/kpis/dashboard");
        expect(await eventsOf(ok)).toMatchObject([{ action: "kpi.dashboard", outcome: "success" }]);
      });
    });

    describe("GET /audit/verify", () => {
      it("is refused to roles without audit.verify", async () => {
        const res = await call("GET", partner.token, "/audit/verify");
        expect([res.statusCode, res.json().error.code]).toEqual([403, "role_lacks_permission"]);
        expect(await eventsOf(res)).toMatchObject([{ action: "audit.verify", outcome: "denied", reason: "role_lacks_permission" }]);
      });

      // Last: it alters the chain.
      it("reports an intact chain, then the first altered event", async () => {
        await services.auditSequencer.flush(); // every event placed, so every one is checked
        const head = await services.engine.db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.max("seq").as("seq"))
          .executeTakeFirstOrThrow();
        const ok = await call("GET", auditor.token, "/audit/verify");
        expect(ok.statusCode, ok.body).toBe(200);
        expect(ok.json()).toMatchObject({ ok: true, eventsChecked: Number(head.seq), firstBad: null });
        expect(Date.parse(ok.json().verifiedAt)).not.toBeNaN();
        expect(await eventsOf(ok)).toMatchObject([{ action: "audit.verify", outcome: "success" }]);

        await sql`update audit_events set purpose = 'marketing' where seq = 12`.execute(services.engine.db);
        const bad = await call("GET", compliance.token, "/audit/verify");
        expect(bad.json()).toMatchObject({ ok: false, eventsChecked: 11, firstBad: { seq: 12, problem: "hash_mismatch" } });
        expect(details((await eventsOf(bad))[0]!)).toMatchObject({ ok: false, firstBadSeq: 12, problem: "hash_mismatch" });
      });
    });
  });
}
