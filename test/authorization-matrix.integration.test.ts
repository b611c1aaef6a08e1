/**
 * The authorization test matrix (issue #3): role × matter membership × wall × grant × clearance ×
 * purpose, for read, search, export and disclose, on both engines, through the HTTP API.
 *
 * The expected outcome of every case comes from `expected()` below: an oracle written from the
 * requirements (IAM-1..5, APR-1..2), deliberately NOT computed by calling src/access/policy/policy.ts, so a
 * policy change that breaks a rule makes the matrix fail instead of moving with it.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../src/http/authenticate.js";
import { handleError } from "../src/http/errors.js";
import { disclosureRoutes } from "../src/http/routes/disclosures/index.js";
import { partnerRoutes } from "../src/http/routes/partners/index.js";
import { createSignInServices } from "../src/identity/auth/sign-in-services.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, clientInput, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

// ---------------------------------------------------------------------------------------------
// The oracle: what each role may do, restated independently of src/access/policy/roles.ts.
// ---------------------------------------------------------------------------------------------

type Role = "partner" | "lawyer" | "paralegal" | "compliance" | "records-clerk" | "auditor" | "admin";
type Grant = "none" | "read_sensitive" | "export";
type Purpose = "permitted" | "not_permitted" | "missing";
type Op = "read" | "search" | "export";

interface RoleFacts {
  /** Highest sensitivity level read unmasked (CLS-1: L4 resident IDs, L3 contact and notes, L2 name). */
  clearance: 1 | 2 | 3 | 4;
  /** Reaches every client not walled from them (IAM-3); otherwise only clients of their matters. */
  firmWide: boolean;
  /** Holds client.read and client.search. */
  readsClients: boolean;
  /** May ask for approvals (APR-1). */
  asksApproval: boolean;
}

const ROLE_FACTS: Record<Role, RoleFacts> = {
  partner: { clearance: 4, firmWide: true, readsClients: true, asksApproval: true },
  lawyer: { clearance: 3, firmWide: false, readsClients: true, asksApproval: true },
  paralegal: { clearance: 2, firmWide: false, readsClients: true, asksApproval: true },
  compliance: { clearance: 3, firmWide: true, readsClients: true, asksApproval: true },
  "records-clerk": { clearance: 1, firmWide: true, readsClients: true, asksApproval: false },
  auditor: { clearance: 1, firmWide: true, readsClients: false, asksApproval: false },
  admin: { clearance: 2, firmWide: true, readsClients: true, asksApproval: false },
};
const MATRIX_ROLES = Object.keys(ROLE_FACTS) as Role[];

const FIELD_LEVEL = { name: 2, idNumber: 4, phone: 3, email: 3, address: 3, birthDate: 3, notes: 3 } as const;
type Field = keyof typeof FIELD_LEVEL;
const FIELDS = Object.keys(FIELD_LEVEL) as Field[];
/** The field the search cases search by (POST /clients/search { phone }). */
const SEARCH_BY: Field = "phone";

interface Case {
  role: Role;
  onMatter: boolean;
  walled: boolean;
  grant: Grant;
  purpose: Purpose;
}

type Expected =
  | { kind: "allow"; masked: Field[]; via: "grant" | null; auditReason: string }
  /** An error answer, and the reason the denial event carries. */
  | { kind: "deny"; status: number; code: string; auditReason: string }
  /** Search only: left out of the results, counted under this exclusion in the audit summary. */
  | { kind: "hidden"; counter: "wall" | "needToKnow" | "purpose" };

