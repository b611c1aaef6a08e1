/**
 * GET /me/work (issue #15): each role gets exactly its work queues, the counts match the seeded
 * records, a lawyer never sees an item of a client walled from them, and the audit event carries
 * counts only. On both engines, through the HTTP API.
 *
 * Which queues a role has is restated below from the requirements (EXPECTED_QUEUES), deliberately
 * NOT computed by calling src/access/policy/work-queues.ts.
 */
import type { LightMyRequestResponse } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../src/access/policy/roles.js";
import { uuidv7 } from "../src/platform/ids.js";
import { localDate } from "../src/rights/requests/deadlines.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { insertClientRequest } from "./support/requests.js";

/** Assigned work (matters of one's own, approvals, review items, training) and, by permission, the firm's. */
const ASSIGNED = ["approvalsToDecide", "myReviewItems", "myTraining"];
const EXPECTED_QUEUES: Record<Role, string[]> = {
  partner: ["myMatters", ...ASSIGNED, "requestsDue"],
  lawyer: ["myMatters", ...ASSIGNED],
  paralegal: ["myMatters", ...ASSIGNED],
  compliance: [...ASSIGNED, "requestsDue", "newAlerts", "breakGlassToReview", "incidentDuties"],
  auditor: ASSIGNED,
  admin: ASSIGNED,
  "records-clerk": ASSIGNED,
};

type Item = { id: string; target: string; reference: string | null; kind: string | null; staffId: string | null; at: string | null; overdue: boolean };
type Queue = { queue: string; count: number; overdue: number; items: Item[] };

const DAY = 86_400_000;
const TZ = "Asia/Shanghai";

