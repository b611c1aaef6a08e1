import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { noticeContentHash } from "../src/rights/notices/notice.js";
import type { Services } from "../src/platform/services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const NOTICE = {
  effectiveFrom: "2024-01-01T00:00:00.000Z",
  titleZh: "个人信息保护政策",
  titleEn: "Privacy notice",
  bodyZh: "本所为办理案件处理您的个人信息……",
  bodyEn: "The firm processes your personal information to handle your matters…",
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: privacy notices and consent`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser, lawyer!: TestUser, compliance!: TestUser, admin!: TestUser, auditor!: TestUser;
    let published!: { version: number; contentHash: string };

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      compliance = await buildUser(services, "compliance");
      admin = await buildUser(services, "admin");
      auditor = await buildUser(services, "auditor");
    });

    const call = (method: "GET" | "POST" | "PATCH" | "PUT", url: string, token?: string, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: token ? auth(token, purpose) : {}, ...(payload ? { payload } : {}) });
    const lastEvent = () => services.engine.db.selectFrom("audit_events").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const newClient = async (purposes: string[]) =>
      (await call("POST", "/clients", partner.token, clientInput({ purposes }))).json() as { id: string; idNumber: string; phone: string };
    const read = (id: string, purpose: string, token = partner.token) => call("GET", `/clients/${id}`, token, undefined, purpose);
    const grant = (id: string, body: Record<string, unknown> = {}, token = compliance.token) =>
      call("POST", `/clients/${id}/consents`, token, {
        purpose: "marketing",
        channel: "portal",
        noticeLanguage: "zh-CN",
        acknowledgement: { kind: "click", reference: "click-0001" },
        ...body,
      });
    const withdraw = (id: string, purpose: string, token = compliance.token) =>
      call("POST", `/clients/${id}/consents/${purpose}/withdraw`, token, {
        channel: "paper",
        acknowledgement: { kind: "signed_form", reference: "FORM-2025/0042" },
      });

    it("drafts, publishes and freezes a notice: a change to a published version is a 409; a new version is drafted", async () => {
      expect((await call("GET", "/notices/current?lang=en")).json().error.code).toBe("notice_not_in_force");
      const denied = await call("POST", "/notices", lawyer.token, NOTICE);
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent()).toMatchObject({ action: "notice.draft", outcome: "denied", reason: "role_lacks_permission" });

      const draft = await call("POST", "/notices", compliance.token, NOTICE);
      expect(draft.statusCode).toBe(201);
      const v1 = draft.json();
      expect(v1).toMatchObject({ status: "draft", contentHash: null, titleZh: NOTICE.titleZh });
      const edited = await call("PATCH", `/notices/${v1.version}`, admin.token, { titleEn: "Privacy notice (v1)" });
      expect([edited.statusCode, edited.json().titleEn]).toEqual([200, "Privacy notice (v1)"]);
      // A draft is not in force.
      expect((await call("GET", "/notices/current?lang=en")).statusCode).toBe(404);

      const pub = await call("POST", `/notices/${v1.version}/publish`, compliance.token);
      expect(pub.statusCode).toBe(200);
      const hash = noticeContentHash(v1.version, { ...NOTICE, titleEn: "Privacy notice (v1)" });
      expect(pub.json()).toMatchObject({ status: "published", contentHash: hash });
      expect(await lastEvent()).toMatchObject({
        action: "notice.publish",
        outcome: "success",
        target_id: String(v1.version),
        actor_id: compliance.actor.userId,
      });

      const change = await call("PATCH", `/notices/${v1.version}`, compliance.token, { bodyEn: "changed after the fact" });
      expect([change.statusCode, change.json().error.code]).toEqual([409, "notice_published"]);
      expect(await lastEvent()).toMatchObject({ action: "notice.update", outcome: "denied", reason: "notice_published" });
      const again = await call("POST", `/notices/${v1.version}/publish`, compliance.token);
      expect([again.statusCode, again.json().error.code]).toEqual([409, "notice_published"]);
      const zh = await app.inject({
        method: "PATCH",
        url: `/api/v1/notices/${v1.version}`,
        headers: { ...auth(compliance.token), "accept-language": "zh-CN" },
        payload: { bodyEn: "x" },
      });
      expect(zh.json().error.message).toBe("该版本的隐私政策已发布，不可修改；请起草新版本。");
      const stored = await services.engine.db.selectFrom("privacy_notices").selectAll().where("version", "=", v1.version).executeTakeFirstOrThrow();
      expect([stored.body_en, stored.content_hash]).toEqual([NOTICE.bodyEn, hash]);

      const v2 = (
        await call("POST", "/notices", compliance.token, { ...NOTICE, effectiveFrom: "2025-01-01T08:00:00+08:00", bodyEn: `${NOTICE.bodyEn} Version 2.` })
      ).json();
      expect(v2).toMatchObject({ version: v1.version + 1, status: "draft", effectiveFrom: "2025-01-01T00:00:00.000Z" });
      published = (await call("POST", `/notices/${v2.version}/publish`, admin.token)).json();
      expect(published.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(published.contentHash).not.toBe(hash);

      const list = await call("GET", "/notices", lawyer.token);
      expect(list.json().items.map((n: { version: number; status: string }) => [n.version, n.status])).toEqual([
        [v2.version, "published"],
        [v1.version, "published"],
      ]);
      const actions = (
        await services.engine.db.selectFrom("audit_events").select("action").where("target_type", "=", "notice").where("outcome", "=", "success").execute()
      ).map((e) => e.action);
      expect(new Set(actions)).toEqual(new Set(["notice.draft", "notice.update", "notice.publish", "notice.list"]));
    });

    it("serves the notice in force publicly, in Chinese and English", async () => {
      const zh = await call("GET", "/notices/current?lang=zh-CN");
      expect(zh.statusCode).toBe(200);
      expect(zh.json()).toMatchObject({
        version: published.version,
        language: "zh-CN",
        title: NOTICE.titleZh,
        body: NOTICE.bodyZh,
        contentHash: published.contentHash,
      });
      const en = await call("GET", "/notices/current?lang=en");
      expect(en.json()).toMatchObject({ version: published.version, language: "en", title: NOTICE.titleEn, body: `${NOTICE.bodyEn} Version 2.` });
      const byHeader = await app.inject({ method: "GET", url: "/api/v1/notices/current", headers: { "accept-language": "zh-CN,zh;q=0.9" } });
      expect(byHeader.json().language).toBe("zh-CN");
      const bad = await call("GET", "/notices/current?lang=fr");
      expect([bad.statusCode, bad.json().error.code]).toEqual([400, "validation_error"]);
      // Listing drafts is for staff only.
      expect((await call("GET", "/notices")).statusCode).toBe(401);
    });

    it("records consent with the published notice's hash as evidence, and refuses bad evidence", async () => {
      const { id } = await newClient(["case-handling"]);
      const res = await grant(id);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        clientId: id,
        purpose: "marketing",
        status: "granted",
        separate: false,
        channel: "portal",
        noticeVersion: published.version,
        noticeHash: published.contentHash,
        acknowledgement: { kind: "click", reference: "click-0001" },
      });
      expect(await lastEvent()).toMatchObject({ action: "consent.record", outcome: "success", target_id: id, actor_id: compliance.actor.userId });
      expect(JSON.parse((await lastEvent()).details!)).toMatchObject({ consentPurpose: "marketing", noticeVersion: published.version, purposeAdded: true });
      expect((await read(id, "case-handling")).json().purposes).toEqual(["case-handling", "marketing"]);

      const bad: [Record<string, unknown>, number, string][] = [
        [{ acknowledgement: { kind: "click", reference: "张三 signed" } }, 400, "validation_error"],
        [{ channel: "carrier_pigeon" }, 400, "validation_error"],
        [{ purpose: "resale" }, 400, "validation_error"],
        [{ givenAt: "2099-01-01T00:00:00Z" }, 400, "validation_error"],
        [{ givenAt: "2023-06-01T00:00:00Z" }, 409, "notice_required"],
        [{ noticeVersion: 999 }, 409, "notice_required"],
      ];
      for (const [body, status, code] of bad) {
        const r = await grant(id, body);
        expect([JSON.stringify(body), r.statusCode, r.json().error.code]).toEqual([JSON.stringify(body), status, code]);
      }
      const auditorTry = await grant(id, {}, auditor.token);
      expect([auditorTry.statusCode, auditorTry.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const rows = await services.engine.db.selectFrom("consent_records").select("id").where("client_id", "=", id).execute();
      expect(rows).toHaveLength(1);
    });

    it("withdrawal removes a consent-based purpose at once: the next read under it is a 403, all audited", async () => {
      const { id } = await newClient(["case-handling"]);
      await grant(id, { separate: true });
      expect((await read(id, "marketing")).statusCode).toBe(200);
      const res = await withdraw(id, "marketing");
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: "withdrawn", purposeRemoved: true, channel: "paper" });
      expect(JSON.parse((await lastEvent()).details!)).toMatchObject({ consentPurpose: "marketing", purposeRemoved: true });
      expect(await lastEvent()).toMatchObject({ action: "consent.withdraw", outcome: "success", target_id: id });

      const after = await read(id, "marketing");
      expect([after.statusCode, after.json().error.code]).toEqual([403, "purpose_not_permitted"]);
      expect(await lastEvent()).toMatchObject({ action: "client.read", outcome: "denied", reason: "purpose_not_permitted", purpose: "marketing" });
      expect((await read(id, "case-handling")).json().purposes).toEqual(["case-handling"]);
      // Re-adding the purpose by hand does not bring the consent back: without one it is refused.
      const byHand = await call("PUT", `/clients/${id}/purposes`, compliance.token, { purposes: ["case-handling", "marketing"], reason: "correction" });
      expect([byHand.statusCode, byHand.json().error.code]).toEqual([409, "purpose_needs_consent"]);
      expect((await read(id, "marketing")).json().error.code).toBe("purpose_not_permitted");
    });

    it("masks L4 fields under a consent-based purpose until a separate consent is recorded, then shows them", async () => {
      const { id, idNumber } = await newClient(["case-handling"]);
      await grant(id);
      const masked = await read(id, "marketing");
      expect(masked.statusCode).toBe(200);
      expect(masked.json().idNumber).not.toBe(idNumber);
      expect(masked.json().phone).toBe("13912345678");
      expect(masked.json().access).toEqual({ decision: "mask", reason: "separate_consent_required", maskedFields: ["idNumber"] });
      const event = await lastEvent();
      expect(event).toMatchObject({ action: "client.read", outcome: "success", reason: "separate_consent_required", purpose: "marketing", target_id: id });
      expect(JSON.parse(event.details!).masked).toEqual(["idNumber"]);
      // The contract-based purpose is untouched by consent.
      expect((await read(id, "case-handling")).json()).toMatchObject({ idNumber, access: { decision: "allow" } });

      expect((await grant(id, { separate: true, channel: "paper", acknowledgement: { kind: "signed_form", reference: "SEP-0007" } })).statusCode).toBe(201);
      const clear = await read(id, "marketing");
      expect(clear.json()).toMatchObject({ idNumber, access: { decision: "allow", reason: "permitted", maskedFields: [] } });

      const history = await call("GET", `/clients/${id}/consents`, partner.token, undefined, "case-handling");
      expect(history.statusCode).toBe(200);
      expect(history.json().items.map((r: { revision: number; separate: boolean }) => [r.revision, r.separate])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(history.json().current.find((c: { purpose: string }) => c.purpose === "marketing")).toMatchObject({
        legalBasis: "consent",
        legalBasisZh: "个人同意",
        consent: "separate",
      });
      expect(history.json().current.find((c: { purpose: string }) => c.purpose === "case-handling")).toMatchObject({ legalBasis: "contract", consent: "none" });
    });

    it("refuses marketing without a current consent (403 consent_required), in reads and searches, audited", async () => {
      const { id } = await newClient(["case-handling", "marketing"]);
      const res = await read(id, "marketing");
      expect([res.statusCode, res.json().error.code]).toEqual([403, "consent_required"]);
      expect(await lastEvent()).toMatchObject({ action: "client.read", outcome: "denied", reason: "consent_required", purpose: "marketing", target_id: id });
      const zh = await app.inject({
        method: "GET",
        url: `/api/v1/clients/${id}`,
        headers: { ...auth(partner.token, "marketing"), "accept-language": "zh-CN" },
      });
      expect(zh.json().error.message).toBe("客户未同意将其信息用于此目的。");

      const search = await app.inject({
        method: "POST",
        url: "/api/v1/clients/search",
        headers: auth(partner.token, "marketing"),
        payload: { email: "wang.xiaoming@example.cn" },
      });
      expect(search.json().items.map((c: { id: string }) => c.id)).not.toContain(id);
      const denied = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("target_id", "=", id)
        .where("reason", "=", "consent_required")
        .execute();
      expect(denied.length).toBeGreaterThanOrEqual(2);
    });

    it("leaves purposes with a non-consent legal basis alone; withdrawing there keeps the purpose", async () => {
      const { id, idNumber } = await newClient(["case-handling", "billing", "compliance-audit"]);
      for (const purpose of ["case-handling", "billing", "compliance-audit"]) {
        const res = await read(id, purpose);
        expect([purpose, res.statusCode, res.json().idNumber, res.json().access.decision]).toEqual([purpose, 200, idNumber, "allow"]);
      }
      const res = await withdraw(id, "billing");
      expect(res.json()).toMatchObject({ status: "withdrawn", purposeRemoved: false });
      expect((await read(id, "billing")).statusCode).toBe(200);
    });

    it("lists consents only like a client read, and refuses consent changes on erased clients", async () => {
      const { id } = await newClient(["case-handling"]);
      const none = await call("GET", `/clients/${id}/consents`, partner.token);
      expect([none.statusCode, none.json().error.code]).toEqual([400, "purpose_required"]);
      const auditorRead = await call("GET", `/clients/${id}/consents`, auditor.token, undefined, "case-handling");
      expect([auditorRead.statusCode, auditorRead.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const ok = await call("GET", `/clients/${id}/consents`, compliance.token, undefined, "case-handling");
      expect([ok.statusCode, ok.json().items]).toEqual([200, []]);
      expect(await lastEvent()).toMatchObject({ action: "consent.list", outcome: "success", target_id: id });

      await call("POST", `/clients/${id}/erase`, partner.token, { reason: "client_request" });
      const gone = await grant(id);
      expect([gone.statusCode, gone.json().error.code]).toEqual([410, "client_erased"]);
      expect((await withdraw(id, "marketing")).statusCode).toBe(410);
      const missing = await grant("0190a6c0-0000-7000-8000-000000000000");
      expect([missing.statusCode, missing.json().error.code]).toEqual([404, "not_found"]);
    });
  });
}
