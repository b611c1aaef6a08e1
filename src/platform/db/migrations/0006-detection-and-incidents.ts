import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0006: detection rules, alert lifecycle, incidents, notification regimes and internal reports
 * (issue #6: AUD-2, AUD-4, INC-1..4). Ids, codes, counts and field names only: nothing here holds a
 * client's personal data in clear. Rules and regimes are data seeded here and editable afterwards;
 * the seed is frozen with the migration (later changes are new migrations or API edits).
 */
const RULES: { code: string; severity: string; containment: string; params: Record<string, unknown> }[] = [
  // (a) bulk copying: one user reading more than N distinct clients in T minutes.
  {
    code: "bulk_read",
    severity: "high",
    containment: "suspend_sessions_and_tokens",
    params: { actions: ["client.read"], maxDistinctClients: 100, windowMinutes: 10 },
  },
  // (b) export volume: events whose action is in `actions`, or in `viaActions` with details.via = `via`.
  {
    code: "export_volume",
    severity: "high",
    containment: "none",
    params: { actions: ["client.export"], viaActions: ["client.read"], via: "export", maxRecords: 200, windowMinutes: 60 },
  },
  // (c) client-data access outside the firm's working hours.
  {
    code: "off_hours",
    severity: "low",
    containment: "none",
    params: {
      actions: ["client.read", "client.search", "client.update", "client.erase", "client.export"],
      timeZone: "Asia/Shanghai",
      weekdays: [1, 2, 3, 4, 5],
      start: "08:00",
      end: "20:00",
      dedupMinutes: 240,
    },
  },
  // (d) repeated failed sign-ins or second-factor codes for one account.
  {
    code: "auth_failures",
    severity: "medium",
    containment: "none",
    params: { actions: ["auth.login", "auth.totp", "auth.recovery_code"], maxFailures: 5, windowMinutes: 15 },
  },
  // (e) any activity by a disabled account's credentials.
  { code: "disabled_account", severity: "high", containment: "none", params: { dedupMinutes: 60 } },
  // (f) attempts that met an ethical wall.
  { code: "wall_breach", severity: "high", containment: "none", params: { dedupMinutes: 60 } },
  // (g) L4 fields read in clear at an unusual rate compared with the user's own 30-day baseline.
  { code: "l4_rate", severity: "medium", containment: "none", params: { windowMinutes: 60, baselineDays: 30, multiplier: 5, minReads: 30 } },
];

// PRC rows: 国家网络安全事件报告管理办法 (CAC, in force 2025-11-01); only "other operators" is active
// by default (a law firm). The CAC grade 较大 is mapped to Custodia's `high`: that mapping is UNVERIFIED.
const REGIMES: {
  code: string;
  jurisdiction: string;
  recipient: string;
  hours: number;
  min: string;
  scope: string;
  tz: string;
  verified: number;
  active: number;
  basis: string;
}[] = [
  {
    code: "cac_other_operator_4h",
    jurisdiction: "CN",
    recipient: "regulator",
    hours: 4,
    min: "high",
    scope: "always",
    tz: "Asia/Shanghai",
    verified: 1,
    active: 1,
    basis: "国家网络安全事件报告管理办法 (other operators → provincial CAC)",
  },
  {
    code: "cac_state_organ_2h",
    jurisdiction: "CN",
    recipient: "regulator",
    hours: 2,
    min: "high",
    scope: "always",
    tz: "Asia/Shanghai",
    verified: 1,
    active: 0,
    basis: "国家网络安全事件报告管理办法 (central and state organs)",
  },
  {
    code: "cac_cii_operator_1h",
    jurisdiction: "CN",
    recipient: "regulator",
    hours: 1,
    min: "high",
    scope: "always",
    tz: "Asia/Shanghai",
    verified: 1,
    active: 0,
    basis: "国家网络安全事件报告管理办法 (critical information infrastructure operators)",
  },
  // PIPL Art. 57 says "immediately" (立即); the hour figures are editable defaults, UNVERIFIED.
  {
    code: "pipl_57_regulator",
    jurisdiction: "CN",
    recipient: "regulator",
    hours: 4,
    min: "medium",
    scope: "always",
    tz: "Asia/Shanghai",
    verified: 0,
    active: 1,
    basis: "PIPL Art. 57 (notify the authority)",
  },
  {
    code: "pipl_57_individuals",
    jurisdiction: "CN",
    recipient: "individuals",
    hours: 24,
    min: "medium",
    scope: "always",
    tz: "Asia/Shanghai",
    verified: 0,
    active: 1,
    basis: "PIPL Art. 57 (notify individuals)",
  },
  {
    code: "gdpr_33_authority",
    jurisdiction: "EU",
    recipient: "regulator",
    hours: 72,
    min: "medium",
    scope: "eu_subjects",
    tz: "Europe/Berlin",
    verified: 1,
    active: 1,
    basis: "GDPR Art. 33 (supervisory authority, 72 hours)",
  },
  // "Without undue delay": a configurable default, UNVERIFIED.
  {
    code: "gdpr_34_data_subjects",
    jurisdiction: "EU",
    recipient: "individuals",
    hours: 72,
    min: "high",
    scope: "eu_subjects",
    tz: "Europe/Berlin",
    verified: 0,
    active: 1,
    basis: "GDPR Art. 34 (data subjects, high risk)",
  },
];

export const name = "0006_detection_and_incidents";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("detection_rules")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("enabled", "integer", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("containment", "text", (c) => c.notNull())
      .addColumn("params", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text")
      .execute();
    const now = new Date().toISOString();
    await db
      .insertInto("detection_rules")
      .values(
        RULES.map((r) => ({
          code: r.code,
          enabled: 1,
          severity: r.severity,
          containment: r.containment,
          params: JSON.stringify(r.params),
          updated_at: now,
          updated_by: null,
        })),
      )
      .execute();

    // The alerts table of 0003 grows a lifecycle. Wall-breach rows written by src/access/walls keep working.
    for (const [name, type] of [
      ["rule_code", "text"],
      ["severity", "text"],
      ["evidence", "text"],
      ["facts", "text"],
      ["containment", "text"],
      ["status_at", "text"],
      ["status_by", "text"],
      ["dismiss_reason", "text"],
      ["incident_id", "text"],
    ] as const) {
      await db.schema.alterTable("alerts").addColumn(name, type).execute();
    }
    await db.updateTable("alerts").set({ rule_code: "wall_breach", severity: "high" }).where("kind", "=", "wall_breach_attempt").execute();
    await db.schema.createIndex("alerts_rule_user").on("alerts").columns(["rule_code", "user_id", "created_at"]).execute();
    // Detection windows are time ranges over one actor's recent events.
    await db.schema.createIndex("audit_events_actor_at").on("audit_events").columns(["actor_id", "at"]).execute();

    await db.schema
      .createTable("incidents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("category", "text", (c) => c.notNull())
      .addColumn("cause", "text", (c) => c.notNull())
      .addColumn("measures", "text", (c) => c.notNull())
      .addColumn("people_affected", "integer", (c) => c.notNull())
      .addColumn("l4_involved", "integer", (c) => c.notNull())
      .addColumn("left_firm", "integer", (c) => c.notNull())
      .addColumn("eu_subjects", "integer", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("aware_at", "text", (c) => c.notNull())
      .addColumn("contact", "text", (c) => c.notNull())
      .addColumn("alert_id", "text")
      .addColumn("opened_by", "text", (c) => c.notNull())
      .addColumn("opened_at", "text", (c) => c.notNull())
      .addColumn("closed_at", "text")
      .execute();
    await db.schema
      .createTable("incident_timeline")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("by_user", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("incident_timeline_incident").on("incident_timeline").columns(["incident_id", "at"]).execute();
    await db.schema
      .createTable("incident_members")
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("added_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("incident_members_pk", ["incident_id", "user_id"])
      .execute();
    // A task title is staff-written text about the response; the API limits it and says not to name clients.
    await db.schema
      .createTable("incident_tasks")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("owner_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("due_at", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("done_at", "text")
      .execute();
    await db.schema.createIndex("incident_tasks_incident").on("incident_tasks").column("incident_id").execute();
    // Blast radius: client ids and field names only.
    await db.schema
      .createTable("incident_affected_clients")
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("fields", "text", (c) => c.notNull())
      .addColumn("exported", "integer", (c) => c.notNull())
      .addColumn("computed_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("incident_affected_clients_pk", ["incident_id", "client_id"])
      .execute();

    await db.schema
      .createTable("notification_regimes")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("jurisdiction", "text", (c) => c.notNull())
      .addColumn("recipient", "text", (c) => c.notNull())
      .addColumn("hours", "real", (c) => c.notNull())
      .addColumn("min_severity", "text", (c) => c.notNull())
      .addColumn("applies_when", "text", (c) => c.notNull())
      .addColumn("display_time_zone", "text", (c) => c.notNull())
      .addColumn("verified", "integer", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull())
      .addColumn("basis", "text", (c) => c.notNull())
      .execute();
    await db
      .insertInto("notification_regimes")
      .values(
        REGIMES.map((r) => ({
          code: r.code,
          jurisdiction: r.jurisdiction,
          recipient: r.recipient,
          hours: r.hours,
          min_severity: r.min,
          applies_when: r.scope,
          display_time_zone: r.tz,
          verified: r.verified,
          active: r.active,
          basis: r.basis,
        })),
      )
      .execute();
    await db.schema
      .createTable("incident_duties")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("regime_code", "text", (c) => c.notNull())
      .addColumn("recipient", "text", (c) => c.notNull())
      .addColumn("due_at", "text", (c) => c.notNull())
      .addColumn("display_time_zone", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("done_at", "text")
      .execute();
    await db.schema.createIndex("incident_duties_incident").on("incident_duties").columns(["incident_id", "regime_code"]).unique().execute();

    // An anonymous report has reporter_id NULL and its audit event no actor. The description is
    // sealed by the vault (it may name people); notes are compliance's investigation record.
    await db.schema
      .createTable("internal_reports")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reporter_id", "text")
      .addColumn("category", "text", (c) => c.notNull())
      .addColumn("description_ct", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("incident_id", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("internal_report_notes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("report_id", "text", (c) => c.notNull().references("internal_reports.id"))
      .addColumn("author_id", "text", (c) => c.notNull())
      .addColumn("note_ct", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .execute();
  },
});
