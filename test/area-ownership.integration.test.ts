/**
 * Each area owns its tables (issue #10): only the owning folder writes a table, others call its
 * functions in their own transaction; every table has a reader; and the cross-area effects that used
 * to write other areas' tables (containment, wall-breach alerts, the correction notice) still happen.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { FastifyInstance } from "fastify";
import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import { allMigrations } from "../src/platform/db/migrations/index.js";
import type { Database } from "../src/platform/db/schema.js";
import { name as outboxMigration } from "../src/platform/db/migrations/0017-request-notifications-to-outbox.js";
import { openEngine } from "../src/platform/db/open.js";
import { migrateToLatest } from "../src/platform/db/migrator.js";
import type { Services } from "../src/platform/services.js";
import { DevOutboxSender } from "../src/rights/requests/code-sender.js";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import { createTestDatabase, DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const ROOT = new URL("../", import.meta.url).pathname;

/** Table → the folders (or single files) that may write it. Anything else calls their functions. */
const OWNERS: Record<string, readonly string[]> = {
  key_versions: ["src/vault/"],
  data_keys: ["src/vault/"],
  audit_events: ["src/platform/audit/"],
  audit_checkpoints: ["src/platform/audit/"],
  audit_cosignatures: ["src/platform/audit/"],
  job_runs: ["src/governance/jobs/"],
  job_leases: ["src/governance/jobs/"],
  job_marks: ["src/governance/jobs/"],
  sms_rate_limits: ["src/response/notifications/"],
  vault_root: ["src/vault/"],
  users: ["src/identity/"],
  api_tokens: ["src/identity/"],
  sessions: ["src/identity/"],
  totp_enrolments: ["src/identity/"],
  recovery_codes: ["src/identity/"],
  sign_in_throttles: ["src/identity/"],
  passkeys: ["src/identity/"],
  webauthn_challenges: ["src/identity/"],
  clients: ["src/records/clients/"],
  // Prefix and tail search tokens (issue #15), written with the client.
  client_search_tokens: ["src/records/clients/"],
  purposes: ["src/records/purposes/"],
  matters: ["src/records/matters/"],
  matter_members: ["src/records/matters/"],
  ethical_walls: ["src/access/walls/"],
  wall_subjects: ["src/access/walls/"],
  wall_screened_users: ["src/access/walls/"],
  approval_requests: ["src/access/approvals/"],
  approval_decisions: ["src/access/approvals/"],
  access_grants: ["src/access/grants/"],
  break_glass_accesses: ["src/access/break-glass/"],
  break_glass_reviews: ["src/access/break-glass/"],
  // Training and agreements (issue #14) replaced staff_agreements / staff_trainings (migration 0031).
  training_courses: ["src/governance/training/"],
  training_questions: ["src/governance/training/"],
  training_assignments: ["src/governance/training/"],
  training_attempts: ["src/governance/training/"],
  training_completions: ["src/governance/training/"],
  agreement_versions: ["src/governance/training/"],
  agreement_acknowledgements: ["src/governance/training/"],
  background_checks: ["src/governance/training/"],
  access_review_campaigns: ["src/access/reviews/"],
  access_review_items: ["src/access/reviews/"],
  request_regimes: ["src/rights/requests/"],
  request_calendar_days: ["src/rights/requests/"],
  firm_settings: ["src/rights/requests/"],
  client_requests: ["src/rights/requests/"],
  client_request_history: ["src/rights/requests/"],
  portal_throttles: ["src/rights/requests/"],
  portal_proofs: ["src/rights/requests/"],
  processing_restrictions: ["src/rights/requests/"],
  processing_restriction_lifts: ["src/rights/requests/"],
  legal_holds: ["src/rights/holds/"],
  consent_records: ["src/rights/consent/"],
  privacy_notices: ["src/rights/notices/"],
  complaint_categories: ["src/rights/complaints/"],
  complaints: ["src/rights/complaints/"],
  complaint_notes: ["src/rights/complaints/"],
  alerts: ["src/response/detection/"],
  detection_rules: ["src/response/detection/"],
  staff_calendars: ["src/response/detection/"],
  incidents: ["src/response/incidents/"],
  incident_timeline: ["src/response/incidents/"],
  incident_members: ["src/response/incidents/"],
  incident_tasks: ["src/response/incidents/"],
  incident_affected_clients: ["src/response/incidents/"],
  notification_regimes: ["src/response/incidents/"],
  incident_duties: ["src/response/incidents/"],
  internal_reports: ["src/response/incidents/"],
  internal_report_notes: ["src/response/incidents/"],
  incident_reviews: ["src/response/incidents/"],
  corrective_actions: ["src/response/incidents/"],
  drills: ["src/response/incidents/"],
  // Key rotation re-wraps every wrapped key, the evidence files' included: the crypto barrier's job.
  incident_evidence: ["src/response/incidents/", "src/vault/keys/key-rotator.ts"],
  incident_notice_sends: ["src/response/incidents/"],
  webhooks: ["src/response/notifications/"],
  notification_subscriptions: ["src/response/notifications/"],
  notifications: ["src/response/notifications/"],
  webhook_deliveries: ["src/response/notifications/"],
  webhook_attempts: ["src/response/notifications/"],
  email_outbox: ["src/response/notifications/"],
  notification_defaults: ["src/response/notifications/"],
  retention_schedules: ["src/governance/retention/"],
  destruction_batches: ["src/governance/retention/"],
  destruction_batch_clients: ["src/governance/retention/"],
  destruction_certificates: ["src/governance/retention/"],
  retention_statistics: ["src/governance/retention/"],
  accountability_records: ["src/governance/accountability/"],
  partners: ["src/governance/partners/"],
  partner_contacts: ["src/governance/partners/"],
  partner_questions: ["src/governance/partners/"],
  partner_assessments: ["src/governance/partners/"],
  partner_contracts: ["src/governance/partners/"],
  // The firm's PIA register (issue #14) generalised the partner PIAs: assessments writes PIAs with no partner.
  partner_pias: ["src/governance/partners/", "src/governance/assessments/pia-register.ts"],
  partner_transfer_bases: ["src/governance/partners/"],
  partner_incidents: ["src/governance/partners/"],
  // One-time questionnaire links, and what a partner held when its breach notice opened an incident (issue #13, migration 0036).
  partner_questionnaire_links: ["src/governance/partners/"],
  incident_partner_exposures: ["src/response/incidents/"],
  blob_chunks: ["src/platform/blobs/"],
  documents: ["src/records/documents/"],
  document_versions: ["src/records/documents/"],
  document_copies: ["src/records/documents/"],
  document_shares: ["src/records/documents/"],
  document_share_accesses: ["src/records/documents/"],
  deidentification_profiles: ["src/records/disclosures/"],
  deidentification_profile_versions: ["src/records/disclosures/"],
  disclosures: ["src/records/disclosures/"],
  disclosure_holdings: ["src/records/disclosures/"],
  recipient_consents: ["src/records/disclosures/"],
  // The burst rules' running marks (issue #12, migration 0038).
  detection_target_marks: ["src/response/detection/"],
  // Paper files (issue #14, migration 0032).
  paper_locations: ["src/records/paper/"],
  paper_files: ["src/records/paper/"],
  paper_checkouts: ["src/records/paper/"],
  paper_copies: ["src/records/paper/"],
  paper_stocktakes: ["src/records/paper/"],
  paper_stocktake_scans: ["src/records/paper/"],
  paper_destructions: ["src/records/paper/"],
  paper_control_checks: ["src/records/paper/"],
  // Devices, the privacy team, policies and appraisal (issue #14, migration 0033).
  devices: ["src/governance/devices/"],
  privacy_roles: ["src/governance/privacy-team/"],
  policies: ["src/governance/policies/"],
  policy_versions: ["src/governance/policies/"],
  policy_attestations: ["src/governance/policies/"],
  law_change_reviews: ["src/governance/policies/"],
  accountability_cases: ["src/governance/accountability/"],
  staff_awards: ["src/governance/accountability/"],
  accountability_publications: ["src/governance/accountability/"],
  // KPI targets (issue #14, migration 0034) and assessments (migration 0035).
  kpi_targets: ["src/governance/kpis/"],
  assessment_controls: ["src/governance/assessments/"],
  assessment_runs: ["src/governance/assessments/"],
  assessment_results: ["src/governance/assessments/"],
  compliance_audits: ["src/governance/assessments/"],
  assessment_findings: ["src/governance/assessments/"],
};

