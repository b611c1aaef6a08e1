/**
 * Disclosures (issue #13, APR-2, VEN-2/3, CON-2, RET-3), on both engines, through the API where a
 * caller would use it: sharing two clients under a profile that masks ID numbers and keeps the
 * birth year only (the package bytes scanned), the disclosure in both access packages, the partner's
 * holdings and one audit event per client; each refusal with its reason code, audited, and nothing
 * written; a walled lawyer answered as a read is; and destruction asking the outside holder back,
 * with the confirmation on the certificate.
 */
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decideApproval } from "../src/access/approvals/approval-decider.js";
import { requestApproval } from "../src/access/approvals/approval-requester.js";
import { createWall } from "../src/access/walls/wall-creator.js";
import { assessPartner } from "../src/governance/partners/partner-assessments.js";
import { addContract } from "../src/governance/partners/partner-contracts.js";
import { AssessmentInput, ContractInput, PartnerCreateInput } from "../src/governance/partners/partner-inputs.js";
import { createPartner } from "../src/governance/partners/partner-register.js";
import { decideDestruction, executeDestruction, readCertificate, requestDestruction } from "../src/governance/retention/destruction.js";
import { addPeriod } from "../src/governance/retention/retention-schedule.js";
import { requestReturn } from "../src/records/disclosures/disclosure-returns.js";
import { addDisclosureCommands } from "../src/records/disclosures/disclosures-cli.js";
import type { Services } from "../src/platform/services.js";
import { buildAccessPackage } from "../src/rights/requests/access-package.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { day, GOOD_ANSWERS } from "./support/partners.js";

const PURPOSE = "case-handling";

