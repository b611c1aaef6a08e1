import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import { maskField } from "../src/records/clients/masking.js";
import { DevOutboxSender } from "../src/rights/requests/code-sender.js";
import { addMonths, dueDate } from "../src/rights/requests/deadlines.js";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import type { Services } from "../src/platform/services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildMatter, buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const PIPL = { code: "pipl", unit: "working_days" as const, amount: 15, extension: null, reminderDays: 3, verified: false };
const FLOOR_MS = 80;

let serial = 0;
/** A client with its own phone and email, so a lookup by either matches exactly one record. */
function uniqueClient(overrides: Record<string, unknown> = {}) {
  serial++;
  const n = String(1000_0000 + serial + Math.floor(Math.random() * 1000) * 100).slice(-8);
  return clientInput({ name: `客户${serial}`, idNumber: residentId(), phone: `139${n}`, email: `client${serial}.${n}@example.cn`, ...overrides });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: client requests and legal holds`, () => {
    let services: Services;
    let app: FastifyInstance;
    let outbox: string;
    let clockOffsetMs = 0;
    let partner!: TestUser, compliance!: TestUser, lawyer!: TestUser, custodian!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      services = suite.services;
      outbox = join(suite.db.config.dataDir, "outbox.jsonl");
      app = await buildServer(services, {
        logLevel: "silent",
        clientRequests: {
          sender: new DevOutboxSender(outbox),
          now: () => new Date(Date.now() + clockOffsetMs),
          proofBits: 6,
          intakeFloorMs: FLOOR_MS,
          perIdentifierPerDay: 100,
          perAddressPerHour: 1000,
        },
      });
      await app.ready();
      partner = await buildUser(services, "partner");
      compliance = await buildUser(services, "compliance");
      lawyer = await buildUser(services, "lawyer");
      custodian = await buildUser(services, "partner");
    });
    afterAll(async () => {
      await app?.close();
    });

    const call = (method: "GET" | "POST" | "PATCH" | "PUT", url: string, token?: string, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: token ? auth(token, purpose) : {}, ...(payload ? { payload } : {}) });
    const newClient = async (overrides: Record<string, unknown> = {}) => {
      const input = uniqueClient(overrides);
      const res = await call("POST", "/clients", partner.token, input);
      expect(res.statusCode).toBe(201);
      return { ...input, id: res.json().id as string };
    };
    const proof = async () => {
      const c = (await call("GET", "/portal/challenge")).json() as { challenge: string; bits: number };
      return { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) };
    };
    const submit = async (body: Record<string, unknown>) => call("POST", "/portal/requests", undefined, { language: "zh-CN", ...body, proof: await proof() });
    const outboxLines = () =>
      existsSync(outbox)
        ? readFileSync(outbox, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { requestId: string; code: string; to: string; channel: string })
        : [];
    /** The code the dev sender wrote; sending happens after the answer, so wait briefly. */
    const codeFor = async (requestId: string) => {
      for (let i = 0; i < 100; i++) {
        const line = outboxLines().find((l) => l.requestId === requestId);
        if (line) return line;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("no code in the outbox");
    };
    const verified = async (client: { idType?: string | null | undefined; idNumber?: string | null | undefined }, body: Record<string, unknown>) => {
      const res = await submit({ idType: client.idType, idNumber: client.idNumber, ...body });
      expect(res.statusCode).toBe(202);
      const requestId = res.json().requestId as string;
      const { code } = await codeFor(requestId);
      const ok = await call("POST", `/portal/requests/${requestId}/verify`, undefined, { code });
      expect(ok.statusCode).toBe(200);
      return { requestId, token: ok.json().token as string };
    };
    const portal = (url: string, token: string) =>
      app.inject({ method: "GET", url: `/api/v1/portal/requests${url}`, headers: { authorization: `Bearer ${token}` } });
    const events = (action: string, targetId?: string) => {
      let q = services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action);
      if (targetId) q = q.where("target_id", "=", targetId);
      return q.orderBy("seq").execute();
    };

    it("answers an unknown person exactly like a client, stores no plaintext and sends a code only to the contact on file", async () => {
      const client = await newClient();
      const unknownId = residentId("19700101");
      const t0 = performance.now();
      const known = await submit({ type: "access", idType: "resident_id", idNumber: client.idNumber, channel: "email" });
      const t1 = performance.now();
      const unknown = await submit({ type: "access", idType: "resident_id", idNumber: unknownId, channel: "email" });
      const t2 = performance.now();
      expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: "x" });
      expect(strip(known.json())).toEqual(strip(unknown.json()));
      expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
      expect(t1 - t0).toBeGreaterThanOrEqual(FLOOR_MS - 5);
      expect(t2 - t1).toBeGreaterThanOrEqual(FLOOR_MS - 5);

      const sent = await codeFor(known.json().requestId);
      // Sent to the contact on file, which the development outbox records only masked.
      expect(sent).toMatchObject({ channel: "email", to: maskField("email", client.email!, null) });
      expect(readFileSync(outbox, "utf8")).not.toContain(client.email!);
      expect(sent.code).toMatch(/^\d{6}$/);
      await new Promise((r) => setTimeout(r, 100));
      expect(outboxLines().some((l) => l.requestId === unknown.json().requestId)).toBe(false);

      const rows = await services.engine.db
        .selectFrom("client_requests")
        .selectAll()
        .where("id", "in", [known.json().requestId, unknown.json().requestId])
        .execute();
      expect(rows).toHaveLength(2);
      const stored = JSON.stringify(rows);
      for (const secret of [client.idNumber!, unknownId, client.email!, client.phone!, sent.code]) expect(stored).not.toContain(secret);
      expect(rows.find((r) => r.id === unknown.json().requestId)).toMatchObject({ client_id: null, match: "none", code_channel: null });

      // A wrong code is refused the same way for both.
      for (const id of [known.json().requestId, unknown.json().requestId]) {
        const wrong = await call("POST", `/portal/requests/${id}/verify`, undefined, { code: sent.code === "000000" ? "111111" : "000000" });
        expect([wrong.statusCode, wrong.json().error.code]).toEqual([400, "code_invalid"]);
      }
      const submitted = await events("request.submit", known.json().requestId);
      expect(submitted[0]).toMatchObject({ outcome: "success", actor_id: null, actor_role: "portal" });
    });

    it("refuses a missing, replayed or wrong proof of work", async () => {
      const client = await newClient();
      const p = await proof();
      const body = { type: "access", idType: "resident_id", idNumber: client.idNumber, language: "en" };
      expect((await call("POST", "/portal/requests", undefined, { ...body, proof: p })).statusCode).toBe(202);
      const replay = await call("POST", "/portal/requests", undefined, { ...body, proof: p });
      expect([replay.statusCode, replay.json().error.code]).toEqual([400, "proof_invalid"]);
      const forged = await call("POST", "/portal/requests", undefined, { ...body, proof: { challenge: `${p.challenge.slice(0, -2)}00`, nonce: p.nonce } });
      expect(forged.json().error.code).toBe("proof_invalid");
      const missing = await call("POST", "/portal/requests", undefined, body);
      expect(missing.statusCode).toBe(400);
      expect((await events("request.submit")).some((e) => e.reason === "proof_invalid" && e.outcome === "denied")).toBe(true);
    });

    it("limits intake per identifier", async () => {
      const strict = await buildServer(services, {
        logLevel: "silent",
        clientRequests: { sender: new DevOutboxSender(outbox), proofBits: 4, intakeFloorMs: 0, perIdentifierPerDay: 2, perAddressPerHour: 1000 },
      });
      await strict.ready();
      try {
        const id = residentId("19600101");
        const go = async () => {
          const c = (await strict.inject({ method: "GET", url: "/api/v1/portal/challenge" })).json() as { challenge: string; bits: number };
          return strict.inject({
            method: "POST",
            url: "/api/v1/portal/requests",
            payload: { type: "access", idType: "resident_id", idNumber: id, proof: { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) } },
          });
        };
        expect((await go()).statusCode).toBe(202);
        expect((await go()).statusCode).toBe(202);
        const third = await go();
        expect([third.statusCode, third.json().error.code]).toEqual([429, "portal_rate_limited"]);
      } finally {
        await strict.close();
      }
    });

    it("verification: wrong code, expired code, too many attempts, single use", async () => {
      const client = await newClient();
      const first = (await submit({ type: "access", idType: "resident_id", idNumber: client.idNumber })).json().requestId as string;
      const { code, channel, to } = await codeFor(first);
      expect([channel, to]).toEqual(["phone", maskField("phone", client.phone!, null)]); // phone first by default
      const wrong = code === "999999" ? "999998" : "999999";
      expect((await call("POST", `/portal/requests/${first}/verify`, undefined, { code: wrong })).json().error.code).toBe("code_invalid");
      const ok = await call("POST", `/portal/requests/${first}/verify`, undefined, { code });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ status: "verified", token: expect.stringMatching(/^crt_/) });
      const again = await call("POST", `/portal/requests/${first}/verify`, undefined, { code });
      expect(again.json().error.code).toBe("code_invalid");

      const second = (await submit({ type: "access", idType: "resident_id", idNumber: client.idNumber })).json().requestId as string;
      const late = (await codeFor(second)).code;
      clockOffsetMs = 11 * 60_000;
      try {
        const expired = await call("POST", `/portal/requests/${second}/verify`, undefined, { code: late });
        expect([expired.statusCode, expired.json().error.code]).toEqual([400, "code_invalid"]);
      } finally {
        clockOffsetMs = 0;
      }
      expect((await events("request.verify", second)).at(-1)).toMatchObject({ outcome: "failure", reason: "code_expired" });

      const third = (await submit({ type: "access", idType: "resident_id", idNumber: client.idNumber })).json().requestId as string;
      const right = (await codeFor(third)).code;
      const bad = right === "123456" ? "654321" : "123456";
      for (let i = 0; i < 5; i++) expect((await call("POST", `/portal/requests/${third}/verify`, undefined, { code: bad })).statusCode).toBe(400);
      const locked = await call("POST", `/portal/requests/${third}/verify`, undefined, { code: right });
      expect([locked.statusCode, locked.json().error.code]).toEqual([429, "code_attempts_exhausted"]);

      // No audit event carries the code or the identifier.
      const all = JSON.stringify(await services.engine.db.selectFrom("audit_events").selectAll().execute());
      for (const secret of [client.idNumber!, client.phone!, client.email!]) expect(all).not.toContain(secret);
      expect(all).not.toContain(`"${right}"`);
    });

    it("computes deadlines from the regime, switches regime, extends under GDPR and flags overdue requests", async () => {
      const client = await newClient();
      const { requestId } = await verified(client, { type: "explanation" });
      const row = await services.engine.db.selectFrom("client_requests").selectAll().where("id", "=", requestId).executeTakeFirstOrThrow();
      expect(row.regime).toBe("pipl");
      expect(row.due_date).toBe(dueDate(row.received_date, PIPL));

      const denied = await call("POST", `/requests/${requestId}/extend`, compliance.token, { reason: "complex_request" });
      expect(denied.json().error.code).toBe("extension_not_allowed");
      const lawyerTry = await call("GET", `/requests/${requestId}`, lawyer.token);
      expect([lawyerTry.statusCode, lawyerTry.json().error.code]).toEqual([403, "role_lacks_permission"]);

      const gdpr = await call("POST", `/requests/${requestId}/assign`, compliance.token, { ownerId: compliance.actor.userId, regime: "gdpr" });
      expect(gdpr.json()).toMatchObject({ regime: "gdpr", dueDate: addMonths(row.received_date, 1), ownerId: compliance.actor.userId, overdue: false });
      const extended = await call("POST", `/requests/${requestId}/extend`, compliance.token, { reason: "complex_request" });
      expect(extended.json()).toMatchObject({
        status: "extended",
        extendedDueDate: addMonths(addMonths(row.received_date, 1), 2),
        extensionReason: "complex_request",
      });

      clockOffsetMs = 120 * 86_400_000;
      try {
        const overdue = (await call("GET", "/requests?overdue=true", compliance.token)).json().items as { id: string; overdue: boolean }[];
        expect(overdue.some((r) => r.id === requestId && r.overdue)).toBe(true);
      } finally {
        clockOffsetMs = 0;
      }
      const detail = (await call("GET", `/requests/${requestId}`, compliance.token)).json();
      expect(detail.history.map((h: { status: string }) => h.status)).toEqual(["received", "verified", "extended"]);
    });

    it("access: the package holds every field, consents and the access history, and no other client's data", async () => {
      const client = await newClient({ notes: "<script>alert(1)</script> & 备注" });
      const other = await newClient({ name: "另一位客户" });
      expect((await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling")).statusCode).toBe(200);
      expect((await call("GET", `/clients/${other.id}`, partner.token, undefined, "case-handling")).statusCode).toBe(200);
      const { requestId, token } = await verified(client, { type: "access" });

      const early = await portal(`/${requestId}/package`, token);
      expect([early.statusCode, early.json().error.code]).toEqual([409, "package_not_ready"]);
      const fulfilled = await call("POST", `/requests/${requestId}/fulfil`, compliance.token);
      expect(fulfilled.json()).toMatchObject({ status: "fulfilled", outcome: "package_ready" });
      expect(fulfilled.json().history.map((h: { status: string }) => h.status)).toEqual(["received", "verified", "in_progress", "fulfilled"]);

      const noToken = await app.inject({ method: "GET", url: `/api/v1/portal/requests/${requestId}/package` });
      expect([noToken.statusCode, noToken.json().error.code]).toEqual([401, "portal_token_invalid"]);
      const res = await portal(`/${requestId}/package`, token);
      expect(res.statusCode).toBe(200);
      const pkg = res.json();
      const field = (key: string) => pkg.client.fields.find((f: { key: string }) => f.key === key).value;
      expect([field("name"), field("idNumber"), field("phone"), field("email"), field("notes")]).toEqual([
        client.name,
        client.idNumber,
        client.phone,
        client.email,
        client.notes,
      ]);
      const reads = pkg.accessHistory.filter((a: { action: string }) => a.action === "client.read");
      expect(reads).toEqual([expect.objectContaining({ actor: "合伙人", purpose: "case-handling", outcome: "success" })]);
      expect(pkg.accessHistory.some((a: { action: string }) => a.action === "client.create")).toBe(true);
      const text = JSON.stringify(pkg);
      for (const leak of [other.id, other.name, other.idNumber!, other.phone!, other.email!]) expect(text).not.toContain(leak);
      expect(text).not.toContain(partner.email);

      const html = await portal(`/${requestId}/package?format=html&lang=en`, token);
      expect(html.headers["content-type"]).toContain("text/html");
      expect(html.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 备注");
      expect(html.body).not.toContain("<script>");
      expect(html.body).toContain("Who accessed your information");
      expect(html.body).not.toContain(other.name);
      const exported = await events("client.export", client.id);
      expect(exported.at(-1)).toMatchObject({ actor_role: "portal", outcome: "success" });
      const status = await portal(`/${requestId}`, token);
      expect(status.json()).toMatchObject({ id: requestId, type: "access", status: "fulfilled" });
    });

    it("copy: staff may name themselves when the firm chooses names; explanation gives processing rules only", async () => {
      const client = await newClient();
      await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling");
      await services.engine.db.updateTable("firm_settings").set({ value: "names" }).where("key", "=", "requests.access_history_actors").execute();
      try {
        const { requestId, token } = await verified(client, { type: "copy", language: "en" });
        await call("POST", `/requests/${requestId}/fulfil`, compliance.token);
        const pkg = (await portal(`/${requestId}/package`, token)).json();
        expect(pkg.language).toBe("en");
        const user = await services.engine.db.selectFrom("users").select("display_name").where("id", "=", partner.actor.userId).executeTakeFirstOrThrow();
        expect(pkg.accessHistory.find((a: { action: string }) => a.action === "client.read").actor).toBe(user.display_name);
      } finally {
        await services.engine.db.updateTable("firm_settings").set({ value: "roles" }).where("key", "=", "requests.access_history_actors").execute();
      }
      const { requestId, token } = await verified(client, { type: "explanation" });
      await call("POST", `/requests/${requestId}/fulfil`, compliance.token);
      const explanation = (await portal(`/${requestId}/package`, token)).json();
      expect(explanation.client).toBeNull();
      expect(explanation.purposes.map((p: { code: string }) => p.code)).toContain("legal-claims");
    });

    it("correction: applied through the client update path, audited, and the matter team notified", async () => {
      const client = await newClient();
      await buildMatter(services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }]);
      const { requestId } = await verified(client, { type: "correction", correction: { address: "上海市浦东新区世纪大道100号" } });
      const byCompliance = await call("POST", `/requests/${requestId}/fulfil`, compliance.token);
      expect([byCompliance.statusCode, byCompliance.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const done = await call("POST", `/requests/${requestId}/fulfil`, partner.token);
      expect(done.json()).toMatchObject({ status: "fulfilled", outcome: "corrected", outcomeDetails: { fields: "address" } });
      const read = await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling");
      expect(read.json().address).toBe("上海市浦东新区世纪大道100号");
      // Through the notification outbox (src/response/notifications), which the bell reads.
      const notes = (await services.engine.db.selectFrom("notifications").selectAll().where("event_kind", "=", "client.corrected").execute()).filter(
        (n) => JSON.parse(n.payload).data.requestId === requestId,
      );
      expect(notes.map((n) => n.user_id).sort()).toEqual([lawyer.actor.userId, partner.actor.userId].sort());
      expect(notes.every((n) => JSON.parse(n.payload).data.fields === "address")).toBe(true);
      const update = (await events("client.update", client.id)).at(-1)!;
      expect(update).toMatchObject({ outcome: "success", actor_id: partner.actor.userId });
      expect(JSON.parse(update.details!)).toEqual({ fields: ["address"], requestId });
      const stored = await services.engine.db.selectFrom("client_requests").select("details_ct").where("id", "=", requestId).executeTakeFirstOrThrow();
      expect(stored.details_ct).toBeNull();
    });

    it("restriction: only legal-claim handling remains; purposes cannot be widened again", async () => {
      const client = await newClient();
      const { requestId } = await verified(client, { type: "restriction" });
      expect((await call("POST", `/requests/${requestId}/fulfil`, compliance.token)).json()).toMatchObject({ status: "fulfilled", outcome: "restricted" });
      const blocked = await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling");
      expect([blocked.statusCode, blocked.json().error.code]).toEqual([403, "purpose_not_permitted"]);
      expect((await call("GET", `/clients/${client.id}`, partner.token, undefined, "legal-claims")).statusCode).toBe(200);
      const widen = await call("PUT", `/clients/${client.id}/purposes`, compliance.token, { purposes: ["case-handling"], reason: "client_instruction" });
      expect([widen.statusCode, widen.json().error.code]).toEqual([409, "processing_restricted"]);
      expect((await events("client.restrict", client.id)).at(-1)).toMatchObject({ outcome: "success", actor_id: compliance.actor.userId });
    });

    it("withdraw_consent: recorded through the consent command", async () => {
      const client = await newClient({ purposes: ["case-handling"] });
      const { requestId } = await verified(client, { type: "withdraw_consent", purpose: "marketing" });
      expect((await call("POST", `/requests/${requestId}/fulfil`, compliance.token)).json()).toMatchObject({
        status: "fulfilled",
        outcome: "consent_withdrawn",
      });
      const consents = await services.engine.db.selectFrom("consent_records").selectAll().where("client_id", "=", client.id).execute();
      expect(consents).toEqual([
        expect.objectContaining({
          purpose: "marketing",
          status: "withdrawn",
          channel: "portal",
          ack_reference: `request:${requestId}`,
          recorded_by: compliance.actor.userId,
        }),
      ]);
      expect((await events("consent.withdraw", client.id)).at(-1)).toMatchObject({ outcome: "success" });
    });

    it("staff verification with evidence links the client and hands out a token", async () => {
      const client = await newClient();
      const requestId = (await submit({ type: "access", email: client.email })).json().requestId as string;
      const res = await call("POST", `/requests/${requestId}/verify`, compliance.token, {
        clientId: client.id,
        evidence: { kind: "id_document_in_person", reference: "DESK-2026-0007" },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: "verified",
        verificationMethod: "staff",
        verificationEvidence: "id_document_in_person:DESK-2026-0007",
        clientId: client.id,
      });
      expect((await portal(`/${requestId}`, res.json().token)).json().status).toBe("verified");
    });

    it("deletion: refused under a legal hold with its reason and review date; erased by crypto-shredding once lifted", async () => {
      const client = await newClient();
      const byLawyer = await call("POST", "/holds", lawyer.token, {
        clientId: client.id,
        custodianId: custodian.actor.userId,
        reason: "litigation_pending",
        reviewDate: "2030-06-30",
      });
      expect([byLawyer.statusCode, byLawyer.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const hold = await call("POST", "/holds", compliance.token, {
        clientId: client.id,
        custodianId: custodian.actor.userId,
        reason: "litigation_pending",
        reference: "CASE-2026-0123",
        reviewDate: "2030-06-30",
      });
      expect(hold.statusCode).toBe(201);

      const first = await verified(client, { type: "deletion" });
      const refused = await call("POST", `/requests/${first.requestId}/fulfil`, compliance.token);
      expect(refused.json()).toMatchObject({
        status: "refused",
        outcome: "legal_hold",
        outcomeDetails: { holdReason: "litigation_pending", reviewDate: "2030-06-30" },
      });
      expect((await portal(`/${first.requestId}`, first.token)).json()).toMatchObject({
        status: "refused",
        outcome: "legal_hold",
        outcomeDetails: { holdReason: "litigation_pending", reviewDate: "2030-06-30" },
      });
      const direct = await call("POST", `/clients/${client.id}/erase`, partner.token, { reason: "client_request" });
      expect([direct.statusCode, direct.json().error.code]).toEqual([409, "legal_hold"]);
      expect((await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling")).statusCode).toBe(200);
      expect((await events("request.refuse", first.requestId)).at(-1)).toMatchObject({ reason: "legal_hold" });

      const lifted = await call("POST", `/holds/${hold.json().id}/lift`, compliance.token, { reason: "matter_concluded" });
      expect(lifted.json()).toMatchObject({ liftReason: "matter_concluded", liftedBy: compliance.actor.userId });
      expect((await call("GET", `/holds?clientId=${client.id}&active=true`, compliance.token)).json().items).toEqual([]);

      const second = await verified(client, { type: "deletion" });
      const erased = await call("POST", `/requests/${second.requestId}/fulfil`, compliance.token);
      expect(erased.json()).toMatchObject({ status: "fulfilled", outcome: "erased" });
      const gone = await call("GET", `/clients/${client.id}`, partner.token, undefined, "case-handling");
      expect([gone.statusCode, gone.json().error.code]).toEqual([410, "client_erased"]);
      const key = await services.engine.db.selectFrom("data_keys").selectAll().where("client_id", "=", client.id).executeTakeFirstOrThrow();
      expect(key.wrapped_key).toBeNull();
      const row = await services.engine.db.selectFrom("clients").selectAll().where("id", "=", client.id).executeTakeFirstOrThrow();
      expect([row.name_ct, row.id_number_ct, row.phone_bidx, row.status]).toEqual([null, null, null, "erased"]);
      const requests = await services.engine.db
        .selectFrom("client_requests")
        .select(["id_number_bidx", "phone_bidx", "email_bidx"])
        .where("client_id", "=", client.id)
        .execute();
      expect(requests.every((r) => r.id_number_bidx === null && r.phone_bidx === null && r.email_bidx === null)).toBe(true);
      expect((await events("client.erase", client.id)).at(-1)).toMatchObject({ outcome: "success", actor_id: compliance.actor.userId });
      expect((await events("hold.place", client.id)).map((e) => e.outcome)).toEqual(["denied", "success"]);
      expect((await portal(`/${second.requestId}`, second.token)).json().status).toBe("fulfilled");
    });
  });
}
