/**
 * The partner register (issue #13, first half): register, due diligence with risk reasons,
 * contracts, impact assessments and transfer bases, the sharing rule through its loader, the
 * attention query, audit events, and who may manage it — on both engines, through the API.
 */
import type { FastifyInstance } from "fastify";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { partnerSharingDecision, type PartnerSharingRequest } from "../src/access/policy/partner-sharing.js";
import { partnersNeedingAttention } from "../src/governance/partners/partner-attention.js";
import type { JobContext } from "../src/governance/jobs/job.js";
import { jobNamed } from "../src/governance/jobs/job-registry.js";
import { partnerSharingFacts } from "../src/governance/partners/partner-facts.js";
import { deletePia } from "../src/governance/partners/partner-transfers.js";
import { addPartnerCommands } from "../src/governance/partners/partners-cli.js";
import type { Services } from "../src/platform/services.js";
import { openIncident } from "../src/response/incidents/incident-commands.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, contextFor, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { day, GOOD_ANSWERS } from "./support/partners.js";

const CONTACT = { name: "陈静怡", email: "chen.jingyi@translate.example.cn", phone: "13755550123" };
const ALL_MET = Object.fromEntries(
  ["purpose", "period", "method", "categories", "protection_measures", "rights_and_duties", "return_or_deletion"].map((k) => [k, { met: true, note: null }]),
);

