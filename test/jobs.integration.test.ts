/**
 * Scheduled jobs (issue #16) with a fake clock, on both engines: the 02:30 backup and its
 * verification, the monthly restore drill, one run per occurrence with two schedulers (two service
 * instances) on one database, a failing job recorded as failed without stopping the others, KEK
 * rotation only when due, the drill reminder once per due period, and the CLI's and API's view.
 */
import { existsSync, readdirSync } from "node:fs";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listBackups, POSTGRES_BACKUP_EXTERNAL } from "../src/governance/jobs/backup-jobs.js";
import { type JobContext, type JobDefinition, JOB_OPERATOR } from "../src/governance/jobs/job.js";
import { jobNamed } from "../src/governance/jobs/job-registry.js";
import { addJobCommands } from "../src/governance/jobs/jobs-cli.js";
import { claimRun } from "../src/governance/jobs/job-runs.js";
import { JobScheduler } from "../src/governance/jobs/job-scheduler.js";
import { jobSettingsFromEnv } from "../src/governance/jobs/job-settings.js";
import type { JobTables } from "../src/governance/jobs/tables.js";
import { runKekRotation } from "../src/governance/jobs/kek-rotation-job.js";
import { verifyBackup } from "../src/governance/backups/backup.js";
import { CONSOLE_ACTOR_ID } from "../src/access/policy/predicates.js";
import { authenticate } from "../src/http/authenticate.js";
import { handleError } from "../src/http/errors.js";
import { jobRoutes } from "../src/http/routes/jobs/index.js";
import { createSignInServices } from "../src/identity/auth/sign-in-services.js";
import type { Services } from "../src/platform/services.js";
import { FileKeyProvider } from "../src/vault/key-provider.js";
import { DIALECTS, type TestDatabase, createTestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, type TestUser } from "./support/factories.js";

/** A Shanghai wall-clock time as an instant. */
const shanghai = (local: string) => new Date(`${local}+08:00`);

