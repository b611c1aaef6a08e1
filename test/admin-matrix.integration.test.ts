/**
 * The administration matrix (issue #10, "No back doors"): for every role, API tokens for oneself
 * and for another user, one's own role and another's (to L1/L2, to L3+, with and without the
 * second approver), access conditions for oneself and for others, training and agreements (issue
 * #14), and listing and revoking tokens,
 * on both engines, through the HTTP API, each with its audit event.
 *
 * The expected outcomes come from ADMIN_FACTS and `expected*()` below: an oracle written from the
 * requirements, deliberately NOT computed by calling src/access/policy/policy.ts.
 */
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { CONSOLE_OPERATOR, createToken } from "../src/identity/users/user-admin.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { mfaSession } from "./support/mfa-session.js";

// ---------------------------------------------------------------------------------------------
// The oracle, restated independently of src/access/policy/roles.ts and policy.ts.
// ---------------------------------------------------------------------------------------------

type Role = "admin" | "partner" | "lawyer" | "paralegal" | "compliance" | "auditor" | "records-clerk";

interface AdminFacts {
  /** Creates accounts and changes other people's roles (user administration). */
  administersUsers: boolean;
  /** Lists and revokes everyone's API tokens (token administration); never mints them for others. */
  administersTokens: boolean;
  /** Records confidentiality agreements and privacy training (compliance), never their own. */
  recordsAccessConditions: boolean;
  /** Approves a role at L3+ (compliance officer or partner), never their own request or their own role. */
  approvesRoleGrants: boolean;
}

const ADMIN_FACTS: Record<Role, AdminFacts> = {
  admin: { administersUsers: true, administersTokens: true, recordsAccessConditions: false, approvesRoleGrants: false },
  partner: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: true },
  lawyer: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
  paralegal: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
  compliance: { administersUsers: false, administersTokens: false, recordsAccessConditions: true, approvesRoleGrants: true },
  auditor: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
  "records-clerk": { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
};
const ROLES = Object.keys(ADMIN_FACTS) as Role[];

/** An answer and the audit event it leaves: outcome and reason (null for a success). */
interface Expected {
  status: number;
  code: string | null;
  outcome: "success" | "denied";
}
const ok = (status = 200): Expected => ({ status, code: null, outcome: "success" });
const no = (code: string): Expected => ({ status: 403, code, outcome: "denied" });

/** Minting an API token. Over a bearer token nobody may (no second factor is ever proven by one). */
function expectedToken(target: "self" | "other", via: "fresh_session" | "bearer"): Expected {
  if (target === "other") return no("token_for_other_user");
  return via === "bearer" ? no("recent_mfa_required") : ok(201);
}

/** Changing a role: user administration only, never one's own; L3+ waits for approval (202). */
function expectedRoleChange(role: Role, target: "self" | "other", to: "L1/L2" | "L3+"): Expected {
  if (!ADMIN_FACTS[role].administersUsers) return no("role_lacks_permission");
  if (target === "self") return no("self_role_change");
  return ok(to === "L3+" ? 202 : 200);
}

/** Approving an L3+ role grant that the suite's admin filed for someone else. */
function expectedApproval(role: Role, isRequester: boolean): Expected {
  if (isRequester) return no("self_approval_forbidden");
  return ADMIN_FACTS[role].approvesRoleGrants ? ok() : no("not_an_approver");
}

function expectedAccessConditions(role: Role, target: "self" | "other"): Expected {
  if (!ADMIN_FACTS[role].recordsAccessConditions) return no("role_lacks_permission");
  return target === "self" ? no("self_record_forbidden") : ok();
}

/**
 * Training and agreements (issue #14): compliance alone manages courses, assignments, agreement
 * versions and background checks, and records completions for others (never its own); the admin
 * does not (they unlock L3+ data). Everyone takes their own quiz and acknowledges agreements.
 */