for (const dialect of DIALECTS) {
  describe(`${dialect}: disclosures to partners`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let owner: TestUser, lawyer: TestUser, walledLawyer: TestUser, compliance: TestUser, compliance2: TestUser;
    let cnPartner: string, noNdaPartner: string, sgPartner: string;
    const people = [
      { birth: "19850612", birthDate: "1985-06-12", name: "王小明", phone: "13912345678" },
      { birth: "19900304", birthDate: "1990-03-04", name: "李晓红", phone: "13811112222" },
    ];
    const clients: { id: string; idNumber: string; birthDate: string; name: string; phone: string }[] = [];
    let firstDisclosure: string;

    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token), ...(payload ? { payload } : {}) });
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const count = async (table: "disclosures" | "disclosure_holdings" | "email_outbox") =>
      Number(
        (
          await services.engine.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const approveDisclosure = async (requester: TestUser, clientId: string) => {
      const req = await requestApproval(services, contextFor(requester.actor, null), {
        kind: "disclose",
        clientId,
        purpose: PURPOSE,
        justification: "client_instruction",
        durationMinutes: 60,
      });
      await decideApproval(services, contextFor(owner.actor, null), req.id, "approve");
      await decideApproval(services, contextFor(compliance.actor, null), req.id, "approve");
    };
    const newPartner = async (body: object, nda = true) => {
      const ctx = contextFor(compliance.actor, null);
      const p = await createPartner(
        services,
        ctx,
        PartnerCreateInput.parse({
          kind: "expert",
          piplRole: "independent_handler",
          maxLevel: 3,
          dataCategories: ["identity", "government_id", "processing"],
          status: "active",
          ...body,
        }),
      );
      await assessPartner(services, ctx, p.id, AssessmentInput.parse({ answers: GOOD_ANSWERS }));
      if (nda) await addContract(services, ctx, p.id, ContractInput.parse({ kind: "nda", version: "1", signedOn: day(-30) }));
      return p.id;
    };
    const newClient = async (i: number, team: TestUser[]) => {
      const person = people[i % people.length]!;
      const idNumber = residentId(person.birth);
      const c = await buildClient(services, owner.actor, { idNumber, birthDate: person.birthDate, name: person.name, phone: person.phone });
      const matter = await buildMatter(
        services,
        owner.actor,
        c.id,
        team.map((u) => ({ userId: u.actor.userId, role: "member" as const })),
      );
      return { id: c.id, idNumber, birthDate: person.birthDate, name: person.name, phone: person.phone, matterId: matter.id };
    };
    const disclose = (user: TestUser, body: Partial<{ partnerId: string; clientIds: string[]; profileCode: string; legalBasis: string }>) =>
      call("POST", "/disclosures", user, { profileCode: "masked_ids_birth_year", purpose: PURPOSE, legalBasis: "contract", ...body });
    /** A refusal's status and code (its audit event and the absence of writes are checked by each test). */
    const expectRefused = (res: { statusCode: number; body: string }, status: number, code: string) =>
      expect([res.statusCode, JSON.parse(res.body).error?.code], res.body).toEqual([status, code]);

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      owner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      walledLawyer = await buildUser(services, "lawyer");
      compliance = await buildUser(services, "compliance");
      compliance2 = await buildUser(services, "compliance");
      // A disclosure needs the requester's supervisor as one of its two approvers (APR-2).
      await sql`update users set supervisor_id = ${owner.actor.userId} where id in (${lawyer.actor.userId}, ${walledLawyer.actor.userId})`.execute(
        services.engine.db,
      );
      cnPartner = await newPartner({ name: "华信司法鉴定所", jurisdiction: "CN", contacts: [{ name: "陈静怡", email: "chen.jingyi@expert.example.cn" }] });
      noNdaPartner = await newPartner({ name: "未签约鉴定所", jurisdiction: "CN" }, false);
      sgPartner = await newPartner({ name: "Lion City Forensics Pte Ltd", jurisdiction: "SG" });
      for (let i = 0; i < 2; i++) clients.push(await newClient(i, [lawyer]));
      for (const c of clients) await approveDisclosure(lawyer, c.id);
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("refuses a partner without a current NDA: partner_no_nda, audited, nothing written", async () => {
      const before = [await count("disclosures"), await count("disclosure_holdings")];
      const res = await disclose(lawyer, { partnerId: noNdaPartner, clientIds: clients.map((c) => c.id) });
      expectRefused(res, 403, "partner_no_nda");
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({
        action: "client.disclose",
        outcome: "denied",
        reason: "partner_no_nda",
        target_id: noNdaPartner,
      });
      expect([await count("disclosures"), await count("disclosure_holdings")]).toEqual(before);
      // The grants were not used up by the refusal.
      const live = await services.engine.db
        .selectFrom("access_grants")
        .select("id")
        .where("user_id", "=", lawyer.actor.userId)
        .where("kind", "=", "disclose")
        .where("revoked_at", "is", null)
        .execute();
      expect(live).toHaveLength(2);
    });

    it("refuses a partner in another jurisdiction without a transfer basis: transfer_basis_missing", async () => {
      const before = await count("disclosures");
      const res = await disclose(lawyer, { partnerId: sgPartner, clientIds: [clients[0]!.id] });
      expectRefused(res, 403, "transfer_basis_missing");
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "client.disclose", outcome: "denied", reason: "transfer_basis_missing" });
      expect(await count("disclosures")).toBe(before);
    });

    it("refuses without the client's consent to this recipient where the basis needs it: recipient_consent_required", async () => {
      const before = await count("disclosures");
      const res = await disclose(lawyer, { partnerId: cnPartner, clientIds: clients.map((c) => c.id), legalBasis: "consent" });
      expectRefused(res, 403, "recipient_consent_required");
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({
        action: "client.disclose",
        outcome: "denied",
        reason: "recipient_consent_required",
        target_type: "client",
        target_id: clients[0]!.id,
      });
      // Sensitive data in full under a contract needs it too (PIPL Art 29): court_filing keeps the ID number.
      const court = await disclose(lawyer, { partnerId: cnPartner, clientIds: [clients[0]!.id], profileCode: "court_filing" });
      // … but this partner may not receive L4 at all, which the partner rule says first.
      expect([court.statusCode, court.json().error.code]).toEqual([403, "partner_level_exceeded"]);
      expect(await count("disclosures")).toBe(before);
    });

    it("refuses a client without an approved disclose grant: approval_required", async () => {
      const other = await newClient(0, [lawyer]);
      const before = await count("disclosures");
      const res = await disclose(lawyer, { partnerId: cnPartner, clientIds: [clients[0]!.id, other.id] });
      expectRefused(res, 403, "approval_required");
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({
        action: "client.disclose",
        outcome: "denied",
        reason: "approval_required",
        target_id: other.id,
      });
      expect(await count("disclosures")).toBe(before);
    });

    it("refuses a walled lawyer as a read is refused: 404, audited as screened_by_wall", async () => {
      const walled = await newClient(1, [walledLawyer]);
      await approveDisclosure(walledLawyer, walled.id);
      await createWall(services, contextFor(owner.actor, null), {
        reason: "conflict_of_interest",
        clientIds: [walled.id],
        screenedUserIds: [walledLawyer.actor.userId],
      });
      const res = await disclose(walledLawyer, { partnerId: cnPartner, clientIds: [walled.id] });
      expect([res.statusCode, res.json().error.code]).toEqual([404, "not_found"]);
      expect(await lastEvent(walledLawyer.actor.userId)).toMatchObject({
        action: "client.disclose",
        outcome: "denied",
        reason: "screened_by_wall",
        target_id: walled.id,
      });
      // A paralegal holds no client.disclose at all.
      const paralegal = await buildUser(services, "paralegal");
      const p = await disclose(paralegal, { partnerId: cnPartner, clientIds: [walled.id] });
      expect([p.statusCode, p.json().error.code]).toEqual([403, "role_lacks_permission"]);
    });

    it("shares two clients under masked_ids_birth_year: no full ID number or birth date leaves", async () => {
      const res = await disclose(lawyer, { partnerId: cnPartner, clientIds: clients.map((c) => c.id) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers["cache-control"]).toBe("no-store");
      const body = res.json();
      firstDisclosure = body.disclosureId;
      expect(body).toMatchObject({ partner: { id: cnPartner }, profile: { code: "masked_ids_birth_year", version: 1, sealed: false }, warnings: [] });
      const json: string = body.package.json;
      const csv: string = body.package.csv;
      const parsed = JSON.parse(json) as { manifest: { recordCount: number; fields: { field: string; rule: string }[] }; records: Record<string, string>[] };
      expect(parsed.manifest.recordCount).toBe(2);
      expect(parsed.records.map((r) => r.birthDate).sort()).toEqual(["1985", "1990"]);
      for (const bytes of [json, csv]) {
        for (const c of clients) {
          const [y, m, d] = c.birthDate.split("-");
          const forms = [
            c.idNumber,
            c.birthDate,
            `${y}${m}${d}`,
            `${y}/${m}/${d}`,
            `${y}.${m}.${d}`,
            `${d}/${m}/${y}`,
            `${m}/${d}/${y}`,
            `${y}年${Number(m)}月${Number(d)}日`,
            `${y}年${m}月${d}日`,
          ];
          for (const f of forms) expect(bytes.includes(f), `package contains ${f}`).toBe(false);
          expect(bytes.includes(c.name)).toBe(false);
          expect(bytes.includes(c.phone)).toBe(false);
          expect(bytes.includes(c.id)).toBe(false);
          // The masked ID number did leave: region prefix, stars, and nothing of the birth date.
          expect(bytes).toContain(`${c.idNumber.slice(0, 6)}********`);
        }
      }
      // Stored: the manifest and digests, never the rows.
      const stored = await services.engine.db.selectFrom("disclosures").selectAll().where("id", "=", firstDisclosure).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({
        partner_id: cnPartner,
        requester_id: lawyer.actor.userId,
        purpose: PURPOSE,
        legal_basis: "contract",
        profile_code: "masked_ids_birth_year",
      });
      expect(stored.json_sha256).toBe(body.record.jsonSha256);
      for (const c of clients) expect(JSON.stringify(stored)).not.toContain(c.idNumber.slice(6, 14));
    });

    it("records one client.disclose event per client, uses up the grants, and lists the holdings", async () => {
      const events = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "client.disclose")
        .where("outcome", "=", "success")
        .orderBy("seq")
        .execute();
      expect(events.map((e) => e.target_id).sort()).toEqual(clients.map((c) => c.id).sort());
      for (const e of events) {
        const details = JSON.parse(e.details!);
        expect(details).toMatchObject({ disclosureId: firstDisclosure, partnerId: cnPartner, profile: "masked_ids_birth_year@1" });
        expect(details.fields).toContain("idNumber:mask");
        for (const c of clients) expect(e.details).not.toContain(c.idNumber);
      }
      const live = await services.engine.db
        .selectFrom("access_grants")
        .select("id")
        .where("user_id", "=", lawyer.actor.userId)
        .where("kind", "=", "disclose")
        .where("revoked_at", "is", null)
        .execute();
      expect(live).toHaveLength(0);
      // A second disclosure on the same approvals is refused: one approval, one disclosure.
      const again = await disclose(lawyer, { partnerId: cnPartner, clientIds: [clients[0]!.id] });
      expect([again.statusCode, again.json().error.code]).toEqual([403, "approval_required"]);

      const holdings = await call("GET", `/partners/${cnPartner}/holdings`, lawyer);
      expect(holdings.statusCode, holdings.body).toBe(200);
      expect(holdings.json()).toMatchObject({ partnerId: cnPartner, outstanding: 2 });
      expect(
        holdings
          .json()
          .disclosures[0].holdings.map((h: { clientId: string; status: string }) => [h.clientId, h.status])
          .sort(),
      ).toEqual(clients.map((c) => [c.id, "held"]).sort());
      const listed = await call("GET", `/disclosures?clientId=${clients[1]!.id}`, compliance);
      expect(listed.json().items.map((d: { id: string }) => d.id)).toEqual([firstDisclosure]);
      const one = await call("GET", `/disclosures/${firstDisclosure}`, compliance);
      expect(one.json().holdings[0].fields.map((f: { field: string }) => f.field)).toContain("birthDate");
    });

    it("shows the disclosure in both clients' access packages", async () => {
      for (const c of clients) {
        const pkg = await services.engine.db.transaction().execute((tx) => buildAccessPackage(services, tx, "access", c.id, "req-test", "en", new Date()));
        expect(pkg.disclosures).toHaveLength(1);
        expect(pkg.disclosures[0]).toMatchObject({ recipient: "华信司法鉴定所", jurisdiction: "CN", status: "held by the recipient" });
        expect(pkg.disclosures[0]!.fields).toContain("Identifier number (masked)");
        expect(pkg.accessHistory.some((a) => a.action === "client.disclose")).toBe(true);
      }
    });

    it("shares under consent once the client consented to this recipient", async () => {
      const c = await newClient(0, [lawyer]);
      await approveDisclosure(lawyer, c.id);
      const refused = await disclose(lawyer, { partnerId: cnPartner, clientIds: [c.id], legalBasis: "consent" });
      expect(refused.json().error.code).toBe("recipient_consent_required");
      const consent = await call("POST", "/disclosures/recipient-consents", lawyer, {
        clientId: c.id,
        partnerId: cnPartner,
        purpose: PURPOSE,
        status: "granted",
        acknowledgement: { kind: "signed_form", reference: "F-2026-0042" },
      });
      expect(consent.statusCode, consent.body).toBe(201);
      const res = await disclose(lawyer, { partnerId: cnPartner, clientIds: [c.id], legalBasis: "consent" });
      expect(res.statusCode, res.body).toBe(201);
    });

    it("destroying a client with an outside holder asks for it back and records the confirmation on the certificate", async () => {
      const target = clients[0]!;
      const matter = await services.engine.db.selectFrom("matters").select("id").where("client_id", "=", target.id).executeTakeFirstOrThrow();
      await sql`update matters set status = 'closed', closed_at = ${addPeriod(new Date().toISOString(), "years", -11)} where id = ${matter.id}`.execute(
        services.engine.db,
      );
      const mailsBefore = await count("email_outbox");
      const batch = await requestDestruction(services, contextFor(compliance.actor, null), { clientIds: [target.id] });
      await decideDestruction(services, contextFor(compliance2.actor, null), batch.id, "approve");
      const certificate = await executeDestruction(services, contextFor(compliance.actor, null), batch.id);
      expect(certificate.clientIds).toEqual([target.id]);
      expect(certificate.outsideHolders).toEqual([
        expect.objectContaining({ clientId: target.id, disclosureId: firstDisclosure, partnerId: cnPartner, status: "return_requested", confirmedAt: null }),
      ]);
      // The request went to the partner's contact through the mail outbox.
      const mails = await services.engine.db.selectFrom("email_outbox").selectAll().where("purpose", "=", "partner_return_request").execute();
      expect(mails).toHaveLength(1);
      expect(await count("email_outbox")).toBe(mailsBefore + 1);
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "retention.destruction_execute" });
      const asked = await services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", "holding.return_request").execute();
      expect(asked.map((e) => e.target_id)).toEqual([cnPartner]);
      // The other client of the same disclosure is still held.
      const other = await services.engine.db
        .selectFrom("disclosure_holdings")
        .select("status")
        .where("disclosure_id", "=", firstDisclosure)
        .where("client_id", "=", clients[1]!.id)
        .executeTakeFirstOrThrow();
      expect(other.status).toBe("held");

      const confirmedAt = new Date().toISOString();
      const confirmed = await call("POST", `/disclosures/${firstDisclosure}/confirmations`, compliance, {
        clientId: target.id,
        kind: "deleted",
        confirmedAt,
        reference: "DEL-2026-0007",
      });
      expect(confirmed.statusCode, confirmed.body).toBe(201);
      const read = await readCertificate(services, contextFor(compliance.actor, null), certificate.id);
      expect(read.outsideHolders).toEqual([
        expect.objectContaining({ clientId: target.id, status: "deleted_confirmed", confirmedAt, confirmationReference: "DEL-2026-0007" }),
      ]);
      // Confirming twice is refused: nothing is outstanding any more.
      const twice = await call("POST", `/disclosures/${firstDisclosure}/confirmations`, compliance, {
        clientId: target.id,
        kind: "deleted",
        confirmedAt,
        reference: "DEL-2026-0007",
      });
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, "holding_not_outstanding"]);
    });

    it("asks for the rest of a disclosure back on request, and only its requester or compliance may", async () => {
      const stranger = await buildUser(services, "lawyer");
      const refused = await call("POST", `/disclosures/${firstDisclosure}/return-request`, stranger);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const res = await call("POST", `/disclosures/${firstDisclosure}/return-request`, lawyer);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().holdings.map((h: { clientId: string }) => h.clientId)).toEqual([clients[1]!.id]);
      expect(res.json().partners).toEqual([{ partnerId: cnPartner, emailsQueued: 1 }]);
      const holdings = (await call("GET", `/partners/${cnPartner}/holdings`, compliance)).json();
      const first = holdings.disclosures.find((d: { id: string }) => d.id === firstDisclosure);
      expect(first.holdings.map((h: { status: string }) => h.status).sort()).toEqual(["deleted_confirmed", "return_requested"]);
    });

    it("ending a partnership asks for everything it still holds", async () => {
      const mailsBefore = await count("email_outbox");
      const lawyerRefused = requestReturn(services, contextFor(lawyer.actor, null), { partnerId: cnPartner, reason: "relationship_ended" });
      await expect(lawyerRefused).rejects.toMatchObject({ code: "role_lacks_permission" });
      const summary = await requestReturn(services, contextFor(compliance.actor, null), { partnerId: cnPartner, reason: "relationship_ended" });
      // The consent-based disclosure is the one still held; the first one's rows are confirmed or already asked for.
      const stillHeld = summary.holdings.filter((h) => h.disclosureId !== firstDisclosure);
      expect(stillHeld).toHaveLength(1);
      expect(summary.partners).toEqual([{ partnerId: cnPartner, emailsQueued: 1 }]);
      expect(await count("email_outbox")).toBe(mailsBefore + 1);
      const row = await services.engine.db
        .selectFrom("disclosure_holdings")
        .select(["status", "return_reason"])
        .where("disclosure_id", "=", stillHeld[0]!.disclosureId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "return_requested", return_reason: "relationship_ended" });
    });

    it("custodia disclosures list | show | confirm, as console compliance", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, db.env);
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      const cli = (...args: string[]) => {
        const program = new Command("custodia").exitOverride();
        addDisclosureCommands(program);
        return program.parseAsync(["disclosures", ...args, "--json"], { from: "user" });
      };
      try {
        await cli("list", "--partner", cnPartner);
        const listed = JSON.parse(out.pop()!);
        expect(listed.items.map((d: { id: string }) => d.id)).toContain(firstDisclosure);
        await cli("confirm", firstDisclosure, "--kind", "returned", "--reference", "RET-2026-0001");
        expect(JSON.parse(out.pop()!)).toEqual({ confirmed: [{ clientId: clients[1]!.id, status: "returned" }] });
        await cli("show", firstDisclosure);
        const shown = JSON.parse(out.pop()!);
        expect(shown.holdings.map((h: { status: string }) => h.status).sort()).toEqual(["deleted_confirmed", "returned"]);
        expect(await lastEvent("system:console")).toMatchObject({ action: "disclosure_register.read", outcome: "success" });
      } finally {
        log.mockRestore();
        process.env = saved;
      }
    });
  });
}
