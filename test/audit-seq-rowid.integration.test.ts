import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { name as rowidMigration } from "../src/platform/db/migrations/0041-audit-seq-rowid.js";
import { migrateToLatest } from "../src/platform/db/migrator.js";
import { openEngine } from "../src/platform/db/open.js";
import { createTestDatabase, DIALECTS } from "./support/dialects.js";
import { migrateToJustBefore } from "./support/migrations.js";

const INDEXES = [
  "audit_events_action_at",
  "audit_events_actor",
  "audit_events_actor_at",
  "audit_events_pending",
  "audit_events_position",
  "audit_events_target",
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: migration ${rowidMigration}`, () => {
    it("keeps every audit event as it was, with the same indexes; on SQLite the arrival number becomes the rowid", async () => {
      const db = await createTestDatabase(dialect);
      const engine = openEngine(db.config);
      try {
        expect((await migrateToJustBefore(engine, rowidMigration)).error).toBeUndefined();
        // Placed and pending events, with gaps in the arrival numbers (rolled-back draws).
        const events = [1, 2, 5, 9, 10].map((seq, i) => ({
          seq,
          id: `e-${seq}`,
          at: `2026-03-0${i + 1}T08:00:00.000Z`,
          actor_id: i % 2 ? "u-1" : "u-2",
          actor_role: "lawyer",
          action: "client.read",
          target_type: "client",
          target_id: `c-${i % 3}`,
          purpose: "case-handling",
          outcome: "success",
          reason: null,
          request_id: `r-${seq}`,
          details: i === 2 ? '{"masked":["idNumber"]}' : null,
          prev_hash: `p${seq}`,
          hash: `h${seq}`,
          position: i < 3 ? i + 1 : null,
        }));
        await engine.db.insertInto("audit_events").values(events).execute();

        expect(await migrateToLatest(engine)).toContain(rowidMigration);

        const after = await engine.db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
        expect(after.map((e) => ({ ...e, seq: Number(e.seq), position: e.position === null ? null : Number(e.position) }))).toEqual(events);
        if (dialect === "sqlite") {
          const columns = await sql<{ name: string; type: string; pk: number }>`pragma table_info(audit_events)`.execute(engine.db);
          expect(columns.rows.find((c) => c.name === "seq")).toMatchObject({ type: "INTEGER", pk: 1 });
          const rowids = await sql<{ r: number; s: number }>`select rowid as r, seq as s from audit_events order by seq`.execute(engine.db);
          expect(rowids.rows.map((x) => x.r)).toEqual(rowids.rows.map((x) => x.s));
          const indexes = await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'audit_events' and name not like 'sqlite_%' order by name`.execute(engine.db);
          expect(indexes.rows.map((r) => r.name)).toEqual(INDEXES);
          // A duplicate id is still refused (its unique index was carried over).
          await expect(
            engine.db
              .insertInto("audit_events")
              .values({ ...events[0]!, seq: 11 })
              .execute(),
          ).rejects.toThrow(/UNIQUE/);
        }
      } finally {
        await engine.destroy();
        await db.cleanup();
      }
    });
  });
}
