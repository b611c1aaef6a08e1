/**
 * Detection rules on client documents (issue #11, AUD-2), on both engines: each fires at its
 * threshold and not below. (The many-addresses rule runs on real share links in
 * document-shares.integration.test.ts, where the addresses are recorded.)
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { DIALECTS } from "./support/dialects.js";
import { auth, httpSuite } from "./support/http.js";
import { buildUser } from "./support/factories.js";

// Wednesday 2026-03-04 11:00 in Shanghai: inside the default working hours.
const BASE = Date.parse("2026-03-04T03:00:00.000Z");
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
const MIB = 1024 * 1024;

const download = (actorId: string, documentId: string): AuditEventInput => ({
  action: "document.download",
  outcome: "success",
  actorId,
  actorRole: "lawyer",
  targetType: "document",
  targetId: documentId,
  purpose: "case-handling",
  reason: "permitted",
  details: { clientId: randomUUID(), version: 1 },
});
const shared = (actorId: string, sizeBytes: number): AuditEventInput => ({
  action: "document.share",
  outcome: "success",
  actorId,
  actorRole: "lawyer",
  targetType: "document",
  targetId: randomUUID(),
  purpose: "case-handling",
  reason: "permitted",
  details: { shareId: randomUUID(), sizeBytes, status: "active" },
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: detection rules on documents`, () => {
    const suite = httpSuite(dialect);
    const append = (events: AuditEventInput[], when: string) =>
      suite.services.engine.db.transaction().execute((tx) => suite.services.auditLog.append(tx, events, when));
    const alertsOf = (rule: string, userId: string) =>
      suite.services.engine.db.selectFrom("alerts").selectAll().where("rule_code", "=", rule).where("user_id", "=", userId).execute();
    const someone = () => `u-${randomUUID()}`;

    it("ships the four rules, editable by compliance like the others", async () => {
      const compliance = await buildUser(suite.services, "compliance");
      const rules = (await suite.app.inject({ method: "GET", url: "/api/v1/detection-rules", headers: auth(compliance.token) })).json().items as {
        code: string;
        severity: string;
        containment: string;
      }[];
      expect(rules.filter((r) => ["bulk_download", "large_external_share", "off_hours_download", "share_many_addresses"].includes(r.code))).toEqual([
        expect.objectContaining({ code: "bulk_download", severity: "high", containment: "suspend_sessions_and_tokens" }),
        expect.objectContaining({ code: "large_external_share", severity: "medium", containment: "none" }),
        expect.objectContaining({ code: "off_hours_download", severity: "medium", containment: "none" }),
        expect.objectContaining({ code: "share_many_addresses", severity: "high", containment: "none" }),
      ]);
      const bad = await suite.app.inject({
        method: "PATCH",
        url: "/api/v1/detection-rules/large_external_share",
        headers: auth(compliance.token),
        payload: { params: { maxSizeMiB: 0 } },
      });
      expect([bad.statusCode, bad.json().error.fields[0].field]).toEqual([400, "params.maxSizeMiB"]);
    });

    it("bulk_download: more than 20 distinct documents in 10 minutes, not 20, and not one document again and again", async () => {
      const burst = someone();
      await append(
        Array.from({ length: 20 }, () => download(burst, randomUUID())),
        at(0),
      );
      expect(await alertsOf("bulk_download", burst)).toHaveLength(0);
      await append([download(burst, randomUUID())], at(9));
      const [alert] = await alertsOf("bulk_download", burst);
      expect(alert).toMatchObject({ severity: "high", status: "new", created_at: at(9) });
      expect(JSON.parse(alert!.facts!)).toEqual({ distinctDocuments: 21, threshold: 20, windowMinutes: 10 });
      await append([download(burst, randomUUID())], at(9.5));
      expect(await alertsOf("bulk_download", burst)).toHaveLength(1);

      const again = someone();
      const document = randomUUID();
      await append(
        Array.from({ length: 40 }, () => download(again, document)),
        at(0),
      );
      const slow = someone(); // 21 documents, but 20 of them more than 10 minutes before the last
      await append(
        Array.from({ length: 20 }, () => download(slow, randomUUID())),
        at(0),
      );
      await append([download(slow, randomUUID())], at(11));
      expect(await alertsOf("bulk_download", again)).toHaveLength(0);
      expect(await alertsOf("bulk_download", slow)).toHaveLength(0);
    });

    it("large_external_share: a share over 100 MiB, or more than 10 shares in a day", async () => {
      const big = someone();
      await append([shared(big, 100 * MIB)], at(0));
      expect(await alertsOf("large_external_share", big)).toHaveLength(0);
      await append([shared(big, 100 * MIB + 1)], at(1));
      const [large] = await alertsOf("large_external_share", big);
      expect(JSON.parse(large!.facts!)).toEqual({ reason: "size", largestMiB: 100, thresholdMiB: 100 });

      const many = someone();
      for (let i = 0; i < 10; i++) await append([shared(many, 1024)], at(i * 60));
      expect(await alertsOf("large_external_share", many)).toHaveLength(0);
      await append([shared(many, 1024)], at(23 * 60));
      const [count] = await alertsOf("large_external_share", many);
      expect(JSON.parse(count!.facts!)).toEqual({ reason: "count", shares: 11, threshold: 10, windowMinutes: 1440 });
      const refused = someone(); // refused shares are not shares
      await append(
        Array.from({ length: 12 }, () => ({ ...shared(refused, 200 * MIB), outcome: "denied" as const, reason: "approval_required" })),
        at(0),
      );
      expect(await alertsOf("large_external_share", refused)).toHaveLength(0);
    });

    it("off_hours_download: downloads and shares outside weekdays 08:00–20:00 Asia/Shanghai, not inside", async () => {
      const night = someone();
      const office = someone();
      const reader = someone();
      await append([download(night, randomUUID())], "2026-03-04T12:00:00.000Z"); // 20:00 in Shanghai
      await append([download(office, randomUUID())], "2026-03-04T11:59:00.000Z"); // 19:59
      await append([{ ...download(reader, randomUUID()), action: "document.preview" }], "2026-03-04T16:00:00.000Z");
      const weekend = someone();
      await append([shared(weekend, 1024)], "2026-03-07T04:00:00.000Z"); // Saturday noon
      expect(await alertsOf("off_hours_download", night)).toHaveLength(1);
      expect(await alertsOf("off_hours_download", weekend)).toHaveLength(1);
      expect(await alertsOf("off_hours_download", office)).toHaveLength(0);
      expect(await alertsOf("off_hours_download", reader)).toHaveLength(0);
      const [alert] = await alertsOf("off_hours_download", night);
      expect(JSON.parse(alert!.facts!)).toEqual({ events: 1, timeZone: "Asia/Shanghai", calendar: "firm" });
    });
  });
}