const MANAGES_TRAINING: ReadonlySet<Role> = new Set<Role>(["compliance"]);
function expectedTrainingManage(role: Role, status = 201): Expected {
  return MANAGES_TRAINING.has(role) ? ok(status) : no("role_lacks_permission");
}
function expectedCompletionRecord(role: Role, target: "self" | "other"): Expected {
  if (!MANAGES_TRAINING.has(role)) return no("role_lacks_permission");
  return target === "self" ? no("self_record_forbidden") : ok(201);
}

/**
 * People and governance (issue #14): compliance and the admin keep the device register, the auditor
 * reads it too; a device is reported lost by its owner or by compliance (the report opens an
 * incident), never by the admin for someone else. Compliance alone names the privacy team, records
 * law changes and decides investigations (never one about themselves); compliance and the auditor
 * see who has attested a policy; everyone attests for themselves.
 */
const KEEPS_DEVICES: ReadonlySet<Role> = new Set<Role>(["admin", "compliance"]);
const READS_DEVICES: ReadonlySet<Role> = new Set<Role>(["admin", "compliance", "auditor"]);
const OVERSEES_POLICIES: ReadonlySet<Role> = new Set<Role>(["compliance", "auditor"]);
const GOVERNS_PEOPLE: ReadonlySet<Role> = new Set<Role>(["compliance"]);
const expectedPeople = (allowed: ReadonlySet<Role>, role: Role, status = 200): Expected => (allowed.has(role) ? ok(status) : no("role_lacks_permission"));
function expectedLostReport(role: Role, whose: "own" | "other"): Expected {
  return whose === "own" || GOVERNS_PEOPLE.has(role) ? ok() : no("not_device_owner");
}
function expectedCaseDecision(role: Role, about: "other" | "self"): Expected {
  if (!GOVERNS_PEOPLE.has(role)) return no("role_lacks_permission");
  return about === "self" ? no("decider_is_subject") : ok();
}

function expectedTokenAdmin(role: Role, whose: "own" | "other" | "all"): Expected {
  return whose === "own" || ADMIN_FACTS[role].administersTokens ? ok() : no("role_lacks_permission");
}

/**
 * KPIs (issue #14, GOV-6): partners, compliance and auditors read them and the quarterly report;
 * compliance alone sets the targets. The admin runs the system, not the privacy programme.
 */
const READS_KPIS: ReadonlySet<Role> = new Set<Role>(["partner", "compliance", "auditor"]);
const SETS_KPI_TARGETS: ReadonlySet<Role> = new Set<Role>(["compliance"]);
const expectedKpi = (allowed: ReadonlySet<Role>, role: Role): Expected => (allowed.has(role) ? ok() : no("role_lacks_permission"));

// ---------------------------------------------------------------------------------------------

