import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { DIALECTS } from "./support/dialects.js";
import { runCli } from "./support/cli.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

// Wednesday 2026-03-04. 13:00 UTC is 21:00 in Shanghai and 14:00 in Berlin (CET, UTC+1).
const SHANGHAI_21 = "2026-03-04T13:00:00.000Z";
const read = (actorId: string): AuditEventInput => ({
  action: "client.read",
  outcome: "success",
  actorId,
  actorRole: "lawyer",
  targetType: "client",
  targetId: randomUUID(),
  purpose: "case-handling",
  reason: "permitted",
});
const DAY = { timeZone: "Asia/Shanghai", hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })), exceptions: [] as object[] };
const NIGHT = { timeZone: "Asia/Shanghai", hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "20:00", end: "23:00" })), exceptions: [] };

for (const dialect of DIALECTS) {
  describe(`${dialect}: off-hours judged by each user's working calendar`, () => {
    const suite = httpSuite(dialect);
    const append = (events: AuditEventInput[], when: string) =>
      suite.services.engine.db.transaction().execute((tx) => suite.services.auditLog.append(tx, events, when));
    const offHours = (userId: string) =>
      suite.services.engine.db.selectFrom("alerts").selectAll().where("rule_code", "=", "off_hours").where("user_id", "=", userId).execute();
    const put = (token: string, userId: string, payload: object) =>
      suite.app.inject({ method: "PUT", url: `/api/v1/users/${userId}/calendar`, headers: auth(token), payload });
    const get = (token: string, userId: string) => suite.app.inject({ method: "GET", url: `/api/v1/users/${userId}/calendar`, headers: auth(token) });
    let admin: TestUser;
    const staffWith = async (calendar: object | null) => {
      admin ??= await buildUser(suite.services, "admin");
      const user = await buildUser(suite.services, "lawyer");
      if (calendar) expect((await put(admin.token, user.actor.userId, calendar)).statusCode).toBe(200);
      return user.actor.userId;
    };

    it("the same read at 21:00 Shanghai triggers for 09:00–18:00, not for a 20:00–23:00 night shift", async () => {
      const day = await staffWith(DAY);
      const night = await staffWith(NIGHT);
      await append([read(day)], SHANGHAI_21);
      await append([read(night)], SHANGHAI_21);
      const [alert] = await offHours(day);
      expect(JSON.parse(alert!.facts!)).toEqual({ events: 1, timeZone: "Asia/Shanghai", calendar: "staff" });
      expect(await offHours(night)).toHaveLength(0);
      // The night shift's own off-hours: 10:00 in Shanghai.
      const nightAtTen = await staffWith(NIGHT);
      await append([read(nightAtTen)], "2026-03-04T02:00:00.000Z");
      expect(await offHours(nightAtTen)).toHaveLength(1);
    });

    it("a leave day triggers inside the weekly hours; an extra working day does not on a Saturday", async () => {
      const onLeave = await staffWith({ ...DAY, exceptions: [{ date: "2026-03-05", kind: "leave" }] });
      await append([read(onLeave)], "2026-03-04T02:00:00.000Z"); // Wednesday 10:00: a working day
      expect(await offHours(onLeave)).toHaveLength(0);
      await append([read(onLeave)], "2026-03-05T02:00:00.000Z"); // Thursday 10:00: on leave
      expect(await offHours(onLeave)).toHaveLength(1);
      const saturday = await staffWith({ ...DAY, exceptions: [{ date: "2026-03-07", kind: "work", start: "10:00", end: "12:00" }] });
      await append([read(saturday)], "2026-03-07T02:30:00.000Z"); // Saturday 10:30 in Shanghai
      expect(await offHours(saturday)).toHaveLength(0);
      await append([read(saturday)], "2026-03-07T04:30:00.000Z"); // 12:30: after the extra hours
      expect(await offHours(saturday)).toHaveLength(1);
    });

    it("a user without a calendar follows the firm rule (08:00–20:00 Shanghai)", async () => {
      const firm = await staffWith(null);
      const day = await staffWith(DAY);
      await append([read(firm)], "2026-03-04T11:30:00.000Z"); // 19:30: inside the firm's hours
      await append([read(day)], "2026-03-04T11:30:00.000Z"); // but after the user's 18:00
      expect(await offHours(firm)).toHaveLength(0);
      expect(await offHours(day)).toHaveLength(1);
      await append([read(firm)], SHANGHAI_21);
      const [alert] = await offHours(firm);
      expect(JSON.parse(alert!.facts!)).toEqual({ events: 1, timeZone: "Asia/Shanghai", calendar: "firm" });
    });

    it("reads a Berlin user's clock in Berlin, across the change to summer time", async () => {
      const berlin = { timeZone: "Europe/Berlin", hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })), exceptions: [] };
      const inBerlin = await staffWith(berlin);
      await append([read(inBerlin)], SHANGHAI_21); // 14:00 in Berlin
      expect(await offHours(inBerlin)).toHaveLength(0);
      // Monday 2026-03-30, the day after clocks went forward: 07:30 UTC is 09:30 CEST (in hours),
      // though it would be 08:30 in winter time.
      await append([read(inBerlin)], "2026-03-30T07:30:00.000Z");
      expect(await offHours(inBerlin)).toHaveLength(0);
      const early = await staffWith(berlin);
      await append([read(early)], "2026-03-30T06:30:00.000Z"); // 08:30 CEST
      const [alert] = await offHours(early);
      expect(JSON.parse(alert!.facts!)).toMatchObject({ timeZone: "Europe/Berlin", calendar: "staff" });
    });

    it("a changed or removed calendar applies at once in this process", async () => {
      const user = await staffWith(NIGHT);
      await append([read(user)], SHANGHAI_21);
      expect(await offHours(user)).toHaveLength(0);
      expect((await put(admin.token, user, DAY)).statusCode).toBe(200);
      await append([read(user)], "2026-03-04T13:05:00.000Z");
      expect(await offHours(user)).toHaveLength(1);
      const other = await staffWith(DAY);
      expect((await suite.app.inject({ method: "DELETE", url: `/api/v1/users/${other}/calendar`, headers: auth(admin.token) })).json()).toEqual({
        userId: other,
        calendar: null,
      });
      await append([read(other)], "2026-03-04T11:30:00.000Z"); // 19:30: firm hours again
      expect(await offHours(other)).toHaveLength(0);
    });

    it("who may read and set a calendar; validation; every call audited without leave dates", async () => {
      const lawyer = await buildUser(suite.services, "lawyer");
      const colleague = await buildUser(suite.services, "lawyer");
      const compliance = await buildUser(suite.services, "compliance");
      admin ??= await buildUser(suite.services, "admin");
      const withLeave = { ...DAY, exceptions: [{ date: "2026-12-24", kind: "leave" }] };
      expect((await put(lawyer.token, lawyer.actor.userId, withLeave)).json().error.code).toBe("role_lacks_permission");
      const set = await put(compliance.token, lawyer.actor.userId, withLeave);
      expect(set.statusCode).toBe(200);
      expect(set.json().calendar).toMatchObject({
        timeZone: "Asia/Shanghai",
        exceptions: [{ date: "2026-12-24", kind: "leave" }],
        updatedBy: compliance.actor.userId,
      });
      expect((await get(lawyer.token, lawyer.actor.userId)).json().calendar.hours).toHaveLength(5);
      expect((await get(lawyer.token, colleague.actor.userId)).statusCode).toBe(403);
      expect((await get(admin.token, colleague.actor.userId)).json()).toEqual({ userId: colleague.actor.userId, calendar: null });
      expect((await get(admin.token, "no-such-user")).statusCode).toBe(404);

      const badZone = await put(admin.token, colleague.actor.userId, { ...DAY, timeZone: "Mars/Olympus" });
      expect([badZone.statusCode, badZone.json().error.fields]).toEqual([
        400,
        [{ field: "timeZone", code: "unknown_time_zone", message: "Not an IANA time zone name this server knows." }],
      ]);
      const backwards = await put(admin.token, colleague.actor.userId, { ...DAY, hours: [{ weekday: 1, start: "18:00", end: "09:00" }] });
      expect(backwards.json().error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)).toEqual(["hours.0.end:end_before_start"]);
      const twice = await put(admin.token, colleague.actor.userId, {
        ...DAY,
        exceptions: [
          { date: "2026-12-24", kind: "leave" },
          { date: "2026-12-24", kind: "leave" },
        ],
      });
      expect(twice.json().error.fields[0]).toMatchObject({ field: "exceptions.1.date", code: "duplicate" });
      expect((await get(admin.token, colleague.actor.userId)).json().calendar).toBeNull();

      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["action", "outcome", "actor_id", "details"])
        .where("target_id", "=", lawyer.actor.userId)
        .where("action", "like", "user.calendar%")
        .orderBy("seq")
        .execute();
      expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(["user.calendar_set:denied", "user.calendar_set:success", "user.calendar_read:success"]);
      expect(JSON.parse(events[1]!.details!)).toEqual({ timeZone: "Asia/Shanghai", spans: 5, leaveDays: 1, workDays: 0 });
      expect(events.map((e) => e.details ?? "").join()).not.toContain("2026-12-24");
      const denied = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["outcome", "reason"])
        .where("target_id", "=", colleague.actor.userId)
        .where("action", "=", "user.calendar_read")
        .where("actor_id", "=", lawyer.actor.userId)
        .execute();
      expect(denied).toEqual([{ outcome: "denied", reason: "role_lacks_permission" }]);
      const doc = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      for (const method of ["get", "put", "delete"])
        expect(doc.paths["/api/v1/users/{id}/calendar"][method]).toMatchObject({ tags: ["users"], summary: expect.any(String) });
    });

    it("custodia user calendar sets the calendar the rule then uses", async () => {
      const user = await buildUser(suite.services, "lawyer");
      const cli = await runCli(
        ["user", "calendar", "--email", user.email, "--tz", "Asia/Shanghai", "--hours", "1-5 09:00-18:00", "--leave", "2026-12-24", "--json"],
        suite.db.env,
      );
      expect(cli.stderr).toBe("");
      expect(JSON.parse(cli.stdout)).toMatchObject({
        userId: user.actor.userId,
        calendar: { timeZone: "Asia/Shanghai", exceptions: [{ date: "2026-12-24", kind: "leave" }] },
      });
      expect(JSON.parse(cli.stdout).calendar.hours).toHaveLength(5);
      const bad = await runCli(["user", "calendar", "--email", user.email, "--tz", "Asia/Shanghai", "--hours", "weekdays", "--json"], suite.db.env);
      expect([bad.status, JSON.parse(bad.stdout).error.fields[0].field]).toEqual([1, "hours.0"]);
      // The server process learns of a change made elsewhere when its cache expires (≤ 5 s).
      suite.services.detector.invalidate();
      await append([read(user.actor.userId)], SHANGHAI_21);
      expect(await offHours(user.actor.userId)).toHaveLength(1);
    });
  });
}
