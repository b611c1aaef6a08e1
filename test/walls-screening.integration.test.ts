/**
 * Ethical walls and the people they screen (issue #10): a partner cannot raise a wall that screens
 * themself (or the wall's owner), and to a screened user a wall does not exist: GET /walls/{id}
 * answers the 404 of an unknown id (audited as screened_by_wall, with a wall-breach alert), and the
 * wall list leaves it out, lifted or not.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: walls and the people they screen`, () => {
    const suite = httpSuite(dialect);
    let partner!: TestUser, screenedPartner!: TestUser, otherPartner!: TestUser, lawyer!: TestUser, compliance!: TestUser;

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      screenedPartner = await buildUser(suite.services, "partner");
      otherPartner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      compliance = await buildUser(suite.services, "compliance");
    });

    const call = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });
    const raise = (token: string, body: object) => call("POST", "/walls", token, { reason: "conflict_of_interest", ...body });
    const events = (actorId: string, action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).where("action", "=", action).orderBy("seq").execute();
    const wallCount = async () => (await suite.services.engine.db.selectFrom("ethical_walls").select("id").execute()).length;
    const breachAlerts = (userId: string) =>
      suite.services.engine.db.selectFrom("alerts").selectAll().where("user_id", "=", userId).where("kind", "=", "wall_breach_attempt").execute();
    const listed = async (token: string) => {
      const res = await call("GET", "/walls?limit=100", token);
      expect(res.statusCode).toBe(200);
      return (res.json().items as { id: string }[]).map((w) => w.id);
    };

    it("a partner cannot raise a wall that screens themself: 403 wall_screens_creator, audited, nothing written", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const before = await wallCount();
      const res = await raise(partner.token, { clientIds: [client.id], screenedUserIds: [lawyer.actor.userId, partner.actor.userId] });
      expect([res.statusCode, res.json().error.code]).toEqual([403, "wall_screens_creator"]);
      expect((await events(partner.actor.userId, "wall.create")).at(-1)).toMatchObject({ outcome: "denied", reason: "wall_screens_creator", target_id: null });
      expect(await wallCount()).toBe(before);
      // Nor one that screens the owner it names: the owner could never see or lift it.
      const owner = await raise(partner.token, {
        clientIds: [client.id],
        ownerId: otherPartner.actor.userId,
        screenedUserIds: [otherPartner.actor.userId],
      });
      expect([owner.statusCode, owner.json().error.code]).toEqual([403, "wall_screens_owner"]);
      expect((await events(partner.actor.userId, "wall.create")).at(-1)).toMatchObject({ outcome: "denied", reason: "wall_screens_owner" });
      expect(await wallCount()).toBe(before);
      // Screening others is what walls are for.
      expect((await raise(partner.token, { clientIds: [client.id], screenedUserIds: [lawyer.actor.userId] })).statusCode).toBe(201);
    });

    it("GET /walls/{id} by a screened user is the 404 of an unknown wall, audited as screened_by_wall, with an alert", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const matter = await buildMatter(suite.services, partner.actor, client.id);
      const res = await raise(compliance.token, { matterIds: [matter.id], screenedUserIds: [screenedPartner.actor.userId] });
      expect(res.statusCode).toBe(201);
      const wallId = res.json().id as string;
      expect((await call("GET", `/walls/${wallId}`, partner.token)).statusCode).toBe(200);

      const seen = await call("GET", `/walls/${wallId}`, screenedPartner.token);
      const unknown = await call("GET", "/walls/00000000-0000-7000-8000-000000000000", screenedPartner.token);
      expect([seen.statusCode, seen.json().error]).toEqual([404, unknown.json().error]);
      expect(seen.body).not.toContain(matter.id);
      const [denied, missing] = await events(screenedPartner.actor.userId, "wall.read");
      expect(denied).toMatchObject({ target_id: wallId, outcome: "denied", reason: "screened_by_wall" });
      expect(missing).toMatchObject({ outcome: "failure", reason: "not_found" });
      expect(await breachAlerts(screenedPartner.actor.userId)).toEqual([expect.objectContaining({ wall_id: wallId, event_seq: denied!.seq, status: "new" })]);

      // Lifting it answers the same way.
      const lift = await call("POST", `/walls/${wallId}/lift`, screenedPartner.token, { reason: "raised_in_error" });
      expect([lift.statusCode, lift.json().error]).toEqual([404, unknown.json().error]);
      expect((await events(screenedPartner.actor.userId, "wall.lift")).at(-1)).toMatchObject({ outcome: "denied", reason: "screened_by_wall" });
    });

    it("another wall about the same client is hidden too: it would name the walled client and matter", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const matter = await buildMatter(suite.services, partner.actor, client.id);
      expect((await raise(compliance.token, { clientIds: [client.id], screenedUserIds: [screenedPartner.actor.userId] })).statusCode).toBe(201);
      const other = await raise(partner.token, { matterIds: [matter.id], screenedUserIds: [lawyer.actor.userId] });
      const otherId = other.json().id as string;
      const res = await call("GET", `/walls/${otherId}`, screenedPartner.token);
      expect([res.statusCode, res.json().error.code]).toEqual([404, "not_found"]);
      expect((await events(screenedPartner.actor.userId, "wall.read")).at(-1)).toMatchObject({ target_id: otherId, reason: "screened_by_wall" });
      expect(await listed(screenedPartner.token)).not.toContain(otherId);
      expect(await listed(otherPartner.token)).toContain(otherId);
    });

    it("the wall list leaves out the walls that screen the caller, lifted ones included; others see them", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const raised = await raise(partner.token, { clientIds: [client.id], screenedUserIds: [otherPartner.actor.userId] });
      const wallId = raised.json().id as string;
      expect(await listed(otherPartner.token)).not.toContain(wallId);
      expect(await listed(compliance.token)).toContain(wallId);
      expect((await call("POST", `/walls/${wallId}/lift`, partner.token, { reason: "conflict_waived" })).statusCode).toBe(200);
      // Lifted, it no longer screens the client, but its record still names who was on which side.
      expect(await listed(otherPartner.token)).not.toContain(wallId);
      const read = await call("GET", `/walls/${wallId}`, otherPartner.token);
      expect([read.statusCode, read.json().error.code]).toEqual([404, "not_found"]);
      expect((await events(otherPartner.actor.userId, "wall.read")).at(-1)).toMatchObject({ target_id: wallId, outcome: "denied", reason: "screened_by_wall" });
      // A lifted wall raises no breach alert: it screens nobody any more.
      expect((await breachAlerts(otherPartner.actor.userId)).filter((a) => a.wall_id === wallId)).toEqual([]);
      expect(await listed(compliance.token)).toContain(wallId);
    });
  });
}