function expected(op: Op, c: Case): Expected {
  const facts = ROLE_FACTS[c.role];
  const deny = (status: number, code: string, auditReason = code): Expected => ({ kind: "deny", status, code, auditReason });
  if (!facts.readsClients) return deny(403, "role_lacks_permission");
  // Search is no oracle (IAM-3): searching by a field above one's clearance is refused before any
  // lookup, whatever the purpose, matter, wall or grant (a grant opens one client; a search all).
  if (op === "search" && FIELD_LEVEL[SEARCH_BY] > facts.clearance) return deny(403, "search_field_above_clearance");
  if (c.purpose === "missing") return deny(400, "purpose_required");
  // Walls come first and win over role, membership and grants; the walled user sees "no such client".
  if (c.walled) return op === "search" ? { kind: "hidden", counter: "wall" } : deny(404, "not_found", "screened_by_wall");
  const byRole = facts.firmWide || c.onMatter;
  // A read_sensitive grant lifts need-to-know for its client; an export grant does not.
  if (!byRole && c.grant !== "read_sensitive") return op === "search" ? { kind: "hidden", counter: "needToKnow" } : deny(403, "not_on_matter");
  if (c.purpose === "not_permitted") return op === "search" ? { kind: "hidden", counter: "purpose" } : deny(403, "purpose_not_permitted");
  if (op === "export" && c.grant !== "export") return deny(403, "approval_required");
  // A read_sensitive grant lifts an L3-cleared reader to L4; lower clearances keep their masks.
  const lifted = c.grant === "read_sensitive" && facts.clearance === 3;
  const clearance = lifted ? 4 : facts.clearance;
  const masked = FIELDS.filter((f) => FIELD_LEVEL[f] > clearance);
  const via = op === "export" || (c.grant === "read_sensitive" && (!byRole || lifted)) ? "grant" : null;
  return { kind: "allow", masked, via, auditReason: masked.length ? "clearance_below_level" : "permitted" };
}

/** Disclosure approval (APR-2): asked for by client workers, across no wall, and needs two distinct approvers. */
function expectedDiscloseRequest(role: Role, walled: boolean): { status: number; code?: string; auditReason?: string } {
  if (!ROLE_FACTS[role].asksApproval) return { status: 403, code: "role_lacks_permission", auditReason: "role_lacks_permission" };
  if (walled) return { status: 404, code: "not_found", auditReason: "screened_by_wall" };
  return { status: 201 };
}

const PURPOSE_HEADER: Record<Purpose, string | undefined> = { permitted: "case-handling", not_permitted: "marketing", missing: undefined };
const grantsFor = (role: Role): Grant[] => (ROLE_FACTS[role].asksApproval ? ["none", "read_sensitive", "export"] : ["none"]);
const caseName = (op: string, c: Omit<Case, "purpose"> & { purpose?: Purpose }) =>
  `[${op}] role=${c.role} onMatter=${c.onMatter} walled=${c.walled} grant=${c.grant}${c.purpose ? ` purpose=${c.purpose}` : ""}`;

// ---------------------------------------------------------------------------------------------

