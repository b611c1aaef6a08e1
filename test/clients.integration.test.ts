import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import type { Services } from "../src/platform/services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildMatter, buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: client records over HTTP`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser, lawyer!: TestUser, paralegal!: TestUser, admin!: TestUser, auditor!: TestUser, compliance!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      paralegal = await buildUser(services, "paralegal");
      admin = await buildUser(services, "admin");
      auditor = await buildUser(services, "auditor");
      compliance = await buildUser(services, "compliance");
    });

    const create = (token: string, body: unknown) => app.inject({ method: "POST", url: "/api/v1/clients", headers: auth(token), payload: body as object });
    const read = (token: string, id: string, purpose?: string) => app.inject({ method: "GET", url: `/api/v1/clients/${id}`, headers: auth(token, purpose) });
    const count = async (table: "clients" | "audit_events" | "data_keys") =>
      Number(
        (
          await services.engine.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Need-to-know: lawyers and paralegals reach a client only through a matter they are on. */
    const staff = (clientId: string) =>
      buildMatter(services, partner.actor, clientId, [
        { userId: lawyer.actor.userId, role: "lead" },
        { userId: paralegal.actor.userId, role: "member" },
      ]);
    const lastEvent = () => services.engine.db.selectFrom("audit_events").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();

    it("creates a client (201), normalises identifiers, and audits the creation", async () => {
      const idNumber = residentId("19900101").replace(/X$/, "x");
      const res = await create(partner.token, clientInput({ idNumber, birthDate: "1990-01-01", phone: "+86 139 1234 5678" }));
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.idNumber).toBe(idNumber.toUpperCase());
      expect(body.phone).toBe("13912345678");
      const event = await lastEvent();
      expect(event).toMatchObject({ action: "client.create", outcome: "success", target_id: body.id, actor_id: partner.actor.userId });
    });

    it("reads with a permitted purpose; masks above clearance; the partner sees all", async () => {
      const { id, idNumber } = (await create(partner.token, clientInput({ name: "张三丰", phone: "13812345678" }))).json();
      await staff(id);
      const full = await read(partner.token, id, "case-handling");
      expect(full.statusCode).toBe(200);
      expect(full.json()).toMatchObject({ name: "张三丰", idNumber, phone: "13812345678", access: { decision: "allow" } });

      const lawyerView = (await read(lawyer.token, id, "case-handling")).json();
      expect(lawyerView.idNumber).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
      expect(lawyerView.phone).toBe("13812345678");
      expect(lawyerView.access).toEqual({ decision: "mask", reason: "clearance_below_level", maskedFields: ["idNumber"] });

      const paralegalView = (await read(paralegal.token, id, "case-handling")).json();
      expect(paralegalView.phone).toBe("138****5678");
      expect(paralegalView.name).toBe("张三丰");

      const adminView = (await read(admin.token, id, "case-handling")).json();
      expect(adminView.idNumber).not.toBe(idNumber);
      expect(adminView.access.maskedFields).toContain("phone");
      const event = await lastEvent();
      expect(event).toMatchObject({ action: "client.read", actor_id: admin.actor.userId, purpose: "case-handling", outcome: "success" });
      expect(JSON.parse(event.details!).masked).toContain("idNumber");
    });

    it("needs a purpose (400), a registered one (400), and one the record permits (403) — each audited", async () => {
      const { id } = (await create(partner.token, clientInput({ purposes: ["case-handling"] }))).json();
      const none = await read(partner.token, id);
      expect([none.statusCode, none.json().error.code]).toEqual([400, "purpose_required"]);
      expect(await lastEvent()).toMatchObject({ action: "client.read", outcome: "denied", reason: "purpose_required", target_id: id });

      const unknown = await read(partner.token, id, "curiosity");
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, "purpose_unknown"]);
      expect(await lastEvent()).toMatchObject({ outcome: "denied", reason: "purpose_unknown", purpose: null });

      const wrong = await read(partner.token, id, "marketing");
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, "purpose_not_permitted"]);
      expect(await lastEvent()).toMatchObject({ outcome: "denied", reason: "purpose_not_permitted", purpose: "marketing" });
    });

    it("denies roles without the permission (403) and unauthenticated calls (401), audited", async () => {
      const { id } = (await create(partner.token, clientInput())).json();
      const denied = await read(auditor.token, id, "case-handling");
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent()).toMatchObject({ actor_id: auditor.actor.userId, outcome: "denied", reason: "role_lacks_permission" });

      const before = await count("clients");
      const noCreate = await create(compliance.token, clientInput());
      expect([noCreate.statusCode, noCreate.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await count("clients")).toBe(before);

      const anon = await app.inject({ method: "GET", url: `/api/v1/clients/${id}`, headers: { "x-purpose": "billing" } });
      expect([anon.statusCode, anon.json().error.code]).toEqual([401, "authentication_required"]);
      const bogus = await read("cst_AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", id, "billing");
      expect(bogus.statusCode).toBe(401);
      expect(await lastEvent()).toMatchObject({ action: "auth.token", outcome: "failure", reason: "invalid_token" });
    });

    it("rejects bad input with a stable code and per-field messages, writing nothing", async () => {
      const before = { clients: await count("clients"), keys: await count("data_keys") };
      const good = residentId();
      const wrongCheck = good.slice(0, 17) + (good.endsWith("0") ? "1" : "0");
      const cases: [string, { payload?: unknown; raw?: Buffer | string }, number, string, string?][] = [
        ["wrong check digit", { payload: clientInput({ idNumber: wrongCheck }) }, 400, "validation_error", "idNumber"],
        ["impossible birth date", { payload: clientInput({ birthDate: "1985-02-30" }) }, 400, "validation_error", "birthDate"],
        ["unknown field", { payload: { ...clientInput(), nickname: "x" } }, 400, "validation_error", "nickname"],
        ["oversized field", { payload: clientInput({ notes: "长".repeat(4001) }) }, 400, "validation_error", "notes"],
        ["unknown purpose", { payload: clientInput({ purposes: ["resale"] }) }, 400, "validation_error", "purposes"],
        ["bad phone", { payload: clientInput({ phone: "12345" }) }, 400, "validation_error", "phone"],
        ["USCC on a person", { payload: clientInput({ idType: "uscc", idNumber: "91350100M000100Y43" }) }, 400, "validation_error", "idType"],
        ["malformed JSON", { raw: '{"kind": "person",' }, 400, "invalid_json"],
        [
          "invalid UTF-8",
          { raw: Buffer.concat([Buffer.from('{"kind":"person","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","purposes":["billing"]}')]) },
          400,
          "invalid_encoding",
        ],
        ["oversized body", { raw: JSON.stringify({ ...clientInput(), notes: "x".repeat(70_000) }) }, 413, "payload_too_large"],
      ];
      for (const [label, input, status, code, field] of cases) {
        const res =
          input.raw !== undefined
            ? await app.inject({
                method: "POST",
                url: "/api/v1/clients",
                headers: { ...auth(partner.token), "content-type": "application/json" },
                payload: input.raw,
              })
            : await create(partner.token, input.payload);
        expect([label, res.statusCode, res.json().error.code]).toEqual([label, status, code]);
        if (field)
          expect(
            res.json().error.fields.map((f: { field: string }) => f.field),
            label,
          ).toContain(field);
        for (const f of res.json().error.fields ?? []) expect(f.message, label).toMatch(/\w/);
      }
      expect({ clients: await count("clients"), keys: await count("data_keys") }).toEqual(before);
      const zh = await app.inject({
        method: "POST",
        url: "/api/v1/clients",
        headers: { ...auth(partner.token), "accept-language": "zh-CN,zh;q=0.9" },
        payload: clientInput({ idNumber: wrongCheck }),
      });
      expect(zh.json().error).toMatchObject({
        code: "validation_error",
        message: "请求无效，请查看各字段的说明。",
        fields: [{ field: "idNumber", code: "check_digit", message: "校验位错误，号码可能输入有误。" }],
      });
      // Domain validation failures are audited with field names and codes only.
      const failures = await services.engine.db
        .selectFrom("audit_events")
        .select("details")
        .where("action", "=", "client.create")
        .where("outcome", "=", "failure")
        .execute();
      expect(failures.some((e) => e.details?.includes("idNumber:check_digit"))).toBe(true);
    });

    it("searches by blind index on every searchable field, only with a purpose, each hit audited", async () => {
      const idNumber = residentId("19720304");
      const { id } = (
        await create(partner.token, clientInput({ name: "欧阳 娜娜", idNumber, birthDate: "1972-03-04", phone: "13700001111", email: "Nana@Example.org" }))
      ).json();
      const search = (q: string, purpose = "conflict-check", token = partner.token) =>
        app.inject({ method: "GET", url: `/api/v1/clients?${q}`, headers: auth(token, purpose) });
      for (const q of [
        `idNumber=${idNumber.toLowerCase()}`,
        "phone=%2B86%20137-0000-1111",
        "email=nana%40example.ORG",
        `name=${encodeURIComponent("欧阳  娜娜")}`,
      ]) {
        const res = await search(q);
        expect([q, res.statusCode]).toEqual([q, 200]);
        expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
      }
      const viaBody = await app.inject({
        method: "POST",
        url: "/api/v1/clients/search",
        headers: auth(partner.token, "conflict-check"),
        payload: { phone: "13700001111" },
      });
      expect(viaBody.json().items).toHaveLength(1);
      const hits = await services.engine.db
        .selectFrom("audit_events")
        .select(["action", "details"])
        .where("target_id", "=", id)
        .where("action", "=", "client.read")
        .execute();
      expect(hits.filter((h) => h.details?.includes('"via":"search"')).length).toBeGreaterThanOrEqual(5);
      expect((await search(`phone=13700001111`, "marketing")).json().items).toEqual([]);
      expect((await search(`phone=13700001112`)).json().items).toEqual([]);
      expect((await app.inject({ method: "GET", url: "/api/v1/clients?phone=13700001111", headers: auth(partner.token) })).statusCode).toBe(400);
      expect((await search(`phone=13700001111`, "conflict-check", auditor.token)).statusCode).toBe(403);
    });

    it("updates fields, refuses writes above the writer's clearance, and clears with null", async () => {
      const { id } = (await create(partner.token, clientInput())).json();
      await staff(id);
      const patch = (token: string, payload: object) =>
        app.inject({ method: "PATCH", url: `/api/v1/clients/${id}`, headers: auth(token, "case-handling"), payload });
      const ok = await patch(lawyer.token, { phone: "13600002222", address: null });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ phone: "13600002222", address: null });
      expect((await read(partner.token, id, "case-handling")).json().phone).toBe("13600002222");
      const blocked = await patch(paralegal.token, { phone: "13600003333" });
      expect([blocked.statusCode, blocked.json().error.fields[0].code]).toEqual([400, "above_clearance"]);
      expect(
        (await app.inject({ method: "GET", url: `/api/v1/clients?phone=13600002222`, headers: auth(partner.token, "case-handling") })).json().items,
      ).toHaveLength(1);
      expect(
        (await app.inject({ method: "GET", url: `/api/v1/clients?phone=13912345678`, headers: auth(partner.token, "case-handling") }))
          .json()
          .items.map((c: { id: string }) => c.id),
      ).not.toContain(id);
    });

    it("erases by crypto-shredding: unreadable everywhere, unsearchable, audited", async () => {
      const phone = "13500009999";
      const { id } = (await create(partner.token, clientInput({ phone }))).json();
      const denied = await app.inject({
        method: "POST",
        url: `/api/v1/clients/${id}/erase`,
        headers: auth(lawyer.token),
        payload: { reason: "client_request" },
      });
      expect(denied.statusCode).toBe(403);
      const badReason = await app.inject({ method: "POST", url: `/api/v1/clients/${id}/erase`, headers: auth(partner.token), payload: { reason: "because" } });
      expect(badReason.statusCode).toBe(400);
      const res = await app.inject({
        method: "POST",
        url: `/api/v1/clients/${id}/erase`,
        headers: auth(partner.token),
        payload: { reason: "client_request", reference: "DSR-2026-001" },
      });
      expect([res.statusCode, res.json().status]).toEqual([200, "erased"]);
      expect(await lastEvent()).toMatchObject({ action: "client.erase", outcome: "success", target_id: id });

      const key = await services.engine.db.selectFrom("data_keys").selectAll().where("client_id", "=", id).executeTakeFirstOrThrow();
      expect(key.wrapped_key).toBeNull();
      expect(await services.keyRing.openDataKey(services.engine.db as never, id)).toBeNull();
      const after = await read(partner.token, id, "case-handling");
      expect([after.statusCode, after.json().error.code]).toEqual([410, "client_erased"]);
      const found = await app.inject({ method: "GET", url: `/api/v1/clients?phone=${phone}`, headers: auth(partner.token, "case-handling") });
      expect(found.json().items.map((c: { id: string }) => c.id)).not.toContain(id);
      const again = await app.inject({
        method: "POST",
        url: `/api/v1/clients/${id}/erase`,
        headers: auth(partner.token),
        payload: { reason: "client_request" },
      });
      expect(again.statusCode).toBe(410);
    });

    it("refuses a ciphertext copied into another row or field", async () => {
      const a = (await create(partner.token, clientInput({ phone: "13100001111" }))).json();
      const b = (await create(partner.token, clientInput({ phone: "13100002222" }))).json();
      const rowA = await services.engine.db.selectFrom("clients").selectAll().where("id", "=", a.id).executeTakeFirstOrThrow();
      // Same client, other field.
      await services.engine.db.updateTable("clients").set({ email_ct: rowA.phone_ct }).where("id", "=", a.id).execute();
      const swappedField = await read(partner.token, a.id, "case-handling");
      expect([swappedField.statusCode, swappedField.json().error.code]).toEqual([500, "integrity_error"]);
      expect(swappedField.body).not.toContain("13100001111");
      // The failed read is still in the audit trail.
      expect(await lastEvent()).toMatchObject({ action: "client.read", outcome: "failure", reason: "integrity_error", target_id: a.id });
      // Other client, same field (and even with b's data key swapped for a's).
      await services.engine.db.updateTable("clients").set({ phone_ct: rowA.phone_ct }).where("id", "=", b.id).execute();
      expect((await read(partner.token, b.id, "case-handling")).statusCode).toBe(500);
    });

    it("answers who accessed a client, for whom the audit log is open", async () => {
      const { id } = (await create(partner.token, clientInput())).json();
      await staff(id);
      await read(lawyer.token, id, "case-handling");
      await read(paralegal.token, id, "billing").catch(() => {});
      const res = await app.inject({ method: "GET", url: `/api/v1/audit?clientId=${id}`, headers: auth(auditor.token) });
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { action: string; actorId: string; purpose: string | null; outcome: string }[];
      expect(items.find((e) => e.actorId === lawyer.actor.userId)).toMatchObject({ action: "client.read", purpose: "case-handling", outcome: "success" });
      expect(items.at(-1)).toMatchObject({ action: "client.create", actorId: partner.actor.userId });
      expect((await app.inject({ method: "GET", url: `/api/v1/audit?clientId=${id}`, headers: auth(lawyer.token) })).statusCode).toBe(403);
    });

    it("hides routine entries (lists, list items, lookups, reads of the log) on request, keeping the rest", async () => {
      const { id } = (await create(partner.token, clientInput())).json();
      await read(partner.token, id, "case-handling");
      const listed = await app.inject({
        method: "POST",
        url: "/api/v1/lookup/clients/by-id",
        headers: auth(partner.token, "case-handling"),
        payload: { ids: [id] },
      });
      expect(listed.statusCode, listed.body).toBe(200);
      await app.inject({ method: "GET", url: "/api/v1/audit?limit=1", headers: auth(auditor.token) });
      const actions = async (routine: string) => {
        const res = await app.inject({ method: "GET", url: `/api/v1/audit?actorId=${partner.actor.userId}&limit=500${routine}`, headers: auth(auditor.token) });
        expect(res.statusCode, res.body).toBe(200);
        return new Set((res.json().items as { action: string }[]).map((e) => e.action));
      };
      const all = await actions("");
      expect(all).toContain("client.lookup");
      expect(all).toContain("client.list_item");
      const kept = await actions("&routine=hide");
      expect([...kept].filter((a) => /\.(list|list_item|lookup)$/.test(a) || a === "audit.read")).toEqual([]);
      expect(kept).toContain("client.read");
      expect(kept).toContain("client.create");
      expect([...all].filter((a) => !/\.(list|list_item|lookup)$/.test(a) && !["audit.read", "kpi.read", "work.read"].includes(a)).sort()).toEqual(
        [...kept].sort(),
      );
      expect((await app.inject({ method: "GET", url: "/api/v1/audit?routine=some", headers: auth(auditor.token) })).statusCode).toBe(400);
    });

    it("rate-limits each client address (429 with a stable code)", async () => {
      const limited = await buildServer(services, { logLevel: "silent", rateLimitPerMinute: 3 });
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.inject({ method: "GET", url: "/api/v1/inventory", headers: auth(auditor.token) })).statusCode);
      const last = await limited.inject({ method: "GET", url: "/api/v1/inventory", headers: auth(auditor.token) });
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect(last.json().error.code).toBe("rate_limited");
      expect(last.headers["retry-after"]).toBeDefined();
      await limited.close();
    });

    it("publishes the inventory and the OpenAPI document", async () => {
      const inv = await app.inject({ method: "GET", url: "/api/v1/inventory", headers: auth(auditor.token) });
      expect(inv.statusCode).toBe(200);
      const idRow = inv.json().items.find((i: { field: string }) => i.field === "idNumber");
      expect(idRow).toMatchObject({ level: "L4", category: "government_id", readableBy: ["partner"] });
      expect(inv.json().purposes.map((p: { code: string }) => p.code)).toContain("conflict-check");
      const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      expect(doc.openapi).toBe("3.1.0");
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(["/api/v1/clients", "/api/v1/clients/{id}", "/api/v1/clients/{id}/erase", "/api/v1/audit", "/api/v1/inventory"]),
      );
      expect(doc.paths["/api/v1/clients"].post.requestBody.content["application/json"].schema.required).toEqual(
        expect.arrayContaining(["kind", "name", "purposes"]),
      );
    });
  });
}
