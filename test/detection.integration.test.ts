import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { updateRule } from "../src/response/detection/rule-commands.js";
import { disableUser, CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildUser, contextFor } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

// Wednesday 2026-03-04 11:00 in Shanghai: inside the default working hours.
const BASE = Date.parse("2026-03-04T03:00:00.000Z");
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
const read = (actorId: string, clientId: string, details: AuditEventInput["details"] = null): AuditEventInput => ({
  action: "client.read",
  outcome: "success",
  actorId,
  actorRole: "partner",
  targetType: "client",
  targetId: clientId,
  purpose: "case-handling",
  reason: "permitted",
  details,
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: streaming detection rules, alerts and containment`, () => {
    const suite = httpSuite(dialect);
    const append = (events: AuditEventInput[], when: string) =>
      suite.services.engine.db.transaction().execute((tx) => suite.services.auditLog.append(tx, events, when));
    const alertsOf = (rule: string, userId: string) =>
      suite.services.engine.db.selectFrom("alerts").selectAll().where("rule_code", "=", rule).where("user_id", "=", userId).execute();
    const someone = () => `u-${randomUUID()}`;
    const tune = async (code: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const compliance = await buildUser(suite.services, "compliance");
      return updateRule(suite.services, contextFor(compliance.actor, null), code, { params, ...extra });
    };

    it("(a) bulk_read: more than N distinct clients in T minutes, once per window", async () => {
      const burst = someone();
      await append(
        Array.from({ length: 100 }, () => read(burst, randomUUID())),
        at(0),
      );
      expect(await alertsOf("bulk_read", burst)).toHaveLength(0); // exactly N is not more than N
      await append([read(burst, randomUUID())], at(5));
      const [alert] = await alertsOf("bulk_read", burst);
      expect(alert).toMatchObject({ kind: "detection", severity: "high", status: "new", created_at: at(5) });
      expect(JSON.parse(alert!.evidence!)).toHaveLength(50);
      expect(JSON.parse(alert!.facts!)).toEqual({ distinctClients: 101, threshold: 100, windowMinutes: 10 });
      // No personal data: the alert holds ids, codes, counts and sequence numbers.
      expect(JSON.stringify(alert)).not.toMatch(/[\u4e00-\u9fff]/);
      await append(
        Array.from({ length: 20 }, () => read(burst, randomUUID())),
        at(6),
      );
      expect(await alertsOf("bulk_read", burst)).toHaveLength(1);

      const slow = someone(); // 101 clients, one every 20 seconds: never more than 30 in a window
      for (let i = 0; i < 101; i++) await append([read(slow, randomUUID())], new Date(BASE + i * 20_000).toISOString());
      const sameClient = someone(); // the same client read 150 times
      const client = randomUUID();
      await append(
        Array.from({ length: 150 }, () => read(sameClient, client)),
        at(0),
      );
      expect(await alertsOf("bulk_read", slow)).toHaveLength(0);
      expect(await alertsOf("bulk_read", sameClient)).toHaveLength(0);
    });

    it("(a) bulk_read counts running marks: one per target reached, only moving forward, gone with a rollback", async () => {
      const marksOf = (userId: string) =>
        suite.services.engine.db.selectFrom("detection_target_marks").selectAll().where("actor_id", "=", userId).orderBy("target_id").execute();
      const reader = someone();
      const [a, b] = [randomUUID(), randomUUID()].sort();
      await append(
        Array.from({ length: 40 }, (_, i) => read(reader, i % 2 ? a! : b!)),
        at(10),
      );
      expect((await marksOf(reader)).map((m) => [m.target_id, m.last_at])).toEqual([
        [a, at(10)],
        [b, at(10)],
      ]);
      // An older event committed late leaves the later mark in place; a newer one moves it.
      await append([read(reader, a!)], at(3));
      await append([read(reader, b!)], at(12));
      expect((await marksOf(reader)).map((m) => m.last_at)).toEqual([at(10), at(12)]);
      // A transaction that rolls back takes its marks with it.
      const rolledBack = someone();
      await expect(
        suite.services.engine.db.transaction().execute(async (tx) => {
          await suite.services.auditLog.append(tx, [read(rolledBack, randomUUID())], at(10));
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      expect(await marksOf(rolledBack)).toEqual([]);
      // A denied or target-less read is no reach.
      const denied = someone();
      await append([{ ...read(denied, randomUUID()), outcome: "denied" }], at(10));
      expect(await marksOf(denied)).toEqual([]);
    });

    it("(a) bulk_read: a mark lagging its target's last reach by under a minute still counts, and the events decide", async () => {
      const marksOf = (userId: string) => suite.services.engine.db.selectFrom("detection_target_marks").selectAll().where("actor_id", "=", userId).execute();
      // Read at minute 0 and again at 0.5: within the resolution, the mark stays at minute 0.
      const lagging = someone();
      const x = randomUUID();
      await append([read(lagging, x)], at(0));
      await append([read(lagging, x)], at(0.5));
      expect((await marksOf(lagging)).map((m) => m.last_at)).toEqual([at(0)]);
      // At 10.25 the window starts at 0.25: x (read at 0.5) and 100 new clients are 101 distinct.
      await append(
        Array.from({ length: 100 }, () => read(lagging, randomUUID())),
        at(10.25),
      );
      const [alert] = await alertsOf("bulk_read", lagging);
      expect(JSON.parse(alert!.facts!)).toEqual({ distinctClients: 101, threshold: 100, windowMinutes: 10 });
      // The same, but x was last read at minute 0, before the window: 100 distinct, no alert,
      // though the mark falls within the count's wider look-back.
      const before = someone();
      await append([read(before, x)], at(0));
      await append(
        Array.from({ length: 100 }, () => read(before, randomUUID())),
        at(10.25),
      );
      expect(await alertsOf("bulk_read", before)).toHaveLength(0);
    });

    it("(b) export_volume: counts client.export and reads with via=export, nothing else", async () => {
      await tune("export_volume", { maxRecords: 10, windowMinutes: 60 });
      const exporter = someone();
      const viaExport = someone();
      const reader = someone();
      await append(
        Array.from({ length: 11 }, () => ({ ...read(exporter, randomUUID()), action: "client.export" })),
        at(0),
      );
      await append(
        Array.from({ length: 6 }, () => read(viaExport, randomUUID(), { via: "export" })),
        at(0),
      );
      await append(
        Array.from({ length: 5 }, () => read(viaExport, randomUUID(), { via: "export" })),
        at(59),
      );
      await append(
        Array.from({ length: 30 }, () => read(reader, randomUUID(), { via: "search" })),
        at(0),
      );
      expect(await alertsOf("export_volume", exporter)).toHaveLength(1);
      expect(JSON.parse((await alertsOf("export_volume", viaExport))[0]!.facts!)).toMatchObject({ records: 11 });
      expect(await alertsOf("export_volume", reader)).toHaveLength(0);
      const late = someone(); // 11 exports, but never 11 inside one hour
      await append(
        Array.from({ length: 6 }, () => read(late, randomUUID(), { via: "export" })),
        at(0),
      );
      await append(
        Array.from({ length: 5 }, () => read(late, randomUUID(), { via: "export" })),
        at(61),
      );
      expect(await alertsOf("export_volume", late)).toHaveLength(0);
    });

    it("(c) off_hours: client-data access outside weekdays 08:00–20:00 Asia/Shanghai", async () => {
      const night = someone();
      const weekend = someone();
      const office = someone();
      const signIn = someone();
      await append([read(night, randomUUID())], "2026-03-04T12:00:00.000Z"); // 20:00 in Shanghai
      await append([read(weekend, randomUUID())], "2026-03-07T04:00:00.000Z"); // Saturday noon
      await append([read(office, randomUUID())], "2026-03-04T11:59:00.000Z"); // 19:59
      await append([{ action: "auth.login", outcome: "success", actorId: signIn, targetType: "user", targetId: signIn }], "2026-03-04T16:00:00.000Z");
      expect(await alertsOf("off_hours", night)).toHaveLength(1);
      expect(await alertsOf("off_hours", weekend)).toHaveLength(1);
      expect(await alertsOf("off_hours", office)).toHaveLength(0);
      expect(await alertsOf("off_hours", signIn)).toHaveLength(0);
    });

    it("(d) auth_failures: repeated failed passwords or codes for one account", async () => {
      const fail = (actorId: string, action = "auth.login"): AuditEventInput => ({
        action,
        outcome: "failure",
        reason: "wrong_password",
        actorId,
        targetType: "user",
        targetId: actorId,
      });
      const guessed = someone();
      for (let i = 0; i < 4; i++) await append([fail(guessed, i % 2 ? "auth.totp" : "auth.login")], at(i));
      expect(await alertsOf("auth_failures", guessed)).toHaveLength(0);
      await append([fail(guessed, "auth.totp")], at(4));
      expect(await alertsOf("auth_failures", guessed)).toHaveLength(1);
      const spread = someone(); // five failures, one every 15 minutes
      for (let i = 0; i < 5; i++) await append([fail(spread)], at(i * 16));
      const succeeded = someone();
      for (let i = 0; i < 6; i++) await append([{ ...fail(succeeded), outcome: "success", reason: "signed_in" }], at(i));
      expect(await alertsOf("auth_failures", spread)).toHaveLength(0);
      expect(await alertsOf("auth_failures", succeeded)).toHaveLength(0);
    });

    it("(e) disabled_account: any activity by a disabled account's credentials", async () => {
      const leaver = await buildUser(suite.services, "lawyer");
      const stayer = await buildUser(suite.services, "lawyer");
      await disableUser(suite.services, CONSOLE_OPERATOR, { email: leaver.email }, "test");
      await append([read(stayer.actor.userId, randomUUID())], at(0));
      expect(await alertsOf("disabled_account", stayer.actor.userId)).toHaveLength(0);
      await append(
        [
          {
            action: "auth.login",
            outcome: "failure",
            reason: "user_disabled",
            actorId: leaver.actor.userId,
            targetType: "user",
            targetId: leaver.actor.userId,
          },
        ],
        at(0),
      );
      expect(await alertsOf("disabled_account", leaver.actor.userId)).toHaveLength(1);
      // Over HTTP: the revoked token is refused (401) and the refusal names no one; a scripted
      // event by the disabled user, after the dedup window, raises a second alert.
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/inventory", headers: auth(leaver.token) })).statusCode).toBe(401);
      await append([read(leaver.actor.userId, randomUUID())], at(90));
      expect(await alertsOf("disabled_account", leaver.actor.userId)).toHaveLength(2);
    });

    it("(f) wall_breach: attempts refused by a wall, once per user and window", async () => {
      const screened = someone();
      const denied = (reason: string): AuditEventInput => ({
        action: "client.read",
        outcome: "denied",
        reason,
        actorId: screened,
        targetType: "client",
        targetId: randomUUID(),
      });
      await append([denied("role_lacks_permission"), denied("not_on_matter")], at(0));
      expect(await alertsOf("wall_breach", screened)).toHaveLength(0);
      await append([denied("screened_by_wall")], at(1));
      await append([denied("screened_by_wall")], at(2));
      const alerts = await alertsOf("wall_breach", screened);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.severity).toBe("high");
    });

    it("(g) l4_rate: L4 fields in clear far above the user's own 30-day baseline", async () => {
      await tune("l4_rate", { windowMinutes: 60, baselineDays: 2, multiplier: 3, minReads: 10 });
      const c = randomUUID(); // one client, so the bulk-read rule stays out of it
      // Baseline: 9 L4 reads every two hours over the two previous days = 4.5 per hour-window.
      const habitual = someone();
      for (let h = 48; h > 1; h -= 2)
        await append(
          Array.from({ length: 9 }, () => read(habitual, c)),
          at(-h * 60),
        );
      await append(
        Array.from({ length: 12 }, () => read(habitual, c)),
        at(0),
      );
      expect(await alertsOf("l4_rate", habitual)).toHaveLength(0); // 12 ≤ 3 × 4.5
      await append(
        Array.from({ length: 2 }, () => read(habitual, c)),
        at(10),
      );
      const [alert] = await alertsOf("l4_rate", habitual); // 14 > 13.5
      expect(JSON.parse(alert!.facts!)).toMatchObject({ l4Reads: 14, baselinePerWindow: 4.5 });

      // Without a baseline, minReads decides; reads with the L4 field masked never count.
      const fresh = someone();
      const masked = someone();
      await append(
        Array.from({ length: 9 }, () => read(fresh, c)),
        at(0),
      );
      await append(
        Array.from({ length: 30 }, () => read(masked, c, { masked: ["idNumber"] })),
        at(0),
      );
      expect(await alertsOf("l4_rate", fresh)).toHaveLength(0);
      expect(await alertsOf("l4_rate", masked)).toHaveLength(0);
      await append([read(fresh, c, { masked: ["phone"] })], at(1));
      expect(await alertsOf("l4_rate", fresh)).toHaveLength(1);
    });

    it("lists, acknowledges, dismisses and escalates alerts; only compliance changes them", async () => {
      const compliance = await buildUser(suite.services, "compliance");
      const lawyer = await buildUser(suite.services, "lawyer");
      const subject = someone();
      await append([read(subject, randomUUID())], "2026-03-07T04:00:00.000Z"); // weekend → off_hours
      await append(
        [{ action: "client.read", outcome: "denied", reason: "screened_by_wall", actorId: subject, targetType: "client", targetId: randomUUID() }],
        at(0),
      );
      const list = await suite.app.inject({ method: "GET", url: `/api/v1/alerts?userId=${subject}`, headers: auth(compliance.token) });
      expect(list.statusCode).toBe(200);
      const items = list.json().items as { id: string; ruleCode: string; status: string }[];
      expect(items.map((i) => i.ruleCode).sort()).toEqual(["off_hours", "wall_breach"]);
      const offHours = items.find((i) => i.ruleCode === "off_hours")!;
      const wall = items.find((i) => i.ruleCode === "wall_breach")!;

      const post = (url: string, token: string, payload?: object) =>
        suite.app.inject({ method: "POST", url, headers: auth(token), ...(payload ? { payload } : {}) });
      expect((await post(`/api/v1/alerts/${offHours.id}/acknowledge`, lawyer.token)).json().error.code).toBe("role_lacks_permission");
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/alerts", headers: auth(lawyer.token) })).statusCode).toBe(403);
      expect((await post(`/api/v1/alerts/${offHours.id}/acknowledge`, compliance.token)).json()).toMatchObject({
        status: "acknowledged",
        statusBy: compliance.actor.userId,
      });
      expect((await post(`/api/v1/alerts/${offHours.id}/dismiss`, compliance.token, { reason: "because" })).statusCode).toBe(400);
      expect((await post(`/api/v1/alerts/${offHours.id}/dismiss`, compliance.token, { reason: "authorised_activity" })).json()).toMatchObject({
        status: "dismissed",
        dismissReason: "authorised_activity",
      });
      const again = await post(`/api/v1/alerts/${offHours.id}/acknowledge`, compliance.token);
      expect([again.statusCode, again.json().error.code]).toEqual([409, "alert_closed"]);

      const escalated = await post(`/api/v1/alerts/${wall.id}/escalate`, compliance.token, {
        category: "unauthorised_access",
        cause: "insider_misuse",
        measures: ["access_restricted"],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: false,
        euSubjects: false,
        contact: "privacy@firm.test",
      });
      expect(escalated.statusCode).toBe(201);
      expect(escalated.json()).toMatchObject({ source: "alert", alertId: wall.id, status: "open" });
      const after = (
        await suite.app.inject({ method: "GET", url: `/api/v1/alerts?userId=${subject}&status=escalated`, headers: auth(compliance.token) })
      ).json().items;
      expect(after).toMatchObject([{ id: wall.id, incidentId: escalated.json().id }]);
      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["action", "outcome"])
        .where("target_id", "in", [offHours.id, wall.id])
        .orderBy("seq")
        .execute();
      expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
        "alert.acknowledge:denied",
        "alert.acknowledge:success",
        "alert.dismiss:success",
        "alert.acknowledge:failure",
        "alert.escalate:success",
      ]);
    });

    it("edits rules as compliance only, validating parameters", async () => {
      const compliance = await buildUser(suite.services, "compliance");
      const partner = await buildUser(suite.services, "partner");
      const rules = await suite.app.inject({ method: "GET", url: "/api/v1/detection-rules", headers: auth(partner.token) });
      expect(
        rules
          .json()
          .items.map((r: { code: string }) => r.code)
          .sort(),
      ).toEqual([
        "auth_failures",
        "bulk_download",
        "bulk_read",
        "disabled_account",
        "export_volume",
        "l4_rate",
        "large_external_share",
        "off_hours",
        "off_hours_download",
        "privileged_role",
        "search_enumeration",
        "share_many_addresses",
        "wall_breach",
      ]);
      const patch = (token: string, payload: object) =>
        suite.app.inject({ method: "PATCH", url: "/api/v1/detection-rules/off_hours", headers: auth(token), payload });
      expect((await patch(partner.token, { enabled: false })).statusCode).toBe(403);
      const bad = await patch(compliance.token, { params: { timeZone: "Mars/Olympus" } });
      expect([bad.statusCode, bad.json().error.fields[0].field]).toEqual([400, "params.timeZone"]);
      expect((await patch(compliance.token, { params: { start: "09:00" } })).json()).toMatchObject({
        params: { start: "09:00", end: "20:00", timeZone: "Asia/Shanghai" },
      });
    });

    it("contains a running token: a burst of reads revokes its tokens mid-stream (later requests 401)", async () => {
      const compliance = await buildUser(suite.services, "compliance");
      const thief = await buildUser(suite.services, "partner");
      const clients = [];
      for (let i = 0; i < 6; i++) clients.push((await buildClient(suite.services, thief.actor)).id);
      const tuned = await suite.app.inject({
        method: "PATCH",
        url: "/api/v1/detection-rules/bulk_read",
        headers: auth(compliance.token),
        payload: { severity: "high", containment: "suspend_sessions_and_tokens", params: { maxDistinctClients: 3, windowMinutes: 10 } },
      });
      expect(tuned.statusCode).toBe(200);
      const codes = [];
      for (const id of clients)
        codes.push((await suite.app.inject({ method: "GET", url: `/api/v1/clients/${id}`, headers: auth(thief.token, "case-handling") })).statusCode);
      // The fourth distinct client crosses the threshold: that read commits with the alert and
      // the revocation, and every later request is refused.
      expect(codes).toEqual([200, 200, 200, 200, 401, 401]);
      const [alert] = await alertsOf("bulk_read", thief.actor.userId);
      expect(alert).toMatchObject({ containment: "suspend_sessions_and_tokens", severity: "high" });
      const token = await suite.services.engine.db
        .selectFrom("api_tokens")
        .select("revoked_at")
        .where("user_id", "=", thief.actor.userId)
        .executeTakeFirstOrThrow();
      expect(token.revoked_at).not.toBeNull();
      const contained = await suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "detection.containment")
        .where("target_id", "=", thief.actor.userId)
        .executeTakeFirstOrThrow();
      expect(contained).toMatchObject({ actor_id: "system:detection", reason: "suspend_sessions_and_tokens" });
      expect(JSON.parse(contained.details!)).toMatchObject({ alertId: alert!.id, tokensRevoked: 1 });
      // Put the shipped threshold back for anything that runs later on this database.
      await suite.app.inject({
        method: "PATCH",
        url: "/api/v1/detection-rules/bulk_read",
        headers: auth(compliance.token),
        payload: { params: { maxDistinctClients: 100 } },
      });
    });

    it("leaves the audit chain intact", async () => {
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
