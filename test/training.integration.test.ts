/**
 * Training and agreements (issue #14, TRN-1, TRN-2) on both engines, through the API: the L3+
 * access condition follows the CURRENT staff NDA and current completions of the required courses
 * (a new NDA version masks until re-acknowledged; an expired completion masks until the quiz is
 * passed; a failed attempt counts for nothing), quizzes graded on the server without leaking the
 * answers, assignments, the overdue list, reminders, figures, background checks and who may do what.
 */
import type { FastifyInstance } from "fastify";
import fc from "fast-check";
import type { Kysely } from "kysely";
import { name as trainingMigration } from "../src/platform/db/migrations/0031-training.js";
import { openEngine } from "../src/platform/db/open.js";
import { migrateToLatest } from "../src/platform/db/migrator.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessConditionsOf } from "../src/access/conditions/access-conditions.js";
import type { JobContext } from "../src/governance/jobs/job.js";
import { jobNamed } from "../src/governance/jobs/job-registry.js";
import { DEFAULT_COURSE_ID } from "../src/governance/training/defaults.js";
import { addMonths, gradeAnswers } from "../src/governance/training/quiz.js";
import { trainingCompletionFigures } from "../src/governance/training/training-completion.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, clientInput, type TestUser } from "./support/factories.js";
import { runCli } from "./support/cli.js";
import { migrateToJustBefore } from "./support/migrations.js";
import { auth, buildTestServer } from "./support/http.js";

const QUIZ = [
  {
    textZh: "一加一等于几？",
    textEn: "One plus one?",
    options: [
      { zh: "一", en: "one" },
      { zh: "二", en: "two" },
    ],
    correct: [1],
  },
  {
    textZh: "哪些是偶数？",
    textEn: "Which are even?",
    options: [
      { zh: "二", en: "two" },
      { zh: "三", en: "three" },
      { zh: "四", en: "four" },
    ],
    correct: [0, 2],
  },
];
const COURSE = {
  titleZh: "客户数据处理规范",
  titleEn: "Handling client data",
  contentZh: "# 规范\n只在需要时查阅。",
  contentEn: "# Rules\nOpen only when needed.",
  validityMonths: 12,
  passMark: 100,
  questions: QUIZ,
};
const NDA_V2 = { titleZh: "员工保密协议（2027）", titleEn: "Staff NDA (2027)", textZh: "新的保密条款。", textEn: "New confidentiality terms." };

describe("quiz grading (property)", () => {
  it("a question is right exactly when the chosen set equals the correct set; the score is the share right", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }),
            fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }),
          ),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 1, max: 100 }),
        (qs, passMark) => {
          const questions = qs.map(([correct], i) => ({ id: `q${i}`, correct }));
          const answers = Object.fromEntries(qs.map(([, chosen], i) => [`q${i}`, chosen]));
          const g = gradeAnswers(questions, answers, passMark);
          const right = qs.filter(([c, a]) => c.length === a.length && c.every((x) => a.includes(x))).length;
          expect(g.rightCount).toBe(right);
          expect(g.score).toBe(Math.floor((right * 100) / qs.length));
          expect(g.passed).toBe(g.score >= passMark);
          const perfect = gradeAnswers(questions, Object.fromEntries(qs.map(([c], i) => [`q${i}`, [...c].reverse()])), passMark);
          expect([perfect.score, perfect.passed]).toEqual([100, true]);
        },
      ),
    );
  });
  it("adds calendar months, clamped to the month's end", () => {
    expect(addMonths(new Date("2026-01-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2026-06-15T00:00:00Z"), 12).toISOString()).toBe("2027-06-15T00:00:00.000Z");
  });
});

