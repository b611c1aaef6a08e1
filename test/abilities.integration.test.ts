/**
 * Abilities (issue #10, "No back doors"): what GET /clients/{id}, /matters/{id}, /incidents/{id},
 * the wall list and /auth/me tell the caller they may do is exactly what the API then does. For
 * several roles and relations (on the matter, off it, walled, with a grant, under a hold …) every
 * ability is tried: true ↔ 2xx and a `success` audit event; false ↔ a refusal (403/404, or 409 when
 * the record's state refuses) and a `denied`/`failure` audit event. An ability must never promise
 * what the API refuses, nor hide what it allows.
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const PURPOSE = "case-handling";
const NOTICE = {
  effectiveFrom: "2024-01-01T00:00:00.000Z",
  titleZh: "个人信息保护政策",
  titleEn: "Privacy notice",
  bodyZh: "本所为办理案件处理您的个人信息……",
  bodyEn: "The firm processes your personal information to handle your matters…",
};

type Method = "GET" | "POST" | "PATCH" | "PUT";
type Attempt = { action: string; run: (user: TestUser, id: string) => Promise<LightMyRequestResponse> };

for (const dialect of DIALECTS) {
  describe(`${dialect}: abilities equal what the API does`, () => {
    const suite = httpSuite(dialect);
    let services: Services;
    let app: FastifyInstance;
    let owner: TestUser, partner: TestUser, lawyer: TestUser, paralegal: TestUser, compliance: TestUser, approver: TestUser;
    let admin: TestUser, clerk: TestUser, auditor: TestUser, newcomer: TestUser, bystander: TestUser;
    let serial = 0;

    const call = (method: Method, url: string, user: TestUser, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, purpose), ...(payload ? { payload } : {}) });
    const ok = (res: LightMyRequestResponse, status = [200, 201]) => {
      expect(status, res.body).toContain(res.statusCode);
      return res.json();
    };
    const lastSeq = async () =>
      Number((await services.engine.db.selectFrom("audit_events").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst())?.seq ?? 0);
    const eventsSince = (seq: number, actorId: string, action: string) =>
      services.engine.db
        .selectFrom("audit_events")
        .select(["outcome", "reason"])
        .where("seq", ">", seq)
        .where("actor_id", "=", actorId)
        .where("action", "=", action)
        .execute();

    /**
     * Tries each ability in `attempts` order and compares: allowed ↔ 2xx and a success event;
     * refused ↔ 403/404/409 and a denied or failure event (never a success).
     */
    async function expectAbilitiesHold(name: string, user: TestUser, id: string, abilities: Record<string, boolean>, attempts: [string, Attempt][]) {
      expect(Object.keys(abilities).sort(), `${name}: every ability is tried`).toEqual(expect.arrayContaining(attempts.map(([k]) => k).sort()));
      for (const [ability, attempt] of attempts) {
        const mark = await lastSeq();
        const res = await attempt.run(user, id);
        const events = await eventsSince(mark, user.actor.userId, attempt.action);
        const label = `${name}: ${ability} (${res.statusCode} ${res.statusCode >= 300 ? res.json().error?.code : ""})`;
        if (abilities[ability]) {
          expect(res.statusCode, `${label} ${res.body}`).toBeLessThan(300);
          expect(
            events.map((e) => e.outcome),
            `${label}: audit`,
          ).toEqual(["success"]);
        } else {
          expect([403, 404, 409], `${label} ${res.body}`).toContain(res.statusCode);
          expect(events.length, `${label}: audited`).toBeGreaterThan(0);
          expect(
            events.every((e) => e.outcome !== "success"),
            `${label}: audit`,
          ).toBe(true);
        }
      }
    }

    // ——— clients ———

    const CLIENT_ATTEMPTS: [string, Attempt][] = [
      ["update", { action: "client.update", run: (u, id) => call("PATCH", `/clients/${id}`, u, { name: "王小明（更正）" }, PURPOSE) }],
      ["export", { action: "client.export", run: (u, id) => call("GET", `/clients/${id}/export`, u, undefined, PURPOSE) }],
      [
        "manageConsent",
        {
          action: "consent.record",
          run: (u, id) =>
            call("POST", `/clients/${id}/consents`, u, {
              purpose: "marketing",
              channel: "portal",
              noticeLanguage: "zh-CN",
              acknowledgement: { kind: "click", reference: "click-0001" },
            }),
        },
      ],
      // Before the restriction is lifted: a restricted record keeps its purposes.
      [
        "changePurposes",
        {
          action: "client.purposes_change",
          run: (u, id) =>
            call("PUT", `/clients/${id}/purposes`, u, { purposes: [PURPOSE, "conflict-check", "compliance-audit"], reason: "client_instruction" }),
        },
      ],
      [
        "liftRestriction",
        { action: "client.restriction_lift", run: (u, id) => call("POST", `/clients/${id}/restriction/lift`, u, { reason: "ground_ended" }) },
      ],
      [
        "requestApproval",
        {
          action: "approval.request",
          run: (u, id) =>
            call("POST", "/approvals", u, {
              kind: "read_sensitive",
              clientId: id,
              purpose: PURPOSE,
              justification: "client_instruction",
              reference: "ABL-1",
              durationMinutes: 60,
            }),
        },
      ],
      [
        "openMatter",
        {
          action: "matter.create",
          run: (u, id) =>
            call("POST", "/matters", u, {
              clientId: id,
              number: `2026-能-${String(++serial).padStart(4, "0")}`,
              title: "能力测试",
              practiceArea: "other",
              responsiblePartnerId: owner.actor.userId,
            }),
        },
      ],
      [
        "breakGlass",
        {
          action: "break_glass.open",
          run: (u, id) => call("POST", `/clients/${id}/break-glass`, u, { justification: "court_deadline", reference: "INC-2026-0042" }),
        },
      ],
      // Last: nothing can be tried on an erased client.
      ["erase", { action: "client.erase", run: (u, id) => call("POST", `/clients/${id}/erase`, u, { reason: "client_request" }) }],
    ];

    /** A client of the owner with an open matter (the owner responsible for it), `team` on its team. */
    async function clientWithMatter(team: TestUser[] = []): Promise<{ clientId: string; matterId: string }> {
      const client = ok(await call("POST", "/clients", owner, clientInput({ phone: `1371${String(++serial).padStart(7, "0")}` })));
      const matter = ok(
        await call("POST", "/matters", owner, {
          clientId: client.id,
          number: `2026-能-${String(++serial).padStart(4, "0")}`,
          title: "能力测试",
          practiceArea: "other",
          responsiblePartnerId: owner.actor.userId,
          team: team.map((u) => ({ userId: u.actor.userId, role: "member" })),
        }),
      );
      return { clientId: client.id, matterId: matter.id };
    }

    async function grant(user: TestUser, clientId: string, kind: "export" | "read_sensitive") {
      const req = ok(
        await call("POST", "/approvals", user, {
          kind,
          clientId,
          purpose: PURPOSE,
          justification: "client_instruction",
          reference: "ABL-G",
          durationMinutes: 120,
        }),
      );
      expect(ok(await call("POST", `/approvals/${req.id}/approve`, approver, {}))).toMatchObject({ status: "approved", grant: { current: true } });
    }

    async function wallAround(clientId: string, screened: TestUser) {
      return ok(await call("POST", "/walls", compliance, { reason: "conflict_of_interest", clientIds: [clientId], screenedUserIds: [screened.actor.userId] }));
    }

    const NONE = {
      read: true,
      update: false,
      erase: false,
      export: false,
      requestApproval: false,
      breakGlass: false,
      manageConsent: false,
      liftRestriction: false,
      openMatter: false,
      changePurposes: false,
    };
    const CLIENT_WORK = { ...NONE, update: true, requestApproval: true, breakGlass: true, manageConsent: true, openMatter: true };

    type ClientCase = { name: string; user: () => TestUser; setup: () => Promise<string>; expected: Record<string, boolean> };
    const CLIENT_CASES: ClientCase[] = [
      {
        name: "partner responsible for the client's open matter",
        user: () => owner,
        setup: async () => (await clientWithMatter()).clientId,
        expected: { ...CLIENT_WORK, erase: true, changePurposes: true },
      },
      {
        name: "another partner (firm-wide, not responsible for a matter)",
        user: () => partner,
        setup: async () => (await clientWithMatter()).clientId,
        expected: { ...CLIENT_WORK, erase: true },
      },
      {
        name: "lawyer on the matter",
        user: () => lawyer,
        setup: async () => (await clientWithMatter([lawyer])).clientId,
        expected: CLIENT_WORK,
      },
      {
        name: "lawyer on the matter with an export grant",
        user: () => lawyer,
        setup: async () => {
          const { clientId } = await clientWithMatter([lawyer]);
          await grant(lawyer, clientId, "export");
          return clientId;
        },
        expected: { ...CLIENT_WORK, export: true },
      },
      {
        name: "lawyer off the matter with a read_sensitive grant",
        user: () => lawyer,
        setup: async () => {
          const { clientId } = await clientWithMatter();
          await grant(lawyer, clientId, "read_sensitive");
          return clientId;
        },
        expected: { ...NONE, requestApproval: true, breakGlass: true },
      },
      {
        name: "lawyer on the matter but walled, reading under break-glass",
        user: () => lawyer,
        setup: async () => {
          const { clientId } = await clientWithMatter([lawyer]);
          await wallAround(clientId, lawyer);
          ok(await call("POST", `/clients/${clientId}/break-glass`, lawyer, { justification: "court_deadline", reference: "INC-2026-0001" }));
          return clientId;
        },
        // Break-glass opens reading only: every write, the export and an approval request stay walled.
        expected: { ...NONE, breakGlass: true },
      },
      {
        name: "paralegal on the matter",
        user: () => paralegal,
        setup: async () => (await clientWithMatter([paralegal])).clientId,
        expected: { ...CLIENT_WORK, openMatter: false },
      },
      {
        name: "compliance officer",
        user: () => compliance,
        setup: async () => (await clientWithMatter()).clientId,
        expected: { ...NONE, erase: true, requestApproval: true, manageConsent: true, changePurposes: true },
      },
      {
        name: "compliance officer, processing restricted",
        user: () => compliance,
        setup: async () => {
          const { clientId } = await clientWithMatter();
          await services.engine.db
            .insertInto("processing_restrictions")
            .values({
              client_id: clientId,
              request_id: null,
              restricted_at: new Date().toISOString(),
              restricted_by: compliance.actor.userId,
              previous_purposes: JSON.stringify([PURPOSE, "conflict-check"]),
            })
            .execute();
          return clientId;
        },
        expected: { ...NONE, erase: true, requestApproval: true, manageConsent: true, liftRestriction: true },
      },
      {
        name: "partner, client under a legal hold",
        user: () => owner,
        setup: async () => {
          const { clientId } = await clientWithMatter();
          ok(
            await call("POST", "/holds", compliance, {
              clientId,
              custodianId: compliance.actor.userId,
              reason: "litigation_pending",
              reviewDate: "2030-01-01",
            }),
          );
          return clientId;
        },
        expected: { ...CLIENT_WORK, changePurposes: true },
      },
      { name: "administrator", user: () => admin, setup: async () => (await clientWithMatter()).clientId, expected: NONE },
      { name: "records clerk", user: () => clerk, setup: async () => (await clientWithMatter()).clientId, expected: NONE },
    ];

    beforeAll(async () => {
      ({ services, app } = suite);
      owner = await buildUser(services, "partner");
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      paralegal = await buildUser(services, "paralegal");
      compliance = await buildUser(services, "compliance");
      approver = await buildUser(services, "compliance");
      admin = await buildUser(services, "admin");
      clerk = await buildUser(services, "records-clerk");
      auditor = await buildUser(services, "auditor");
      newcomer = await buildUser(services, "lawyer");
      bystander = await buildUser(services, "lawyer");
      // Consent is recorded against the notice in force.
      const notice = ok(await call("POST", "/notices", compliance, NOTICE));
      ok(await call("POST", `/notices/${notice.version}/publish`, compliance));
    });

    for (const c of CLIENT_CASES) {
      it(`client: ${c.name}`, async () => {
        const clientId = await c.setup();
        const user = c.user();
        const read = await call("GET", `/clients/${clientId}`, user, undefined, PURPOSE);
        expect(read.statusCode, read.body).toBe(200);
        const { abilities } = read.json();
        expect(abilities, c.name).toEqual(c.expected);
        await expectAbilitiesHold(`client: ${c.name}`, user, clientId, abilities, CLIENT_ATTEMPTS);
      });
    }

    it("client: an export the abilities withhold is refused 403 approval_required and audited as denied", async () => {
      const { clientId } = await clientWithMatter([lawyer]);
      expect((await call("GET", `/clients/${clientId}`, lawyer, undefined, PURPOSE)).json().abilities).toMatchObject({ export: false, requestApproval: true });
      const mark = await lastSeq();
      const res = await call("GET", `/clients/${clientId}/export`, lawyer, undefined, PURPOSE);
      expect([res.statusCode, res.json().error.code]).toEqual([403, "approval_required"]);
      expect(await eventsSince(mark, lawyer.actor.userId, "client.export")).toEqual([{ outcome: "denied", reason: "approval_required" }]);
    });

    it("client: under break-glass across a wall, an approval request is answered as for no client (404) and audited screened_by_wall", async () => {
      const { clientId } = await clientWithMatter([lawyer]);
      await wallAround(clientId, lawyer);
      ok(await call("POST", `/clients/${clientId}/break-glass`, lawyer, { justification: "court_deadline", reference: "INC-2026-0002" }));
      expect((await call("GET", `/clients/${clientId}`, lawyer, undefined, PURPOSE)).json().abilities).toMatchObject({ read: true, requestApproval: false });
      const mark = await lastSeq();
      const res = await CLIENT_ATTEMPTS.find(([k]) => k === "requestApproval")![1].run(lawyer, clientId);
      expect([res.statusCode, res.json().error.code]).toEqual([404, "not_found"]);
      expect(await eventsSince(mark, lawyer.actor.userId, "approval.request")).toEqual([{ outcome: "denied", reason: "screened_by_wall" }]);
    });

    // ——— matters ———

    const MATTER_ATTEMPTS: [string, Attempt][] = [
      [
        "manageTeam",
        { action: "matter.member.add", run: (u, id) => call("POST", `/matters/${id}/members`, u, { userId: newcomer.actor.userId, role: "member" }) },
      ],
      [
        "raiseWall",
        {
          action: "wall.create",
          run: (u, id) => call("POST", "/walls", u, { reason: "conflict_of_interest", matterIds: [id], screenedUserIds: [bystander.actor.userId] }),
        },
      ],
      ["close", { action: "matter.close", run: (u, id) => call("POST", `/matters/${id}/close`, u) }],
    ];
    const MATTER_CASES: { name: string; user: () => TestUser; closed?: boolean; expected: Record<string, boolean> }[] = [
      { name: "the responsible partner", user: () => owner, expected: { read: true, manageTeam: true, close: true, raiseWall: true } },
      { name: "another partner", user: () => partner, expected: { read: true, manageTeam: true, close: true, raiseWall: true } },
      { name: "a lawyer on the team", user: () => lawyer, expected: { read: true, manageTeam: false, close: false, raiseWall: false } },
      { name: "a paralegal on the team", user: () => paralegal, expected: { read: true, manageTeam: false, close: false, raiseWall: false } },
      { name: "a compliance officer", user: () => compliance, expected: { read: true, manageTeam: false, close: false, raiseWall: true } },
      {
        name: "the responsible partner, matter closed",
        user: () => owner,
        closed: true,
        expected: { read: true, manageTeam: false, close: false, raiseWall: true },
      },
    ];

    for (const c of MATTER_CASES) {
      it(`matter: ${c.name}`, async () => {
        const { matterId } = await clientWithMatter([lawyer, paralegal]);
        if (c.closed) ok(await call("POST", `/matters/${matterId}/close`, owner));
        const user = c.user();
        const read = await call("GET", `/matters/${matterId}`, user, undefined, PURPOSE);
        expect(read.statusCode, read.body).toBe(200);
        const { abilities } = read.json();
        expect(abilities, c.name).toEqual(c.expected);
        await expectAbilitiesHold(`matter: ${c.name}`, user, matterId, abilities, MATTER_ATTEMPTS);
      });
    }

    it("matter: the team and close answers carry the abilities as the matter now stands", async () => {
      const { matterId } = await clientWithMatter();
      const added = ok(await call("POST", `/matters/${matterId}/members`, owner, { userId: newcomer.actor.userId, role: "member" }));
      expect(added.abilities).toEqual({ read: true, manageTeam: true, close: true, raiseWall: true });
      const closed = ok(await call("POST", `/matters/${matterId}/close`, owner));
      expect(closed).toMatchObject({ status: "closed", abilities: { read: true, manageTeam: false, close: false, raiseWall: true } });
      const again = await call("POST", `/matters/${matterId}/close`, owner);
      expect([again.statusCode, again.json().error.code]).toEqual([409, "matter_closed"]);
    });

    // ——— incidents ———

    const INCIDENT_ATTEMPTS: [string, Attempt][] = [
      [
        "manage",
        {
          action: "incident.task.add",
          run: (u, id) => call("POST", `/incidents/${id}/tasks`, u, { title: "重置凭据", ownerId: compliance.actor.userId, dueAt: "2030-01-01T00:00:00.000Z" }),
        },
      ],
      ["evidence", { action: "evidence.list", run: (u, id) => call("GET", `/incidents/${id}/evidence`, u) }],
    ];

    async function openIncident(team: TestUser[] = []): Promise<string> {
      const incident = ok(
        await call("POST", "/incidents", compliance, {
          source: "partner",
          category: "unauthorised_access",
          cause: "credential_compromise",
          measures: ["credentials_revoked"],
          peopleAffected: 0,
          l4Involved: false,
          leftFirm: false,
          euSubjects: false,
          contact: "privacy@firm.test",
        }),
      );
      expect(incident.abilities).toEqual({ manage: true, evidence: true });
      for (const member of team) ok(await call("POST", `/incidents/${incident.id}/members`, compliance, { userId: member.actor.userId, role: "legal" }));
      return incident.id;
    }

    const INCIDENT_CASES: { name: string; user: () => TestUser; onTeam: boolean; expected: Record<string, boolean> }[] = [
      { name: "the compliance officer who opened it (lead)", user: () => compliance, onTeam: false, expected: { manage: true, evidence: true } },
      { name: "another compliance officer, not on the team", user: () => approver, onTeam: false, expected: { manage: true, evidence: true } },
      { name: "a partner not on the team", user: () => partner, onTeam: false, expected: { manage: false, evidence: false } },
      { name: "a partner on the response team", user: () => partner, onTeam: true, expected: { manage: false, evidence: true } },
    ];

    for (const c of INCIDENT_CASES) {
      it(`incident: ${c.name}`, async () => {
        const id = await openIncident(c.onTeam ? [c.user()] : []);
        const user = c.user();
        const read = await call("GET", `/incidents/${id}`, user);
        expect(read.statusCode, read.body).toBe(200);
        const { abilities } = read.json();
        expect(abilities, c.name).toEqual(c.expected);
        await expectAbilitiesHold(`incident: ${c.name}`, user, id, abilities, INCIDENT_ATTEMPTS);
      });
    }

    // ——— walls ———

    const WALL_ATTEMPTS: [string, Attempt][] = [
      ["lift", { action: "wall.lift", run: (u, id) => call("POST", `/walls/${id}/lift`, u, { reason: "matter_concluded" }) }],
    ];
    const WALL_CASES: { name: string; user: () => TestUser; lifted?: boolean; expected: { lift: boolean } }[] = [
      { name: "its owner", user: () => owner, expected: { lift: true } },
      { name: "a compliance officer", user: () => compliance, expected: { lift: true } },
      { name: "another partner", user: () => partner, expected: { lift: false } },
      { name: "its owner, wall already lifted", user: () => owner, lifted: true, expected: { lift: false } },
    ];

    for (const c of WALL_CASES) {
      it(`wall: ${c.name}`, async () => {
        const { clientId } = await clientWithMatter();
        const wall = ok(await call("POST", "/walls", owner, { reason: "former_client", clientIds: [clientId], screenedUserIds: [bystander.actor.userId] }));
        if (c.lifted) ok(await call("POST", `/walls/${wall.id}/lift`, owner, { reason: "raised_in_error" }));
        const user = c.user();
        const listed = ok(await call("GET", "/walls?limit=100", user)).items.find((w: { id: string }) => w.id === wall.id);
        expect(listed.abilities, c.name).toEqual(c.expected);
        expect(ok(await call("GET", `/walls/${wall.id}`, user)).abilities, `${c.name}: GET /walls/{id}`).toEqual(c.expected);
        await expectAbilitiesHold(`wall: ${c.name}`, user, wall.id, listed.abilities, WALL_ATTEMPTS);
      });
    }

    // ——— firm-level: /auth/me permissions, and whom the staff directory offers ———

    const FIRM_READS: [permission: string, url: string, purpose?: string][] = [
      ["client.read", "/clients/page", PURPOSE],
      ["matter.read", "/matters", PURPOSE],
      ["audit.read", "/audit?limit=1"],
      ["inventory.read", "/inventory"],
      ["kpi.read", "/kpis/dashboard"],
      ["wall.manage", "/walls"],
      ["alert.read", "/alerts"],
      ["incident.manage", "/incidents"],
      ["request.manage", "/requests"],
      ["complaint.manage", "/complaints"],
      ["user.manage", "/users"],
    ];

    it("firm: /auth/me lists a permission exactly when the screens it unlocks answer", async () => {
      for (const user of [owner, lawyer, paralegal, compliance, admin, clerk, auditor]) {
        const { permissions } = ok(await call("GET", "/auth/me", user));
        for (const [permission, url, purpose] of FIRM_READS) {
          const res = await call("GET", url, user, undefined, purpose);
          const label = `${user.actor.role} ${permission} → GET ${url}: ${res.statusCode}`;
          if (permissions.includes(permission)) expect(res.statusCode, `${label} ${res.body}`).toBe(200);
          else expect([res.statusCode, res.json().error.code], label).toEqual([403, "role_lacks_permission"]);
        }
      }
    });

    it("firm: the directory names as responsible partner or wall owner exactly those the API accepts", async () => {
      const directory = ok(await call("GET", "/staff/directory", lawyer)).items as {
        id: string;
        eligibleAs: { responsiblePartner: boolean; wallOwner: boolean };
      }[];
      for (const user of [partner, lawyer, paralegal, compliance, admin, clerk, auditor]) {
        const entry = directory.find((e) => e.id === user.actor.userId)!;
        const { clientId } = await clientWithMatter();
        const matter = await call("POST", "/matters", owner, {
          clientId,
          number: `2026-能-${String(++serial).padStart(4, "0")}`,
          title: "能力测试",
          practiceArea: "other",
          responsiblePartnerId: user.actor.userId,
        });
        const label = `${user.actor.role} as responsible partner: ${matter.statusCode}`;
        if (entry.eligibleAs.responsiblePartner) expect(matter.statusCode, `${label} ${matter.body}`).toBe(201);
        else expect([matter.statusCode, matter.json().error.fields?.[0]?.code], label).toEqual([400, "not_partner"]);
        const wall = await call("POST", "/walls", owner, {
          reason: "conflict_of_interest",
          clientIds: [clientId],
          ownerId: user.actor.userId,
          screenedUserIds: [bystander.actor.userId],
        });
        const wallLabel = `${user.actor.role} as wall owner: ${wall.statusCode}`;
        if (entry.eligibleAs.wallOwner) expect(wall.statusCode, `${wallLabel} ${wall.body}`).toBe(201);
        else expect([wall.statusCode, wall.json().error.fields?.[0]?.field], wallLabel).toEqual([400, "ownerId"]);
      }
      expect(directory.find((e) => e.id === partner.actor.userId)!.eligibleAs).toEqual({ responsiblePartner: true, wallOwner: true });
      expect(directory.find((e) => e.id === compliance.actor.userId)!.eligibleAs).toEqual({ responsiblePartner: false, wallOwner: true });
    });
  });
}