for (const dialect of DIALECTS) {
  describe(`${dialect}: work queues (GET /me/work)`, () => {
    const suite = httpSuite(dialect);
    const users = {} as Record<Role, TestUser>;
    let lawyer2!: TestUser, lawyer3!: TestUser;
    let mine!: { id: string; number: string }, walled!: { id: string; number: string };
    let visibleApproval!: string, walledApproval!: string, ownApproval!: string;
    let dutiesDue = 0,
      dutiesOverdue = 0;
    const walledClientName = "隔离墙客户甲";

    const call = (method: "GET" | "POST", user: TestUser, url: string, payload?: object) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, "case-handling"), ...(payload ? { payload } : {}) });
    const ok = (res: LightMyRequestResponse, status = 200) => {
      expect(res.statusCode, res.body).toBe(status);
      return res.json();
    };
    const work = async (user: TestUser) => {
      const res = await call("GET", user, "/me/work");
      const body = ok(res) as { queues: Queue[] };
      return { res, queues: body.queues, queue: (name: string) => body.queues.find((q) => q.queue === name)! };
    };

    beforeAll(async () => {
      const { services } = suite;
      const db = services.engine.db;
      for (const role of Object.keys(EXPECTED_QUEUES) as Role[]) users[role] = await buildUser(services, role);
      lawyer2 = await buildUser(services, "lawyer");
      lawyer3 = await buildUser(services, "lawyer");
      const { partner, lawyer, compliance } = users;
      // The lawyer supervises lawyer2 and lawyer3: their approvals are the lawyer's to decide.
      await db.updateTable("users").set({ supervisor_id: lawyer.actor.userId }).where("id", "in", [lawyer2.actor.userId, lawyer3.actor.userId]).execute();

      const client = async (name: string) => ok(await call("POST", partner, "/clients", clientInput({ name })), 201).id as string;
      const c1 = await client("工作队列客户乙");
      const c2 = await client(walledClientName);
      const matter = async (clientId: string, number: string, team: TestUser[]) =>
        ok(
          await call("POST", partner, "/matters", {
            clientId,
            number,
            title: "某某诉某某合同纠纷",
            practiceArea: "corporate",
            responsiblePartnerId: partner.actor.userId,
            team: team.map((u) => ({ userId: u.actor.userId, role: "member" })),
          }),
          201,
        ) as { id: string; number: string };
      const serial = Math.floor(Math.random() * 1e6);
      mine = await matter(c1, `2026-待-${serial}1`, [lawyer, lawyer2, users.paralegal]);
      walled = await matter(c2, `2026-待-${serial}2`, [lawyer, lawyer3]);

      const approval = async (who: TestUser, clientId: string) =>
        ok(
          await call("POST", who, "/approvals", { kind: "export", clientId, purpose: "case-handling", justification: "court_filing", durationMinutes: 60 }),
          201,
        ).id as string;
      visibleApproval = await approval(lawyer2, c1);
      walledApproval = await approval(lawyer3, c2);
      ownApproval = await approval(lawyer, c1);
      // The wall comes after the requests, as it would when a conflict surfaces later.
      ok(await call("POST", compliance, "/walls", { reason: "conflict_of_interest", clientIds: [c2], screenedUserIds: [lawyer.actor.userId] }), 201);

      // Access review: two overdue items for the lawyer to decide, one in compliance's pool (about the lawyer).
      const campaignId = uuidv7();
      const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
      await db
        .insertInto("access_review_campaigns")
        .values({
          id: campaignId,
          name_ct: "sealed",
          due_on: yesterday,
          status: "open",
          started_by: compliance.actor.userId,
          started_at: new Date(Date.now() - 7 * DAY).toISOString(),
          closed_by: null,
          closed_at: null,
          close_reason: null,
        })
        .execute();
      const reviewItem = (subject: TestUser, reviewer: TestUser | null) =>
        db
          .insertInto("access_review_items")
          .values({
            id: uuidv7(),
            campaign_id: campaignId,
            kind: "role",
            subject_user_id: subject.actor.userId,
            reviewer_id: reviewer?.actor.userId ?? null,
            reviewer_pool: reviewer ? "user" : "compliance",
            matter_id: null,
            grant_id: null,
            client_id: null,
            access: subject.actor.role,
            decision: null,
            reason_code: null,
            decided_by: null,
            decided_at: null,
            effect: null,
          })
          .execute();
      await reviewItem(lawyer2, lawyer);
      await reviewItem(lawyer3, lawyer);
      await reviewItem(lawyer, null);

      // Training: a course every lawyer had to finish by the day before yesterday.
      const course = ok(
        await call("POST", compliance, "/training/courses", {
          titleZh: "客户数据处理规范",
          titleEn: "Handling client data",
          contentZh: "只在需要时查阅。",
          contentEn: "Open only when needed.",
          validityMonths: 12,
          passMark: 100,
          questions: [
            {
              textZh: "一加一？",
              textEn: "One plus one?",
              options: [
                { zh: "一", en: "one" },
                { zh: "二", en: "two" },
              ],
              correct: [1],
            },
          ],
        }),
        201,
      ).id as string;
      ok(
        await call("POST", compliance, `/training/courses/${course}/assignments`, {
          role: "lawyer",
          dueOn: new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10),
        }),
        201,
      );

      // Data-subject requests: overdue, due today, due tomorrow (not yet), and a fulfilled overdue one.
      const today = localDate(new Date(), TZ);
      const shift = (days: number) => localDate(new Date(Date.now() + days * DAY), TZ);
      const request = (due: string, status = "received") =>
        insertClientRequest(services, { clientId: null, due, status, receivedAt: new Date(Date.now() - 20 * DAY).toISOString() });
      await request(shift(-1));
      await request(today);
      await request(shift(1));
      await request(shift(-1), "fulfilled");

      // Alerts: two new, one already acknowledged.
      const alert = (status: string) =>
        db
          .insertInto("alerts")
          .values({
            id: uuidv7(),
            kind: "detection",
            user_id: lawyer2.actor.userId,
            wall_id: null,
            event_seq: null,
            created_at: new Date().toISOString(),
            status,
            severity: "high",
            rule_code: "bulk_read",
          })
          .execute();
      await alert("new");
      await alert("new");
      await alert("acknowledged");

      // Break-glass by lawyer2 on the walled client: compliance reviews it afterwards.
      ok(await call("POST", lawyer2, `/clients/${c2}/break-glass`, { justification: "court_deadline", reference: "INC-2026-0042" }), 201);

      // An incident known for five hours: some duties overdue, some due later.
      const opened = ok(
        await call("POST", compliance, "/incidents", {
          source: "partner",
          category: "unauthorised_access",
          cause: "credential_compromise",
          measures: ["credentials_revoked"],
          peopleAffected: 5000,
          l4Involved: true,
          leftFirm: true,
          euSubjects: true,
          awareAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
          contact: "privacy@firm.test",
        }),
        201,
      ) as { duties: { dueAt: string }[] };
      const horizon = Date.now() + 72 * 3_600_000;
      dutiesDue = opened.duties.filter((d) => Date.parse(d.dueAt) <= horizon).length;
      dutiesOverdue = opened.duties.filter((d) => Date.parse(d.dueAt) < Date.now()).length;
      expect(dutiesOverdue).toBeGreaterThan(0);
    });

    for (const role of Object.keys(EXPECTED_QUEUES) as Role[]) {
      it(`${role}: exactly its queues, each with at most five items`, async () => {
        const { queues } = await work(users[role]);
        expect(queues.map((q) => q.queue)).toEqual(EXPECTED_QUEUES[role]);
        for (const q of queues) {
          expect(q.items.length).toBe(Math.min(q.count, 5));
          expect(q.overdue).toBeLessThanOrEqual(q.count);
        }
      });
    }

    it("lawyer: counts match the records, and nothing of the walled client", async () => {
      const { queue, res } = await work(users.lawyer);
      const matters = queue("myMatters");
      expect(matters.count).toBe(1);
      expect(matters.items[0]).toMatchObject({ id: mine.id, reference: mine.number, kind: "corporate" });
      // The lawyer's own request and the one on the walled client are not the lawyer's to decide.
      expect(queue("approvalsToDecide").items.map((i) => i.id)).toEqual([visibleApproval]);
      expect(queue("approvalsToDecide").items[0]!.staffId).toBe(lawyer2.actor.userId);
      expect(queue("myReviewItems")).toMatchObject({ count: 2, overdue: 2 });
      const training = queue("myTraining");
      expect(training.items.filter((i) => i.kind === "course")).toEqual([
        expect.objectContaining({ overdue: true, title: { zh: "客户数据处理规范", en: "Handling client data" } }),
      ]);
      expect(res.body).not.toContain(walled.id);
      expect(res.body).not.toContain(walled.number);
      expect(res.body).not.toContain(walledApproval);
      expect(res.body).not.toContain(ownApproval);
      expect(res.body).not.toContain(walledClientName);
    });

    it("partner and paralegal: their matters; compliance: every approval it may fill and the firm's queues", async () => {
      expect((await work(users.partner)).queue("myMatters").count).toBe(2);
      expect((await work(users.paralegal)).queue("myMatters").items.map((i) => i.id)).toEqual([mine.id]);
      expect((await work(lawyer3)).queue("myMatters").items.map((i) => i.id)).toEqual([walled.id]);

      const { queue } = await work(users.compliance);
      expect(
        queue("approvalsToDecide")
          .items.map((i) => i.id)
          .sort(),
      ).toEqual([visibleApproval, walledApproval, ownApproval].sort());
      expect(queue("myReviewItems")).toMatchObject({ count: 1, overdue: 1 });
      const requests = queue("requestsDue");
      expect([requests.count, requests.overdue]).toEqual([2, 1]);
      expect(requests.items[0]).toMatchObject({ kind: "access", overdue: true });
      expect(requests.items[0]!.reference).toMatch(/^REQ-[0-9A-F]{8}$/);
      // The two seeded and the one the break-glass raised; not the acknowledged one.
      expect(queue("newAlerts")).toMatchObject({ count: 3 });
      expect(queue("breakGlassToReview").items).toEqual([expect.objectContaining({ staffId: lawyer2.actor.userId, kind: "court_deadline" })]);
      const duties = queue("incidentDuties");
      expect([duties.count, duties.overdue]).toEqual([dutiesDue, dutiesOverdue]);
      expect(duties.items[0]!.reference).toMatch(/^INC-[0-9A-F]{8}$/);
      expect((await work(users.partner)).queue("requestsDue").count).toBe(2);
    });

    it("the read is audited with counts only: no ids of records, no names", async () => {
      const { res, queues } = await work(users.lawyer);
      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("request_id", "=", String(res.headers["x-request-id"]))
        .execute();
      expect(events.map((e) => [e.action, e.outcome, e.target_id])).toEqual([["work.read", "success", users.lawyer.actor.userId]]);
      const details = JSON.parse(events[0]!.details!) as Record<string, unknown>;
      expect(details).toEqual(Object.fromEntries(queues.map((q) => [q.queue, q.count])));
      expect(Object.values(details).every((v) => typeof v === "number")).toBe(true);
    });

    it("without a session: 401", async () => {
      const res = await suite.app.inject({ method: "GET", url: "/api/v1/me/work" });
      expect(res.statusCode).toBe(401);
    });

    it("/auth/me names who is signed in", async () => {
      const me = ok(await call("GET", users.lawyer, "/auth/me"));
      expect(me).toMatchObject({ email: users.lawyer.email, displayName: users.lawyer.email.split("@")[0] });
    });
  });
}