/** The two tables migration 0031 replaces, as they were. */
interface LegacyTables {
  users: { id: string; email: string; display_name: string; role: string; status: string; created_at: string };
  staff_agreements: { id: string; user_id: string; version: number; signed_at: string; recorded_by: string; recorded_at: string };
  staff_trainings: { id: string; user_id: string; completed_at: string; expires_at: string; recorded_by: string; recorded_at: string };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: migration ${trainingMigration}`, () => {
    it("moves agreements to staff_nda v1 acknowledgements and trainings to completions of the default course, keeping their times", async () => {
      const db = await createTestDatabase(dialect);
      const engine = openEngine(db.config);
      try {
        expect((await migrateToJustBefore(engine, trainingMigration)).error).toBeUndefined();
        const legacy = engine.db as unknown as Kysely<LegacyTables>;
        await legacy
          .insertInto("users")
          .values({ id: "u-1", email: "u1@firm.test", display_name: "u1", role: "lawyer", status: "active", created_at: "2026-01-05T08:00:00.000Z" })
          .execute();
        await legacy
          .insertInto("staff_agreements")
          .values({
            id: "a-1",
            user_id: "u-1",
            version: 1,
            signed_at: "2026-01-06T08:00:00.000Z",
            recorded_by: "system:console",
            recorded_at: "2026-01-06T08:00:00.000Z",
          })
          .execute();
        await legacy
          .insertInto("staff_trainings")
          .values({
            id: "t-1",
            user_id: "u-1",
            completed_at: "2026-01-07T08:00:00.000Z",
            expires_at: "2099-01-01T00:00:00.000Z",
            recorded_by: "system:console",
            recorded_at: "2026-01-07T08:00:00.000Z",
          })
          .execute();
        expect(await migrateToLatest(engine)).toContain(trainingMigration);
        const conditions = await engine.db.transaction().execute((tx) => accessConditionsOf(tx, "u-1", new Date()));
        expect(conditions).toMatchObject({
          agreement: { version: 1, signedAt: "2026-01-06T08:00:00.000Z" },
          agreementCurrentVersion: 1,
          training: { completedAt: "2026-01-07T08:00:00.000Z", expiresAt: "2099-01-01T00:00:00.000Z" },
          requiredCourses: [{ courseId: DEFAULT_COURSE_ID, current: true }],
          met: true,
        });
        expect(await engine.db.selectFrom("training_completions").select(["source", "recorded_by"]).execute()).toEqual([
          { source: "recorded", recorded_by: "system:console" },
        ]);
      } finally {
        await engine.destroy();
        await db.cleanup();
      }
    });
  });

  describe(`${dialect}: training and agreements`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser, partner: TestUser, admin: TestUser, lawyer: TestUser;
    let clientId: string, clientIdNumber: string;

    const call = (method: "GET" | "POST" | "PATCH", url: string, user: TestUser, payload?: object, headers: Record<string, string> = {}) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(user.token, "case-handling"), ...headers }, ...(payload ? { payload } : {}) });
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const read = async (user: TestUser) => {
      const res = await call("GET", `/clients/${clientId}`, user);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { idNumber: string; access: { decision: string; reason: string } };
    };
    const expectUnmasked = async (user: TestUser) => expect(await read(user)).toMatchObject({ idNumber: clientIdNumber, access: { decision: "allow" } });
    const expectMasked = async (user: TestUser) => {
      const r = await read(user);
      expect(r.access).toMatchObject({ decision: "mask", reason: "access_conditions_unmet" });
      expect(r.idNumber).not.toBe(clientIdNumber);
    };
    const currentNda = async () => ((await call("GET", "/agreements/mine", partner)).json().items[0] as { version: number }).version;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      compliance = await buildUser(services, "compliance");
      partner = await buildUser(services, "partner");
      admin = await buildUser(services, "admin");
      lawyer = await buildUser(services, "lawyer", { accessConditions: false });
      const input = clientInput();
      const res = await call("POST", "/clients", partner, input);
      expect(res.statusCode, res.body).toBe(201);
      clientId = res.json().id;
      clientIdNumber = input.idNumber!;
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("a fresh install seeds the required course with its quiz and staff NDA v1", async () => {
      const courses = (await call("GET", "/training/courses", lawyer)).json().items as { id: string; requiredForSensitive: boolean; questionCount: number }[];
      expect(courses.find((c) => c.id === DEFAULT_COURSE_ID)).toMatchObject({ requiredForSensitive: true, questionCount: 4 });
      const versions = (await call("GET", "/agreements", lawyer)).json().items;
      expect(versions).toEqual([expect.objectContaining({ kind: "staff_nda", version: 1, current: true })]);
    });

    it("a new staff NDA version masks L3+ fields until the user acknowledges it", async () => {
      await expectUnmasked(partner);
      const published = await call("POST", "/agreements/staff_nda/versions", compliance, NDA_V2);
      expect(published.statusCode, published.body).toBe(201);
      const v2 = published.json().version as number;
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "agreement.publish", outcome: "success" });
      await expectMasked(partner);
      const mine = (await call("GET", "/agreements/mine", partner)).json().items[0];
      expect(mine).toMatchObject({ kind: "staff_nda", version: v2, pending: true, acknowledgedVersion: 1 });
      // Acknowledging a superseded version is refused.
      const stale = await call("POST", "/agreements/staff_nda/acknowledgements", partner, { version: v2 - 1 });
      expect([stale.statusCode, stale.json().error.code]).toEqual([409, "agreement_version_superseded"]);
      const ack = await call(
        "POST",
        "/agreements/staff_nda/acknowledgements",
        partner,
        { version: v2 },
        { "user-agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/128.0" },
      );
      expect(ack.statusCode, ack.body).toBe(200);
      await expectUnmasked(partner);
      // Where from is sealed at rest, opened for compliance.
      const row = await services.engine.db.selectFrom("agreement_acknowledgements").selectAll().where("id", "=", ack.json().id).executeTakeFirstOrThrow();
      expect(row.user_agent_ct).not.toContain("Chrome");
      expect(row.ip_ct).not.toBeNull();
      const list = (await call("GET", "/agreements/staff_nda/acknowledgements", compliance)).json().items;
      expect(list.find((a: { id: string }) => a.id === ack.json().id)).toMatchObject({ userAgent: "Chrome 128 on Windows", source: "electronic" });
      expect((await call("GET", "/agreements/staff_nda/acknowledgements", partner)).statusCode).toBe(403);
      expect(JSON.stringify((await lastEvent(partner.actor.userId)).details ?? "")).not.toContain("Chrome");
    });

    it("an expired completion of a required course masks until the quiz is passed; a failed attempt does not count", async () => {
      const created = await call("POST", "/training/courses", compliance, { ...COURSE, requiredForSensitive: true });
      expect(created.statusCode, created.body).toBe(201);
      const courseId = created.json().id as string;
      await expectMasked(partner); // a newly required course, never completed
      const stale = await call("POST", `/training/courses/${courseId}/completions`, compliance, {
        userId: partner.actor.userId,
        completedOn: "2020-01-01",
        expiresOn: "2021-01-01",
      });
      expect(stale.statusCode, stale.body).toBe(201);
      await expectMasked(partner);

      // The quiz as the taker sees it: no correct options.
      const detail = await call("GET", `/training/courses/${courseId}`, partner);
      expect(detail.body).not.toContain("correct");
      const [q1, q2] = detail.json().questions as { id: string; multiple: boolean }[];
      expect([q1!.multiple, q2!.multiple]).toEqual([false, true]);
      expect((await call("GET", `/training/courses/${courseId}?edit=true`, partner)).statusCode).toBe(403);
      expect((await call("GET", `/training/courses/${courseId}?edit=true`, compliance)).json().questions[1].correct).toEqual([0, 2]);

      const failed = await call("POST", `/training/courses/${courseId}/attempts`, partner, { answers: { [q1!.id]: [1], [q2!.id]: [0] } });
      expect(failed.json()).toMatchObject({ passed: false, score: 50, completion: null });
      expect(failed.body).not.toContain("correct");
      await expectMasked(partner);
      const passed = await call("POST", `/training/courses/${courseId}/attempts`, partner, { answers: { [q1!.id]: [1], [q2!.id]: [2, 0] } });
      expect(passed.json()).toMatchObject({ passed: true, score: 100, completion: { source: "quiz", userId: partner.actor.userId } });
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "training.attempt", outcome: "success" });
      await expectUnmasked(partner);

      // The completion runs out after the course's validity.
      const expires = new Date(passed.json().completion.expiresAt as string);
      expect(expires.toISOString().slice(0, 4)).toBe(String(new Date().getUTCFullYear() + 1));
      const later = await services.engine.db.transaction().execute((tx) => accessConditionsOf(tx, partner.actor.userId, new Date(expires.getTime() + 1000)));
      expect(later).toMatchObject({ trainingMet: false, met: false });
      const now = await services.engine.db.transaction().execute((tx) => accessConditionsOf(tx, partner.actor.userId, new Date()));
      expect(now).toMatchObject({ agreementMet: true, trainingMet: true, met: true });
      expect(now.requiredCourses).toHaveLength(2);

      // Nobody records a completion for themselves, except by passing the quiz; the admin never.
      const self = await call("POST", `/training/courses/${courseId}/completions`, compliance, { userId: compliance.actor.userId });
      expect([self.statusCode, self.json().error.code]).toEqual([403, "self_record_forbidden"]);
      const byAdmin = await call("POST", `/training/courses/${courseId}/completions`, admin, { userId: lawyer.actor.userId });
      expect([byAdmin.statusCode, byAdmin.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(admin.actor.userId)).toMatchObject({ action: "training.completion.record", outcome: "denied" });

      // The last required course may not be unflagged (the condition would be unmeetable).
      expect((await call("PATCH", `/training/courses/${courseId}`, compliance, { requiredForSensitive: false })).statusCode).toBe(200);
      const last = await call("PATCH", `/training/courses/${DEFAULT_COURSE_ID}`, compliance, { status: "retired" });
      expect([last.statusCode, last.json().error.code]).toEqual([409, "last_required_course"]);
    });

    it("assignments, my training, the overdue list, reminders and the figures", async () => {
      const created = await call("POST", "/training/courses", compliance, COURSE);
      const courseId = created.json().id as string;
      const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
      const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      const byRole = await call("POST", `/training/courses/${courseId}/assignments`, compliance, { role: "lawyer", dueOn: soon });
      expect(byRole.statusCode, byRole.body).toBe(201);
      const byPerson = await call("POST", `/training/courses/${courseId}/assignments`, compliance, { userId: partner.actor.userId, dueOn: yesterday });
      expect(byPerson.statusCode, byPerson.body).toBe(201);
      const both = await call("POST", `/training/courses/${courseId}/assignments`, compliance, { role: "lawyer", userId: partner.actor.userId, dueOn: soon });
      expect(both.statusCode).toBe(400);
      expect((await call("POST", `/training/courses/${courseId}/assignments`, lawyer, { role: "lawyer", dueOn: soon })).statusCode).toBe(403);

      const mine = (await call("GET", "/training/mine", lawyer)).json().items as { courseId: string; status: string; dueOn: string }[];
      expect(mine.find((c) => c.courseId === courseId)).toMatchObject({ status: "pending", dueOn: soon });
      expect((await call("GET", `/training/users/${partner.actor.userId}`, lawyer)).statusCode).toBe(403);
      expect((await call("GET", `/training/users/${partner.actor.userId}`, compliance)).statusCode).toBe(200);

      const overdue = (await call("GET", "/training/overdue", compliance)).json().items as { userId: string; courseId: string }[];
      expect(overdue).toContainEqual(expect.objectContaining({ userId: partner.actor.userId, courseId }));
      expect((await call("GET", "/training/overdue", lawyer)).statusCode).toBe(403);

      const remind = () => jobNamed("training-reminders").run({ services } as JobContext, new Date());
      expect((await remind()).outcome).toBe("ok");
      expect(await remind()).toMatchObject({ outcome: "skipped", code: "nothing_new" });
      const notes = await services.engine.db.selectFrom("notifications").select(["user_id", "payload"]).where("event_kind", "=", "training.due").execute();
      expect(notes.map((n) => n.user_id)).toEqual(expect.arrayContaining([lawyer.actor.userId, partner.actor.userId]));
      expect(notes.every((n) => !n.payload.includes(COURSE.titleZh))).toBe(true);

      const before = await services.engine.db.transaction().execute((tx) => trainingCompletionFigures(tx, new Date()));
      const q = (await call("GET", `/training/courses/${courseId}`, lawyer)).json().questions as { id: string }[];
      await call("POST", `/training/courses/${courseId}/attempts`, lawyer, { answers: { [q[0]!.id]: [1], [q[1]!.id]: [0, 2] } });
      const after = await services.engine.db.transaction().execute((tx) => trainingCompletionFigures(tx, new Date()));
      expect(after.completedOnTime).toBe(before.completedOnTime + 1);
      expect(after.overdue).toBeGreaterThanOrEqual(1);
      expect(after.completedOnTime + after.overdue).toBeLessThanOrEqual(after.assigned);
      expect(after.staffAcknowledged).toBeLessThan(after.staffNeedingAck);
      const report = await call("GET", "/training/report", compliance);
      expect(report.statusCode, report.body).toBe(200);
      expect(report.json().pendingAcknowledgement).toContain(lawyer.actor.userId);
    });

    it("the lawyer acknowledges and passes the required courses by themselves, and the condition is met", async () => {
      expect((await call("POST", `/users/${lawyer.actor.userId}/agreement`, lawyer, {})).statusCode).toBe(403);
      const v = await currentNda();
      expect((await call("POST", "/agreements/staff_nda/acknowledgements", lawyer, { version: v })).statusCode).toBe(200);
      const quiz = (await call("GET", `/training/courses/${DEFAULT_COURSE_ID}`, lawyer)).json().questions as { id: string }[];
      const r = await call("POST", `/training/courses/${DEFAULT_COURSE_ID}/attempts`, lawyer, {
        answers: { [quiz[0]!.id]: [1], [quiz[1]!.id]: [1], [quiz[2]!.id]: [1], [quiz[3]!.id]: [0, 1] },
      });
      expect(r.json()).toMatchObject({ passed: true });
      const conditions = await call("GET", `/users/${lawyer.actor.userId}/access-conditions`, compliance);
      expect(conditions.json()).toMatchObject({ agreementMet: true, trainingMet: true, met: true });
    });

    it("the CLI records a paper NDA and reports the figures, as console compliance", async () => {
      const recorded = await runCli(["agreements", "record", "--email", admin.email, "--json"], db.env);
      expect(recorded.status, recorded.stderr).toBe(0);
      expect(JSON.parse(recorded.stdout)).toMatchObject({ kind: "staff_nda", source: "recorded", userId: admin.actor.userId });
      const report = await runCli(["training", "report", "--json"], db.env);
      expect(report.status, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout).pendingAcknowledgement).not.toContain(admin.actor.userId);
      const unknown = await runCli(["training", "assign", DEFAULT_COURSE_ID, "--email", "nobody@firm.test", "--due", "2099-01-01", "--json"], db.env);
      expect(JSON.parse(unknown.stdout).error.code).toBe("not_found");
    });

    it("background checks: compliance records them with sealed notes; others may not", async () => {
      const body = {
        userId: lawyer.actor.userId,
        checkedOn: "2026-01-05",
        scope: ["identity", "professional_licence"],
        outcome: "clear",
        notes: "执业证核验无异常",
        nextDueOn: "2029-01-05",
      };
      const res = await call("POST", "/background-checks", compliance, body);
      expect(res.statusCode, res.body).toBe(201);
      const row = await services.engine.db.selectFrom("background_checks").selectAll().where("id", "=", res.json().id).executeTakeFirstOrThrow();
      expect(row.notes_ct).not.toContain("执业证");
      const register = (await call("GET", "/background-checks", compliance)).json().items as {
        userId: string;
        latest: { notes: string } | null;
        due: boolean;
      }[];
      expect(register.find((i) => i.userId === lawyer.actor.userId)).toMatchObject({ due: false, latest: { notes: "执业证核验无异常" } });
      expect(register.find((i) => i.userId === partner.actor.userId)).toMatchObject({ due: true, latest: null });
      for (const who of [admin, lawyer]) expect((await call("POST", "/background-checks", who, body)).statusCode).toBe(403);
      const self = await call("POST", "/background-checks", compliance, { ...body, userId: compliance.actor.userId });
      expect([self.statusCode, self.json().error.code]).toEqual([403, "self_record_forbidden"]);
      expect(JSON.stringify((await lastEvent(compliance.actor.userId)).details ?? "")).not.toContain("执业证");
    });
  });
}