/** The two tables the migration test writes before migration 0017, as they were then. */
interface LegacyTables {
  users: { id: string; email: string; display_name: string; role: string; status: string; created_at: string };
  request_notifications: {
    id: string;
    user_id: string;
    kind: string;
    client_id: string;
    matter_id: string | null;
    request_id: string | null;
    details: string | null;
    created_at: string;
    read_at: string | null;
  };
}

/** Tables read other than by a select or a join, and how. */
const READ_OTHERWISE: Record<string, string> = {
  portal_proofs: "a spent proof is recognised by its primary key (insert … on conflict do nothing)",
  job_marks: "a reminder already sent in a due period is recognised by its primary key (insert … on conflict do nothing)",
  sms_rate_limits: "the upsert's conflict condition reads the number's last send and daily count",
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith("/migrations") ? [] : sources(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

const code = sources(join(ROOT, "src")).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));

describe("area ownership in the source", () => {
  it("writes each table only from the folder that owns it", () => {
    const strays: string[] = [];
    for (const { path, text } of code) {
      for (const m of text.matchAll(/\.(insertInto|updateTable|deleteFrom)\(\s*"([a-z_]+)/g)) {
        const table = m[2]!;
        const owners = OWNERS[table];
        if (!owners) strays.push(`${table}: no owner declared (written by ${path})`);
        else if (!owners.some((o) => path.startsWith(o))) strays.push(`${table} written by ${path}, owned by ${owners.join(" | ")}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it("reads every table somewhere: none is write-only", () => {
    const all = code.map((c) => c.text).join("\n");
    const unread = Object.keys(OWNERS).filter(
      (table) => !READ_OTHERWISE[table] && !new RegExp(`(selectFrom|innerJoin|leftJoin|rightJoin|fullJoin)\\(\\s*"${table}( as [a-z_]+)?"`).test(all),
    );
    expect(unread).toEqual([]);
  });
});

for (const dialect of DIALECTS) {
  /**
   * The tables of this test's database. Asked of the catalogue directly: Kysely's PostgreSQL
   * introspector looks at every schema, and another suite dropping its own at that moment fails it.
   */
  const tablesIn = async (db: Kysely<Database>): Promise<string[]> => {
    const rows =
      dialect === "sqlite"
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    return rows.rows.map((r) => r.name);
  };

  describe(`${dialect}: area ownership`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser, compliance!: TestUser, lawyer!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      services = suite.services;
      app = await buildServer(services, {
        logLevel: "silent",
        clientRequests: { sender: new DevOutboxSender(join(suite.db.config.dataDir, "outbox.jsonl")), proofBits: 4, intakeFloorMs: 0 },
      });
      await app.ready();
      partner = await buildUser(services, "partner");
      compliance = await buildUser(services, "compliance");
      lawyer = await buildUser(services, "lawyer");
    });
    afterAll(async () => {
      await app?.close();
    });

    const call = (method: "GET" | "POST" | "PATCH", url: string, token?: string, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: token ? auth(token, purpose) : {}, ...(payload ? { payload } : {}) });
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();

    it("gives every table the migrations create an owner", async () => {
      const tables = (await tablesIn(services.engine.db)).filter((t) => !t.startsWith("kysely_"));
      expect(tables.filter((t) => !(t in OWNERS))).toEqual([]);
      expect(tables).not.toContain("request_notifications");
    });

    it("containment: detection revokes the user's sessions and tokens through identity, in the alert's transaction", async () => {
      const thief = await buildUser(services, "partner");
      const clients: string[] = [];
      for (let i = 0; i < 4; i++) clients.push((await buildClient(services, thief.actor)).id);
      const tuned = await call("PATCH", "/detection-rules/bulk_read", compliance.token, {
        severity: "high",
        containment: "suspend_sessions_and_tokens",
        params: { maxDistinctClients: 2, windowMinutes: 10 },
      });
      expect(tuned.statusCode).toBe(200);
      try {
        const codes: number[] = [];
        for (const id of clients) codes.push((await call("GET", `/clients/${id}`, thief.token, undefined, "case-handling")).statusCode);
        expect(codes).toEqual([200, 200, 200, 401]);
        const refused = await call("GET", `/clients/${clients[0]}`, thief.token, undefined, "case-handling");
        expect([refused.statusCode, refused.json().error.code]).toEqual([401, "authentication_required"]);
        const token = await services.engine.db
          .selectFrom("api_tokens")
          .select("revoked_at")
          .where("user_id", "=", thief.actor.userId)
          .executeTakeFirstOrThrow();
        expect(token.revoked_at).not.toBeNull();
        const contained = await services.engine.db
          .selectFrom("audit_events")
          .selectAll()
          .where("action", "=", "detection.containment")
          .where("target_id", "=", thief.actor.userId)
          .executeTakeFirstOrThrow();
        expect(contained).toMatchObject({ actor_id: "system:detection", outcome: "success", reason: "suspend_sessions_and_tokens" });
        const alert = await services.engine.db
          .selectFrom("alerts")
          .selectAll()
          .where("rule_code", "=", "bulk_read")
          .where("user_id", "=", thief.actor.userId)
          .executeTakeFirstOrThrow();
        expect(JSON.parse(contained.details!)).toEqual({ alertId: alert.id, rule: "bulk_read", sessionsRevoked: 0, tokensRevoked: 1 });
      } finally {
        // The shipped threshold back for anything that runs later on this database.
        await call("PATCH", "/detection-rules/bulk_read", compliance.token, { params: { maxDistinctClients: 100 } });
      }
    });

    it("wall breach: the wall's refusal raises its alert through detection, pointing at the denied event", async () => {
      const screened = await buildUser(services, "partner");
      const client = await buildClient(services, partner.actor);
      const matter = await buildMatter(services, partner.actor, client.id);
      const wall = await call("POST", "/walls", compliance.token, {
        reason: "conflict_of_interest",
        reference: "CW-2026-17",
        matterIds: [matter.id],
        screenedUserIds: [screened.actor.userId],
      });
      expect(wall.statusCode, wall.body).toBe(201);
      const res = await call("GET", `/clients/${client.id}`, screened.token, undefined, "case-handling");
      expect([res.statusCode, res.json().error.code]).toEqual([404, "not_found"]);
      const event = await lastEvent(screened.actor.userId);
      expect(event).toMatchObject({ action: "client.read", outcome: "denied", reason: "screened_by_wall", target_id: client.id });
      const alerts = await services.engine.db
        .selectFrom("alerts")
        .selectAll()
        .where("user_id", "=", screened.actor.userId)
        .where("kind", "=", "wall_breach_attempt")
        .execute();
      expect(alerts).toEqual([expect.objectContaining({ wall_id: wall.json().id, event_seq: event.seq, created_at: event.at, status: "new" })]);
    });

    it("correction: the matter team's notice goes through the notification outbox and reaches the bell", async () => {
      const idNumber = residentId();
      const client = await buildClient(services, partner.actor, { idNumber, phone: "13911112222", email: "corr.owner@example.cn" });
      await buildMatter(services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }]);
      const challenge = (await call("GET", "/portal/challenge")).json() as { challenge: string; bits: number };
      const submitted = await call("POST", "/portal/requests", undefined, {
        type: "correction",
        idType: "resident_id",
        idNumber,
        language: "zh-CN",
        correction: { address: "上海市黄浦区南京东路1号" },
        proof: { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.bits) },
      });
      expect(submitted.statusCode).toBe(202);
      const requestId = submitted.json().requestId as string;
      const verified = await call("POST", `/requests/${requestId}/verify`, compliance.token, {
        clientId: client.id,
        evidence: { kind: "id_document_in_person", reference: "DESK-2026-0017" },
      });
      expect(verified.statusCode).toBe(200);
      const done = await call("POST", `/requests/${requestId}/fulfil`, partner.token);
      expect([done.statusCode, done.json().outcome, done.json().outcomeDetails]).toEqual([200, "corrected", { fields: "address", notified: "2" }]);

      const bell = await call("GET", "/notifications?unread=true", lawyer.token);
      expect(bell.statusCode).toBe(200);
      const notice = bell.json().items.find((n: { kind: string; payload: { data: Record<string, string> } }) => n.payload.data.requestId === requestId);
      expect(notice).toMatchObject({
        kind: "client.corrected",
        payload: { kind: "client.corrected", data: { clientId: client.id, requestId, fields: "address" }, link: `/api/v1/clients/${client.id}` },
      });
      // Ids and field names only: never the corrected value.
      expect(JSON.stringify(notice)).not.toContain("南京东路");
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "request.fulfil", outcome: "success", target_id: requestId });
    });
  });

  describe(`${dialect}: migration ${outboxMigration}`, () => {
    it("moves the write-only request_notifications rows into the notification outbox, one per user and request, then drops the table", async () => {
      const db = await createTestDatabase(dialect);
      const engine = openEngine(db.config);
      try {
        const names = Object.keys(allMigrations(engine.binaryType)).sort();
        const before = names[names.indexOf(outboxMigration) - 1]!;
        const migrator = new Migrator({
          db: engine.db,
          provider: { getMigrations: async () => allMigrations(engine.binaryType) },
          ...(engine.migrationSchema ? { migrationTableSchema: engine.migrationSchema } : {}),
        });
        const partial = await migrator.migrateTo(before);
        expect(partial.error).toBeUndefined();
        // The database as it was before this migration: tables the current schema no longer types.
        const legacy = engine.db as unknown as Kysely<LegacyTables>;
        await legacy
          .insertInto("users")
          .values({ id: "u-1", email: "u1@firm.test", display_name: "u1", role: "lawyer", status: "active", created_at: "2026-01-05T08:00:00.000Z" })
          .execute();
        const row = (id: string, matterId: string) => ({
          id,
          user_id: "u-1",
          kind: "client_corrected",
          client_id: "c-1",
          matter_id: matterId,
          request_id: "r-1",
          details: JSON.stringify({ fields: ["address", "phone"] }),
          created_at: "2026-01-05T09:00:00.000Z",
          read_at: null,
        });
        // The same user on two of the client's matters got two rows for one correction.
        await legacy
          .insertInto("request_notifications")
          .values([row("n-1", "m-1"), row("n-2", "m-2")])
          .execute();

        expect(await migrateToLatest(engine)).toContain(outboxMigration);
        const moved = await engine.db.selectFrom("notifications").selectAll().execute();
        expect(moved).toEqual([
          {
            id: "n-1",
            user_id: "u-1",
            event_kind: "client.corrected",
            payload: JSON.stringify({
              id: "n-1",
              kind: "client.corrected",
              occurredAt: "2026-01-05T09:00:00.000Z",
              data: { clientId: "c-1", requestId: "r-1", fields: "address,phone" },
              link: "/api/v1/clients/c-1",
            }),
            created_at: "2026-01-05T09:00:00.000Z",
            read_at: null,
          },
        ]);
        expect(await tablesIn(engine.db)).not.toContain("request_notifications");
      } finally {
        await engine.destroy();
        await db.cleanup();
      }
    });
  });
}
