/**
 * Issue #4, remaining pieces: lifting a restriction of processing, deadline regimes as editable data,
 * request reminders and overdue notices (injected clock), the register of destruction batches and the
 * public list of purposes for the portal.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import { DevOutboxSender } from "../src/rights/requests/code-sender.js";
import { addCalendarDays, dueDate } from "../src/rights/requests/deadlines.js";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import { remindRequests } from "../src/rights/requests/request-reminders.js";
import type { Services } from "../src/platform/services.js";
import { runCli } from "./support/cli.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

let serial = 0;
function uniqueClient(overrides: Record<string, unknown> = {}) {
  serial++;
  const n = String(2000_0000 + serial + Math.floor(Math.random() * 1000) * 100).slice(-8);
  return clientInput({ name: `权利客户${serial}`, idNumber: residentId(), phone: `137${n}`, email: `rights${serial}.${n}@example.cn`, ...overrides });
}

/** Noon in Beijing on a firm calendar day: the instant the injected clock shows. */
const noonOn = (date: string) => new Date(`${date}T04:00:00.000Z`);

for (const dialect of DIALECTS) {
  describe(`${dialect}: restriction lifts, regimes, reminders, destruction register, public purposes`, () => {
    let services: Services;
    let app: FastifyInstance;
    let outbox: string;
    let partner!: TestUser, compliance!: TestUser, compliance2!: TestUser, lawyer!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      services = suite.services;
      outbox = join(suite.db.config.dataDir, "outbox.jsonl");
      app = await buildServer(services, {
        logLevel: "silent",
        clientRequests: { sender: new DevOutboxSender(outbox), proofBits: 6, intakeFloorMs: 5, perIdentifierPerDay: 100, perAddressPerHour: 1000 },
      });
      await app.ready();
      partner = await buildUser(services, "partner");
      compliance = await buildUser(services, "compliance");
      compliance2 = await buildUser(services, "compliance");
      lawyer = await buildUser(services, "lawyer");
    });
    afterAll(async () => {
      await app?.close();
    });

    const call = (method: "GET" | "POST" | "PATCH" | "PUT", url: string, token?: string, payload?: object, purpose?: string, lang?: string) =>
      app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { ...(token ? auth(token, purpose) : {}), ...(lang ? { "accept-language": lang } : {}) },
        ...(payload ? { payload } : {}),
      });
    const newClient = async (overrides: Record<string, unknown> = {}) => {
      const input = uniqueClient(overrides);
      const res = await call("POST", "/clients", partner.token, input);
      expect(res.statusCode).toBe(201);
      return { ...input, id: res.json().id as string };
    };
    const submit = async (body: Record<string, unknown>) => {
      const c = (await call("GET", "/portal/challenge")).json() as { challenge: string; bits: number };
      const res = await call("POST", "/portal/requests", undefined, {
        language: "zh-CN",
        ...body,
        proof: { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) },
      });
      expect(res.statusCode).toBe(202);
      return res.json().requestId as string;
    };
    const codeFor = async (requestId: string) => {
      for (let i = 0; i < 100; i++) {
        const lines = existsSync(outbox)
          ? readFileSync(outbox, "utf8")
              .trim()
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l) as { requestId: string; code: string })
          : [];
        const line = lines.find((l) => l.requestId === requestId);
        if (line) return line.code;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("no code in the outbox");
    };
    const verifiedRequest = async (client: { idType?: string | null | undefined; idNumber?: string | null | undefined }, type: string) => {
      const requestId = await submit({ type, idType: client.idType, idNumber: client.idNumber });
      expect((await call("POST", `/portal/requests/${requestId}/verify`, undefined, { code: await codeFor(requestId) })).statusCode).toBe(200);
      return requestId;
    };
    const events = (action: string, targetId?: string) => {
      let q = services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action);
      if (targetId) q = q.where("target_id", "=", targetId);
      return q.orderBy("seq").execute();
    };
    const requestRow = (id: string) => services.engine.db.selectFrom("client_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

    describe("lifting a restriction of processing", () => {
      it("restores the purposes in force before it, except a consent withdrawn meanwhile; compliance only; audited", async () => {
        // A published notice, so a consent to marketing can be recorded and adds the purpose.
        const draft = await call("POST", "/notices", compliance.token, {
          effectiveFrom: "2024-01-01T00:00:00.000Z",
          titleZh: "隐私政策",
          titleEn: "Privacy notice",
          bodyZh: "正文",
          bodyEn: "Text",
        });
        expect(draft.statusCode).toBe(201);
        expect((await call("POST", `/notices/${draft.json().version}/publish`, compliance.token)).statusCode).toBe(200);
        const client = await newClient({ purposes: ["case-handling", "conflict-check", "billing"] });
        const consent = {
          purpose: "marketing",
          separate: false,
          channel: "paper",
          noticeLanguage: "zh-CN",
          acknowledgement: { kind: "signed_form", reference: "F-2026-001" },
        };
        expect((await call("POST", `/clients/${client.id}/consents`, partner.token, consent)).statusCode).toBe(201);

        const notRestricted = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "client_request" }, undefined, "zh-CN");
        expect([notRestricted.statusCode, notRestricted.json().error]).toEqual([409, { code: "not_restricted", message: "该记录未被限制处理。" }]);

        const requestId = await verifiedRequest(client, "restriction");
        expect((await call("POST", `/requests/${requestId}/fulfil`, compliance.token)).json()).toMatchObject({ status: "fulfilled", outcome: "restricted" });
        const stored = await services.engine.db.selectFrom("processing_restrictions").selectAll().where("client_id", "=", client.id).executeTakeFirstOrThrow();
        expect(JSON.parse(stored.previous_purposes!)).toEqual(["case-handling", "conflict-check", "billing", "marketing"]);
        // While restricted, the client withdraws the marketing consent.
        const withdraw = await call("POST", `/clients/${client.id}/consents/marketing/withdraw`, partner.token, {
          channel: "email",
          acknowledgement: { kind: "email_message", reference: "MAIL-77" },
        });
        expect(withdraw.statusCode).toBe(200);

        for (const [token, code] of [
          [partner.token, "role_lacks_permission"],
          [lawyer.token, "role_lacks_permission"],
        ] as const) {
          const denied = await call("POST", `/clients/${client.id}/restriction/lift`, token, { reason: "client_request" });
          expect([denied.statusCode, denied.json().error.code]).toEqual([403, code]);
        }
        const badReason = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "because" });
        expect([badReason.statusCode, badReason.json().error.code, badReason.json().error.fields[0].field]).toEqual([400, "validation_error", "reason"]);
        const freeText = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, {
          reason: "client_request",
          reference: "letter from 王小明",
        });
        expect(freeText.json().error.fields[0].field).toBe("reference");
        expect(
          (await call("POST", "/clients/0190f000-0000-7000-8000-000000000000/restriction/lift", compliance.token, { reason: "ground_ended" })).statusCode,
        ).toBe(404);

        const lifted = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "client_request", reference: "FORM-2026-09" });
        expect(lifted.statusCode).toBe(200);
        expect(lifted.json()).toMatchObject({
          clientId: client.id,
          requestId,
          reason: "client_request",
          reference: "FORM-2026-09",
          purposes: ["case-handling", "conflict-check", "billing"],
          dropped: [{ purpose: "marketing", reason: "consent_withdrawn" }],
        });
        // Reads under the restored purposes work again, and the purposes may be edited again.
        expect((await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling")).statusCode).toBe(200);
        expect((await call("GET", `/clients/${client.id}`, partner.token, undefined, "marketing")).statusCode).toBe(403);
        const widen = await call("PUT", `/clients/${client.id}/purposes`, compliance.token, {
          purposes: ["case-handling", "billing"],
          reason: "client_instruction",
        });
        expect(widen.statusCode).toBe(200);
        const again = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "client_request" });
        expect(again.json().error.code).toBe("not_restricted");

        const event = (await events("client.restriction_lift", client.id)).find((e) => e.outcome === "success")!;
        expect(event).toMatchObject({ actor_id: compliance.actor.userId, reason: "client_request" });
        expect(JSON.parse(event.details!)).toEqual({
          reference: "FORM-2026-09",
          requestId,
          purposes: ["case-handling", "conflict-check", "billing"],
          dropped: ["marketing:consent_withdrawn"],
        });
        const denials = (await events("client.restriction_lift", client.id)).filter((e) => e.outcome === "denied");
        expect(denials.map((e) => e.actor_id)).toEqual([partner.actor.userId, lawyer.actor.userId]);
        const history = await services.engine.db.selectFrom("processing_restriction_lifts").selectAll().where("client_id", "=", client.id).execute();
        expect(history).toEqual([
          expect.objectContaining({
            request_id: requestId,
            reason: "client_request",
            lifted_by: compliance.actor.userId,
            restored_purposes: JSON.stringify(["case-handling", "conflict-check", "billing"]),
          }),
        ]);
      });

      it("a consent recorded while restricted does not widen the record; the purpose comes back with the lift", async () => {
        // Relies on the notice published by the test above (consents need one in force).
        const client = await newClient({ purposes: ["case-handling"] });
        const requestId = await verifiedRequest(client, "restriction");
        expect((await call("POST", `/requests/${requestId}/fulfil`, compliance.token)).json()).toMatchObject({ outcome: "restricted" });
        const consent = {
          purpose: "marketing",
          separate: false,
          channel: "paper",
          noticeLanguage: "zh-CN",
          acknowledgement: { kind: "signed_form", reference: "F-2026-002" },
        };
        expect((await call("POST", `/clients/${client.id}/consents`, partner.token, consent)).statusCode).toBe(201);
        const purposesNow = async () =>
          JSON.parse(
            (await services.engine.db.selectFrom("clients").select("purposes").where("id", "=", client.id).executeTakeFirstOrThrow()).purposes,
          ) as string[];
        expect(await purposesNow()).toEqual(["legal-claims"]);
        expect((await call("GET", `/clients/${client.id}`, partner.token, undefined, "marketing")).statusCode).toBe(403);
        const lifted = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "client_request" });
        expect(lifted.statusCode).toBe(200);
        expect(await purposesNow()).toEqual(expect.arrayContaining(["case-handling", "marketing"]));
      });

      it("a restriction recorded without its earlier purposes stays on legal claims when lifted", async () => {
        const client = await newClient();
        const requestId = await verifiedRequest(client, "restriction");
        await call("POST", `/requests/${requestId}/fulfil`, compliance.token);
        await services.engine.db.updateTable("processing_restrictions").set({ previous_purposes: null }).where("client_id", "=", client.id).execute();
        const lifted = await call("POST", `/clients/${client.id}/restriction/lift`, compliance.token, { reason: "ground_ended" });
        expect(lifted.json()).toMatchObject({ purposes: ["legal-claims"], dropped: [] });
        expect(
          (await call("PUT", `/clients/${client.id}/purposes`, compliance.token, { purposes: ["case-handling"], reason: "engagement_changed" })).statusCode,
        ).toBe(200);
      });
    });

    describe("deadline regimes", () => {
      it("lists regimes with the UNVERIFIED flag; compliance edits them; due dates move only on re-assignment", async () => {
        const listed = await call("GET", "/request-regimes", partner.token);
        expect(listed.statusCode).toBe(200);
        const byCode = Object.fromEntries(listed.json().items.map((r: { code: string }) => [r.code, r]));
        expect(byCode.pipl).toMatchObject({ unit: "working_days", amount: 15, extension: null, reminderDays: 3, verified: false, updatedAt: null });
        expect(byCode.gdpr).toMatchObject({ unit: "months", amount: 1, extension: { unit: "months", amount: 2 }, verified: true });
        expect((await call("GET", "/request-regimes", lawyer.token)).statusCode).toBe(403);

        const client = await newClient();
        const requestId = await submit({ type: "access", idType: client.idType, idNumber: client.idNumber });
        const before = await requestRow(requestId);
        const body = {
          unit: "calendar_days",
          amount: 20,
          extension: { unit: "calendar_days", amount: 10 },
          reminderDays: 4,
          verified: true,
          source: "Firm policy 2026-11, checked against PIPL Art. 50.",
        };
        const byPartner = await call("PUT", "/request-regimes/gbt35273_30d", partner.token, body);
        expect([byPartner.statusCode, byPartner.json().error.code]).toEqual([403, "role_lacks_permission"]);
        const invalid = await call("PUT", "/request-regimes/gbt35273_30d", compliance.token, {
          ...body,
          extension: { unit: "calendar_days", amount: 0 },
          reminderDays: -1,
        });
        expect(invalid.statusCode).toBe(400);
        expect(
          invalid
            .json()
            .error.fields.map((f: { field: string }) => f.field)
            .sort(),
        ).toEqual(["extension.amount", "reminderDays"]);
        expect((await call("PUT", "/request-regimes/no_such_regime", compliance.token, body)).statusCode).toBe(404);

        const put = await call("PUT", "/request-regimes/pipl", compliance.token, body);
        expect(put.statusCode).toBe(200);
        expect(put.json()).toMatchObject({
          code: "pipl",
          unit: "calendar_days",
          amount: 20,
          extension: { unit: "calendar_days", amount: 10 },
          reminderDays: 4,
          verified: true,
          source: body.source,
          updatedBy: compliance.actor.userId,
        });
        const event = (await events("request_regime.update", "pipl")).at(-1)!;
        expect(event).toMatchObject({ outcome: "success", actor_id: compliance.actor.userId });
        expect(JSON.parse(event.details!)).toEqual({
          before: "15 working_days; extension none; reminder 3d; unverified",
          after: "20 calendar_days; extension 10 calendar_days; reminder 4d; verified",
          sourceChanged: true,
        });

        // The request already received keeps its due date …
        expect((await requestRow(requestId)).due_date).toBe(before.due_date);
        expect((await call("GET", `/requests/${requestId}`, compliance.token)).json().dueDate).toBe(before.due_date);
        // … until it is re-assigned to the regime, which applies the figures as they are now.
        const reassigned = await call("POST", `/requests/${requestId}/assign`, compliance.token, { regime: "pipl" });
        expect(reassigned.json().dueDate).toBe(addCalendarDays(before.received_date, 20));
        // A new request is due under the new figures at once.
        const fresh = await requestRow(await submit({ type: "access", idType: client.idType, idNumber: client.idNumber }));
        expect(fresh.due_date).toBe(addCalendarDays(fresh.received_date, 20));

        // Restore the seed, so other tests in this suite see PIPL as shipped (and unverified again).
        const restored = await call("PUT", "/request-regimes/pipl", compliance.token, {
          unit: "working_days",
          amount: 15,
          extension: null,
          reminderDays: 3,
          verified: false,
          source: byCode.pipl.source,
        });
        expect(restored.json()).toMatchObject({ verified: false, extension: null });
      });
    });

    describe("reminders and overdue notices", () => {
      const notes = (requestId: string) =>
        services.engine.db.selectFrom("notifications").selectAll().where("payload", "like", `%${requestId}%`).orderBy("created_at").execute();

      it("reminds compliance of an unowned request once, then the owner, then sends one overdue notice (injected clock)", async () => {
        const client = await newClient();
        const requestId = await submit({ type: "access", idType: client.idType, idNumber: client.idNumber });
        const row = await requestRow(requestId);
        const pipl = { code: "pipl", unit: "working_days" as const, amount: 15, extension: null, reminderDays: 3, verified: false };
        expect(row.due_date).toBe(dueDate(row.received_date, pipl));

        // The day before the window: nothing.
        await remindRequests(services, noonOn(addCalendarDays(row.due_date, -4)));
        expect(await notes(requestId)).toEqual([]);

        // In the window, unowned: every active compliance officer, in-app.
        const first = await remindRequests(services, noonOn(addCalendarDays(row.due_date, -3)));
        expect(first.reminders).toBeGreaterThanOrEqual(1);
        let sent = await notes(requestId);
        expect(sent.map((n) => n.user_id).sort()).toEqual([compliance.actor.userId, compliance2.actor.userId].sort());
        expect(sent.every((n) => n.event_kind === "request.reminder")).toBe(true);
        expect(JSON.parse(sent[0]!.payload)).toMatchObject({
          kind: "request.reminder",
          data: { requestId, requestType: "access", status: "received", dueDate: row.due_date },
          link: `/api/v1/requests/${requestId}`,
        });
        // Nothing personal in the message.
        for (const secret of [client.idNumber!, client.name, client.phone!]) expect(sent[0]!.payload).not.toContain(secret);

        // Again, the next day, and concurrently: no second reminder.
        await Promise.all([
          remindRequests(services, noonOn(addCalendarDays(row.due_date, -2))),
          remindRequests(services, noonOn(addCalendarDays(row.due_date, -2))),
        ]);
        expect(await notes(requestId)).toHaveLength(2);

        // The owner, with an email subscription, gets the overdue notice (in-app and by email) once.
        expect((await call("POST", `/requests/${requestId}/assign`, compliance.token, { ownerId: partner.actor.userId })).statusCode).toBe(200);
        expect(
          (await call("POST", "/notification-subscriptions", compliance.token, { userId: partner.actor.userId, event: "request.overdue", email: true }))
            .statusCode,
        ).toBe(201);
        const emailsBefore = (await services.engine.db.selectFrom("email_outbox").select("id").execute()).length;
        await remindRequests(services, noonOn(row.due_date));
        expect(await notes(requestId)).toHaveLength(2);
        const late = await remindRequests(services, noonOn(addCalendarDays(row.due_date, 1)));
        expect(late.overdue).toBeGreaterThanOrEqual(1);
        await remindRequests(services, noonOn(addCalendarDays(row.due_date, 5)));
        sent = await notes(requestId);
        expect(sent.slice(2).map((n) => [n.user_id, n.event_kind])).toEqual([[partner.actor.userId, "request.overdue"]]);
        expect((await services.engine.db.selectFrom("email_outbox").select("id").execute()).length).toBe(emailsBefore + 1);
        const staffView = (await call("GET", `/notifications?unread=true`, partner.token)).json().items as {
          kind: string;
          payload: { data: { requestId: string } };
        }[];
        expect(staffView.some((n) => n.kind === "request.overdue" && n.payload.data.requestId === requestId)).toBe(true);

        const audited = [...(await events("request.reminder", requestId)), ...(await events("request.overdue_notice", requestId))];
        expect(audited.map((e) => [e.action, e.actor_id, e.actor_role])).toEqual([
          ["request.reminder", "system:reminders", "compliance"],
          ["request.overdue_notice", "system:reminders", "compliance"],
        ]);
        expect(JSON.parse(audited[1]!.details!)).toEqual({ dueDate: row.due_date, recipients: [partner.actor.userId], owner: true });
      });

      it("a closed request is never reminded; an extension gives a new deadline to remind of", async () => {
        const client = await newClient();
        const closed = await verifiedRequest(client, "explanation");
        await call("POST", `/requests/${closed}/fulfil`, compliance.token);
        const open = await verifiedRequest(client, "explanation");
        expect((await call("POST", `/requests/${open}/assign`, compliance.token, { regime: "gdpr", ownerId: compliance2.actor.userId })).statusCode).toBe(200);
        const row = await requestRow(open);
        await remindRequests(services, noonOn(addCalendarDays(row.due_date, -1)));
        expect((await notes(open)).map((n) => [n.user_id, n.event_kind])).toEqual([[compliance2.actor.userId, "request.reminder"]]);
        expect(await notes(closed)).toEqual([]);
        expect((await call("POST", `/requests/${open}/extend`, compliance.token, { reason: "complex_request" })).statusCode).toBe(200);
        const extended = (await requestRow(open)).extended_due_date!;
        await remindRequests(services, noonOn(addCalendarDays(row.due_date, 1)));
        expect(await notes(open)).toHaveLength(1);
        await remindRequests(services, noonOn(addCalendarDays(extended, -2)));
        expect((await notes(open)).map((n) => n.event_kind)).toEqual(["request.reminder", "request.reminder"]);
        expect(JSON.parse((await notes(open))[1]!.payload).data.dueDate).toBe(extended);
      });

      it("`custodia requests remind` runs the same job from cron", async () => {
        const client = await newClient();
        const requestId = await submit({ type: "copy", idType: client.idType, idNumber: client.idNumber });
        const row = await requestRow(requestId);
        const cli = await runCli(["requests", "remind", "--as-of", noonOn(addCalendarDays(row.due_date, 2)).toISOString(), "--json"], suite.db.env);
        expect(cli.status, cli.stderr).toBe(0);
        const report = JSON.parse(cli.stdout) as { today: string; overdue: number };
        expect(report.today).toBe(addCalendarDays(row.due_date, 2));
        expect(report.overdue).toBeGreaterThanOrEqual(1);
        expect((await notes(requestId)).map((n) => n.event_kind)).toEqual(["request.overdue", "request.overdue"]);
        const rerun = await runCli(["requests", "remind", "--as-of", noonOn(addCalendarDays(row.due_date, 2)).toISOString(), "--json"], suite.db.env);
        expect(JSON.parse(rerun.stdout)).toMatchObject({ reminders: 0, overdue: 0 });
      });
    });

    describe("the register of destruction batches", () => {
      it("pages newest first with a cursor, filters by status, compliance only, audited", async () => {
        const db = services.engine.db;
        const ids: string[] = [];
        // Six batches; two share a timestamp, so the id breaks the tie.
        const times = [
          "2026-01-01T00:00:00.000Z",
          "2026-02-01T00:00:00.000Z",
          "2026-03-01T00:00:00.000Z",
          "2026-03-01T00:00:00.000Z",
          "2026-04-01T00:00:00.000Z",
          "2026-05-01T00:00:00.000Z",
        ];
        const client = await newClient();
        for (const [i, at] of times.entries()) {
          const id = `0190f000-0000-7000-8000-00000000000${i}`;
          ids.push(id);
          await db
            .insertInto("destruction_batches")
            .values({
              id,
              status: i % 2 ? "pending" : "rejected",
              requested_by: compliance.actor.userId,
              requested_at: at,
              decided_by: null,
              decided_at: null,
              executed_at: null,
              certificate_id: null,
            })
            .execute();
          await db.insertInto("destruction_batch_clients").values({ batch_id: id, client_id: client.id }).execute();
        }
        expect((await call("GET", "/retention/batches", partner.token)).statusCode).toBe(403);
        const seen: { id: string; requestedAt: string; clientCount: number }[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await call("GET", `/retention/batches?limit=4${cursor ? `&cursor=${cursor}` : ""}`, compliance.token);
          expect(res.statusCode).toBe(200);
          seen.push(...res.json().items);
          cursor = res.json().nextCursor;
          pages++;
        } while (cursor);
        expect(pages).toBe(2);
        expect(seen.map((b) => b.id)).toEqual([ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]);
        expect(seen.every((b) => b.clientCount === 1 && !("clientIds" in b))).toBe(true);
        const pending = await call("GET", "/retention/batches?status=pending", compliance.token);
        expect(pending.json().items.map((b: { id: string }) => b.id)).toEqual([ids[5], ids[3], ids[1]]);
        const bad = await call("GET", "/retention/batches?cursor=bm9wZQ", compliance.token);
        expect([bad.statusCode, bad.json().error.fields[0].field]).toEqual([400, "cursor"]);
        const listed = await events("retention.destruction_list");
        expect(listed.map((e) => [e.actor_id, e.outcome])).toEqual([
          [partner.actor.userId, "denied"],
          [compliance.actor.userId, "success"],
          [compliance.actor.userId, "success"],
          [compliance.actor.userId, "success"],
          [compliance.actor.userId, "failure"],
        ]);
      });
    });

    describe("public purposes for the portal", () => {
      it("lists active purposes with names and legal basis, without sign-in and without anything client-related", async () => {
        await services.engine.db
          .insertInto("purposes")
          .values({
            code: "old-newsletter",
            name_zh: "旧通讯",
            name_en: "Old newsletter",
            description_en: "Retired.",
            active: 0,
            legal_basis: "consent",
            requires_separate_consent_for_sensitive: 0,
          })
          .execute();
        const res = await call("GET", "/portal/purposes");
        expect(res.statusCode).toBe(200);
        const items = res.json().items as Record<string, string>[];
        expect(items.find((p) => p.code === "marketing")).toEqual({ code: "marketing", nameZh: "市场营销", nameEn: "Marketing", legalBasis: "consent" });
        expect(items.find((p) => p.code === "case-handling")).toEqual({
          code: "case-handling",
          nameZh: "案件办理",
          nameEn: "Case handling",
          legalBasis: "contract",
        });
        expect(items.some((p) => p.code === "old-newsletter")).toBe(false);
        expect(items.every((p) => Object.keys(p).sort().join() === "code,legalBasis,nameEn,nameZh")).toBe(true);
        const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            "/api/v1/portal/purposes",
            "/api/v1/request-regimes",
            "/api/v1/request-regimes/{code}",
            "/api/v1/clients/{id}/restriction/lift",
            "/api/v1/retention/batches",
          ]),
        );
        expect(doc.paths["/api/v1/portal/purposes"].get.security).toEqual([]);
      });
    });
  });
}