for (const dialect of DIALECTS) {
  describe(`${dialect}: partner register, due diligence, contracts and transfer bases`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser, partner: TestUser, lawyer: TestUser, auditor: TestUser;
    let translatorId: string;

    const call = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, user: TestUser, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token), ...(payload ? { payload } : {}) });
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const create = async (body: object) => {
      const res = await call("POST", "/partners", compliance, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; [k: string]: unknown };
    };
    const decideFor = (id: string, request: PartnerSharingRequest, at = new Date()) =>
      services.engine.db.transaction().execute(async (tx) => {
        const facts = await partnerSharingFacts(tx, id, at);
        expect(facts).not.toBeNull();
        return partnerSharingDecision(facts!, request, at);
      });
    const reasonFor = async (id: string, request: Partial<PartnerSharingRequest> = {}) => {
      const d = await decideFor(id, { level: 2, categories: ["identity"], gdprClient: false, ...request });
      return d.effect === "deny" ? d.reason : "allow";
    };

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      compliance = await buildUser(services, "compliance");
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      auditor = await buildUser(services, "auditor");
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("registers a partner with sealed contacts, and audits it without personal data", async () => {
      const p = await create({
        name: "信达翻译有限公司",
        kind: "translator",
        piplRole: "entrusted_processor",
        jurisdiction: "CN",
        services: "Certified translation of court filings",
        dataCategories: ["identity", "case_file"],
        maxLevel: 3,
        contacts: [CONTACT],
      });
      translatorId = p.id;
      expect(p).toMatchObject({
        status: "prospective",
        crossBorder: false,
        risk: null,
        readiness: { ready: false, reason: "partner_not_active" },
        contacts: [{ name: CONTACT.name, email: CONTACT.email, phone: CONTACT.phone }],
      });
      const rows = await services.engine.db.selectFrom("partner_contacts").selectAll().where("partner_id", "=", p.id).execute();
      expect(rows).toHaveLength(1);
      for (const secret of Object.values(CONTACT)) expect(JSON.stringify(rows)).not.toContain(secret);
      const event = await lastEvent(compliance.actor.userId);
      expect(event).toMatchObject({ action: "partner.create", outcome: "success", target_id: p.id });
      for (const secret of Object.values(CONTACT)) expect(JSON.stringify(event)).not.toContain(secret);

      // Partners and lawyers read the register; the lawyer sees the contact they will work with.
      const listed = await call("GET", "/partners", lawyer);
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().items).toEqual([expect.objectContaining({ id: p.id, status: "prospective", risk: null })]);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "partner.list", outcome: "success" });
      const read = await call("GET", `/partners/${p.id}`, partner);
      expect(read.json().contacts[0].email).toBe(CONTACT.email);
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "partner.read", outcome: "success", target_id: p.id });
    });

    it("refuses management to a lawyer and reading to an auditor: 403, audited", async () => {
      const refused = await call("POST", "/partners", lawyer, { name: "X", kind: "vendor", piplRole: "independent_handler", jurisdiction: "CN", maxLevel: 1 });
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "partner.create", outcome: "denied", reason: "role_lacks_permission" });
      const assess = await call("POST", `/partners/${translatorId}/assessments`, lawyer, { answers: GOOD_ANSWERS });
      expect(assess.statusCode).toBe(403);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "partner.assess", outcome: "denied", target_id: translatorId });
      const read = await call("GET", `/partners/${translatorId}`, auditor);
      expect([read.statusCode, read.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(auditor.actor.userId)).toMatchObject({ action: "partner.read", outcome: "denied" });
      const missing = await call("GET", "/partners/00000000-0000-7000-8000-000000000000", compliance);
      expect(missing.statusCode).toBe(404);
    });

    it("scores assessments with the answers that raised the risk, and sets the re-assessment date", async () => {
      const high = await call("POST", `/partners/${translatorId}/assessments`, compliance, {
        assessedOn: "2026-01-10",
        answers: { ...GOOD_ANSWERS, breach_history: "major", iso27001: "no", notes: "Breach in 2025 at a subcontractor" },
      });
      expect(high.statusCode, high.body).toBe(201);
      expect(high.json()).toMatchObject({
        riskLevel: "high",
        reasons: [
          { question: "iso27001", answer: "no", risk: "medium" },
          { question: "breach_history", answer: "major", risk: "high" },
        ],
        reassessmentDueOn: "2026-07-10",
      });
      const event = await lastEvent(compliance.actor.userId);
      expect(event).toMatchObject({ action: "partner.assess", outcome: "success" });
      expect(JSON.parse(event.details!)).toMatchObject({ riskLevel: "high", raisedBy: ["iso27001", "breach_history"] });
      expect(event.details).not.toContain("subcontractor");

      const bad = await call("POST", `/partners/${translatorId}/assessments`, compliance, { answers: { iso27001: "maybe", unknown_q: "yes" } });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.fields.map((f: { code: string }) => f.code)
          .sort(),
      ).toEqual(["unknown_answer", "unknown_question"]);

      const low = await call("POST", `/partners/${translatorId}/assessments`, compliance, { answers: GOOD_ANSWERS });
      expect(low.json()).toMatchObject({ riskLevel: "low", reasons: [], reassessmentDueOn: day(0).replace(/^(\d{4})/, (y) => String(Number(y) + 1)) });
      expect(low.json().partner.risk).toMatchObject({ level: "low", overdue: false });
      expect(low.json().partner.assessments).toHaveLength(2);
    });

    it("keeps the questionnaire as editable data in both languages", async () => {
      const q = await call("GET", "/partners/questionnaire", partner);
      expect(q.statusCode).toBe(200);
      const items = q.json().items as { code: string; textZh: string; textEn: string }[];
      expect(items.map((i) => i.code)).toEqual(expect.arrayContaining(["mlps_level", "iso27001", "breach_history", "sub_processors", "data_location"]));
      expect(items.every((i) => i.textZh && i.textEn)).toBe(true);
      const edit = await call("PATCH", "/partners/questionnaire/iso27001", compliance, { riskByAnswer: { yes: "low", no: "high" } });
      expect(edit.json()).toMatchObject({ code: "iso27001", riskByAnswer: { no: "high" } });
      const p = await create({ name: "Edited Q Ltd", kind: "vendor", piplRole: "independent_handler", jurisdiction: "CN", maxLevel: 1 });
      const scored = await call("POST", `/partners/${p.id}/assessments`, compliance, { answers: { ...GOOD_ANSWERS, iso27001: "no" } });
      expect(scored.json().riskLevel).toBe("high");
      await call("PATCH", "/partners/questionnaire/iso27001", compliance, { riskByAnswer: { yes: "low", no: "medium" } });
      expect((await call("PATCH", "/partners/questionnaire/iso27001", lawyer, { active: false })).statusCode).toBe(403);
    });

    it("records contracts with the Art 21 checklist and an attachment by document id", async () => {
      const res = await call("POST", `/partners/${translatorId}/contracts`, compliance, {
        kind: "entrusted_processing",
        version: "v2",
        signedOn: day(-30),
        expiresOn: day(365),
        obligations: { ...ALL_MET, return_or_deletion: { met: false, note: "Clause 9 pending" } },
      });
      expect(res.statusCode, res.body).toBe(201);
      const contract = res.json().contracts[0];
      expect(contract).toMatchObject({ kind: "entrusted_processing", version: "v2", current: true, documentId: null });
      expect(contract.obligations.return_or_deletion).toEqual({ met: false, note: "Clause 9 pending" });
      expect(JSON.parse((await lastEvent(compliance.actor.userId)).details!)).toMatchObject({ unmetObligations: ["return_or_deletion"] });
      const ghost = await call("POST", `/partners/${translatorId}/contracts`, compliance, {
        kind: "nda",
        version: "1",
        signedOn: day(-1),
        documentId: "00000000-0000-7000-8000-000000000001",
      });
      expect(ghost.statusCode).toBe(404);
    });

    it("applies every reason code of the sharing rule through the loader", async () => {
      const p = await create({
        name: "Lion City Experts Pte Ltd",
        kind: "expert",
        piplRole: "independent_handler",
        jurisdiction: "SG",
        dataCategories: ["identity", "case_notes"],
        maxLevel: 3,
      });
      const id = p.id;
      expect(await reasonFor(id)).toBe("partner_not_active");
      await call("PATCH", `/partners/${id}`, compliance, { status: "active" });
      expect(await reasonFor(id)).toBe("partner_not_assessed");
      await call("POST", `/partners/${id}/assessments`, compliance, { assessedOn: "2024-01-01", answers: GOOD_ANSWERS });
      expect(await reasonFor(id)).toBe("partner_assessment_overdue");
      await call("POST", `/partners/${id}/assessments`, compliance, { answers: { ...GOOD_ANSWERS, encryption_in_transit: "no" } });
      expect(await reasonFor(id)).toBe("partner_high_risk");
      await call("POST", `/partners/${id}/assessments`, compliance, { answers: GOOD_ANSWERS });
      expect(await reasonFor(id)).toBe("partner_no_nda");
      const expired = await call("POST", `/partners/${id}/contracts`, compliance, { kind: "nda", version: "1", signedOn: day(-400), expiresOn: day(-1) });
      expect(expired.statusCode).toBe(201);
      expect(await reasonFor(id)).toBe("partner_contract_expired");
      const nda = await call("POST", `/partners/${id}/contracts`, compliance, { kind: "nda", version: "2", signedOn: day(-1), expiresOn: day(20) });
      expect(await reasonFor(id, { level: 4 })).toBe("partner_level_exceeded");
      expect(await reasonFor(id, { categories: ["government_id"] })).toBe("partner_category_not_allowed");
      expect(await reasonFor(id)).toBe("transfer_basis_missing");
      const withBasis = await call("POST", `/partners/${id}/transfers`, compliance, {
        destination: "SG",
        mechanism: "standard_contract_filing",
        reference: "SCF-2026-0042",
        validFrom: day(-10),
      });
      expect(withBasis.statusCode, withBasis.body).toBe(201);
      expect(withBasis.json().transferBases[0]).toMatchObject({ regime: "pipl", verified: false, current: true });
      expect(await reasonFor(id)).toBe("pia_missing");
      const pia = await call("POST", `/partners/${id}/pias`, compliance, {
        conductedOn: day(-5),
        summary: "Transfer of case notes to an expert in Singapore; measures adequate.",
        conclusion: "acceptable_with_measures",
      });
      expect(pia.statusCode, pia.body).toBe(201);
      // An unverified basis suffices, flagged; once verified, no warning.
      expect(await decideFor(id, { level: 3, categories: ["identity", "case_notes"], gdprClient: false })).toEqual({
        effect: "allow",
        warnings: ["transfer_basis_unverified"],
      });
      const basisId = withBasis.json().transferBases[0].id;
      const verified = await call("PUT", `/partners/${id}/transfers/${basisId}/verified`, compliance, { verified: true });
      expect(verified.json().transferBases[0].verified).toBe(true);
      expect(await decideFor(id, { level: 3, categories: ["identity"], gdprClient: false })).toEqual({ effect: "allow", warnings: [] });
      // An EU client's data to Singapore also needs a GDPR Chapter V basis.
      expect(await reasonFor(id, { gdprClient: true })).toBe("transfer_basis_missing");
      await call("POST", `/partners/${id}/transfers`, compliance, {
        destination: "SG",
        mechanism: "sccs",
        reference: "SCC 2021/914 M1",
        validFrom: day(-1),
        verified: true,
      });
      expect(await reasonFor(id, { gdprClient: true })).toBe("allow");
      // Ending the NDA early ends sharing.
      const ndaId = nda.json().contracts.find((c: { version: string }) => c.version === "2").id;
      const ended = await call("POST", `/partners/${id}/contracts/${ndaId}/terminate`, compliance, { on: day(0) });
      expect(ended.statusCode, ended.body).toBe(200);
      expect(await reasonFor(id)).toBe("partner_contract_expired");
      const listed = (await call("GET", "/partners?status=active", compliance)).json().items as { id: string; readiness: { reason: string } }[];
      expect(listed.find((x) => x.id === id)?.readiness).toEqual({ ready: false, reason: "partner_contract_expired" });
    });

    it("keeps an impact assessment three years: deletion refused before, audited", async () => {
      const p = await create({ name: "Euro Counsel GmbH", kind: "co_counsel", piplRole: "independent_handler", jurisdiction: "DE", maxLevel: 2 });
      const added = await call("POST", `/partners/${p.id}/pias`, compliance, {
        conductedOn: "2026-01-15",
        summary: "PIA for co-counsel",
        conclusion: "acceptable",
      });
      const pia = added.json().pias[0];
      expect(pia).toMatchObject({ keepUntil: "2029-01-15", summary: "PIA for co-counsel" });
      const sealed = await services.engine.db.selectFrom("partner_pias").selectAll().where("id", "=", pia.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(sealed)).not.toContain("co-counsel");
      const refused = await call("DELETE", `/partners/${p.id}/pias/${pia.id}`, compliance);
      expect([refused.statusCode, refused.json().error.code]).toEqual([409, "pia_retention_period"]);
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "partner.pia.delete", outcome: "denied", reason: "pia_retention_period" });
      expect(await services.engine.db.selectFrom("partner_pias").select("id").where("id", "=", pia.id).executeTakeFirst()).toBeDefined();
      const ctx = contextFor(compliance.actor, null);
      await expect(deletePia(services, ctx, p.id, pia.id, new Date("2029-01-14T12:00:00Z"))).rejects.toMatchObject({ code: "pia_retention_period" });
      const after = await deletePia(services, ctx, p.id, pia.id, new Date("2029-01-15T12:00:00Z"));
      expect(after.pias).toEqual([]);
    });

    it("records partner incidents linked to a Custodia incident, sealed", async () => {
      const incident = await openIncident(services, contextFor(compliance.actor, null), {
        source: "partner",
        category: "unauthorised_access",
        cause: "credential_compromise",
        measures: ["credentials_revoked"],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: true,
        euSubjects: false,
        contact: "privacy@firm.test",
      } as Parameters<typeof openIncident>[2]);
      const res = await call("POST", `/partners/${translatorId}/incidents`, compliance, {
        occurredOn: day(-2),
        description: "Translator's mailbox compromised",
        clientDataInvolved: true,
        incidentId: incident.id,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().incidents[0]).toMatchObject({ clientDataInvolved: true, incidentId: incident.id, description: "Translator's mailbox compromised" });
      const row = await services.engine.db.selectFrom("partner_incidents").selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain("mailbox");
      const unknown = await call("POST", `/partners/${translatorId}/incidents`, compliance, {
        occurredOn: day(-2),
        description: "x",
        clientDataInvolved: false,
        incidentId: "00000000-0000-7000-8000-000000000002",
      });
      expect(unknown.statusCode).toBe(404);
    });

    it("lists contracts expiring within 30 days and overdue re-assessments for attention", async () => {
      const p = await create({ name: "Cloud Vault Co", kind: "cloud_provider", piplRole: "entrusted_processor", jurisdiction: "CN", maxLevel: 4 });
      const soon = (
        await call("POST", `/partners/${p.id}/contracts`, compliance, { kind: "dpa", version: "1", signedOn: day(-300), expiresOn: day(10) })
      ).json();
      await call("POST", `/partners/${p.id}/contracts`, compliance, { kind: "nda", version: "1", signedOn: day(-300), expiresOn: day(60) });
      const attention = await services.engine.db.transaction().execute((tx) => partnersNeedingAttention(tx, new Date()));
      expect(attention.filter((a) => a.partnerId === p.id)).toEqual([
        { kind: "contract_expiring", partnerId: p.id, contractId: soon.contracts[0].id, contractKind: "dpa", expiresOn: day(10) },
      ]);
      // The daily job tells every compliance officer once per item, in the inbox.
      const remind = () => jobNamed("partner-reminders").run({ services } as JobContext, new Date());
      expect(await remind()).toMatchObject({ outcome: "ok" });
      const inbox = () =>
        services.engine.db
          .selectFrom("notifications")
          .select("payload")
          .where("user_id", "=", compliance.actor.userId)
          .where("event_kind", "=", "partner.attention")
          .execute();
      const told = (await inbox()).map((n) => JSON.parse(n.payload).data).filter((d) => d.partnerId === p.id);
      expect(told).toEqual([{ partnerId: p.id, reason: "contract_expiring", dueOn: day(10) }]);
      expect(await remind()).toMatchObject({ outcome: "skipped", code: "nothing_new" });
      expect((await inbox()).map((n) => JSON.parse(n.payload).data).filter((d) => d.partnerId === p.id)).toHaveLength(1);
      // An ended partner's contracts are no longer anyone's concern.
      await call("PATCH", `/partners/${p.id}`, compliance, { status: "ended" });
      const ended = await services.engine.db.transaction().execute((tx) => partnersNeedingAttention(tx, new Date()));
      expect(ended.filter((a) => a.partnerId === p.id)).toEqual([]);
      // The translator's assessment is current now; in 13 months it is overdue.
      expect(attention.some((a) => a.partnerId === translatorId && a.kind === "reassessment_overdue")).toBe(false);
      const later = await services.engine.db.transaction().execute((tx) => partnersNeedingAttention(tx, new Date(Date.now() + 400 * 86_400_000)));
      expect(later).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "reassessment_overdue", partnerId: translatorId })]));
    });

    it("custodia partners add | assess | contract add | transfer add | list | show, as console compliance", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, db.env);
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      const cli = (...args: string[]) => {
        const program = new Command("custodia").exitOverride();
        addPartnerCommands(program);
        return program.parseAsync(["partners", ...args, "--json"], { from: "user" });
      };
      try {
        await cli(
          "add",
          "--name",
          "HK Bridge Consulting",
          "--kind",
          "vendor",
          "--pipl-role",
          "entrusted_processor",
          "--jurisdiction",
          "hk",
          "--max-level",
          "2",
          "--categories",
          "identity,contact",
          "--status",
          "active",
        );
        const id = JSON.parse(out.at(-1)!).id as string;
        await cli("assess", id, "--answer", "iso27001=no", "--answer", "encryption_in_transit=yes");
        expect(JSON.parse(out.at(-1)!)).toMatchObject({ riskLevel: "high" });
        await cli("contract", "add", id, "--kind", "dpa", "--version", "3", "--signed", day(-1), "--met", "purpose,period");
        const contract = JSON.parse(out.at(-1)!).contracts[0];
        expect(contract.obligations).toMatchObject({ purpose: { met: true }, period: { met: true }, method: { met: false } });
        await cli("transfer", "add", id, "--destination", "HK", "--mechanism", "standard_contract_filing", "--reference", "SCF-HK-1", "--from", day(-1));
        expect(JSON.parse(out.at(-1)!).transferBases[0]).toMatchObject({ destination: "HK", verified: false });
        await cli("list");
        expect(JSON.parse(out.at(-1)!).items).toEqual(
          expect.arrayContaining([expect.objectContaining({ id, jurisdiction: "HK", risk: expect.objectContaining({ level: "high" }) })]),
        );
        await cli("show", id);
        expect(JSON.parse(out.at(-1)!)).toMatchObject({ id, readiness: { ready: false, reason: "partner_high_risk" } });
        await cli("add", "--name", "Bad", "--kind", "vendor", "--pipl-role", "entrusted_processor", "--jurisdiction", "China", "--max-level", "9");
        expect(JSON.parse(out.at(-1)!).error).toMatchObject({ code: "validation_error" });
        expect(process.exitCode).toBe(1);
      } finally {
        process.exitCode = 0;
        log.mockRestore();
        process.env = saved;
      }
      const events = await services.engine.db.selectFrom("audit_events").select(["action", "actor_id"]).where("action", "=", "partner.contract.add").execute();
      expect(events.some((e) => e.actor_id === "system:console")).toBe(true);
    });
  });
}
