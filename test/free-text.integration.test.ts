/**
 * Free text is not a way around masking or into other software (issue #10: CLS-1, ENC-2/3).
 * - A client's notes are L3 and a name L2 whatever they say: a resident ID, credit code, mobile
 *   number or bank card typed there is refused (create, update, batch import), as in a matter title.
 * - C0 control characters and DEL are refused in text from people; multi-line text keeps line
 *   breaks and tabs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ClientData } from "../src/records/clients/client.js";
import { importClients } from "../src/records/clients/client-importer.js";
import type { AppError } from "../src/platform/errors.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildUser, clientInput, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const RESIDENT_ID = "11010519491231002X";
const USCC = "91350100M000100Y43";
const MOBILE = "138 0013 8000";
const BANK_CARD = "4111 1111 1111 1111";

for (const dialect of DIALECTS) {
  describe(`${dialect}: identifiers in free text and control characters`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser;
    let compliance: TestUser;

    const call = (method: "POST" | "PATCH", url: string, token: string, payload: unknown, headers: Record<string, string> = {}) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(token, "case-handling"), ...headers }, payload: payload as object });
    const count = async (table: "clients" | "matters" | "audit_events" | "privacy_notices") =>
      Number(
        (
          await suite.services.engine.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const lastEvent = (actorId: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      compliance = await buildUser(suite.services, "compliance");
    });

    describe("identifiers in free text", () => {
      const kinds = [
        ["resident_id_in_free_text", `客户身份证号${RESIDENT_ID}，原件已核对`, RESIDENT_ID, /resident ID/],
        ["uscc_in_free_text", `对方公司信用代码：${USCC}`, USCC, /unified social credit code/],
        ["mobile_in_free_text", `请回电 ${MOBILE}，工作日`, MOBILE, /mobile phone number/],
        ["bank_card_in_free_text", `退款至工资卡 ${BANK_CARD}。`, BANK_CARD, /bank card number/],
      ] as const;

      it("refuses each kind in a client's notes on create: 400 notes:<kind>_in_free_text, audited without the value, nothing written", async () => {
        for (const [code, notes, value, named] of kinds) {
          const before = await count("clients");
          const res = await call("POST", "/clients", partner.token, clientInput({ notes }));
          expect([res.statusCode, res.json().error.code], code).toEqual([400, "validation_error"]);
          expect(res.json().error.fields, code).toEqual([{ field: "notes", code, message: expect.stringMatching(named) }]);
          expect(res.body, code).not.toContain(value);
          expect(await count("clients"), code).toBe(before);
          const event = await lastEvent(partner.actor.userId);
          expect([event.action, event.outcome, event.reason, event.target_id], code).toEqual(["client.create", "failure", "validation_error", null]);
          expect(JSON.parse(event.details!), code).toEqual({ fields: [`notes:${code}`] });
          expect(JSON.stringify(event), code).not.toContain(value.replaceAll(" ", "").slice(0, 11));
        }
        // Look-alikes pass: a resident ID with a wrong check character, a case number, an amount.
        const fine = await call(
          "POST",
          "/clients",
          partner.token,
          clientInput({ notes: `旧证号11010519491231002 1，（2023）京0105民初12345号，标的额138,001,380元` }),
        );
        expect(fine.statusCode, fine.body).toBe(201);
      });

      it("names the kind in the caller's language", async () => {
        const res = await call("POST", "/clients", partner.token, clientInput({ notes: `身份证${RESIDENT_ID}` }), { "accept-language": "zh-CN" });
        expect(res.json().error.fields).toEqual([{ field: "notes", code: "resident_id_in_free_text", message: expect.stringContaining("居民身份证号码") }]);
      });

      it("refuses them on update, leaving the record as it was", async () => {
        const client = await buildClient(suite.services, partner.actor);
        const row = () =>
          suite.services.engine.db.selectFrom("clients").select(["row_version", "notes_ct"]).where("id", "=", client.id).executeTakeFirstOrThrow();
        const stored = await row();
        const res = await call("PATCH", `/clients/${client.id}`, partner.token, { notes: `新手机号码 +86 139-1234-5678` });
        expect([res.statusCode, res.json().error.code]).toEqual([400, "validation_error"]);
        expect(res.json().error.fields).toEqual([{ field: "notes", code: "mobile_in_free_text", message: expect.stringMatching(/mobile phone number/) }]);
        expect(await row()).toEqual(stored);
        const event = await lastEvent(partner.actor.userId);
        expect([event.action, event.outcome, event.reason, event.target_id]).toEqual(["client.update", "failure", "validation_error", client.id]);
        expect(JSON.parse(event.details!)).toEqual({ fields: ["notes:mobile_in_free_text"] });
        // Other fields still change; the notes stay as they were.
        const ok = await call("PATCH", `/clients/${client.id}`, partner.token, { notes: "新手机号码已登记在电话栏" });
        expect(ok.statusCode, ok.body).toBe(200);
      });

      it("refuses them in a client's name", async () => {
        const res = await call("POST", "/clients", partner.token, clientInput({ name: `张三 ${MOBILE}` }));
        expect([res.statusCode, res.json().error.fields]).toEqual([
          400,
          [{ field: "name", code: "mobile_in_free_text", message: expect.stringMatching(/mobile phone number/) }],
        ]);
      });

      it("refuses a whole import batch when one record's notes hold one, writing nothing", async () => {
        const before = await count("clients");
        const batch = [
          { ...clientInput({ idNumber: residentId() }), notes: "首次咨询" },
          { ...clientInput({ idNumber: residentId() }), notes: `工资卡${BANK_CARD.replaceAll(" ", "")}` },
        ] as ClientData[];
        const error = (await importClients(suite.services, contextFor(partner.actor, null), batch).catch((e: unknown) => e)) as AppError;
        expect([error.status, error.code]).toEqual([400, "validation_error"]);
        expect(error.fields.map((f) => [f.field, f.code])).toEqual([["1.notes", "bank_card_in_free_text"]]);
        expect(await count("clients")).toBe(before);
        const event = await lastEvent(partner.actor.userId);
        expect([event.action, event.outcome, event.reason]).toEqual(["client.import", "failure", "validation_error"]);
        expect(JSON.parse(event.details!)).toEqual({ fields: ["1.notes:bank_card_in_free_text"] });
      });

      it("refuses them in a matter's title, audited, nothing written", async () => {
        const client = await buildClient(suite.services, partner.actor);
        const before = await count("matters");
        const res = await call("POST", "/matters", partner.token, {
          clientId: client.id,
          number: "2026-民-9001",
          title: `代理${RESIDENT_ID}劳动争议`,
          practiceArea: "labour",
          responsiblePartnerId: partner.actor.userId,
        });
        expect([res.statusCode, res.json().error.code]).toEqual([400, "validation_error"]);
        expect(res.json().error.fields).toEqual([{ field: "title", code: "resident_id_in_free_text", message: expect.stringMatching(/resident ID/) }]);
        expect(await count("matters")).toBe(before);
        const event = await lastEvent(partner.actor.userId);
        expect([event.action, event.outcome, event.reason]).toEqual(["matter.create", "failure", "validation_error"]);
        expect(JSON.parse(event.details!)).toEqual({ fields: ["title:resident_id_in_free_text"] });
      });
    });

    describe("control characters", () => {
      type Case = [label: string, url: string, token: () => string, payload: () => unknown, field: string, code: string];
      const cases: Case[] = [
        ["NUL in a client's name", "/clients", () => partner.token, () => clientInput({ name: "王\u0000小明" }), "name", "control_character"],
        ["a line break in a client's name", "/clients", () => partner.token, () => clientInput({ name: "王小明\n" }), "name", "control_character"],
        ["DEL in an address", "/clients", () => partner.token, () => clientInput({ address: "北京市\u007f朝阳区" }), "address", "control_character"],
        [
          "an escape sequence in notes",
          "/clients",
          () => partner.token,
          () => clientInput({ notes: "备注\u001b[31m" }),
          "notes",
          "control_character_multiline",
        ],
        ["NUL in a search", "/clients/search", () => partner.token, () => ({ name: "王\u0000" }), "name", "control_character"],
        [
          "NUL in a matter title",
          "/matters",
          () => partner.token,
          () => ({
            clientId: "00000000-0000-4000-8000-000000000000",
            number: "2026-民-9002",
            title: "劳动\u0000争议",
            practiceArea: "labour",
            responsiblePartnerId: partner.actor.userId,
          }),
          "title",
          "control_character",
        ],
        [
          "NUL in a notice title",
          "/notices",
          () => compliance.token,
          () => ({ effectiveFrom: "2024-01-01T00:00:00.000Z", titleZh: "个人信息保护政策\u0000", titleEn: "Privacy notice", bodyZh: "正文", bodyEn: "Body" }),
          "titleZh",
          "control_character",
        ],
        [
          "a bell in a notice body",
          "/notices",
          () => compliance.token,
          () => ({ effectiveFrom: "2024-01-01T00:00:00.000Z", titleZh: "政策", titleEn: "Notice", bodyZh: "正文\u0007", bodyEn: "Body" }),
          "bodyZh",
          "control_character_multiline",
        ],
        [
          "NUL in a staff report",
          "/reports",
          () => partner.token,
          () => ({ category: "other", description: "看到\u0000异常" }),
          "description",
          "control_character_multiline",
        ],
        [
          "a form feed in a complaint",
          "/complaints",
          () => compliance.token,
          () => ({ category: "other", description: "投诉\u000c内容" }),
          "description",
          "control_character_multiline",
        ],
        [
          "NUL in a review campaign name",
          "/access-reviews",
          () => compliance.token,
          () => ({ name: "2026 Q2\u0000", dueOn: "2099-01-01" }),
          "name",
          "control_character",
        ],
      ];

      it("refuses C0 controls and DEL in text from people: 400 validation_error with a per-field code, before anything runs", async () => {
        for (const [label, url, token, payload, field, code] of cases) {
          const before = { events: await count("audit_events"), clients: await count("clients"), notices: await count("privacy_notices") };
          const res = await call("POST", url, token(), payload());
          expect([res.statusCode, res.json().error?.code], label).toEqual([400, "validation_error"]);
          expect(res.json().error.fields, label).toContainEqual({ field, code, message: expect.stringMatching(/^Control characters are not allowed here/) });
          // Refused by the schema, before the command: nothing written, and so nothing to audit.
          expect({ events: await count("audit_events"), clients: await count("clients"), notices: await count("privacy_notices") }, label).toEqual(before);
        }
        const zh = await call("POST", "/clients", partner.token, clientInput({ name: "王\u0000小明" }), { "accept-language": "zh-CN" });
        expect(zh.json().error.fields).toEqual([{ field: "name", code: "control_character", message: "此处不允许使用控制字符。" }]);
      });

      it("keeps line breaks and tabs where text may span lines", async () => {
        const created = await call("POST", "/clients", partner.token, clientInput({ notes: "第一行\n第二行\t附注\r\n第三行" }));
        expect(created.statusCode, created.body).toBe(201);
        expect(created.json().notes).toBe("第一行\n第二行\t附注\r\n第三行");
        const notice = await call("POST", "/notices", compliance.token, {
          effectiveFrom: "2024-01-01T00:00:00.000Z",
          titleZh: "个人信息保护政策",
          titleEn: "Privacy notice",
          bodyZh: "第一条\n\t本所……\r\n第二条",
          bodyEn: "1.\n\tThe firm…",
        });
        expect(notice.statusCode, notice.body).toBe(201);
      });
    });
  });
}