for (const dialect of DIALECTS) {
  describe(`${dialect}: scheduled jobs`, () => {
    let db: TestDatabase;
    let a: Services;
    let b: Services;
    let admin: TestUser;
    let compliance: TestUser;
    let now = shanghai("2030-03-30T01:05:00");
    const clock = () => now;
    let ctxA: JobContext;
    let serverA: JobScheduler;
    let serverB: JobScheduler;
    const runs = () => a.engine.db.withTables<JobTables>().selectFrom("job_runs").selectAll().orderBy("started_at").orderBy("id").execute();
    const runsOf = async (job: string) => (await runs()).filter((r) => r.job === job);

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      a = await db.open();
      // A second server: its own services (its own pool on PostgreSQL) over the same database.
      b = await db.open();
      admin = await buildUser(a, "admin");
      compliance = await buildUser(a, "compliance");
      const partner = await buildUser(a, "partner");
      for (let i = 0; i < 3; i++) await buildClient(a, partner.actor);
      // No KEK rotation in this flow (tested on its own below).
      const settings = jobSettingsFromEnv(db.config.dataDir, { CUSTODIA_KEK_MAX_AGE_DAYS: "36500", CUSTODIA_BACKUP_KEEP: "2" });
      const keyProvider = new FileKeyProvider(db.config.masterKeyFile, { create: false });
      ctxA = { services: a, config: db.config, keyProvider, settings };
      serverA = new JobScheduler(ctxA, { clock, serverId: "server-a" });
      serverB = new JobScheduler({ ...ctxA, services: b }, { clock, serverId: "server-b" });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.cleanup();
    });

    it("runs nothing that fell due before the schedulers started", async () => {
      expect(await serverA.runDue()).toEqual([]);
      expect(await serverB.runDue()).toEqual([]);
      expect(await runs()).toHaveLength(0);
    });

    it("past 02:30 runs the backup once and verifies it (PostgreSQL: skipped, pg_dump is the path)", async () => {
      now = shanghai("2030-03-30T02:31:00");
      const [ranA, ranB] = await Promise.all([serverA.runDue(), serverB.runDue()]);
      const ran = [...ranA, ...ranB];
      expect(ran.filter((r) => r.job === "backup")).toHaveLength(1);
      const [backup] = await runsOf("backup");
      const [verify] = await runsOf("backup-verify");
      expect(backup).toMatchObject({ scheduled_for: "2030-03-29T18:30:00.000Z", trigger: "schedule", finished_at: now.toISOString() });
      if (dialect === "sqlite") {
        expect(backup!.outcome).toBe("ok");
        const files = listBackups(ctxA.settings.backupDir);
        expect(files).toHaveLength(1);
        expect((await verifyBackup(a.vault, files[0]!)).ok).toBe(true);
        expect(verify).toMatchObject({ outcome: "ok", scheduled_for: backup!.scheduled_for });
        expect(verify!.summary).toMatch(/integrity ok, audit chain intact/);
      } else {
        expect(backup).toMatchObject({ outcome: "skipped" });
        expect(backup!.summary).toContain(POSTGRES_BACKUP_EXTERNAL);
        expect(verify).toMatchObject({ outcome: "skipped" });
        expect(listBackups(ctxA.settings.backupDir)).toHaveLength(0);
      }
      // Each run's record came with its audit event.
      const events = await a.engine.db
        .selectFrom("audit_events")
        .select(["action", "target_id", "details", "actor_role"])
        .where("action", "=", "job.ran")
        .execute();
      expect(events.map((e) => e.target_id).sort()).toEqual(["backup", "backup-verify", "request-reminders"]);
      expect(events.every((e) => e.actor_role === "system")).toBe(true);
    });

    it("never runs an occurrence twice: both servers tick again, the lease moves, a second claim is refused", async () => {
      const before = (await runs()).length;
      expect([...(await serverA.runDue()), ...(await serverB.runDue())]).toEqual([]);
      expect(await runs()).toHaveLength(before);
      // The claim alone, as a server whose lease lapsed mid-run would try it.
      const backup = (await runsOf("backup"))[0]!;
      expect(await claimRun(b, "backup", new Date(backup.scheduled_for), "schedule", "server-b", now)).toBeNull();
      // A tick of the lease holder and another of the other server at the next quarter hour: one run.
      now = shanghai("2030-03-30T02:46:00");
      const both = await Promise.all([serverA.runDue(), serverB.runDue()]);
      expect(both.flat().map((r) => r.job)).toEqual(["request-reminders"]);
      // Server A stops ticking; once its lease expires, server B takes the schedule over.
      now = shanghai("2030-03-30T03:01:00");
      const taken = await serverB.runDue();
      expect(taken.map((r) => r.job)).toContain("kek-rotation");
      const kek = (await runsOf("kek-rotation"))[0]!;
      expect(kek).toMatchObject({ server_id: "server-b", outcome: "skipped" });
      expect(kek.summary).toMatch(/^not_due/);
      const counts = new Map<string, number>();
      for (const r of await runs()) counts.set(`${r.job}@${r.scheduled_for}`, (counts.get(`${r.job}@${r.scheduled_for}`) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    });

    it("on the 1st of the month runs the restore drill, records ok and removes the scratch copy", async () => {
      now = shanghai("2030-04-01T04:01:00");
      const ran = await serverB.runDue();
      expect(ran.map((r) => r.job)).toEqual(
        expect.arrayContaining(["backup", "backup-verify", "restore-drill", "kek-rotation", "retention-sweep", "request-reminders", "drill-reminder"]),
      );
      const [drill] = await runsOf("restore-drill");
      expect(drill).toMatchObject({ scheduled_for: "2030-03-31T20:00:00.000Z" });
      if (dialect === "sqlite") {
        expect(drill!.outcome).toBe("ok");
        expect(drill!.summary).toMatch(/restored: 3 clients.*audit chain intact/);
        expect(readdirSync(ctxA.settings.backupDir).filter((f) => f.startsWith(".restore-drill-"))).toEqual([]);
        expect(listBackups(ctxA.settings.backupDir)).toHaveLength(2);
      } else {
        expect(drill).toMatchObject({ outcome: "skipped" });
        expect(drill!.summary).toContain(POSTGRES_BACKUP_EXTERNAL);
        expect(existsSync(ctxA.settings.backupDir)).toBe(false);
      }
    });

    it("reminds compliance of a due drill once per due period", async () => {
      const [first] = await runsOf("drill-reminder");
      expect(first).toMatchObject({ outcome: "ok" });
      const notices = () => a.engine.db.selectFrom("notifications").select(["user_id", "payload"]).where("event_kind", "=", "drill.due").execute();
      expect((await notices()).map((n) => n.user_id)).toEqual([compliance.actor.userId]);
      now = shanghai("2030-04-02T09:05:00");
      await serverB.runDue();
      const reminders = await runsOf("drill-reminder");
      expect(reminders).toHaveLength(2);
      expect(reminders[1]).toMatchObject({ outcome: "skipped" });
      expect(reminders[1]!.summary).toMatch(/^already_reminded/);
      expect(await notices()).toHaveLength(1);
    });

    it("keeps the last N backups, named by when they were taken", () => {
      // Three backups so far (30 March, 1 and 2 April, the last caught up at 09:05); two kept.
      if (dialect === "sqlite")
        expect(listBackups(ctxA.settings.backupDir).map((f) => f.split("/").pop())).toEqual(["custodia-20300331T200100Z.db", "custodia-20300402T010500Z.db"]);
    });

    it("records a failing job as failed with a code, and the others still run", async () => {
      const failing: JobDefinition = {
        ...jobNamed("retention-sweep"),
        defaultCron: "0 * * * *",
        run: async () => {
          throw new Error("client 13800138000 could not be read");
        },
      };
      const scheduler = new JobScheduler(ctxA, { clock, serverId: "server-b", jobs: [failing, jobNamed("request-reminders")] });
      now = shanghai("2030-05-01T10:00:00");
      await scheduler.runDue();
      now = shanghai("2030-05-01T11:01:00");
      const ran = await scheduler.runDue();
      expect(ran.map((r) => [r.job, r.result.outcome])).toEqual([
        ["retention-sweep", "failed"],
        ["request-reminders", "ok"],
      ]);
      const failed = (await runsOf("retention-sweep")).at(-1)!;
      expect(failed).toMatchObject({ outcome: "failed", summary: "internal_error" });
      const event = await a.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "job.ran")
        .where("target_id", "=", "retention-sweep")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({ outcome: "failure", reason: "internal_error" });
      expect(JSON.stringify(event)).not.toContain("13800138000");
    });

    it("rotates the KEK only once it is older than the maximum age", async () => {
      const kek = await a.engine.db.selectFrom("key_versions").selectAll().where("retired_at", "is", null).executeTakeFirstOrThrow();
      const created = Date.parse(kek.created_at);
      const ctx = { ...ctxA, settings: { ...ctxA.settings, kekMaxAgeDays: 30 } };
      const early = await runKekRotation(ctx, new Date(created + 10 * 86_400_000));
      expect(early).toMatchObject({ outcome: "skipped", code: "not_due" });
      expect((await a.engine.db.selectFrom("key_versions").select("version").execute()).length).toBe(1);
      const due = await runKekRotation(ctx, new Date(created + 31 * 86_400_000));
      expect(due.outcome).toBe("ok");
      const versions = await a.engine.db.selectFrom("key_versions").select(["version", "retired_at"]).orderBy("version").execute();
      expect(versions.map((v) => [v.version, v.retired_at === null])).toEqual([
        [1, false],
        [2, true],
      ]);
      const rotation = await a.engine.db.selectFrom("audit_events").select("actor_id").where("action", "=", "key.rotate").executeTakeFirstOrThrow();
      expect(rotation.actor_id).toBe(JOB_OPERATOR.userId);
    });

    it("custodia jobs run and list: a manual run is recorded and listed with its outcome", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, db.env, { CUSTODIA_TIME_ZONE: "Asia/Shanghai" });
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      try {
        const cli = () => {
          const program = new Command("custodia").exitOverride();
          addJobCommands(program);
          return program;
        };
        await cli().parseAsync(["jobs", "run", "retention-sweep", "--json"], { from: "user" });
        await cli().parseAsync(["jobs", "list", "--json"], { from: "user" });
      } finally {
        log.mockRestore();
        process.env = saved;
      }
      expect(JSON.parse(out[0]!).runs).toEqual([
        expect.objectContaining({ job: "retention-sweep", trigger: "manual", result: expect.objectContaining({ outcome: "ok" }) }),
      ]);
      const listed = JSON.parse(out[1]!).items as { name: string; lastRun: { trigger: string; outcome: string } | null }[];
      expect(listed.find((j) => j.name === "retention-sweep")?.lastRun).toMatchObject({ trigger: "manual", outcome: "ok" });
      const event = await a.engine.db
        .selectFrom("audit_events")
        .select("actor_id")
        .where("action", "=", "job.ran")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      expect(event.actor_id).toBe(CONSOLE_ACTOR_ID);
    });

    describe("API", () => {
      let app: FastifyInstance;
      beforeAll(async () => {
        // The routes as server.ts mounts them: behind the bearer/session hook, under /api/v1.
        const http = Fastify({ logger: false });
        http.setValidatorCompiler(validatorCompiler);
        http.setSerializerCompiler(serializerCompiler);
        http.setErrorHandler(handleError);
        http.decorateRequest("custodia", null);
        http.decorateRequest("custodiaSession", null);
        await http.register(
          async (api) => {
            api.addHook("onRequest", authenticate(createSignInServices(a)));
            await api.register(jobRoutes(serverA));
          },
          { prefix: "/api/v1" },
        );
        await http.ready();
        app = http;
      });
      afterAll(async () => app?.close());

      it("lists the jobs with their next run and last runs to the admin", async () => {
        const res = await app.inject({ method: "GET", url: "/api/v1/jobs", headers: { authorization: `Bearer ${admin.token}` } });
        expect(res.statusCode).toBe(200);
        const items = res.json().items as {
          name: string;
          cron: string | null;
          after: string | null;
          nextRunLocal: string | null;
          lastRun: { outcome: string } | null;
        }[];
        expect(items.map((i) => i.name)).toEqual([
          "backup",
          "backup-verify",
          "restore-drill",
          "kek-rotation",
          "retention-sweep",
          "request-reminders",
          "drill-reminder",
          "partner-reminders",
          "policy-reviews",
          "training-reminders",
          "paper-overdue",
          "finding-reminders",
        ]);
        expect(items[0]).toMatchObject({ cron: "30 2 * * *", nextRunLocal: "2030-05-02 02:30" });
        expect(items[1]).toMatchObject({ cron: null, after: "backup" });
        expect(res.json().leader).toMatchObject({ holder: "server-b" });
        expect(items[2]!.lastRun?.outcome).toBe(dialect === "sqlite" ? "ok" : "skipped");
      });

      it("refuses other roles with 403 and audits the refusal", async () => {
        for (const user of [compliance]) {
          const res = await app.inject({ method: "POST", url: "/api/v1/jobs/backup/run", headers: { authorization: `Bearer ${user.token}` } });
          expect(res.statusCode).toBe(403);
          expect(res.json().error.code).toBe("role_lacks_permission");
        }
        const denied = await a.engine.db.selectFrom("audit_events").select(["outcome", "reason"]).where("action", "=", "job.run").executeTakeFirstOrThrow();
        expect(denied).toMatchObject({ outcome: "denied", reason: "role_lacks_permission" });
        const unknown = await app.inject({ method: "POST", url: "/api/v1/jobs/nope/run", headers: { authorization: `Bearer ${admin.token}` } });
        expect(unknown.statusCode).toBe(404);
      });

      it("runs a job now for the admin, recorded as a manual run by them", async () => {
        const res = await app.inject({ method: "POST", url: "/api/v1/jobs/retention-sweep/run", headers: { authorization: `Bearer ${admin.token}` } });
        expect(res.statusCode).toBe(200);
        expect(res.json().runs).toEqual([
          expect.objectContaining({ job: "retention-sweep", trigger: "manual", result: expect.objectContaining({ outcome: "ok" }) }),
        ]);
        const event = await a.engine.db
          .selectFrom("audit_events")
          .select(["actor_id", "outcome"])
          .where("action", "=", "job.ran")
          .where("target_id", "=", "retention-sweep")
          .orderBy("seq", "desc")
          .executeTakeFirstOrThrow();
        expect(event).toMatchObject({ actor_id: admin.actor.userId, outcome: "success" });
      });
    });
  });
}
