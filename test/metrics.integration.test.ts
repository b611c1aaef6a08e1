/**
 * /metrics and /api/v1/readyz: the named series after real, audited requests; route patterns,
 * never ids or names, in the labels; loopback or the token, nothing else; readiness naming the
 * check that failed.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../src/governance/backups/backup.js";
import { buildServer } from "../src/http/server.js";
import { createMetrics } from "../src/platform/metrics/metrics.js";
import { auditFreshness } from "../src/platform/metrics/audit-freshness.js";
import { migrateToLatest } from "../src/platform/db/migrator.js";
import { openEngine } from "../src/platform/db/open.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, clientInput, contextFor, type TestUser } from "./support/factories.js";
import { auth } from "./support/http.js";

const TOKEN = "metrics-token-0123456789abcdef0123456789abcdef";
const CLIENT_NAME = "慕容指标";
const CLIENT_PHONE = "13912345678";
const LOOPBACK = "127.0.0.1";
const REMOTE = "10.20.30.40";

/** One sample's value from the exposition text, or undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: metrics and readiness`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let partner: TestUser;
    let compliance: TestUser;
    let clientId: string;
    const scrape = (remoteAddress: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url: "/metrics", remoteAddress, headers });

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      // No caching between scrapes: each assertion sees the database as it is.
      app = await buildServer(services, { logLevel: "silent", metrics: createMetrics(services, { figuresTtlMs: 0 }), metricsToken: TOKEN });
      await app.ready();
      partner = await buildUser(services, "partner");
      compliance = await buildUser(services, "compliance");
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("scrapes every named series after audited requests, labelled by route pattern and free of client data", async () => {
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/clients",
        headers: auth(partner.token),
        payload: clientInput({ name: CLIENT_NAME, phone: CLIENT_PHONE }),
      });
      expect(created.statusCode).toBe(201);
      clientId = created.json().id;
      for (let i = 0; i < 3; i++) {
        const read = await app.inject({ method: "GET", url: `/api/v1/clients/${clientId}`, headers: auth(partner.token, "case-handling") });
        expect(read.statusCode).toBe(200);
      }
      // A search whose query string carries the name: neither may reach a label.
      const queried = await app.inject({
        method: "GET",
        url: `/api/v1/clients/${clientId}?name=${encodeURIComponent(CLIENT_NAME)}`,
        headers: auth(partner.token, "case-handling"),
      });
      expect(queried.statusCode).toBe(200);
      await app.inject({ method: "GET", url: `/no/such/${clientId}` });
      // A detection rule firing, as the detector stores it.
      await services.engine.db
        .insertInto("alerts")
        .values({
          id: randomUUID(),
          kind: "detection",
          user_id: null,
          wall_id: null,
          event_seq: null,
          created_at: new Date().toISOString(),
          status: "new",
          rule_code: "bulk_read",
          severity: "high",
        })
        .execute();
      // An incident known for five hours: its four-hour duties are overdue, its longer ones still due.
      const opened = await app.inject({
        method: "POST",
        url: "/api/v1/incidents",
        headers: auth(compliance.token),
        payload: {
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
        },
      });
      expect(opened.statusCode).toBe(201);
      const duties = opened.json().duties as { dueAt: string }[];
      const overdue = duties.filter((d) => Date.parse(d.dueAt) < Date.now()).length;
      expect(overdue).toBeGreaterThan(0);
      expect(duties.length - overdue).toBeGreaterThan(0);

      const res = await scrape(LOOPBACK);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body;
      for (const series of [
        "custodia_http_requests_total",
        "custodia_http_request_duration_seconds_bucket",
        "custodia_audit_append_duration_seconds_count",
        "custodia_audit_sequencer_delay_seconds",
        "custodia_detection_rule_firings_total",
        "custodia_client_requests",
        "custodia_incident_duties",
        "custodia_kek_age_seconds",
        "custodia_kek_version",
        "custodia_backup_age_seconds",
        "custodia_metrics_database_ok",
        "process_cpu_user_seconds_total",
        "nodejs_heap_size_used_bytes",
      ]) {
        expect(text, series).toMatch(new RegExp(`^${series}[ {]`, "m"));
      }
      expect(sample(text, 'custodia_http_requests_total{route="/api/v1/clients/:id",method="GET",status_class="2xx"}')).toBe(4);
      expect(sample(text, 'custodia_http_requests_total{route="/api/v1/clients",method="POST",status_class="2xx"}')).toBe(1);
      expect(sample(text, 'custodia_http_requests_total{route="(unmatched)",method="GET",status_class="4xx"}')).toBe(1);
      expect(text).toMatch(/custodia_http_request_duration_seconds_count\{route="\/api\/v1\/clients\/:id",method="GET",status_class="2xx"\} 4/);
      expect(sample(text, 'custodia_detection_rule_firings_total{rule="bulk_read"}')).toBe(1);
      expect(sample(text, 'custodia_incident_duties{state="overdue"}')).toBe(overdue);
      expect(sample(text, 'custodia_incident_duties{state="due"}')).toBe(duties.length - overdue);
      expect(sample(text, 'custodia_client_requests{state="overdue"}')).toBe(0);
      expect(sample(text, "custodia_kek_version")).toBe(1);
      const kekAge = sample(text, "custodia_kek_age_seconds")!;
      expect(kekAge).toBeGreaterThanOrEqual(0);
      expect(kekAge).toBeLessThan(600);
      expect(sample(text, "custodia_backup_age_seconds")).toBeNaN();
      expect(sample(text, "custodia_metrics_database_ok")).toBe(1);
      // Nothing that names or identifies the client, or the users, anywhere in the exposition.
      for (const secret of [CLIENT_NAME, encodeURIComponent(CLIENT_NAME), CLIENT_PHONE, clientId, partner.actor.userId, partner.email, partner.token]) {
        expect(text).not.toContain(secret);
      }
    });

    it("times every audit append, and reports the sequencer's delay once it has placed a batch", async () => {
      const metrics = createMetrics(services);
      const before = sample((await metrics.scrape()).body, "custodia_audit_append_duration_seconds_count") ?? 0;
      await buildUser(services, "lawyer");
      await buildUser(services, "paralegal");
      const after = await metrics.scrape();
      expect(sample(after.body, "custodia_audit_append_duration_seconds_count")).toBeGreaterThanOrEqual(before + 2);
      await services.auditSequencer.flush();
      await expect.poll(async () => sample((await metrics.scrape()).body, "custodia_audit_sequencer_delay_seconds")).toBeGreaterThanOrEqual(0);
    });

    it.runIf(dialect === "sqlite")("reports the age of the last backup once one is recorded", async () => {
      const file = join(db.config.dataDir, "..", `${db.config.dataDir.split("/").pop()}-metrics.sqlite`);
      await createBackup(services, contextFor(compliance.actor, null), db.config, file);
      const age = sample((await scrape(LOOPBACK)).body, "custodia_backup_age_seconds")!;
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(60);
    });

    it("answers a remote scraper only with the token, and a relayed loopback request is remote", async () => {
      expect((await scrape(REMOTE)).statusCode).toBe(401);
      expect((await scrape(REMOTE, { authorization: "Bearer wrong-token-of-the-same-length-0123456789abcd" })).statusCode).toBe(401);
      expect((await scrape(REMOTE, { authorization: TOKEN })).statusCode).toBe(401);
      const withToken = await scrape(REMOTE, { authorization: `Bearer ${TOKEN}` });
      expect(withToken.statusCode).toBe(200);
      expect(withToken.body).toContain("custodia_http_requests_total");
      // A proxy on this machine forwarding an outside request: its socket is loopback, the caller is not.
      expect((await scrape(LOOPBACK, { "x-forwarded-for": REMOTE })).statusCode).toBe(401);
      expect((await scrape("::1")).statusCode).toBe(200);
      expect((await scrape("::ffff:127.0.0.1")).statusCode).toBe(200);
    });

    it("without a token configured, /metrics does not exist for anyone but a local scraper", async () => {
      const local = await buildServer(services, { logLevel: "silent", metricsToken: null });
      try {
        const remote = await local.inject({ method: "GET", url: "/metrics", remoteAddress: REMOTE, headers: { authorization: `Bearer ${TOKEN}` } });
        expect(remote.statusCode).toBe(404);
        expect(remote.json().error.code).toBe("not_found");
        expect((await local.inject({ method: "GET", url: "/metrics", remoteAddress: LOOPBACK })).statusCode).toBe(200);
        // Not advertised in the API document; readiness is.
        const doc = (await local.inject({ method: "GET", url: "/api/openapi.json" })).json();
        expect(Object.keys(doc.paths)).not.toContain("/metrics");
        expect(doc.paths["/api/v1/readyz"].get.tags).toEqual(["system"]);
      } finally {
        await local.close();
      }
    });

    it("is ready with its database, key and audit writer", async () => {
      const ready = await app.inject({ method: "GET", url: "/api/v1/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ready", checks: { database: { status: "ok" }, keyProvider: { status: "ok" }, auditWriter: { status: "ok" } } });
    });

    it("calls the audit writer stale when an event has waited over ten minutes for a signed checkpoint", async () => {
      // A scratch database with no sequencer running, so the log holds exactly the rows written here.
      const scratch = await createTestDatabase(dialect);
      const engine = openEngine(scratch.config);
      try {
        await migrateToLatest(engine);
        const t0 = Date.parse("2026-03-01T08:00:00.000Z");
        const iso = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
        const event = (seq: number, minutes: number, position: number | null) => ({
          seq,
          id: randomUUID(),
          at: iso(minutes),
          actor_id: null,
          actor_role: null,
          action: "system.test",
          target_type: null,
          target_id: null,
          purpose: null,
          outcome: "success",
          reason: null,
          request_id: null,
          details: null,
          prev_hash: "",
          hash: "",
          position,
        });
        const fresh = (minutes: number) => auditFreshness(engine.db, new Date(t0 + minutes * 60_000));
        expect(await fresh(0)).toMatchObject({ ok: true, oldestUnsignedAt: null }); // an empty log
        // Placed in the log but never signed (no checkpoint at all yet).
        await engine.db
          .insertInto("audit_events")
          .values(event(1, 0, 1))
          .execute();
        expect((await fresh(9)).ok).toBe(true);
        expect(await fresh(11)).toMatchObject({ ok: false, code: "audit_checkpoint_stale", oldestUnsignedAt: iso(0), lastCheckpointAt: null });
        await engine.db
          .insertInto("audit_checkpoints")
          .values({ seq: 1, head_hash: "00", signed_at: iso(1), public_key: "k", signature: "s", tree_root: null, frontier: null, note: null })
          .execute();
        // Everything signed: an idle log is not stale, however old its last signature.
        expect(await fresh(600)).toMatchObject({ ok: true, oldestUnsignedAt: null, lastCheckpointAt: iso(1) });
        // An event still waiting for the sequencer.
        await engine.db
          .insertInto("audit_events")
          .values(event(2, 30, null))
          .execute();
        expect((await fresh(31)).ok).toBe(true);
        expect(await fresh(41)).toMatchObject({ ok: false, code: "audit_checkpoint_stale", oldestUnsignedAt: iso(30), lastCheckpointAt: iso(1) });
      } finally {
        await engine.destroy();
        await scratch.cleanup();
      }
    });

    it("answers 503 naming the database when it cannot be reached, without any detail of the error", async () => {
      // The same services over a connection of their own, which is then closed.
      const engine = openEngine(db.config);
      const server = await buildServer({ ...services, engine }, { logLevel: "silent" });
      try {
        // Used once first: Kysely ignores destroying a connection it never opened.
        expect((await server.inject({ method: "GET", url: "/api/v1/readyz" })).statusCode).toBe(200);
        await engine.destroy();
        const res = await server.inject({ method: "GET", url: "/api/v1/readyz" });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({
          status: "not_ready",
          checks: { database: { status: "failed", code: "database_unreachable" }, keyProvider: { status: "skipped" }, auditWriter: { status: "skipped" } },
        });
        // The scrape still answers, with the database figures marked unreadable.
        const scraped = await server.inject({ method: "GET", url: "/metrics", remoteAddress: LOOPBACK });
        expect(scraped.statusCode).toBe(200);
        expect(sample(scraped.body, "custodia_metrics_database_ok")).toBe(0);
        expect(sample(scraped.body, "custodia_kek_age_seconds")).toBeNaN();
      } finally {
        await server.close();
      }
    });
  });
}