interface MatrixClient {
  id: string;
  phone: string;
  original: Record<Field, string>;
  onMatter: boolean;
  walled: boolean;
  grant: Grant;
  grantId: string | null;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: authorization matrix`, () => {
    let services: Services;
    let app: FastifyInstance;
    let owner!: TestUser, approver!: TestUser, wallKeeper!: TestUser, opsAdmin!: TestUser;
    const subjects = new Map<Role, TestUser>();
    const clientsOf = new Map<Role, MatrixClient[]>();
    let phoneSerial = 0;
    let matterSerial = 0;

    const suite = httpSuite(dialect);
    const post = (token: string, url: string, payload: object, purpose?: string) =>
      app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token, purpose), payload });
    const get = (token: string, url: string, purpose?: string) => app.inject({ method: "GET", url: `/api/v1${url}`, headers: auth(token, purpose) });
    const lastEvents = (actorId: string, n: number) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(n).execute();

    beforeAll(async () => {
      ({ services, app } = suite);
      owner = await buildUser(services, "partner");
      approver = await buildUser(services, "compliance");
      wallKeeper = await buildUser(services, "compliance");
      opsAdmin = await buildUser(services, "admin");
      for (const role of MATRIX_ROLES) {
        const user = await buildUser(services, role);
        subjects.set(role, user);
        // Every subject has the owner partner as supervisor, so a disclosure may be asked for.
        const sup = await app.inject({
          method: "PUT",
          url: `/api/v1/users/${user.actor.userId}/supervisor`,
          headers: auth(opsAdmin.token),
          payload: { supervisorId: owner.actor.userId },
        });
        expect(sup.statusCode, sup.body).toBe(200);
      }

      for (const role of MATRIX_ROLES) {
        const user = subjects.get(role)!;
        const list: MatrixClient[] = [];
        for (const onMatter of [true, false])
          for (const walled of [false, true])
            for (const grant of grantsFor(role)) {
              const phone = `1370${String(++phoneSerial).padStart(7, "0")}`;
              const created = await post(owner.token, "/clients", clientInput({ phone }));
              expect(created.statusCode, created.body).toBe(201);
              const body = created.json() as Record<Field, string> & { id: string };
              const original = Object.fromEntries(FIELDS.map((f) => [f, body[f]])) as Record<Field, string>;
              expect(Object.values(original).every((v) => typeof v === "string" && v.length > 0)).toBe(true);
              // Every client has a matter, so no one reaches it as its creator; the subject is on it or not.
              const matter = await post(owner.token, "/matters", {
                clientId: body.id,
                number: `2026-矩-${String(++matterSerial).padStart(4, "0")}`,
                title: "矩阵测试",
                practiceArea: "other",
                responsiblePartnerId: owner.actor.userId,
                team: onMatter ? [{ userId: user.actor.userId, role: "member" }] : [],
              });
              expect(matter.statusCode, matter.body).toBe(201);
              let grantId: string | null = null;
              if (grant !== "none") {
                // Granted before the wall goes up: a wall raised later must still win over the grant.
                const req = await post(user.token, "/approvals", {
                  kind: grant,
                  clientId: body.id,
                  purpose: "case-handling",
                  justification: "client_instruction",
                  reference: "MTX-1",
                  durationMinutes: 120,
                });
                expect(req.statusCode, req.body).toBe(201);
                const ok = await post(approver.token, `/approvals/${req.json().id}/approve`, {});
                expect(ok.statusCode, ok.body).toBe(200);
                expect(ok.json()).toMatchObject({ status: "approved", grant: { current: true } });
                grantId = ok.json().grant.id;
              }
              list.push({ id: body.id, phone, original, onMatter, walled, grant, grantId });
            }
        const walledIds = list.filter((c) => c.walled).map((c) => c.id);
        const wall = await post(wallKeeper.token, "/walls", {
          reason: "conflict_of_interest",
          reference: "MTX-W",
          clientIds: walledIds,
          screenedUserIds: [user.actor.userId],
        });
        expect(wall.statusCode, wall.body).toBe(201);
        clientsOf.set(role, list);
      }
    }, 120_000);

    /** The presented client must show exactly the oracle's masks: masked fields differ from the stored value, the rest equal it. */
    const expectPresented = (
      name: string,
      presented: Record<string, unknown> & { access: { maskedFields: string[]; via?: string } },
      client: MatrixClient,
      exp: Extract<Expected, { kind: "allow" }>,
    ) => {
      expect(presented.id, name).toBe(client.id);
      expect([...presented.access.maskedFields].sort(), `${name}: maskedFields`).toEqual([...exp.masked].sort());
      expect(presented.access.via ?? null, `${name}: via`).toBe(exp.via);
      for (const f of FIELDS) {
        if (exp.masked.includes(f)) {
          expect(presented[f], `${name}: ${f} must be masked`).not.toBe(client.original[f]);
          expect(typeof presented[f], `${name}: ${f} masked, not dropped`).toBe("string");
        } else expect(presented[f], `${name}: ${f} must be clear`).toBe(client.original[f]);
      }
    };

    for (const role of MATRIX_ROLES) {
      it(`read: ${role}`, async () => {
        const user = subjects.get(role)!;
        for (const client of clientsOf.get(role)!)
          for (const purpose of ["permitted", "not_permitted", "missing"] as const) {
            const c: Case = { role, onMatter: client.onMatter, walled: client.walled, grant: client.grant, purpose };
            const name = caseName("read", c);
            const exp = expected("read", c);
            const res = await get(user.token, `/clients/${client.id}`, PURPOSE_HEADER[purpose]);
            const [event] = await lastEvents(user.actor.userId, 1);
            expect(event, name).toMatchObject({ action: "client.read", target_id: client.id });
            if (exp.kind === "deny") {
              expect([res.statusCode, res.json().error?.code], name).toEqual([exp.status, exp.code]);
              expect(res.body, `${name}: no personal data in a refusal`).not.toContain(client.original.name);
              expect([event!.outcome, event!.reason], `${name}: audit`).toEqual(["denied", exp.auditReason]);
            } else if (exp.kind === "allow") {
              expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
              expectPresented(name, res.json(), client, exp);
              expect([event!.outcome, event!.reason], `${name}: audit`).toEqual(["success", exp.auditReason]);
              if (exp.via) expect(JSON.parse(event!.details!), `${name}: audit via`).toMatchObject({ via: "grant", viaId: client.grantId });
            } else throw new Error(`${name}: the oracle hides only search hits`);
          }
      });

      it(`search: ${role}`, async () => {
        const user = subjects.get(role)!;
        for (const client of clientsOf.get(role)!)
          for (const purpose of ["permitted", "not_permitted", "missing"] as const) {
            const c: Case = { role, onMatter: client.onMatter, walled: client.walled, grant: client.grant, purpose };
            const name = caseName("search", c);
            const exp = expected("search", c);
            const res = await post(user.token, "/clients/search", { phone: client.phone }, PURPOSE_HEADER[purpose]);
            const [summary, perClient] = await lastEvents(user.actor.userId, 2);
            if (exp.kind === "deny") {
              expect([res.statusCode, res.json().error?.code], name).toEqual([exp.status, exp.code]);
              expect(summary, `${name}: audit`).toMatchObject({ action: "client.search", outcome: "denied", reason: exp.auditReason });
              continue;
            }
            expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
            const items = res.json().items as (Record<string, unknown> & { access: { maskedFields: string[]; via?: string } })[];
            expect(summary, `${name}: summary event`).toMatchObject({ action: "client.search", outcome: "success", target_id: null });
            const counts = JSON.parse(summary!.details!);
            if (exp.kind === "hidden") {
              // Neither returned nor counted in the answer: an empty page, and nothing naming the client.
              expect(res.json(), name).toEqual({ items: [] });
              expect(res.body, name).not.toContain(client.id);
              expect(counts, `${name}: summary counts`).toEqual({
                by: ["phone"],
                results: 0,
                excludedByPurpose: exp.counter === "purpose" ? 1 : 0,
                excludedByNeedToKnow: exp.counter === "needToKnow" ? 1 : 0,
              });
              if (exp.counter === "wall") {
                expect(perClient, `${name}: walled hit audited as a denied read`).toMatchObject({
                  action: "client.read",
                  outcome: "denied",
                  reason: "screened_by_wall",
                  target_id: client.id,
                });
                expect(JSON.parse(perClient!.details!), name).toEqual({ via: "search" });
              }
            } else {
              expect(items.length, name).toBe(1);
              expectPresented(name, items[0]!, client, exp);
              expect(counts, `${name}: summary counts`).toEqual({ by: ["phone"], results: 1, excludedByPurpose: 0, excludedByNeedToKnow: 0 });
              expect(perClient, `${name}: hit audited`).toMatchObject({
                action: "client.read",
                outcome: "success",
                reason: exp.auditReason,
                target_id: client.id,
              });
              expect(JSON.parse(perClient!.details!), name).toMatchObject({
                via: "search",
                ...(exp.via ? { grantedVia: "grant", viaId: client.grantId } : {}),
              });
            }
          }
      });

      it(`export: ${role}`, async () => {
        const user = subjects.get(role)!;
        for (const client of clientsOf.get(role)!)
          for (const purpose of ["permitted", "not_permitted", "missing"] as const) {
            const c: Case = { role, onMatter: client.onMatter, walled: client.walled, grant: client.grant, purpose };
            const name = caseName("export", c);
            const exp = expected("export", c);
            const res = await get(user.token, `/clients/${client.id}/export`, PURPOSE_HEADER[purpose]);
            const [event] = await lastEvents(user.actor.userId, 1);
            expect(event, name).toMatchObject({ action: "client.export", target_id: client.id });
            if (exp.kind === "deny") {
              expect([res.statusCode, res.json().error?.code], name).toEqual([exp.status, exp.code]);
              expect([event!.outcome, event!.reason], `${name}: audit`).toEqual(["denied", exp.auditReason]);
            } else if (exp.kind === "allow") {
              expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
              expect(res.json(), name).toMatchObject({ purpose: "case-handling", grantId: client.grantId });
              expectPresented(name, res.json().client, client, exp);
              expect(event!.outcome, `${name}: audit`).toBe("success");
              expect(JSON.parse(event!.details!), `${name}: audit grant`).toMatchObject({ sensitive: "export", grantId: client.grantId });
            } else throw new Error(`${name}: the oracle hides only search hits`);
          }
      });

      it(`disclose: ${role}`, async () => {
        const user = subjects.get(role)!;
        for (const walled of [false, true]) {
          const client = clientsOf.get(role)!.find((x) => !x.onMatter && x.walled === walled && x.grant === "none")!;
          const name = caseName("disclose", { role, onMatter: false, walled, grant: "none" });
          const exp = expectedDiscloseRequest(role, walled);
          const res = await post(user.token, "/approvals", {
            kind: "disclose",
            clientId: client.id,
            purpose: "case-handling",
            justification: "regulator_request",
            reference: "MTX-D",
            durationMinutes: 60,
          });
          const [event] = await lastEvents(user.actor.userId, 1);
          expect(res.statusCode, `${name}: ${res.body}`).toBe(exp.status);
          if (exp.code) {
            expect(res.json().error.code, name).toBe(exp.code);
            expect(res.body, name).not.toContain(client.original.name);
            expect(event, `${name}: audit`).toMatchObject({ action: "approval.request", outcome: "denied", reason: exp.auditReason });
            continue;
          }
          const requestId = res.json().id as string;
          expect(res.json(), name).toMatchObject({ kind: "disclose", status: "pending", grant: null });
          expect(event, `${name}: audit`).toMatchObject({ action: "approval.request", outcome: "success", target_id: requestId });
          const grants = () => services.engine.db.selectFrom("access_grants").selectAll().where("request_id", "=", requestId).execute();

          // One approval never makes a disclosure grant (four eyes), and the same person cannot give the second.
          const first = await post(approver.token, `/approvals/${requestId}/approve`, {});
          expect(first.statusCode, `${name}: ${first.body}`).toBe(200);
          expect(first.json(), `${name}: one approval`).toMatchObject({ status: "pending", grant: null });
          expect(await grants(), `${name}: no grant after one approval`).toEqual([]);
          const twice = await post(approver.token, `/approvals/${requestId}/approve`, {});
          expect([twice.statusCode, twice.json().error?.code], `${name}: same approver twice`).toEqual([403, "same_approver_twice"]);
          expect(await grants(), `${name}: still no grant`).toEqual([]);
          const self = await post(user.token, `/approvals/${requestId}/approve`, {});
          expect([self.statusCode, self.json().error?.code], `${name}: self-approval`).toEqual([403, "self_approval_forbidden"]);

          const second = await post(owner.token, `/approvals/${requestId}/approve`, {});
          expect(second.statusCode, `${name}: ${second.body}`).toBe(200);
          expect(second.json(), `${name}: two approvals`).toMatchObject({ status: "approved", grant: { current: true } });
          const made = await grants();
          expect(
            made.map((g) => [g.kind, g.user_id, g.client_id]),
            `${name}: the grant`,
          ).toEqual([["disclose", user.actor.userId, client.id]]);
        }
      });
    }

    // A walled reader who holds audit.read must not learn from their own trail that a walled record
    // matched: the summary event carries no wall count (client-searcher.ts), and the denied per-hit
    // event names the client, so the audit queries hide it from them.
    for (const role of ["partner", "compliance", "admin"] as const) {
      it(`search: a walled ${role} never sees a walled hit counted, not even in their own audit trail`, async () => {
        const user = subjects.get(role)!;
        const res = await get(user.token, `/audit?action=client.search&actorId=${user.actor.userId}&limit=500`);
        expect(res.statusCode, res.body).toBe(200);
        const items = res.json().items as { details: Record<string, unknown> | null; targetId: string | null; reason: string | null }[];
        expect(items.length, `[audit] role=${role}: own searches listed`).toBeGreaterThan(0);
        expect(
          items.filter((e) => e.details && "excludedByWall" in e.details),
          `[audit] role=${role}: walled hits counted`,
        ).toEqual([]);
        const reads = (await get(user.token, `/audit?action=client.read&actorId=${user.actor.userId}&outcome=denied&limit=500`)).json().items as {
          reason: string | null;
        }[];
        expect(
          reads.filter((e) => e.reason === "screened_by_wall"),
          `[audit] role=${role}: walled hits listed`,
        ).toEqual([]);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The partner register (issue #13): who reads it and who manages it, restated from VEN-1..4:
// compliance keeps it; partners and lawyers, who pick co-counsel, experts and translators and ask
// for disclosures to them, read it; nobody else. Every answer, allowed or refused, is audited.
// ---------------------------------------------------------------------------------------------

const PARTNER_REGISTER: Record<Role, { read: boolean; manage: boolean }> = {
  partner: { read: true, manage: false },
  lawyer: { read: true, manage: false },
  paralegal: { read: false, manage: false },
  compliance: { read: true, manage: true },
  "records-clerk": { read: false, manage: false },
  auditor: { read: false, manage: false },
  admin: { read: false, manage: false },
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: authorization matrix — partner register routes`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let partnerId: string;
    const users = new Map<Role, TestUser>();

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      // The routes as server.ts mounts them: behind the bearer/session hook, under /api/v1.
      const http = Fastify({ logger: false });
      http.setValidatorCompiler(validatorCompiler);
      http.setSerializerCompiler(serializerCompiler);
      http.setErrorHandler(handleError);
      http.decorateRequest("custodia", null);
      http.decorateRequest("custodiaSession", null);
      await http.register(
        async (api) => {
          api.addHook("onRequest", authenticate(createSignInServices(services)));
          await api.register(partnerRoutes(services));
        },
        { prefix: "/api/v1" },
      );
      await http.ready();
      app = http;
      for (const role of MATRIX_ROLES) users.set(role, await buildUser(services, role));
      const made = await app.inject({
        method: "POST",
        url: "/api/v1/partners",
        headers: auth(users.get("compliance")!.token),
        payload: { name: "矩阵律师事务所", kind: "co_counsel", piplRole: "independent_handler", jurisdiction: "CN", maxLevel: 2 },
      });
      expect(made.statusCode, made.body).toBe(201);
      partnerId = made.json().id;
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();

