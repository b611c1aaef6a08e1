import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

// Wednesday 2026-03-04 11:00 in Shanghai: inside the default working hours, so off_hours stays out.
const BASE = Date.parse("2026-03-04T03:00:00.000Z");
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
const read = (actorId: string): AuditEventInput => ({
  action: "client.read",
  outcome: "success",
  actorId,
  actorRole: "partner",
  targetType: "client",
  targetId: randomUUID(),
  purpose: "case-handling",
  reason: "permitted",
  details: { masked: ["idNumber"] },
});
const reads = (actorId: string, n: number) => Array.from({ length: n }, () => read(actorId));

/**
 * Detection keeps per-process memory (cached rules, alerts already raised) to stay cheap on the
 * hot path. Several servers may share one database: these run two Services on one database and
 * check that a threshold crossed by events through both is caught, that an alert raised by one
 * server deduplicates on the other, and that an alert rolled back with its transaction never
 * silences the rule.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: detection across two servers on one database`, () => {
    let db: TestDatabase;
    let a: Services;
    let b: Services;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      a = await db.open();
      b = await db.open();
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.cleanup();
    });
    const append = (s: Services, events: AuditEventInput[], when: string) => s.engine.db.transaction().execute((tx) => s.auditLog.append(tx, events, when));
    const alertsOf = (userId: string) =>
      a.engine.db
        .selectFrom("alerts")
        .select(["id", "created_at", "facts"])
        .where("rule_code", "=", "bulk_read")
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .execute();

    it("counts events appended through the other server, and raises the alert once across both", async () => {
      const actor = `u-${randomUUID()}`;
      await append(a, reads(actor, 60), at(0));
      await append(b, reads(actor, 40), at(1));
      expect(await alertsOf(actor)).toHaveLength(0); // exactly 100: not more than 100
      await append(a, reads(actor, 1), at(2)); // the 101st distinct client, 40 of them seen only by b
      const [alert, ...more] = await alertsOf(actor);
      expect(more).toHaveLength(0);
      expect(JSON.parse(alert!.facts!)).toMatchObject({ distinctClients: 101 });
      // Both servers now know the window has its alert (b learns it from the database).
      await append(b, reads(actor, 5), at(3));
      await append(a, reads(actor, 5), at(4));
      await append(b, reads(actor, 5), at(5));
      expect(await alertsOf(actor)).toHaveLength(1);
    });

    it("alerts again in a later window even though the earlier alert is remembered", async () => {
      const actor = `u-${randomUUID()}`;
      await append(b, reads(actor, 101), at(0));
      await append(a, reads(actor, 3), at(1)); // a remembers b's alert from here on
      await append(a, reads(actor, 3), at(2));
      expect(await alertsOf(actor)).toHaveLength(1);
      // Eleven minutes on, the 10-minute window no longer holds that alert: counted afresh.
      await append(b, reads(actor, 50), at(13));
      await append(a, reads(actor, 51), at(14)); // crosses on a, which remembers the old alert
      expect((await alertsOf(actor)).map((x) => x.created_at)).toEqual([at(0), at(14)]);
    });

    it("never lets an alert that rolled back with its transaction silence the rule", async () => {
      const actor = `u-${randomUUID()}`;
      const failed = a.engine.db.transaction().execute(async (tx) => {
        await a.auditLog.append(tx, reads(actor, 101), at(0)); // raises the alert in this transaction
        await a.auditLog.append(tx, reads(actor, 1), at(0)); // sees it: already alerted
        throw new Error("the action failed after its reads were audited");
      });
      await expect(failed).rejects.toThrow("the action failed");
      expect(await alertsOf(actor)).toHaveLength(0);
      await append(a, reads(actor, 101), at(1));
      expect(await alertsOf(actor)).toHaveLength(1);
    });
  });
}
