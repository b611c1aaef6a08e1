import { describe, expect, it } from "vitest";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const SECRET_WORDS = "王律师把客户卷宗拷到了个人U盘";

for (const dialect of DIALECTS) {
  describe(`${dialect}: report triage, complaints register, staff directory and channel lists`, () => {
    const suite = httpSuite(dialect);
    const get = (url: string, token?: string) => suite.app.inject({ method: "GET", url: `/api/v1${url}`, headers: token ? auth(token) : {} });
    const post = (url: string, token: string, payload: object) => suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), payload });
    const events = (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").select(["actor_id", "outcome", "reason"]).where("action", "=", action).orderBy("seq").execute();
    let compliance: TestUser;
    let lawyer: TestUser;
    let partner: TestUser;

    it("GET /reports: newest first, page by page, status filter, no sealed text in the list", async () => {
      compliance = await buildUser(suite.services, "compliance");
      lawyer = await buildUser(suite.services, "lawyer");
      partner = await buildUser(suite.services, "partner");
      const filed: string[] = [];
      for (const [category, anonymous] of [
        ["data_taken_out", false],
        ["wall_breach", false],
        ["other", false],
      ] as const) {
        const res = await post("/reports", lawyer.token, { category, description: SECRET_WORDS, anonymous });
        expect(res.statusCode).toBe(201);
        filed.push(res.json().id);
      }
      await suite.app.inject({
        method: "PATCH",
        url: `/api/v1/reports/${filed[0]}`,
        headers: auth(compliance.token),
        payload: { status: "investigating", note: "Asked IT for the USB log." },
      });

      const first = await get("/reports?limit=2", compliance.token);
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.items.map((r: { id: string }) => r.id)).toEqual([filed[2], filed[1]]);
      expect(page1.items[0]).toEqual({
        id: filed[2],
        reporterId: lawyer.actor.userId,
        anonymous: false,
        category: "other",
        status: "open",
        incidentId: null,
        createdAt: expect.any(String),
        notes: 0,
      });
      expect(JSON.stringify(page1)).not.toContain(SECRET_WORDS);
      const second = (await get(`/reports?limit=2&cursor=${page1.nextCursor}`, compliance.token)).json();
      expect(second).toEqual({ items: [expect.objectContaining({ id: filed[0], status: "investigating", notes: 1 })], nextCursor: null });
      const investigating = (await get("/reports?status=investigating", compliance.token)).json();
      expect(investigating.items.map((r: { id: string }) => r.id)).toEqual([filed[0]]);
      expect((await get("/reports?status=lost", compliance.token)).statusCode).toBe(400);
    });

    it("GET /reports is for compliance only and every read is audited", async () => {
      for (const user of [lawyer, partner]) {
        const res = await get("/reports", user.token);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe("role_lacks_permission");
      }
      expect((await get("/reports")).statusCode).toBe(401);
      expect((await get(`/reports?cursor=${Buffer.from("nope").toString("base64url")}`, compliance.token)).statusCode).toBe(400);
      expect(await events("report.list")).toEqual([
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: lawyer.actor.userId, outcome: "denied", reason: "role_lacks_permission" },
        { actor_id: partner.actor.userId, outcome: "denied", reason: "role_lacks_permission" },
        { actor_id: compliance.actor.userId, outcome: "failure", reason: "validation_error" },
      ]);
    });

    it("GET /complaints: the register with SLA dates and contact flags, never the contacts; compliance only; audited", async () => {
      const ids: string[] = [];
      for (const body of [
        { category: "service", description: "Phoned: nobody called back", phone: "13911112222", language: "zh-CN" },
        { category: "data_handling", description: "Letter: my file was sent to my employer", email: "li.ming@example.cn", language: "en" },
      ]) {
        const res = await post("/complaints", compliance.token, body);
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
      }
      await post(`/complaints/${ids[0]}/response`, compliance.token, { text: "We have called you back." });
      const res = await get("/complaints?limit=1", compliance.token);
      expect(res.statusCode).toBe(200);
      const page1 = res.json();
      expect(page1.items).toEqual([
        {
          id: ids[1],
          channel: "staff",
          category: "data_handling",
          language: "en",
          status: "open",
          slaDueAt: expect.any(String),
          overdue: false,
          incidentId: null,
          filedBy: compliance.actor.userId,
          hasEmail: true,
          hasPhone: false,
          respondedAt: null,
          createdAt: expect.any(String),
          closedAt: null,
        },
      ]);
      expect(Date.parse(page1.items[0].slaDueAt) - Date.parse(page1.items[0].createdAt)).toBe(15 * 86_400_000);
      const page2 = (await get(`/complaints?limit=1&cursor=${page1.nextCursor}`, compliance.token)).json();
      expect(page2.items).toMatchObject([{ id: ids[0], status: "responded", hasPhone: true, hasEmail: false, respondedAt: expect.any(String) }]);
      expect(JSON.stringify([page1, page2])).not.toMatch(/13911112222|li\.ming|employer/);
      expect((await get("/complaints?status=responded", compliance.token)).json().items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);

      expect((await get("/complaints", partner.token)).statusCode).toBe(403);
      expect((await get("/complaints")).statusCode).toBe(401);
      expect(await events("complaint.list")).toEqual([
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: partner.actor.userId, outcome: "denied", reason: "role_lacks_permission" },
      ]);
    });

    it("GET /staff/directory: any signed-in staff member, names not emails, audited as directory.read", async () => {
      await suite.services.engine.db.updateTable("users").set({ display_name: "王律师" }).where("id", "=", lawyer.actor.userId).execute();
      const res = await get("/staff/directory", partner.token);
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { id: string; displayName: string; role: string; status: string }[];
      const no = { responsiblePartner: false, wallOwner: false };
      expect(items).toContainEqual({ id: lawyer.actor.userId, displayName: "王律师", role: "lawyer", status: "active", eligibleAs: no });
      const local = (u: TestUser) => u.email.split("@")[0];
      // Made without a name (the display name defaults to the email): the local part only.
      expect(items).toContainEqual({
        id: compliance.actor.userId,
        displayName: local(compliance),
        role: "compliance",
        status: "active",
        eligibleAs: { responsiblePartner: false, wallOwner: true },
      });
      expect(items.find((e) => e.id === partner.actor.userId)).toMatchObject({ eligibleAs: { responsiblePartner: true, wallOwner: true } });
      expect(JSON.stringify(items)).not.toContain("@firm.test");
      expect((await get("/staff/directory")).statusCode).toBe(401);
      expect(await events("directory.read")).toEqual([{ actor_id: partner.actor.userId, outcome: "success", reason: null }]);
    });

    it("GET /webhooks and /notification-subscriptions list channels without secrets (compliance only)", async () => {
      const hook = await post("/webhooks", compliance.token, { url: "https://siem.firm.test/hook", events: ["incident.opened", "alert.raised"] });
      expect(hook.statusCode).toBe(201);
      const { secret, id } = hook.json();
      expect(
        (await post("/notification-subscriptions", compliance.token, { userId: partner.actor.userId, event: "incident.opened", email: true })).statusCode,
      ).toBe(201);
      const hooks = await get("/webhooks", compliance.token);
      expect(hooks.json()).toEqual({
        items: [
          {
            id,
            url: "https://siem.firm.test/hook",
            events: ["alert.raised", "incident.opened"],
            active: true,
            createdBy: compliance.actor.userId,
            createdAt: expect.any(String),
          },
        ],
      });
      expect(hooks.body).not.toContain(secret);
      const subs = await get("/notification-subscriptions", compliance.token);
      const items = subs.json().items as { userId: string; event: string; email: boolean }[];
      expect(items.filter((i) => i.userId === partner.actor.userId && i.event === "incident.opened")).toEqual([
        { id: expect.any(String), userId: partner.actor.userId, event: "incident.opened", email: true, createdAt: expect.any(String) },
      ]);
      // The others are the roles' day-one subscriptions (issue #15): in-app only.
      expect(items.filter((i) => i.email)).toHaveLength(1);
      expect((await get("/webhooks", partner.token)).statusCode).toBe(403);
      expect((await get("/notification-subscriptions", lawyer.token)).statusCode).toBe(403);
      const doc = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      for (const path of ["/api/v1/reports", "/api/v1/complaints", "/api/v1/staff/directory", "/api/v1/webhooks", "/api/v1/notification-subscriptions"])
        expect(doc.paths[path].get.summary).toBeTruthy();
      expect(doc.paths["/api/v1/reports"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["cursor", "limit", "status"]);
      expect(await events("webhook.list")).toEqual([
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: partner.actor.userId, outcome: "denied", reason: "role_lacks_permission" },
      ]);
    });
  });
}