    for (const role of MATRIX_ROLES) {
      it(`partner register: ${role}`, async () => {
        const user = users.get(role)!;
        const may = PARTNER_REGISTER[role];
        const cases: { name: string; method: "GET" | "POST" | "PATCH"; url: string; payload?: object; action: string; allowed: boolean; status: number }[] = [
          { name: "list", method: "GET", url: "/partners", action: "partner.list", allowed: may.read, status: 200 },
          { name: "read", method: "GET", url: `/partners/${partnerId}`, action: "partner.read", allowed: may.read, status: 200 },
          { name: "questionnaire", method: "GET", url: "/partners/questionnaire", action: "partner.questionnaire.read", allowed: may.read, status: 200 },
          {
            name: "create",
            method: "POST",
            url: "/partners",
            payload: { name: `${role} vendor`, kind: "vendor", piplRole: "entrusted_processor", jurisdiction: "CN", maxLevel: 1 },
            action: "partner.create",
            allowed: may.manage,
            status: 201,
          },
          {
            name: "update",
            method: "PATCH",
            url: `/partners/${partnerId}`,
            payload: { status: "active" },
            action: "partner.update",
            allowed: may.manage,
            status: 200,
          },
          {
            name: "assess",
            method: "POST",
            url: `/partners/${partnerId}/assessments`,
            payload: { answers: { iso27001: "yes" } },
            action: "partner.assess",
            allowed: may.manage,
            status: 201,
          },
          {
            name: "contract",
            method: "POST",
            url: `/partners/${partnerId}/contracts`,
            payload: { kind: "nda", version: "1", signedOn: "2026-01-01" },
            action: "partner.contract.add",
            allowed: may.manage,
            status: 201,
          },
          {
            name: "transfer",
            method: "POST",
            url: `/partners/${partnerId}/transfers`,
            payload: { destination: "HK", mechanism: "standard_contract_filing", reference: "M-1", validFrom: "2026-01-01" },
            action: "partner.transfer.add",
            allowed: may.manage,
            status: 201,
          },
        ];
        for (const c of cases) {
          const name = `[partners] role=${role} ${c.name}`;
          const res = await app.inject({ method: c.method, url: `/api/v1${c.url}`, headers: auth(user.token), ...(c.payload ? { payload: c.payload } : {}) });
          const event = await lastEvent(user.actor.userId);
          if (c.allowed) {
            expect(res.statusCode, `${name}: ${res.body}`).toBe(c.status);
            expect(event, `${name}: audit`).toMatchObject({ action: c.action, outcome: "success" });
          } else {
            expect([res.statusCode, res.json().error?.code], name).toEqual([403, "role_lacks_permission"]);
            expect(event, `${name}: audit`).toMatchObject({ action: c.action, outcome: "denied", reason: "role_lacks_permission" });
          }
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Disclosures (issue #13, APR-2): who may send client data to a partner, read the disclosure
// register, and ask for or confirm its return, restated: partners and lawyers disclose (each client
// then needs an approved disclose grant); those who read the partner register read the disclosures;
// compliance (or the disclosure's own requester) asks for returns and records confirmations.
// ---------------------------------------------------------------------------------------------

const DISCLOSURE_RIGHTS: Record<Role, { disclose: boolean; read: boolean; returns: boolean }> = {
  partner: { disclose: true, read: true, returns: false },
  lawyer: { disclose: true, read: true, returns: false },
  paralegal: { disclose: false, read: false, returns: false },
  compliance: { disclose: false, read: true, returns: true },
  "records-clerk": { disclose: false, read: false, returns: false },
  auditor: { disclose: false, read: false, returns: false },
  admin: { disclose: false, read: false, returns: false },
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: authorization matrix — disclosure routes`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let partnerId: string;
    const users = new Map<Role, TestUser>();
    // No such disclosure or partner: an allowed role gets past the role check to a 404.
    const missing = "0190a000-0000-7000-8000-000000000000";

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      const http = Fastify({ logger: false });
      http.setValidatorCompiler(validatorCompiler);
      http.setSerializerCompiler(serializerCompiler);
      http.setErrorHandler(handleError);
      http.decorateRequest("custodia", null);
      http.decorateRequest("custodiaSession", null);
      await http.register(
        async (api) => {
          api.addHook("onRequest", authenticate(createSignInServices(services)));
          await api.register(partnerRoutes(services));
          await api.register(disclosureRoutes(services));
        },
        { prefix: "/api/v1" },
      );
      await http.ready();
      app = http;
      for (const role of MATRIX_ROLES) users.set(role, await buildUser(services, role));
      const made = await app.inject({
        method: "POST",
        url: "/api/v1/partners",
        headers: auth(users.get("compliance")!.token),
        payload: { name: "矩阵鉴定所", kind: "expert", piplRole: "independent_handler", jurisdiction: "CN", maxLevel: 2 },
      });
      expect(made.statusCode, made.body).toBe(201);
      partnerId = made.json().id;
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();

    for (const role of MATRIX_ROLES) {
      it(`disclosures: ${role}`, async () => {
        const user = users.get(role)!;
        const may = DISCLOSURE_RIGHTS[role];
        const cases: { name: string; method: "GET" | "POST"; url: string; payload?: object; action: string; allowed: boolean; status: number }[] = [
          {
            name: "disclose",
            method: "POST",
            url: "/disclosures",
            payload: { partnerId: missing, clientIds: [missing], profileCode: "masked_ids_birth_year", purpose: "case-handling", legalBasis: "contract" },
            action: "client.disclose",
            allowed: may.disclose,
            status: 404,
          },
          { name: "list", method: "GET", url: `/disclosures?partnerId=${partnerId}`, action: "disclosure_register.list", allowed: may.read, status: 200 },
          { name: "read", method: "GET", url: `/disclosures/${missing}`, action: "disclosure_register.read", allowed: may.read, status: 404 },
          { name: "holdings", method: "GET", url: `/partners/${partnerId}/holdings`, action: "disclosure_register.holdings", allowed: may.read, status: 200 },
          {
            name: "return",
            method: "POST",
            url: `/disclosures/${missing}/return-request`,
            action: "holding.return_request",
            allowed: may.returns,
            status: 404,
          },
          {
            name: "confirm",
            method: "POST",
            url: `/disclosures/${missing}/confirmations`,
            payload: { kind: "deleted", confirmedAt: new Date().toISOString(), reference: "DEL-1" },
            action: "holding.confirm",
            allowed: may.returns,
            status: 404,
          },
        ];
        for (const c of cases) {
          const name = `[disclosures] role=${role} ${c.name}`;
          const res = await app.inject({ method: c.method, url: `/api/v1${c.url}`, headers: auth(user.token), ...(c.payload ? { payload: c.payload } : {}) });
          const event = await lastEvent(user.actor.userId);
          if (c.allowed) {
            expect(res.statusCode, `${name}: ${res.body}`).toBe(c.status);
            expect(event, `${name}: audit`).toMatchObject({ action: c.action, outcome: c.status < 400 ? "success" : "failure" });
          } else {
            expect([res.statusCode, res.json().error?.code], name).toEqual([403, "role_lacks_permission"]);
            expect(event, `${name}: audit`).toMatchObject({ action: c.action, outcome: "denied", reason: "role_lacks_permission" });
          }
        }
      });
    }
  });
}