for (const dialect of DIALECTS) {
  describe(`${dialect}: administration matrix (issue #10)`, () => {
    let services: Services;
    let app: FastifyInstance;
    const actors = {} as Record<Role, TestUser>;
    const sessions = {} as Record<Role, Record<string, string>>;
    let bystander!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      for (const role of ROLES) actors[role] = await buildUser(services, role);
      bystander = await buildUser(services, "paralegal");
      for (const role of ROLES) sessions[role] = await mfaSession(app, actors[role].email);
    });

    const call = (method: "GET" | "POST" | "PUT", headers: Record<string, string>, url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    /** The answer matches and the latest event of `action` by the actor records it. */
    async function check(label: string, res: Awaited<ReturnType<typeof call>>, want: Expected, action: string, actor: TestUser) {
      expect([label, res.statusCode, res.statusCode >= 400 ? res.json().error.code : null], res.body).toEqual([label, want.status, want.code]);
      const event = await services.engine.db
        .selectFrom("audit_events")
        .select(["outcome", "reason"])
        .where("action", "=", action)
        .where("actor_id", "=", actor.actor.userId)
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      expect([label, event.outcome, event.reason]).toEqual([label, want.outcome, want.code]);
    }

    it("API tokens: for oneself from a fresh second factor, never over a bearer token, never for another user", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        const cases = [
          ["self", "fresh_session", sessions[role], me.actor.userId],
          ["self", "bearer", auth(me.token), me.actor.userId],
          ["other", "fresh_session", sessions[role], bystander.actor.userId],
          ["other", "bearer", auth(me.token), bystander.actor.userId],
        ] as const;
        for (const [target, via, headers, userId] of cases) {
          const res = await call("POST", headers, "/tokens", { userId, name: `${role} ${target}` });
          await check(`${role} token for ${target} via ${via}`, res, expectedToken(target, via), "token.create", me);
          if (res.statusCode === 201) expect(res.json().userId).toBe(me.actor.userId);
        }
      }
      // Nobody minted one for the bystander.
      const theirs = await services.engine.db.selectFrom("api_tokens").select("created_by").where("user_id", "=", bystander.actor.userId).execute();
      expect(theirs.map((t) => t.created_by)).toEqual(["system:console"]);
    });

    it("roles: one's own never; another's to L1/L2 at once and to L3+ only through a second approver", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        for (const to of ["L1/L2", "L3+"] as const) {
          const newRole = to === "L3+" ? "lawyer" : "records-clerk";
          const own = await call("PUT", auth(me.token), `/users/${me.actor.userId}/role`, { role: newRole });
          await check(`${role} own role to ${to}`, own, expectedRoleChange(role, "self", to), "user.set_role", me);
          expect((await services.engine.db.selectFrom("users").select("role").where("id", "=", me.actor.userId).executeTakeFirstOrThrow()).role).toBe(role);

          const subject = await buildUser(services, "paralegal");
          const res = await call("PUT", auth(me.token), `/users/${subject.actor.userId}/role`, { role: newRole });
          const want = expectedRoleChange(role, "other", to);
          // A role at L3+ is filed as an approval request, audited as such; nothing changes yet.
          await check(`${role} another's role to ${to}`, res, want, want.status === 202 ? "approval.request" : "user.set_role", me);
          const now = (await services.engine.db.selectFrom("users").select("role").where("id", "=", subject.actor.userId).executeTakeFirstOrThrow()).role;
          expect([`${role} → ${to}`, now]).toEqual([`${role} → ${to}`, want.status === 200 ? newRole : "paralegal"]);
        }
      }
    });

    it("roles at L3+ with approval: a compliance officer or a partner approves, never the requester", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        const subject = await buildUser(services, "paralegal");
        const filed = await call("PUT", auth(actors.admin.token), `/users/${subject.actor.userId}/role`, { role: "lawyer" });
        expect(filed.statusCode, filed.body).toBe(202);
        const approvalId = filed.json().pendingApproval.id as string;
        const res = await call("POST", auth(me.token), `/approvals/${approvalId}/approve`);
        const want = expectedApproval(role, role === "admin");
        await check(`${role} approves a role grant`, res, want, "approval.approve", me);
        const now = (await services.engine.db.selectFrom("users").select("role").where("id", "=", subject.actor.userId).executeTakeFirstOrThrow()).role;
        expect([role, now]).toEqual([role, want.outcome === "success" ? "lawyer" : "paralegal"]);
      }
    });

    it("access conditions: compliance records them for others, nobody for themselves, the admin never", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        for (const target of ["self", "other"] as const) {
          const userId = target === "self" ? me.actor.userId : bystander.actor.userId;
          const agreement = await call("POST", auth(me.token), `/users/${userId}/agreement`, { version: 1 });
          await check(`${role} agreement for ${target}`, agreement, expectedAccessConditions(role, target), "user.agreement_record", me);
          const training = await call("POST", auth(me.token), `/users/${userId}/training`, { expiresOn: "2099-12-31" });
          await check(`${role} training for ${target}`, training, expectedAccessConditions(role, target), "user.training_record", me);
        }
      }
    });

    it("training and agreements: compliance manages them and records for others only; everyone takes their own quiz and acknowledges", async () => {
      const course = {
        titleZh: "矩阵课程",
        titleEn: "Matrix course",
        validityMonths: 12,
        passMark: 100,
        questions: [
          {
            textZh: "对吗？",
            textEn: "Right?",
            options: [
              { zh: "对", en: "yes" },
              { zh: "错", en: "no" },
            ],
            correct: [0],
          },
        ],
      };
      const text = { titleZh: "客户保密承诺", titleEn: "Client confidentiality", textZh: "条款", textEn: "Terms" };
      let courseId = "";
      for (const role of ROLES) {
        const me = actors[role];
        const created = await call("POST", auth(me.token), "/training/courses", course);
        await check(`${role} creates a course`, created, expectedTrainingManage(role), "training.course.create", me);
        if (created.statusCode === 201) courseId = created.json().id;
      }
      for (const role of ROLES) {
        const me = actors[role];
        const assigned = await call("POST", auth(me.token), `/training/courses/${courseId}/assignments`, { role: "lawyer", dueOn: "2099-12-31" });
        await check(`${role} assigns a course`, assigned, expectedTrainingManage(role), "training.assign", me);
        const published = await call("POST", auth(me.token), "/agreements/client_confidentiality/versions", text);
        await check(`${role} publishes an agreement version`, published, expectedTrainingManage(role), "agreement.publish", me);
        const checked = await call("POST", auth(me.token), "/background-checks", {
          userId: bystander.actor.userId,
          checkedOn: "2026-01-05",
          scope: ["identity"],
          outcome: "clear",
        });
        await check(`${role} records a background check`, checked, expectedTrainingManage(role), "background_check.record", me);
        for (const target of ["self", "other"] as const) {
          const userId = target === "self" ? me.actor.userId : bystander.actor.userId;
          const done = await call("POST", auth(me.token), `/training/courses/${courseId}/completions`, { userId });
          await check(`${role} records a completion for ${target}`, done, expectedCompletionRecord(role, target), "training.completion.record", me);
        }
        const quiz = (await call("GET", auth(me.token), `/training/courses/${courseId}`)).json().questions as { id: string }[];
        const attempt = await call("POST", auth(me.token), `/training/courses/${courseId}/attempts`, { answers: { [quiz[0]!.id]: [0] } });
        await check(`${role} takes the quiz`, attempt, ok(), "training.attempt", me);
        const version = (await call("GET", auth(me.token), "/agreements/mine")).json().items[0].version as number;
        const ack = await call("POST", auth(me.token), "/agreements/staff_nda/acknowledgements", { version });
        await check(`${role} acknowledges the staff NDA`, ack, ok(), "agreement.acknowledge", me);
      }
    });

    it("KPIs: partners, compliance and auditors read them and the quarterly report; compliance alone sets a target", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        await check(`${role} reads the KPIs`, await call("GET", auth(me.token), "/kpis"), expectedKpi(READS_KPIS, role), "kpi.read", me);
        await check(`${role} reads the KPI charts`, await call("GET", auth(me.token), "/kpis/charts"), expectedKpi(READS_KPIS, role), "kpi.read", me);
        const report = await call("GET", auth(me.token), "/kpis/reports/quarterly?quarter=2026-Q3&format=xlsx");
        await check(`${role} downloads the quarterly report`, report, expectedKpi(READS_KPIS, role), "kpi.report", me);
        const target = await call("PUT", auth(me.token), "/kpis/targets/requests_on_time", { target: 0.95 });
        await check(`${role} sets a KPI target`, target, expectedKpi(SETS_KPI_TARGETS, role), "kpi.target", me);
      }
    });

    it("people and governance (issue #14): devices, lost reports, privacy team, attestations, law changes, investigations", async () => {
      const keeper = actors.compliance;
      const post = async (url: string, payload: object, status = 201) => {
        const res = await call("POST", auth(keeper.token), url, payload);
        expect(res.statusCode, res.body).toBe(status);
        return res.json();
      };
      const device = (ownerId: string) => post("/devices", { kind: "phone", label: "MX-1", ownerId, encryption: "full" });
      const policy = await post("/policies", {
        code: "matrix_policy",
        titleZh: "矩阵制度",
        titleEn: "Matrix policy",
        ownerId: keeper.actor.userId,
        textZh: "条款",
        textEn: "Terms",
      });
      await post(`/policies/${policy.id}/publish`, { version: 1 }, 200);
      const investigated = async (subjectId: string) => {
        const c = await post("/accountability-cases", { subjectId, ruleCode: "other" });
        await post(`/accountability-cases/${c.id}/investigate`, {}, 200);
        const res = await app.inject({
          method: "PUT",
          url: `/api/v1/accountability-cases/${c.id}/findings`,
          headers: auth(keeper.token),
          payload: { findings: "Matrix." },
        });
        expect(res.statusCode, res.body).toBe(200);
        return c.id as string;
      };
      for (const role of ROLES) {
        const me = actors[role];
        const h = auth(me.token);
        const registered = await call("POST", h, "/devices", { kind: "laptop", label: "MX-2", ownerId: bystander.actor.userId, encryption: "full" });
        await check(`${role} registers a device`, registered, expectedPeople(KEEPS_DEVICES, role, 201), "device.register", me);
        await check(`${role} reads the device register`, await call("GET", h, "/devices"), expectedPeople(READS_DEVICES, role), "device.list", me);
        const others = await device(bystander.actor.userId);
        await check(
          `${role} reports another's device lost`,
          await call("POST", h, `/devices/${others.id}/lost`, { lostOn: "2026-01-05" }),
          expectedLostReport(role, "other"),
          "device.report_lost",
          me,
        );
        const own = await device(me.actor.userId);
        await check(
          `${role} reports their own device lost`,
          await call("POST", h, `/devices/${own.id}/lost`, { lostOn: "2026-01-05" }),
          expectedLostReport(role, "own"),
          "device.report_lost",
          me,
        );
        const named = await call("POST", h, "/privacy-team", {
          code: "archive_keeper",
          holderId: bystander.actor.userId,
          dutiesZh: "档案",
          dutiesEn: "Archive",
        });
        await check(`${role} names a privacy team role`, named, expectedPeople(GOVERNS_PEOPLE, role, 201), "privacy_team.assign", me);
        await check(`${role} attests a policy`, await call("POST", h, `/policies/${policy.id}/attest`, { version: 1 }), ok(), "policy.attest", me);
        await check(
          `${role} reads who has attested`,
          await call("GET", h, `/policies/${policy.id}/attestations`),
          expectedPeople(OVERSEES_POLICIES, role),
          "policy.attestations",
          me,
        );
        const law = await call("POST", h, "/policies/law-changes", { reviewedOn: "2026-01-05", law: "PIPL", summary: "Matrix.", decision: "no_change" });
        await check(`${role} records a law change`, law, expectedPeople(GOVERNS_PEOPLE, role, 201), "policy.law_change.record", me);
        const other = await investigated(bystander.actor.userId);
        await check(
          `${role} decides an investigation`,
          await call("POST", h, `/accountability-cases/${other}/decide`, { outcome: "warning" }),
          expectedCaseDecision(role, "other"),
          "accountability.case.decide",
          me,
        );
        const self = await investigated(me.actor.userId);
        await check(
          `${role} decides an investigation of themselves`,
          await call("POST", h, `/accountability-cases/${self}/decide`, { outcome: "warning" }),
          expectedCaseDecision(role, "self"),
          "accountability.case.decide",
          me,
        );
      }
    });

    it("listing and revoking tokens: one's own always, everyone's only for token administration", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        for (const [whose, query] of [
          ["all", ""],
          ["own", `?userId=${me.actor.userId}`],
          ["other", `?userId=${bystander.actor.userId}`],
        ] as const) {
          const res = await call("GET", auth(me.token), `/tokens${query}`);
          await check(`${role} lists ${whose} tokens`, res, expectedTokenAdmin(role, whose), "token.list", me);
        }
        const own = await createToken(services, CONSOLE_OPERATOR, { id: me.actor.userId, name: "to revoke" }, "t");
        const other = await createToken(services, CONSOLE_OPERATOR, { id: bystander.actor.userId, name: "to revoke" }, "t");
        for (const [whose, token] of [
          ["own", own],
          ["other", other],
        ] as const) {
          const res = await call("POST", auth(me.token), `/tokens/${token.id}/revoke`);
          await check(`${role} revokes ${whose} token`, res, expectedTokenAdmin(role, whose), "token.revoke", me);
          const row = await services.engine.db.selectFrom("api_tokens").select("revoked_at").where("id", "=", token.id).executeTakeFirstOrThrow();
          expect([role, whose, row.revoked_at !== null]).toEqual([role, whose, res.statusCode === 200]);
        }
      }
    });

    it("partner questionnaire links (issue #13): compliance alone issues them (partner.manage)", async () => {
      // Oracle: only compliance manages the partner register; partners and lawyers read it, nobody else.
      const issuesLinks: ReadonlySet<Role> = new Set<Role>(["compliance"]);
      const register = await call("POST", auth(actors.compliance.token), "/partners", {
        name: "矩阵翻译有限公司",
        kind: "translator",
        piplRole: "entrusted_processor",
        jurisdiction: "CN",
        maxLevel: 2,
        contacts: [{ name: "联系人", email: "contact@matrix.example.cn" }],
      });
      expect(register.statusCode, register.body).toBe(201);
      const { id: partnerId, contacts } = register.json() as { id: string; contacts: { id: string }[] };
      for (const role of ROLES) {
        const me = actors[role];
        const res = await call("POST", auth(me.token), `/partners/${partnerId}/questionnaire-links`, { contactId: contacts[0]!.id });
        await check(`${role} issues a questionnaire link`, res, issuesLinks.has(role) ? ok(201) : no("role_lacks_permission"), "partner.link.issue", me);
      }
      const issued = await services.engine.db.selectFrom("partner_questionnaire_links").select("issued_by").where("partner_id", "=", partnerId).execute();
      expect(issued.map((l) => l.issued_by)).toEqual([actors.compliance.actor.userId]);
    });

    it("assessments (issue #14, GOV-3, GOV-4): compliance runs them and alone builds the inspection pack; owners move but never verify their own findings", async () => {
      // Oracle: compliance keeps self-assessments and builds the regulator's pack; partners and the auditor read assessments.
      const readsAssessments: ReadonlySet<Role> = new Set<Role>(["compliance", "partner", "auditor"]);
      const runsAssessments: ReadonlySet<Role> = new Set<Role>(["compliance"]);
      const buildsPack: ReadonlySet<Role> = new Set<Role>(["compliance"]);
      const allowedIf = (allowed: ReadonlySet<Role>, role: Role, status = 200): Expected => (allowed.has(role) ? ok(status) : no("role_lacks_permission"));
      let runId = "";
      for (const role of ROLES) {
        const me = actors[role];
        await check(
          `${role} reads the control list`,
          await call("GET", auth(me.token), "/assessments/controls"),
          allowedIf(readsAssessments, role),
          "assessment.controls.read",
          me,
        );
        const planned = await call("POST", auth(me.token), "/assessments/runs", {
          kind: "ad_hoc",
          plannedOn: "2026-12-31",
          assessorId: actors.compliance.actor.userId,
        });
        await check(`${role} plans a run`, planned, allowedIf(runsAssessments, role, 201), "assessment.run.plan", me);
        if (planned.statusCode === 201) runId = planned.json().id;
        await check(
          `${role} builds the inspection pack`,
          await call("GET", auth(me.token), "/inspection-pack"),
          allowedIf(buildsPack, role),
          "inspection.pack",
          me,
        );
      }
      // Every owner resolves their own finding; verifying it takes compliance and someone other than the owner.
      for (const role of ROLES) {
        const owner = actors[role];
        const raised = await call("POST", auth(actors.compliance.token), "/assessments/findings", {
          runId,
          summary: "矩阵整改事项",
          severity: "low",
          ownerId: owner.actor.userId,
          dueOn: "2099-12-31",
        });
        expect(raised.statusCode, raised.body).toBe(201);
        const id = raised.json().id as string;
        const resolved = await call("POST", auth(owner.token), `/assessments/findings/${id}/progress`, { status: "resolved", resolution: "done" });
        await check(`${role} resolves their own finding`, resolved, ok(), "assessment.finding.progress", owner);
        const own = await call("POST", auth(owner.token), `/assessments/findings/${id}/verify`, { accepted: true });
        await check(
          `${role} verifies their own finding`,
          own,
          no(role === "compliance" ? "owner_cannot_verify" : "role_lacks_permission"),
          "assessment.finding.verify",
          owner,
        );
        if (role !== "compliance") {
          const other = await call("POST", auth(actors.compliance.token), `/assessments/findings/${id}/verify`, { accepted: true });
          await check(`compliance verifies the ${role}'s finding`, other, ok(), "assessment.finding.verify", actors.compliance);
        }
      }
    });

    it("paper files (issue #14, PAP-1, PAP-2): the archive keeper keeps places; L3+ loans approved by keeper or compliance, never the borrower; room checks by keeper or compliance", async () => {
      // Oracle: the records clerk is the archive keeper; compliance approves and checks rooms too; nobody else.
      const keepsPlaces: ReadonlySet<Role> = new Set<Role>(["records-clerk"]);
      const approvesLoans: ReadonlySet<Role> = new Set<Role>(["records-clerk", "compliance"]);
      const checksRooms: ReadonlySet<Role> = new Set<Role>(["records-clerk", "compliance"]);
      const allowedIf = (allowed: ReadonlySet<Role>, role: Role, status = 200): Expected => (allowed.has(role) ? ok(status) : no("role_lacks_permission"));
      const clerk = actors["records-clerk"];
      const client = await call("POST", auth(actors.partner.token), "/clients", {
        kind: "person",
        name: "矩阵纸质",
        idType: "resident_id",
        idNumber: "11010519491231002X",
        purposes: ["case-handling"],
      });
      expect(client.statusCode, client.body).toBe(201);
      let room = "";
      let shelf = "";
      for (const role of ROLES) {
        const me = actors[role];
        const res = await call("POST", auth(me.token), "/paper/locations", { kind: "room", code: `M${ROLES.indexOf(role)}`, label: "矩阵档案室" });
        await check(`${role} adds an archive room`, res, allowedIf(keepsPlaces, role, 201), "paper.location.create", me);
        if (res.statusCode === 201) room = res.json().id;
      }
      const cabinet = await call("POST", auth(clerk.token), "/paper/locations", { kind: "cabinet", code: "M-01", label: "柜", parentId: room });
      shelf = (await call("POST", auth(clerk.token), "/paper/locations", { kind: "shelf", code: "M-01-1", label: "层", parentId: cabinet.json().id })).json()
        .id;
      for (const role of ROLES) {
        const me = actors[role];
        const file = await call("POST", auth(clerk.token), "/paper/files", {
          clientId: client.json().id,
          title: "矩阵卷宗",
          level: 3,
          homeShelfId: shelf,
          reference: `MATRIX-${role}`,
        });
        expect(file.statusCode, file.body).toBe(201);
        // The partner borrows for themselves; the L3 loan waits for a second person.
        const loan = await call("POST", auth(actors.partner.token), "/paper/checkouts", {
          fileId: file.json().id,
          purpose: "case-handling",
          dueOn: new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 10),
        });
        expect(loan.statusCode, loan.body).toBe(201);
        const decided = await call("POST", auth(me.token), `/paper/checkouts/${loan.json().id}/decision`, { decision: "approve" });
        await check(`${role} approves an L3 loan`, decided, allowedIf(approvesLoans, role), "paper.checkout.decide", me);
        const checked = await call("POST", auth(me.token), "/paper/control-checks", {
          roomId: room,
          kind: "access_control",
          checkedOn: "2026-01-05",
          result: "pass",
        });
        await check(`${role} records a room check`, checked, allowedIf(checksRooms, role, 201), "paper.control_check", me);
      }
    });
  });
}
