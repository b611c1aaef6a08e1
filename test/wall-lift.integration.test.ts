/**
 * Lifting an ethical wall: compliance or the wall's owner only, never a screened user (who gets
 * the same 404 as for a wall that does not exist); the screened users regain access on their next
 * request; a second lift is a 409; every attempt is audited.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: lifting an ethical wall`, () => {
    const suite = httpSuite(dialect);
    let owner: TestUser;
    let otherPartner: TestUser;
    let lawyer: TestUser;
    let compliance: TestUser;
    let clientId: string;
    let wallId: string;
    const post = (token: string, url: string, payload: object) => suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), payload });
    const read = (token: string) => suite.app.inject({ method: "GET", url: `/api/v1/clients/${clientId}`, headers: auth(token, "case-handling") });
    const events = () => suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", "wall.lift").orderBy("seq").execute();

    beforeAll(async () => {
      owner = await buildUser(suite.services, "partner");
      otherPartner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      compliance = await buildUser(suite.services, "compliance");
      const client = await buildClient(suite.services, owner.actor);
      clientId = client.id;
      await buildMatter(suite.services, owner.actor, clientId, [{ userId: lawyer.actor.userId, role: "member" }]);
      const wall = await post(owner.token, "/walls", {
        reason: "conflict_of_interest",
        clientIds: [clientId],
        screenedUserIds: [lawyer.actor.userId, otherPartner.actor.userId],
      });
      expect(wall.statusCode).toBe(201);
      wallId = wall.json().id;
    });

    it("only the owner or compliance may lift it; a screened user is told it does not exist", async () => {
      expect((await read(lawyer.token)).statusCode).toBe(404);
      const byLawyer = await post(lawyer.token, `/walls/${wallId}/lift`, { reason: "matter_concluded" });
      expect([byLawyer.statusCode, byLawyer.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const byScreenedPartner = await post(otherPartner.token, `/walls/${wallId}/lift`, { reason: "matter_concluded" });
      expect([byScreenedPartner.statusCode, byScreenedPartner.json().error.code]).toEqual([404, "not_found"]);
      const badReason = await post(owner.token, `/walls/${wallId}/lift`, { reason: "because the client said so" });
      expect([badReason.statusCode, badReason.json().error.fields[0].field]).toEqual([400, "reason"]);
      expect((await read(lawyer.token)).statusCode).toBe(404); // still standing
    });

    it("the owner lifts it: the screened lawyer reads the client again; a second lift is a 409", async () => {
      const lifted = await post(owner.token, `/walls/${wallId}/lift`, { reason: "matter_concluded", reference: "CW-2026-9" });
      expect(lifted.statusCode).toBe(200);
      expect(lifted.json()).toMatchObject({ id: wallId, liftedAt: expect.any(String) });
      expect((await read(lawyer.token)).statusCode).toBe(200);
      const again = await post(compliance.token, `/walls/${wallId}/lift`, { reason: "matter_concluded" });
      expect([again.statusCode, again.json().error.code]).toEqual([409, "wall_lifted"]);
      const list = await suite.app.inject({ method: "GET", url: "/api/v1/walls", headers: auth(compliance.token) });
      expect(list.json().items.find((w: { id: string }) => w.id === wallId).liftedAt).toBe(lifted.json().liftedAt);
    });

    it("audits every attempt with its outcome and reason code", async () => {
      const rows = await events();
      expect(rows.map((e) => [e.actor_id, e.outcome])).toEqual([
        [lawyer.actor.userId, "denied"],
        [otherPartner.actor.userId, "denied"], // across the wall: a 404, recorded as screened_by_wall
        [owner.actor.userId, "success"],
        [compliance.actor.userId, "failure"],
      ]);
      expect(rows[1]).toMatchObject({ target_id: wallId, reason: "screened_by_wall" });
      expect(rows[2]).toMatchObject({ target_id: wallId, reason: "matter_concluded" });
      expect(JSON.parse(rows[2]!.details!)).toEqual({ reference: "CW-2026-9" });
    });
  });
}
