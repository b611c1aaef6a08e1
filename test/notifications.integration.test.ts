import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_DELAY_MS, deliverDue } from "../src/response/notifications/delivery.js";
import type { MailMessage } from "../src/response/notifications/email.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

/** The verification recipe, exactly as documented in the README. */
function verify(secret: string, rawBody: string, header: string, toleranceSec = 300): boolean {
  const { t, v1 } = Object.fromEntries(header.split(",").map((kv) => kv.split("=")));
  if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > toleranceSec) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

const CLIENT_NAME = "慕容复";
const CLIENT_PHONE = "13655558888";

for (const dialect of DIALECTS) {
  describe(`${dialect}: notification channels`, () => {
    const suite = httpSuite(dialect);
    const received: { body: string; signature: string; delivery: string }[] = [];
    let receiver: Server;
    let receiverUrl: string;
    let compliance: TestUser;
    let partner: TestUser;
    let lawyer: TestUser;
    let webhookId: string;
    let secret: string;
    const mails: MailMessage[] = [];
    const mail = { sendMail: async (m: MailMessage) => void mails.push(m) };

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          received.push({ body, signature: String(req.headers["x-custodia-signature"]), delivery: String(req.headers["x-custodia-delivery"]) });
          // Fails the first time, accepts afterwards.
          res.statusCode = received.length === 1 ? 500 : 200;
          res.end("ok");
        });
      });
      await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/custodia`;
    });
    afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

    it("registers a signed webhook and a user subscription (compliance only)", async () => {
      compliance = await buildUser(suite.services, "compliance");
      partner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      const post = (url: string, token: string, payload: object) => suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), payload });
      expect((await post("/webhooks", partner.token, { url: receiverUrl, events: ["alert.raised"] })).statusCode).toBe(403);
      expect((await post("/webhooks", compliance.token, { url: "http://hooks.example.com/x", events: ["alert.raised"] })).json().error.code).toBe(
        "validation_error",
      );
      const created = await post("/webhooks", compliance.token, { url: receiverUrl, events: ["alert.raised", "incident.opened"] });
      expect(created.statusCode).toBe(201);
      webhookId = created.json().id;
      secret = created.json().secret;
      expect(secret).toMatch(/^whsec_/);
      const stored = await suite.services.engine.db.selectFrom("webhooks").selectAll().where("id", "=", webhookId).executeTakeFirstOrThrow();
      expect(stored.secret_ct).not.toContain(secret.slice(6, 20));
      expect(
        (await post("/notification-subscriptions", compliance.token, { userId: partner.actor.userId, event: "alert.raised", email: true })).statusCode,
      ).toBe(201);
    });

    it("turns a high alert into an in-app notification, an email and a signed webhook delivery, retried with back-off", async () => {
      // A client whose details must never travel in a message.
      await buildClient(suite.services, partner.actor, { name: CLIENT_NAME, phone: CLIENT_PHONE });
      // A disabled account's sign-in attempt raises a high `disabled_account` alert.
      await suite.services.engine.db.transaction().execute((tx) =>
        suite.services.auditLog.append(tx, [
          {
            action: "auth.login",
            outcome: "denied",
            reason: "user_disabled",
            actorId: lawyer.actor.userId,
            actorRole: null,
            requestId: null,
            targetType: "user",
            targetId: lawyer.actor.userId,
          },
        ]),
      );
      const alert = await suite.services.engine.db.selectFrom("alerts").selectAll().where("rule_code", "=", "disabled_account").executeTakeFirstOrThrow();
      expect(alert.severity).toBe("high");

      const inbox = await suite.app.inject({ method: "GET", url: "/api/v1/notifications?unread=true", headers: auth(partner.token) });
      expect(inbox.statusCode).toBe(200);
      expect(inbox.json().items).toHaveLength(1);
      const note = inbox.json().items[0];
      expect(note.payload).toMatchObject({
        kind: "alert.raised",
        data: { alertId: alert.id, ruleCode: "disabled_account", severity: "high", userId: lawyer.actor.userId },
      });
      // Someone else's inbox is empty; marking read works for the owner only.
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/notifications", headers: auth(compliance.token) })).json().items).toEqual([]);
      expect((await suite.app.inject({ method: "POST", url: `/api/v1/notifications/${note.id}/read`, headers: auth(compliance.token) })).statusCode).toBe(404);
      expect((await suite.app.inject({ method: "POST", url: `/api/v1/notifications/${note.id}/read`, headers: auth(partner.token) })).statusCode).toBe(204);

      const t0 = new Date();
      const first = await deliverDue(suite.services, t0, { mail });
      expect(first.webhooks).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      expect(first.emails.sent).toBe(1);
      expect(mails[0]!.to).toBe(partner.email);
      // Not due again before the back-off has passed.
      expect((await deliverDue(suite.services, new Date(t0.getTime() + BASE_DELAY_MS - 1000), { mail })).webhooks.retrying).toBe(0);
      expect(received).toHaveLength(1);
      const second = await deliverDue(suite.services, new Date(t0.getTime() + BASE_DELAY_MS + 1000), { mail });
      expect(second.webhooks.delivered).toBe(1);
      expect(received).toHaveLength(2);

      // Each attempt is signed, and the documented recipe verifies it; a changed body does not.
      for (const r of received) {
        expect(verify(secret, r.body, r.signature)).toBe(true);
        expect(verify(secret, r.body.replace("high", "low"), r.signature)).toBe(false);
        expect(verify("whsec_wrong", r.body, r.signature)).toBe(false);
      }
      expect(received[0]!.body).toBe(received[1]!.body);

      const log = await suite.app.inject({ method: "GET", url: `/api/v1/webhooks/${webhookId}/deliveries`, headers: auth(compliance.token) });
      expect(log.statusCode).toBe(200);
      const [delivery] = log.json().items;
      expect(delivery).toMatchObject({ id: received[0]!.delivery, kind: "alert.raised", attempts: 2, lastStatus: 200, nextAttemptAt: null });
      expect(delivery.deliveredAt).not.toBeNull();
      expect(delivery.log.map((a: { attempt: number; status: number }) => [a.attempt, a.status])).toEqual([
        [1, 500],
        [2, 200],
      ]);
      expect(Date.parse(delivery.log[1].at) - Date.parse(delivery.log[0].at)).toBeGreaterThanOrEqual(BASE_DELAY_MS);
      expect((await suite.app.inject({ method: "GET", url: `/api/v1/webhooks/${webhookId}/deliveries`, headers: auth(partner.token) })).statusCode).toBe(403);
    });

    it("notifies a new incident to the webhook", async () => {
      const opened = await suite.app.inject({
        method: "POST",
        url: "/api/v1/incidents",
        headers: auth(compliance.token),
        payload: {
          source: "staff_report",
          category: "loss",
          cause: "lost_device",
          measures: ["device_wiped"],
          peopleAffected: 3,
          l4Involved: false,
          leftFirm: false,
          euSubjects: false,
          contact: "privacy@firm.test",
        },
      });
      expect(opened.statusCode).toBe(201);
      await deliverDue(suite.services, new Date(), { mail });
      const last = JSON.parse(received.at(-1)!.body);
      expect(last).toMatchObject({
        kind: "incident.opened",
        data: { incidentId: opened.json().id, category: "loss", source: "staff_report" },
        link: `/api/v1/incidents/${opened.json().id}`,
      });
    });

    it("carries no personal data: ids, codes, severity and links only", async () => {
      const notes = await suite.services.engine.db.selectFrom("notifications").select("payload").execute();
      const bodies = [...received.map((r) => r.body), ...notes.map((n) => n.payload)];
      const texts = [...bodies, ...mails.map((m) => `${m.subject}\n${m.body}`)];
      expect(texts.length).toBeGreaterThanOrEqual(4);
      for (const text of texts) {
        for (const personal of [CLIENT_NAME, CLIENT_PHONE, partner.email, lawyer.email, compliance.email]) expect(text).not.toContain(personal);
      }
      for (const body of bodies) {
        const p = JSON.parse(body);
        expect(Object.keys(p).sort()).toEqual(["data", "id", "kind", "link", "occurredAt"]);
        for (const [key, value] of Object.entries(p.data)) {
          expect(["alertId", "ruleCode", "severity", "userId", "incidentId", "category", "source"]).toContain(key);
          expect(value === null || /^[A-Za-z0-9_.:-]+$/.test(value as string)).toBe(true);
        }
      }
      // The queued email is sealed at rest: neither the address nor the text is stored in clear.
      const outbox = await suite.services.engine.db.selectFrom("email_outbox").selectAll().execute();
      expect(JSON.stringify(outbox)).not.toContain(partner.email);
    });
  });
}
