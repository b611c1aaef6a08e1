/**
 * A partner's breach notice opens a Custodia incident (issue #13, VEN-4, INC-3), on both engines,
 * through the API: two clients disclosed to the partner, a third disclosed to another partner; the
 * notice opens an incident linked both ways whose blast radius lists exactly the two clients, with
 * each field in the form it was sent (a masked ID number is not an ID number exposed in full).
 */
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "../src/access/approvals/approval-decider.js";
import { requestApproval } from "../src/access/approvals/approval-requester.js";
import { assessPartner } from "../src/governance/partners/partner-assessments.js";
import { addContract } from "../src/governance/partners/partner-contracts.js";
import { AssessmentInput, ContractInput, PartnerCreateInput } from "../src/governance/partners/partner-inputs.js";
import { createPartner } from "../src/governance/partners/partner-register.js";
import type { Services } from "../src/platform/services.js";
import { affectedFromExposures, mergeAffected } from "../src/response/incidents/blast-radius.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { day, GOOD_ANSWERS } from "./support/partners.js";

const PURPOSE = "case-handling";
const NOTICE = { category: "disclosure", cause: "under_investigation", measures: ["recipient_asked_to_delete"], contact: "privacy@firm.example.cn" };

for (const dialect of DIALECTS) {
  describe(`${dialect}: a partner's breach notice opens an incident`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let owner: TestUser, lawyer: TestUser, compliance: TestUser;
    let breached: string, other: string;
    const clients: string[] = [];

    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token), ...(payload ? { payload } : {}) });
    const count = async (table: "incidents" | "partner_incidents") =>
      Number(
        (
          await services.engine.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const newPartner = async (name: string) => {
      const ctx = contextFor(compliance.actor, null);
      const p = await createPartner(
        services,
        ctx,
        PartnerCreateInput.parse({
          name,
          kind: "expert",
          piplRole: "independent_handler",
          jurisdiction: "CN",
          maxLevel: 3,
          dataCategories: ["identity", "government_id", "processing"],
          status: "active",
        }),
      );
      await assessPartner(services, ctx, p.id, AssessmentInput.parse({ answers: GOOD_ANSWERS }));
      await addContract(services, ctx, p.id, ContractInput.parse({ kind: "nda", version: "1", signedOn: day(-30) }));
      return p.id;
    };
    const disclose = async (partnerId: string, clientIds: string[]) => {
      for (const clientId of clientIds) {
        const req = await requestApproval(services, contextFor(lawyer.actor, null), {
          kind: "disclose",
          clientId,
          purpose: PURPOSE,
          justification: "client_instruction",
          durationMinutes: 60,
        });
        await decideApproval(services, contextFor(owner.actor, null), req.id, "approve");
        await decideApproval(services, contextFor(compliance.actor, null), req.id, "approve");
      }
      const res = await call("POST", "/disclosures", lawyer, {
        partnerId,
        clientIds,
        profileCode: "masked_ids_birth_year",
        purpose: PURPOSE,
        legalBasis: "contract",
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().disclosureId as string;
    };

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      owner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      compliance = await buildUser(services, "compliance");
      await sql`update users set supervisor_id = ${owner.actor.userId} where id = ${lawyer.actor.userId}`.execute(services.engine.db);
      breached = await newPartner("华信司法鉴定所");
      other = await newPartner("明正鉴定中心");
      for (const birth of ["19850612", "19900304", "19770101"]) {
        const birthDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
        const c = await buildClient(services, owner.actor, { idNumber: residentId(birth), birthDate });
        await buildMatter(services, owner.actor, c.id, [{ userId: lawyer.actor.userId, role: "member" as const }]);
        clients.push(c.id);
      }
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("opens an incident whose blast radius is exactly the two clients the partner held, with the fields sent", async () => {
      const disclosureId = await disclose(breached, [clients[0]!, clients[1]!]);
      await disclose(other, [clients[2]!]);

      const res = await call("POST", `/partners/${breached}/incidents`, compliance, {
        occurredOn: day(0),
        description: "The expert's laptop with our case files was stolen",
        clientDataInvolved: true,
        openIncident: NOTICE,
      });
      expect(res.statusCode, res.body).toBe(201);
      const notice = res.json().incidents[0];
      expect(notice.incidentId).toEqual(expect.any(String));
      const incidentId: string = notice.incidentId;

      const read = await call("GET", `/incidents/${incidentId}`, compliance);
      expect(read.statusCode, read.body).toBe(200);
      const incident = read.json();
      expect(incident).toMatchObject({
        source: "partner_notice",
        category: "disclosure",
        status: "open",
        // Two people; masked ID numbers are not L4 in full; the data left the firm.
        impact: { peopleAffected: 2, l4Involved: false, leftFirm: true, euSubjects: false },
        partnerNotices: [{ partnerIncidentId: notice.id, partnerId: breached, partnerName: "华信司法鉴定所", clientDataInvolved: true }],
      });
      const expected = [clients[0]!, clients[1]!].sort();
      expect(incident.affectedClients.map((a: { clientId: string }) => a.clientId)).toEqual(expected);
      for (const a of incident.affectedClients) expect(a).toMatchObject({ fields: [], exported: true });
      expect(incident.partnerExposures.map((e: { clientId: string }) => e.clientId).sort()).toEqual(expected);
      for (const e of incident.partnerExposures) {
        expect(e).toMatchObject({ partnerId: breached, disclosureId });
        expect(e.fields).toEqual(
          expect.arrayContaining([
            { field: "clientId", rule: "pseudonym", method: null },
            { field: "idNumber", rule: "mask", method: null },
            { field: "birthDate", rule: "generalise", method: "birth_year" },
          ]),
        );
        // Kept in full: the client kind and identifier type only, which are not personal fields.
        expect(e.fields.filter((f: { rule: string }) => f.rule === "keep").map((f: { field: string }) => f.field)).toEqual(["kind", "idType"]);
      }

      // Audited: the partner incident names the incident it opened, the incident names the partner; ids only.
      const events = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("actor_id", "=", compliance.actor.userId)
        .where("action", "in", ["incident.open", "incident.blast_radius", "partner.incident.record"])
        .orderBy("seq", "desc")
        .limit(3)
        .execute();
      expect(events.map((e) => e.action).sort()).toEqual(["incident.blast_radius", "incident.open", "partner.incident.record"]);
      const byAction = Object.fromEntries(events.map((e) => [e.action, JSON.parse(e.details!)]));
      expect(byAction["incident.open"]).toMatchObject({ source: "partner_notice", partnerId: breached, partnerIncidentId: notice.id });
      expect(byAction["incident.blast_radius"]).toMatchObject({ partnerId: breached, clients: 2, disclosures: 1 });
      expect(byAction["partner.incident.record"]).toMatchObject({ incidentId, openedIncident: true, clientsHeld: 2 });
      for (const e of events) expect(e.details).not.toContain("laptop");

      // An account's blast radius computed later keeps what the partner held.
      const radius = await call("POST", `/incidents/${incidentId}/blast-radius`, compliance, {
        userId: owner.actor.userId,
        from: new Date(Date.now() - 3600_000).toISOString(),
        to: new Date().toISOString(),
      });
      expect(radius.statusCode, radius.body).toBe(200);
      const ids = radius.json().affectedClients.map((a: { clientId: string }) => a.clientId);
      for (const c of expected) expect(ids).toContain(c);
    });

    it("a refused incident leaves no partner incident either", async () => {
      const before = [await count("incidents"), await count("partner_incidents")];
      const res = await call("POST", `/partners/${breached}/incidents`, compliance, {
        occurredOn: day(0),
        description: "A second notice",
        clientDataInvolved: true,
        openIncident: { ...NOTICE, awareAt: new Date(Date.now() + 86_400_000).toISOString() },
      });
      expect([res.statusCode, res.json().error.code]).toEqual([400, "validation_error"]);
      expect([await count("incidents"), await count("partner_incidents")]).toEqual(before);
      // Linking an existing incident and opening one at once is refused by the schema.
      const both = await call("POST", `/partners/${breached}/incidents`, compliance, {
        occurredOn: day(0),
        description: "A third notice",
        clientDataInvolved: true,
        incidentId: "00000000-0000-7000-8000-000000000000",
        openIncident: NOTICE,
      });
      expect(both.statusCode).toBe(400);
      // A lawyer may not record one at all.
      const lawyerRes = await call("POST", `/partners/${breached}/incidents`, lawyer, {
        occurredOn: day(0),
        description: "x",
        clientDataInvolved: true,
        openIncident: NOTICE,
      });
      expect([lawyerRes.statusCode, lawyerRes.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect([await count("incidents"), await count("partner_incidents")]).toEqual(before);
    });

    it("counts only fields sent in full as exposed in clear, and merges with an account's radius", () => {
      const affected = affectedFromExposures([
        {
          partnerId: "p",
          disclosureId: "d1",
          clientId: "c1",
          fields: [
            { field: "name", rule: "keep" },
            { field: "idNumber", rule: "mask" },
          ],
        },
        { partnerId: "p", disclosureId: "d2", clientId: "c1", fields: [{ field: "idNumber", rule: "keep" }] },
        { partnerId: "p", disclosureId: "d2", clientId: "c2", fields: [{ field: "birthDate", rule: "generalise", method: "birth_year" }] },
      ]);
      expect(affected).toEqual([
        { clientId: "c1", fields: ["name", "idNumber"], exported: true, evidence: [] },
        { clientId: "c2", fields: [], exported: true, evidence: [] },
      ]);
      const merged = mergeAffected([{ clientId: "c2", fields: ["phone"], exported: false, evidence: [7] }], affected);
      expect(merged).toEqual([
        { clientId: "c1", fields: ["name", "idNumber"], exported: true, evidence: [] },
        { clientId: "c2", fields: ["phone"], exported: true, evidence: [7] },
      ]);
    });
  });
}
