/**
 * Name search over encrypted names (issue #15): prefix and surname lookups through truncated keyed
 * tokens, tails of ID numbers and phones by clearance, and the pickers' matter and staff lookups.
 * The exact search's guarantees (test/search-oracle.integration.test.ts) hold here too: a tail
 * search above clearance is refused before any lookup with the same answer for a hit and a miss;
 * walled clients never appear nor count; need-to-know and purpose apply; the query is in no event.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { backfillSearchTokens } from "../src/records/clients/search-tokens.js";
import { namePrefixes, paddedTokenCount } from "../src/records/clients/name-tokens.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, residentId, staffNameOf, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

interface Item {
  id: string;
  name: string;
  tail: { field: string; value: string } | null;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: name search and pickers`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser;
    let lawyer: TestUser;
    let screened: TestUser;
    let compliance: TestUser;
    const ids: Record<string, string> = {};
    // Unique per run, so the tails below match only this suite's clients.
    const stamp = String(Date.now()).slice(-4);
    const phone = `1380013${stamp}`;
    let idNumber: string;

    const lookup = (user: TestUser, what: "clients" | "matters" | "staff", q: string, purpose: string | undefined = "case-handling") =>
      suite.app.inject({ method: "GET", url: `/api/v1/lookup/${what}?q=${encodeURIComponent(q)}`, headers: auth(user.token, purpose) });
    const names = async (user: TestUser, q: string) => {
      const res = await lookup(user, "clients", q);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Item[]).map((c) => c.name).sort();
    };
    const eventsOf = (userId: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", userId).orderBy("seq").execute();
    const tokensOf = (clientId: string) => suite.services.engine.db.selectFrom("client_search_tokens").selectAll().where("client_id", "=", clientId).execute();

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      screened = await buildUser(suite.services, "partner");
      compliance = await buildUser(suite.services, "compliance");
      idNumber = residentId();
      const make = async (key: string, name: string, extra: Record<string, unknown> = {}) => {
        ids[key] = (await buildClient(suite.services, partner.actor, { name, phone: null, idNumber: null, idType: null, ...extra })).id;
      };
      await make("nana", "欧阳娜娜", { phone, idNumber, idType: "resident_id" });
      await make("xiu", "欧阳修", { phone: stamp === "2222" ? "13711113333" : "13711112222" });
      await make("ming", "Li Wei-Ming");
      await make("org", "北京星河科技有限公司", { kind: "organization", birthDate: null });
      await make("walled", "欧阳锋");
      await make("other", "王大锤");
      await buildMatter(suite.services, partner.actor, ids.xiu!, [{ userId: lawyer.actor.userId, role: "member" }], { title: "欧阳修诉某公司著作权纠纷" });
      const wall = await suite.app.inject({
        method: "POST",
        url: "/api/v1/walls",
        headers: auth(compliance.token),
        payload: { reason: "conflict_of_interest", clientIds: [ids.walled], screenedUserIds: [screened.actor.userId] },
      });
      expect(wall.statusCode, wall.body).toBe(201);
    });

    it("finds a client by any prefix of its name, by surname (compound ones too) and by given name", async () => {
      expect(await names(partner, "欧")).toEqual(["欧阳修", "欧阳娜娜", "欧阳锋"].sort());
      expect(await names(partner, "欧阳")).toEqual(["欧阳修", "欧阳娜娜", "欧阳锋"].sort());
      expect(await names(partner, "欧阳娜")).toEqual(["欧阳娜娜"]);
      expect(await names(partner, "娜娜")).toEqual(["欧阳娜娜"]);
      expect(await names(partner, "wei")).toEqual(["Li Wei-Ming"]);
      expect(await names(partner, "MING li")).toEqual(["Li Wei-Ming"]);
      expect(await names(partner, "ｗｅｉ－ｍ")).toEqual(["Li Wei-Ming"]); // full-width, NFKC
      expect(await names(partner, "北京星河")).toEqual(["北京星河科技有限公司"]);
      expect(await names(partner, "wex")).toEqual([]);
      // A query longer than the indexed prefixes is filtered exactly after decryption.
      expect(await names(partner, "北京星河科技有限公司")).toEqual(["北京星河科技有限公司"]);
      expect(await names(partner, "北京星河科技有限责任")).toEqual([]);
      // The console's form: the query in the body, out of URLs.
      const posted = await suite.app.inject({
        method: "POST",
        url: "/api/v1/lookup/clients",
        headers: auth(partner.token, "case-handling"),
        payload: { q: "娜娜" },
      });
      expect(posted.json().items.map((c: Item) => c.name)).toEqual(["欧阳娜娜"]);
      const short = await lookup(partner, "clients", "l");
      expect([short.statusCode, short.json().error.code]).toEqual([400, "validation_error"]);
    });

    it("stores only padded, truncated keyed tokens; an update re-indexes and an erasure removes them", async () => {
      const long = await buildClient(suite.services, partner.actor, { name: "Anna Maria Lopez", phone: null, idNumber: null, idType: null });
      const classOf = async (id: string) => (await tokensOf(id)).filter((r) => r.kind === "name").length;
      // Names of different lengths and words in one class have the same number of tokens (6
      // prefixes each, padded to 8); a name of 11 prefixes has 16.
      expect(await Promise.all([ids.nana!, ids.ming!, ids.org!].map(classOf))).toEqual([8, 8, 8]);
      expect(await classOf(long.id)).toBe(16);
      expect(paddedTokenCount(namePrefixes("Anna Maria Lopez").length)).toBe(16);
      for (const id of [ids.nana!, ids.ming!, ids.org!, long.id])
        for (const r of await tokensOf(id)) expect(r.token).toMatch(r.kind === "name" ? /^[0-9a-f]{4}$/ : /^[0-9a-f]{3}$/);
      expect(
        (await tokensOf(ids.nana!))
          .map((r) => r.kind)
          .filter((k) => k !== "name")
          .sort(),
      ).toEqual(["id_tail", "phone_tail"]);
      expect((await tokensOf(ids.ming!)).filter((r) => r.kind !== "name")).toEqual([]);

      const temp = await buildClient(suite.services, partner.actor, { name: "司马光" });
      expect(await names(partner, "司马")).toEqual(["司马光"]);
      const patch = await suite.app.inject({
        method: "PATCH",
        url: `/api/v1/clients/${temp.id}`,
        headers: auth(partner.token, "case-handling"),
        payload: { name: "诸葛亮" },
      });
      expect(patch.statusCode, patch.body).toBe(200);
      expect(await names(partner, "司马")).toEqual([]);
      expect(await names(partner, "诸葛")).toEqual(["诸葛亮"]);
      const erase = await suite.app.inject({
        method: "POST",
        url: `/api/v1/clients/${temp.id}/erase`,
        headers: auth(partner.token),
        payload: { reason: "purpose_fulfilled" },
      });
      expect(erase.statusCode, erase.body).toBe(200);
      expect(await tokensOf(temp.id)).toEqual([]);
      expect(await names(partner, "诸葛")).toEqual([]);
    });

    it("backfills clients without tokens (those from before migration 0037) at start-up or on demand", async () => {
      await suite.services.engine.db.deleteFrom("client_search_tokens").where("client_id", "=", ids.other!).execute();
      expect(await names(partner, "王大")).toEqual([]);
      expect(await backfillSearchTokens(suite.services.engine.db, suite.services.keyRing)).toBe(1);
      expect(await names(partner, "王大")).toEqual(["王大锤"]);
      expect(await backfillSearchTokens(suite.services.engine.db, suite.services.keyRing)).toBe(0);
      // A full rebuild keeps one set per client.
      await backfillSearchTokens(suite.services.engine.db, suite.services.keyRing, { all: true, batch: 2 });
      expect((await tokensOf(ids.other!)).filter((r) => r.kind === "name")).toHaveLength(8);
    });

    it("finds by the last 4 of the ID number only at clearance 4, of the phone at clearance 3, and shows the tail the caller reads in clear", async () => {
      const idTail = idNumber.slice(-4);
      const res = await lookup(partner, "clients", idTail);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().by).toEqual(["idTail", "phoneTail"]);
      expect(res.json().items).toEqual([{ id: ids.nana, kind: "person", name: "欧阳娜娜", tail: { field: "idNumber", value: idTail } }]);
      expect((await lookup(partner, "clients", stamp)).json().items.map((c: Item) => c.id)).toEqual([ids.nana]);
      // A lawyer (L3) on no matter of the client: the phone tail is searched, need-to-know leaves it out.
      const byLawyer = await lookup(lawyer, "clients", stamp);
      expect([byLawyer.statusCode, byLawyer.json().by, byLawyer.json().items]).toEqual([200, ["phoneTail"], []]);
      // A lawyer's picker shows the phone tail, never the ID number's.
      const own = await lookup(lawyer, "clients", "欧阳修");
      expect(own.json().items).toEqual([{ id: ids.xiu, kind: "person", name: "欧阳修", tail: { field: "phone", value: stamp === "2222" ? "3333" : "2222" } }]);
    });

    /** Refused before any lookup: the same answer for a tail that exists and one that does not, and no value in the trail. */
    async function expectRefused(user: TestUser, hit: string, miss: string, code: string) {
      const before = (await eventsOf(user.actor.userId)).length;
      const a = await lookup(user, "clients", hit);
      const b = await lookup(user, "clients", miss);
      for (const res of [a, b]) expect([res.statusCode, res.json().error.code]).toEqual([403, code]);
      expect(a.body.replace(/"requestId":"[^"]+"/, "")).toBe(b.body.replace(/"requestId":"[^"]+"/, ""));
      const events = (await eventsOf(user.actor.userId)).slice(before);
      expect(events.map((e) => [e.action, e.outcome, e.reason, e.target_id])).toEqual([
        ["client.lookup", "denied", code, null],
        ["client.lookup", "denied", code, null],
      ]);
      expect(JSON.stringify(events)).not.toContain(hit);
    }

    it("refuses tail searches above the caller's clearance before any lookup, as the exact search does", async () => {
      const paralegal = await buildUser(suite.services, "paralegal");
      await expectRefused(paralegal, stamp, stamp === "0000" ? "0001" : "0000", "search_field_above_clearance");
      // An X ends only resident IDs (L4): refused to a lawyer, whose clearance is 3.
      await expectRefused(lawyer, "123X", "456X", "search_field_above_clearance");
      const untrained = await buildUser(suite.services, "compliance", { accessConditions: false });
      await expectRefused(untrained, stamp, stamp === "0000" ? "0001" : "0000", "access_conditions_unmet");
      // By name (L2) they all look up.
      expect((await lookup(paralegal, "clients", "欧阳")).statusCode).toBe(200);
    });

    it("never shows a walled client nor counts it, raises no alert for a few typed letters, and audits ids and counts only", async () => {
      const before = (await eventsOf(screened.actor.userId)).length;
      expect(await names(screened, "欧阳")).toEqual(["欧阳修", "欧阳娜娜"].sort());
      expect(await names(screened, "欧阳锋")).toEqual([]);
      const events = (await eventsOf(screened.actor.userId)).slice(before);
      expect(events.some((e) => e.target_id === ids.walled)).toBe(false);
      const summaries = events.filter((e) => e.action === "client.lookup").map((e) => JSON.parse(e.details!));
      expect(summaries).toEqual([
        { by: ["name"], results: 2, excludedByPurpose: 0, excludedByNeedToKnow: 0 },
        { by: ["name"], results: 0, excludedByPurpose: 0, excludedByNeedToKnow: 0 },
      ]);
      const items = events.filter((e) => e.action === "client.list_item");
      expect(items.map((e) => e.target_id).sort()).toEqual([ids.xiu, ids.nana].sort());
      const fieldsShown = Object.fromEntries(items.map((e) => [e.target_id, JSON.parse(e.details!).fields]));
      expect(fieldsShown).toEqual({ [ids.nana!]: ["name", "idNumber:tail"], [ids.xiu!]: ["name", "phone:tail"] });
      expect(JSON.stringify(events)).not.toContain("欧阳");
      const alerts = await suite.services.engine.db.selectFrom("alerts").selectAll().where("user_id", "=", screened.actor.userId).execute();
      expect(alerts).toEqual([]);
      // A pasted id of the walled client finds nothing either.
      expect((await lookup(screened, "clients", ids.walled!)).json().items).toEqual([]);
      expect((await lookup(partner, "clients", ids.walled!)).json().items.map((c: Item) => c.name)).toEqual(["欧阳锋"]);
    });

    it("names up to 50 clients by id in one request: those the caller may see, each audited, in one unit of work", async () => {
      const byId = (user: TestUser, list: unknown, purpose: string | undefined = "case-handling") =>
        suite.app.inject({ method: "POST", url: "/api/v1/lookup/clients/by-id", headers: auth(user.token, purpose), payload: { ids: list } });
      const unknown = "00000000-0000-4000-8000-000000000000";
      const asked = [ids.nana!, ids.walled!, ids.xiu!, unknown, ids.nana!.toUpperCase()];
      const before = (await eventsOf(screened.actor.userId)).length;
      const res = await byId(screened, asked);
      expect(res.statusCode, res.body).toBe(200);
      // The walled client and the unknown id are simply not named; a repeated id is named once.
      expect((res.json().items as Item[]).map((c) => c.name).sort()).toEqual(["欧阳修", "欧阳娜娜"].sort());
      const events = (await eventsOf(screened.actor.userId)).slice(before);
      expect(events.map((e) => [e.action, e.target_id]).sort()).toEqual(
        [
          ["client.list_item", ids.nana],
          ["client.list_item", ids.xiu],
          ["client.lookup", null],
        ].sort(),
      );
      expect(new Set(events.map((e) => e.request_id)).size).toBe(1);
      // A lawyer reaches only the client of their matter.
      expect(((await byId(lawyer, [ids.nana!, ids.xiu!])).json().items as Item[]).map((c) => c.name)).toEqual(["欧阳修"]);
      // Bad input: not ids, too many, none; a purpose is needed.
      const notIds = await byId(partner, ["欧阳"]);
      expect([notIds.statusCode, notIds.json().error.code, notIds.json().error.fields?.[0]?.field]).toEqual([400, "validation_error", "ids.0"]);
      expect(
        (
          await byId(
            partner,
            Array.from({ length: 51 }, () => unknown),
          )
        ).statusCode,
      ).toBe(400);
      expect((await byId(partner, [])).statusCode).toBe(400);
      const none = await byId(partner, [ids.nana!], "");
      expect([none.statusCode, none.json().error.code]).toEqual([400, "purpose_required"]);
    });

    it("narrows to need-to-know and needs a declared purpose", async () => {
      expect(await names(lawyer, "欧阳")).toEqual(["欧阳修"]);
      const none = await lookup(lawyer, "clients", "欧阳", "");
      expect([none.statusCode, none.json().error.code]).toEqual([400, "purpose_required"]);
      const auditor = await buildUser(suite.services, "auditor");
      const refused = await lookup(auditor, "clients", "欧阳");
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "role_lacks_permission"]);
    });

    it("looks matters up by number or title prefix, only those the caller may see", async () => {
      const m = await buildMatter(suite.services, partner.actor, ids.walled!, [], { number: `2099-刑-${stamp}`, title: "欧阳锋案" });
      const byNumber = await lookup(partner, "matters", "2099-刑");
      expect(byNumber.json().items.map((i: { id: string; title: string }) => [i.id, i.title])).toEqual([[m.id, "欧阳锋案"]]);
      expect((await lookup(screened, "matters", "2099-刑")).json().items).toEqual([]);
      const byTitle = await lookup(lawyer, "matters", "欧阳修诉");
      expect(byTitle.json().items.map((i: { clientId: string }) => i.clientId)).toEqual([ids.xiu]);
      expect((await lookup(lawyer, "matters", "欧阳锋")).json().items).toEqual([]);
      expect((await lookup(lawyer, "matters", m.id)).json().items).toEqual([]);
      expect((await lookup(partner, "matters", m.id)).json().items.map((i: { number: string }) => i.number)).toEqual([`2099-刑-${stamp}`]);
    });

    it("looks staff up by name or email prefix and answers the directory's fields, never an email", async () => {
      const name = staffNameOf(lawyer);
      const res = await lookup(partner, "staff", name.slice(0, 10));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items).toEqual([
        { id: lawyer.actor.userId, displayName: name, role: "lawyer", status: "active", eligibleAs: { responsiblePartner: false, wallOwner: false } },
      ]);
      expect(res.body).not.toContain("@");
      const partners = await lookup(lawyer, "staff", "partner-");
      expect(partners.json().items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([partner.actor.userId, screened.actor.userId]));
    });
  });
}
