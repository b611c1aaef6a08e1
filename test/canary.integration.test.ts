import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildMatter, buildUser, residentId, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";

/** Distinctive values that must never appear in plaintext at rest or in logs. */
const id = residentId("19770707");
const CANARIES = {
  name: "金丝雀甲乙丙",
  idNumber: id,
  phone: "13987650123",
  email: "canary.q7x@example.org",
  address: "金丝雀省测试市幸福路42号",
  notes: "CANARY-NOTE-7f3a9 机密案情",
  birthDate: "1977-07-07",
  matterTitle: "金丝雀诉讼丁戊己案",
};

const { matterTitle: _title, ...clientFields } = CANARIES;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const hits = (haystack: Buffer, label: string) =>
  Object.entries(CANARIES)
    .filter(([, v]) => haystack.includes(Buffer.from(v, "utf8")))
    .map(([k]) => `${k} in ${label}`);

for (const dialect of DIALECTS) {
  describe(`${dialect}: no personal data in plaintext at rest or in logs`, () => {
    let db: TestDatabase;
    let services: Services;
    let logs: string[];
    let partner: TestUser;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      const server = await buildTestServer(services);
      logs = server.logs;
      const app = server.app;
      partner = await buildUser(services, "partner");
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/clients",
        headers: auth(partner.token),
        payload: { kind: "person", idType: "resident_id", purposes: ["case-handling"], ...clientFields },
      });
      expect(created.statusCode).toBe(201);
      const clientId = created.json().id;
      // Every path that handles the values: read, search by each index (query string and body),
      // a rejected write that carries them, an update, and the audit query.
      await app.inject({ method: "GET", url: `/api/v1/clients/${clientId}`, headers: auth(partner.token, "case-handling") });
      for (const [field, value] of Object.entries({ idNumber: CANARIES.idNumber, phone: CANARIES.phone, email: CANARIES.email, name: CANARIES.name })) {
        const res = await app.inject({
          method: "GET",
          url: `/api/v1/clients?${field}=${encodeURIComponent(value)}`,
          headers: auth(partner.token, "case-handling"),
        });
        expect(res.json().items).toHaveLength(1);
        await app.inject({ method: "POST", url: "/api/v1/clients/search", headers: auth(partner.token, "case-handling"), payload: { [field]: value } });
      }
      const rejected = await app.inject({
        method: "POST",
        url: "/api/v1/clients",
        headers: auth(partner.token),
        payload: {
          kind: "person",
          idType: "resident_id",
          purposes: ["case-handling"],
          ...clientFields,
          idNumber: CANARIES.idNumber.slice(0, 17) + (CANARIES.idNumber.endsWith("1") ? "2" : "1"),
        },
      });
      expect(rejected.statusCode).toBe(400);
      expect(hits(Buffer.from(rejected.body), "error response")).toEqual([]);
      await app.inject({
        method: "PATCH",
        url: `/api/v1/clients/${clientId}`,
        headers: auth(partner.token, "case-handling"),
        payload: { notes: `${CANARIES.notes} 补充` },
      });
      await app.inject({ method: "GET", url: `/api/v1/audit?clientId=${clientId}`, headers: auth(partner.token) });
      // A matter whose title names the parties, and a conflict check by the canary identifiers.
      await buildMatter(services, partner.actor, clientId, [], { title: CANARIES.matterTitle });
      const conflicts = await app.inject({
        method: "POST",
        url: "/api/v1/conflicts/search",
        headers: auth(partner.token, "conflict-check"),
        payload: { name: CANARIES.name, idNumber: CANARIES.idNumber },
      });
      expect(conflicts.statusCode).toBe(200);
      await app.close();
    });
    afterAll(async () => {
      await services?.close();
      await db?.cleanup();
    });

    it("keeps the values out of every log line", () => {
      expect(logs.length).toBeGreaterThan(10);
      expect(hits(Buffer.from(logs.join("")), "logs")).toEqual([]);
    });

    it("keeps the values out of every stored row", async () => {
      // Every table the migrations created, so a new table is covered without touching this test.
      const tables = (await services.engine.db.introspection.getTables())
        .filter((t) => !t.isView && (dialect === "sqlite" || t.schema === db.config.databaseSchema))
        .map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(["clients", "matters", "audit_events", "alerts", "consent_records", "client_requests", "incidents"]));
      for (const table of tables) {
        const rows = await services.engine.db
          .selectFrom(table as "clients")
          .selectAll()
          .execute();
        const dump = Buffer.concat(rows.flatMap((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), "utf8")))));
        expect(hits(dump, table)).toEqual([]);
      }
    });

    it.runIf(dialect === "sqlite")("keeps the values out of every file under the data directory (database, WAL, journal)", async () => {
      const files = filesUnder(db.config.dataDir);
      expect(files.some((f) => f.endsWith("custodia.db-wal"))).toBe(true);
      for (const file of files) expect(hits(readFileSync(file), file)).toEqual([]);
      // And after the WAL is folded into the main file.
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(services.engine.db);
      for (const file of filesUnder(db.config.dataDir)) expect(hits(readFileSync(file), file)).toEqual([]);
    });
  });
}
