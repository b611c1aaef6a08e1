/**
 * Fulfilling a client request runs once and atomically (issue #10): the composed commands share the
 * fulfilment's one transaction, a failure half way leaves nothing written but its audited refusal,
 * and of two concurrent fulfilments exactly one takes effect.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import type { Services } from "../src/platform/services.js";
import { DevOutboxSender } from "../src/rights/requests/code-sender.js";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

let serial = 0;

for (const dialect of DIALECTS) {
  describe(`${dialect}: request fulfilment runs once, atomically`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser, partner2!: TestUser, compliance!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      services = suite.services;
      app = await buildServer(services, {
        logLevel: "silent",
        clientRequests: {
          sender: new DevOutboxSender(join(suite.db.config.dataDir, "outbox.jsonl")),
          proofBits: 4,
          intakeFloorMs: 0,
          perIdentifierPerDay: 100,
          perAddressPerHour: 1000,
        },
      });
      await app.ready();
      partner = await buildUser(services, "partner");
      partner2 = await buildUser(services, "partner");
      compliance = await buildUser(services, "compliance");
    });
    afterAll(async () => {
      await app?.close();
    });

    const call = (method: "GET" | "POST", url: string, token?: string, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: token ? auth(token, purpose) : {}, ...(payload ? { payload } : {}) });
    const fulfil = (requestId: string, user: TestUser) => call("POST", `/requests/${requestId}/fulfil`, user.token);

    /** A client of `partner`'s with its own identifiers, so a portal request matches exactly it. */
    const newClient = async () => {
      const idNumber = residentId();
      const n = String(++serial).padStart(4, "0");
      const client = await buildClient(services, partner.actor, { idNumber, phone: `1370000${n}`, email: `fulfil.${n}@example.cn` });
      return { id: client.id, idNumber };
    };
    /** A request submitted through the portal and verified by staff in person; returns its id and portal token. */
    const verifiedRequest = async (client: { id: string; idNumber: string }, body: Record<string, unknown>) => {
      const c = (await call("GET", "/portal/challenge")).json() as { challenge: string; bits: number };
      const submitted = await call("POST", "/portal/requests", undefined, {
        idType: "resident_id",
        idNumber: client.idNumber,
        language: "en",
        ...body,
        proof: { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) },
      });
      expect(submitted.statusCode, submitted.body).toBe(202);
      const requestId = submitted.json().requestId as string;
      const verified = await call("POST", `/requests/${requestId}/verify`, compliance.token, {
        clientId: client.id,
        evidence: { kind: "id_document_in_person", reference: `DESK-${requestId.slice(-6)}` },
      });
      expect(verified.statusCode, verified.body).toBe(200);
      return { requestId, token: verified.json().token as string };
    };
    const events = (action: string, targetId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).where("target_id", "=", targetId).orderBy("seq").execute();
    const history = async (requestId: string) =>
      (await services.engine.db.selectFrom("client_request_history").select("status").where("request_id", "=", requestId).orderBy("seq").execute()).map(
        (h) => h.status,
      );
    const requestRow = (requestId: string) =>
      services.engine.db.selectFrom("client_requests").selectAll().where("id", "=", requestId).executeTakeFirstOrThrow();
    const consentsOf = (clientId: string) => services.engine.db.selectFrom("consent_records").selectAll().where("client_id", "=", clientId).execute();
    const clientRow = (clientId: string) => services.engine.db.selectFrom("clients").selectAll().where("id", "=", clientId).executeTakeFirstOrThrow();

    it("two concurrent fulfilments of a consent withdrawal: one succeeds, the other is 409 request_state, and the consent is withdrawn once", async () => {
      const client = await newClient();
      const { requestId } = await verifiedRequest(client, { type: "withdraw_consent", purpose: "marketing" });
      const answers = await Promise.all([fulfil(requestId, compliance), fulfil(requestId, compliance)]);
      const [won, lost] = answers.sort((a, b) => a.statusCode - b.statusCode);
      expect(won!.statusCode).toBe(200);
      expect(won!.json()).toMatchObject({ status: "fulfilled", outcome: "consent_withdrawn" });
      expect([lost!.statusCode, lost!.json().error.code]).toEqual([409, "request_state"]);

      const consents = await consentsOf(client.id);
      expect(consents).toEqual([expect.objectContaining({ purpose: "marketing", status: "withdrawn", ack_reference: `request:${requestId}` })]);
      expect((await events("consent.withdraw", client.id)).map((e) => e.outcome)).toEqual(["success"]);
      expect((await events("request.fulfil", requestId)).map((e) => [e.outcome, e.reason])).toEqual([
        ["success", null],
        ["failure", "request_state"],
      ]);
      expect(await history(requestId)).toEqual(["received", "verified", "in_progress", "fulfilled"]);
    });

    it("two concurrent fulfilments of a deletion: the client is shredded once, by one of them", async () => {
      const client = await newClient();
      const { requestId } = await verifiedRequest(client, { type: "deletion" });
      const answers = await Promise.all([fulfil(requestId, compliance), fulfil(requestId, compliance)]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe("request_state");
      expect((await events("client.erase", client.id)).map((e) => [e.outcome, e.actor_id])).toEqual([["success", compliance.actor.userId]]);
      expect((await events("request.fulfil", requestId)).map((e) => [e.outcome, e.reason])).toEqual([
        ["success", null],
        ["failure", "request_state"],
      ]);
      expect(await history(requestId)).toEqual(["received", "verified", "in_progress", "fulfilled"]);
      expect((await clientRow(client.id)).status).toBe("erased");
    });

    it("a failure after the consent withdrawal (injected at the closing write) leaves nothing written and is audited; a retry then succeeds", async () => {
      const client = await newClient();
      const { requestId } = await verifiedRequest(client, { type: "withdraw_consent", purpose: "marketing" });
      const before = await clientRow(client.id);
      // The request's last step, its move to `fulfilled`, fails in the database.
      const inject =
        dialect === "sqlite"
          ? [
              sql.raw(`create trigger fail_fulfilment before insert on client_request_history
                 when new.status = 'fulfilled' and new.request_id = '${requestId}'
                 begin select raise(abort, 'injected failure'); end`),
            ]
          : [
              sql.raw(`create function fail_fulfilment() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`),
              sql.raw(`create trigger fail_fulfilment before insert on client_request_history for each row
                 when (new.status = 'fulfilled' and new.request_id = '${requestId}') execute function fail_fulfilment()`),
            ];
      for (const statement of inject) await statement.execute(services.engine.db);
      try {
        const failed = await fulfil(requestId, compliance);
        expect([failed.statusCode, failed.json().error.code]).toEqual([500, "request_fulfilment_failed"]);
      } finally {
        const remove =
          dialect === "sqlite"
            ? [sql.raw("drop trigger fail_fulfilment")]
            : [sql.raw("drop trigger fail_fulfilment on client_request_history"), sql.raw("drop function fail_fulfilment()")];
        for (const statement of remove) await statement.execute(services.engine.db);
      }

      // Nothing of the half-done fulfilment remains: no withdrawal, the client and the request untouched.
      expect(await consentsOf(client.id)).toEqual([]);
      expect(await events("consent.withdraw", client.id)).toEqual([]);
      expect((await clientRow(client.id)).row_version).toBe(before.row_version);
      expect(await requestRow(requestId)).toMatchObject({ status: "verified", outcome: null, closed_at: null });
      expect(await history(requestId)).toEqual(["received", "verified"]);
      // Only the failure is on record, with the error's class and no message.
      const [failure, ...others] = await events("request.fulfil", requestId);
      expect(others).toEqual([]);
      expect(failure).toMatchObject({ outcome: "failure", reason: "request_fulfilment_failed", actor_id: compliance.actor.userId });
      expect(Object.keys(JSON.parse(failure!.details!))).toEqual(["errorClass"]);
      expect(failure!.details).not.toContain("injected");

      const retried = await fulfil(requestId, compliance);
      expect([retried.statusCode, retried.json().outcome]).toEqual([200, "consent_withdrawn"]);
      expect(await consentsOf(client.id)).toHaveLength(1);
    });

    it("a denied step (a wall screens the fulfilling partner from the client) leaves the request open and writes only the denial", async () => {
      const client = await newClient();
      const matter = await buildMatter(services, partner.actor, client.id);
      const wall = await call("POST", "/walls", compliance.token, {
        reason: "conflict_of_interest",
        reference: `CW-${++serial}`,
        matterIds: [matter.id],
        screenedUserIds: [partner2.actor.userId],
      });
      expect(wall.statusCode, wall.body).toBe(201);
      const { requestId } = await verifiedRequest(client, { type: "correction", correction: { address: "上海市徐汇区漕溪北路88号" } });
      const before = await clientRow(client.id);

      const denied = await fulfil(requestId, partner2);
      // Answered as if the client did not exist; recorded as the wall's denial.
      expect([denied.statusCode, denied.json().error.code]).toEqual([404, "not_found"]);
      const [update] = await events("client.update", client.id);
      expect(update).toMatchObject({ outcome: "denied", reason: "screened_by_wall", actor_id: partner2.actor.userId });
      expect(await events("request.fulfil", requestId)).toEqual([]);
      expect(await requestRow(requestId)).toMatchObject({ status: "verified", outcome: null });
      expect(await history(requestId)).toEqual(["received", "verified"]);
      expect((await clientRow(client.id)).row_version).toBe(before.row_version);
      const breach = await services.engine.db
        .selectFrom("alerts")
        .selectAll()
        .where("user_id", "=", partner2.actor.userId)
        .where("kind", "=", "wall_breach_attempt")
        .execute();
      expect(breach).toEqual([expect.objectContaining({ wall_id: wall.json().id, event_seq: update!.seq })]);

      const done = await fulfil(requestId, partner);
      expect([done.statusCode, done.json().outcome]).toEqual([200, "corrected"]);
      expect(await history(requestId)).toEqual(["received", "verified", "in_progress", "fulfilled"]);
    });

    it("a legal hold refuses a deletion as a whole: the request is refused and nothing is shredded", async () => {
      const client = await newClient();
      const hold = await call("POST", "/holds", compliance.token, {
        clientId: client.id,
        custodianId: partner.actor.userId,
        reason: "litigation_pending",
        reference: "CASE-2026-0917",
        reviewDate: "2031-01-31",
      });
      expect(hold.statusCode, hold.body).toBe(201);
      const { requestId } = await verifiedRequest(client, { type: "deletion" });
      const refused = await fulfil(requestId, compliance);
      expect([refused.statusCode, refused.json().status, refused.json().outcome]).toEqual([200, "refused", "legal_hold"]);
      expect((await events("request.refuse", requestId)).map((e) => [e.outcome, e.reason])).toEqual([["success", "legal_hold"]]);
      expect(await events("client.erase", client.id)).toEqual([]);
      expect((await clientRow(client.id)).status).toBe("active");
      const key = await services.engine.db.selectFrom("data_keys").select("wrapped_key").where("client_id", "=", client.id).executeTakeFirstOrThrow();
      expect(key.wrapped_key).not.toBeNull();
    });

    it("the access package shows the client's restrictions, lifted ones included (processing_restriction_lifts has its reader)", async () => {
      const client = await newClient();
      const restriction = await verifiedRequest(client, { type: "restriction" });
      expect((await fulfil(restriction.requestId, compliance)).json()).toMatchObject({ status: "fulfilled", outcome: "restricted" });
      const lifted = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "accuracy_verified" });
      expect(lifted.statusCode, lifted.body).toBe(200);
      const stored = await services.engine.db
        .selectFrom("processing_restriction_lifts")
        .selectAll()
        .where("client_id", "=", client.id)
        .executeTakeFirstOrThrow();

      const access = await verifiedRequest(client, { type: "access" });
      expect((await fulfil(access.requestId, compliance)).json()).toMatchObject({ status: "fulfilled", outcome: "package_ready" });
      const portal = (format: string) =>
        app.inject({
          method: "GET",
          url: `/api/v1/portal/requests/${access.requestId}/package?format=${format}`,
          headers: { authorization: `Bearer ${access.token}` },
        });
      const pkg = (await portal("json")).json();
      expect(pkg.client.restricted).toBe(false);
      expect(pkg.client.restrictions).toEqual([{ restrictedAt: stored.restricted_at, liftedAt: stored.lifted_at, liftReason: "accuracy_verified" }]);
      const html = await portal("html");
      expect(html.body).toContain("Restrictions of processing");
      expect(html.body).toContain("Accuracy verified");
    });
  });
}
