import { describe, expect, it } from "vitest";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const OPEN = {
  source: "partner",
  category: "loss",
  cause: "lost_device",
  measures: ["device_wiped"],
  peopleAffected: 0,
  l4Involved: false,
  leftFirm: false,
  euSubjects: false,
  contact: "privacy@firm.test",
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: the incident register (GET /incidents)`, () => {
    const suite = httpSuite(dialect);
    let compliance: TestUser;
    const opened: string[] = [];

    it("lists incidents newest first, page by page with an opaque cursor", async () => {
      compliance = await buildUser(suite.services, "compliance");
      for (let i = 0; i < 3; i++) {
        const res = await suite.app.inject({
          method: "POST",
          url: "/api/v1/incidents",
          headers: auth(compliance.token),
          payload: { ...OPEN, peopleAffected: i },
        });
        expect(res.statusCode).toBe(201);
        opened.push(res.json().id);
      }
      const first = await suite.app.inject({ method: "GET", url: "/api/v1/incidents?limit=2", headers: auth(compliance.token) });
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.items.map((i: { id: string }) => i.id)).toEqual([opened[2], opened[1]]);
      expect(page1.items[0]).toMatchObject({
        source: "partner",
        category: "loss",
        cause: "lost_device",
        status: "open",
        peopleAffected: 2,
        alertId: null,
        openedBy: compliance.actor.userId,
        closedAt: null,
      });
      expect(page1.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await suite.app.inject({ method: "GET", url: `/api/v1/incidents?limit=2&cursor=${page1.nextCursor}`, headers: auth(compliance.token) });
      expect(second.json()).toEqual({ items: [expect.objectContaining({ id: opened[0] })], nextCursor: null });
    });

    it("is for compliance only; a forged cursor is a 400; every read is audited", async () => {
      const partner = await buildUser(suite.services, "partner");
      const auditor = await buildUser(suite.services, "auditor");
      for (const user of [partner, auditor]) {
        const res = await suite.app.inject({ method: "GET", url: "/api/v1/incidents", headers: auth(user.token) });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe("role_lacks_permission");
      }
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/incidents" })).statusCode).toBe(401);
      const forged = await suite.app.inject({
        method: "GET",
        url: `/api/v1/incidents?cursor=${Buffer.from("not a cursor").toString("base64url")}`,
        headers: auth(compliance.token),
      });
      expect(forged.statusCode).toBe(400);

      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["actor_id", "outcome", "reason"])
        .where("action", "=", "incident.list")
        .orderBy("seq")
        .execute();
      expect(events).toEqual([
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: compliance.actor.userId, outcome: "success", reason: null },
        { actor_id: partner.actor.userId, outcome: "denied", reason: "role_lacks_permission" },
        { actor_id: auditor.actor.userId, outcome: "denied", reason: "role_lacks_permission" },
        { actor_id: compliance.actor.userId, outcome: "failure", reason: "validation_error" },
      ]);
    });
  });
}
