/**
 * A record's permitted purposes (issue #10, IAM-5): a team member cannot make a record unreadable
 * to the firm by setting its purposes. Only compliance, or the responsible partner of one of the
 * client's open matters, changes them, through PUT /clients/{id}/purposes with a reason code; a
 * PATCH carrying `purposes` is refused whole; a consent-based purpose needs a current consent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { draftNotice, publishNotice } from "../src/rights/notices/notice-commands.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, contextFor, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: changing a record's purposes`, () => {
    const suite = httpSuite(dialect);
    let partner!: TestUser, otherPartner!: TestUser, lawyer!: TestUser, compliance!: TestUser, screenedCompliance!: TestUser;

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      otherPartner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      compliance = await buildUser(suite.services, "compliance");
      screenedCompliance = await buildUser(suite.services, "compliance");
      // Consents are given under a published notice in force.
      const notice = await draftNotice(suite.services, contextFor(compliance.actor, null), {
        effectiveFrom: "2024-01-01T00:00:00.000Z",
        titleZh: "隐私政策",
        titleEn: "Privacy notice",
        bodyZh: "正文",
        bodyEn: "Text",
      });
      await publishNotice(suite.services, contextFor(compliance.actor, null), notice.version);
    });

    const call = (method: "GET" | "POST" | "PATCH" | "PUT", url: string, token: string, payload?: object, purpose?: string) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(token, purpose), ...(payload ? { payload } : {}) });
    const put = (id: string, token: string, payload: object) => call("PUT", `/clients/${id}/purposes`, token, payload);
    /** A client with an open matter: `partner` is its responsible partner, `lawyer` on its team. */
    const newClient = async () => {
      const client = await buildClient(suite.services, partner.actor);
      const matter = await buildMatter(suite.services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "lead" }]);
      return { id: client.id, matterId: matter.id };
    };
    const stored = (id: string) =>
      suite.services.engine.db.selectFrom("clients").select(["purposes", "row_version", "notes_ct"]).where("id", "=", id).executeTakeFirstOrThrow();
    const lastEvent = (actorId: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();

    it("a team member's PATCH with purposes ['marketing'] is a 403, audited, and nothing else in it is written", async () => {
      const { id } = await newClient();
      const before = await stored(id);
      const res = await call("PATCH", `/clients/${id}`, lawyer.token, { purposes: ["marketing"], notes: "改过的备注" }, "case-handling");
      expect([res.statusCode, res.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const event = await lastEvent(lawyer.actor.userId);
      expect(event).toMatchObject({ action: "client.update", target_id: id, outcome: "denied", reason: "role_lacks_permission" });
      expect(JSON.parse(event.details!)).toEqual({ fields: ["purposes"] });
      expect(await stored(id)).toEqual(before);
      // The firm still reads the record under case handling, notes unchanged.
      const read = await call("GET", `/clients/${id}`, partner.token, undefined, "case-handling");
      expect([read.statusCode, read.json().purposes, read.json().notes]).toEqual([200, ["case-handling", "conflict-check"], "劳动合同纠纷咨询"]);
    });

    it("a partner who is not the responsible partner is refused the same way (403 not_responsible_partner), audited", async () => {
      const { id } = await newClient();
      const before = await stored(id);
      const res = await call("PATCH", `/clients/${id}`, otherPartner.token, { purposes: ["billing"], phone: "13600001111" }, "case-handling");
      expect([res.statusCode, res.json().error.code]).toEqual([403, "not_responsible_partner"]);
      expect(await lastEvent(otherPartner.actor.userId)).toMatchObject({
        action: "client.update",
        target_id: id,
        outcome: "denied",
        reason: "not_responsible_partner",
      });
      expect(await stored(id)).toEqual(before);
    });

    it("the responsible partner's PATCH with purposes is a 400 naming the purposes endpoint; nothing is written", async () => {
      const { id } = await newClient();
      const before = await stored(id);
      const res = await call("PATCH", `/clients/${id}`, partner.token, { purposes: ["case-handling"], notes: "x" }, "case-handling");
      expect([res.statusCode, res.json().error.code, res.json().error.fields]).toEqual([
        400,
        "validation_error",
        [{ field: "purposes", code: "purposes_endpoint", message: expect.any(String) }],
      ]);
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "client.update", outcome: "failure", reason: "validation_error" });
      expect(await stored(id)).toEqual(before);
    });

    it("PUT /purposes: compliance and the responsible partner change them with a reason code; others get a 403; all audited", async () => {
      const { id, matterId } = await newClient();
      const before = await stored(id);
      for (const [user, code] of [
        [lawyer, "role_lacks_permission"],
        [otherPartner, "not_responsible_partner"],
      ] as const) {
        const denied = await put(id, user.token, { purposes: ["marketing"], reason: "client_instruction" });
        expect([denied.statusCode, denied.json().error.code]).toEqual([403, code]);
        expect(await lastEvent(user.actor.userId)).toMatchObject({ action: "client.purposes_change", target_id: id, outcome: "denied", reason: code });
      }
      expect(await stored(id)).toEqual(before);

      const byCompliance = await put(id, compliance.token, { purposes: ["case-handling", "billing"], reason: "engagement_changed", reference: "ENG-2026/7" });
      expect(byCompliance.statusCode, byCompliance.body).toBe(200);
      expect(byCompliance.json()).toMatchObject({
        id,
        purposes: ["case-handling", "billing"],
        added: ["billing"],
        removed: ["conflict-check"],
        reason: "engagement_changed",
        reference: "ENG-2026/7",
      });
      const event = await lastEvent(compliance.actor.userId);
      expect(event).toMatchObject({ action: "client.purposes_change", target_id: id, outcome: "success", reason: "engagement_changed", purpose: null });
      expect(JSON.parse(event.details!)).toEqual({ added: ["billing"], removed: ["conflict-check"], reference: "ENG-2026/7" });
      expect((await stored(id)).row_version).toBe(before.row_version + 1);

      const byPartner = await put(id, partner.token, { purposes: ["case-handling"], reason: "client_instruction" });
      expect([byPartner.statusCode, byPartner.json().removed]).toEqual([200, ["billing"]]);
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "client.purposes_change", outcome: "success", reason: "client_instruction" });

      // Once the matter is closed, its responsible partner no longer answers for the record's purposes.
      expect((await call("POST", `/matters/${matterId}/close`, partner.token)).statusCode).toBe(200);
      const closed = await put(id, partner.token, { purposes: ["case-handling", "billing"], reason: "client_instruction" });
      expect([closed.statusCode, closed.json().error.code]).toEqual([403, "not_responsible_partner"]);
      expect(JSON.parse((await stored(id)).purposes)).toEqual(["case-handling"]);
    });

    it("a reason code is required (400 validation_error on reason); free text is refused; nothing is written", async () => {
      const { id } = await newClient();
      const before = await stored(id);
      for (const body of [{ purposes: ["billing"] }, { purposes: ["billing"], reason: "王小明 asked us" }]) {
        const res = await put(id, compliance.token, body);
        expect([res.statusCode, res.json().error.code, res.json().error.fields.map((f: { field: string }) => f.field)]).toEqual([
          400,
          "validation_error",
          ["reason"],
        ]);
      }
      const unknown = await put(id, compliance.token, { purposes: ["resale"], reason: "correction" });
      expect([unknown.statusCode, unknown.json().error.fields[0]]).toEqual([400, expect.objectContaining({ field: "purposes", code: "unknown_purpose" })]);
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "client.purposes_change", outcome: "failure", reason: "validation_error" });
      expect(await stored(id)).toEqual(before);
    });

    it("a purpose resting on consent is not added without a current consent (409 purpose_needs_consent); with one it is", async () => {
      const { id } = await newClient();
      const before = await stored(id);
      const refused = await put(id, compliance.token, { purposes: ["case-handling", "marketing"], reason: "client_instruction" });
      expect([refused.statusCode, refused.json().error.code, refused.json().error.fields]).toEqual([
        409,
        "purpose_needs_consent",
        [{ field: "purposes.1", code: "consent_missing", message: expect.any(String) }],
      ]);
      const event = await lastEvent(compliance.actor.userId);
      expect(event).toMatchObject({ action: "client.purposes_change", target_id: id, outcome: "failure", reason: "purpose_needs_consent" });
      expect(JSON.parse(event.details!)).toEqual({ purposes: ["marketing"] });
      expect(await stored(id)).toEqual(before);

      // The client consents (which permits the purpose), compliance takes it off, then back on: the consent stands.
      const consent = await call("POST", `/clients/${id}/consents`, compliance.token, {
        purpose: "marketing",
        separate: false,
        channel: "paper",
        noticeLanguage: "zh-CN",
        acknowledgement: { kind: "signed_form", reference: "F-2026-010" },
      });
      expect(consent.statusCode).toBe(201);
      expect((await put(id, compliance.token, { purposes: ["case-handling"], reason: "correction" })).json().removed).toEqual(["conflict-check", "marketing"]);
      const added = await put(id, compliance.token, { purposes: ["case-handling", "marketing"], reason: "client_instruction" });
      expect([added.statusCode, added.json().added]).toEqual([200, ["marketing"]]);
      expect((await call("GET", `/clients/${id}`, partner.token, undefined, "marketing")).statusCode).toBe(200);
    });

    it("across a wall the record does not exist: 404 not_found, audited as screened_by_wall, nothing written", async () => {
      const { id } = await newClient();
      const wall = await call("POST", "/walls", compliance.token, {
        reason: "conflict_of_interest",
        clientIds: [id],
        screenedUserIds: [screenedCompliance.actor.userId],
      });
      expect(wall.statusCode).toBe(201);
      const before = await stored(id);
      const res = await put(id, screenedCompliance.token, { purposes: ["legal-claims"], reason: "legal_requirement" });
      const missing = await put("00000000-0000-7000-8000-000000000000", screenedCompliance.token, { purposes: ["legal-claims"], reason: "legal_requirement" });
      expect([res.statusCode, res.json().error]).toEqual([404, missing.json().error]);
      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("actor_id", "=", screenedCompliance.actor.userId)
        .where("target_id", "=", id)
        .execute();
      expect(events).toEqual([expect.objectContaining({ action: "client.purposes_change", outcome: "denied", reason: "screened_by_wall" })]);
      expect(await stored(id)).toEqual(before);
    });
  });
}
