import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directRunnerOf } from "../src/platform/db/direct.js";
import { prepared } from "../src/platform/db/prepared.js";
import { DIALECTS, servicesSuite } from "./support/dialects.js";

/**
 * Queries compiled once (src/platform/db/prepared.ts) answer exactly what the same builder answers
 * when built afresh, for any arguments, with literal values mixed among the arguments, on both
 * engines in one process (each engine compiles its own text).
 */
const marksOf = prepared((db, a: { actor: string; from: string }) =>
  db
    .selectFrom("detection_target_marks")
    .select(["target_id", "last_at"])
    .where("actor_id", "=", a.actor)
    .where("action", "=", "client.read") // a literal among the arguments
    .where("last_at", ">=", a.from)
    .orderBy("target_id"),
);

for (const dialect of DIALECTS) {
  describe(`${dialect}: queries compiled once`, () => {
    const suite = servicesSuite(dialect);

    it("answer what the builder answers, whatever the arguments", async () => {
      const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
      const actors = ["a", "b", "c'; drop table clients; --"];
      const rows = actors.flatMap((actor, i) =>
        Array.from({ length: 12 }, (_, j) => ({
          actor_id: actor,
          action: j % 3 ? "client.read" : "document.download",
          target_id: `t${i}-${j}`,
          last_at: minute(j * 5),
        })),
      );
      await suite.services.engine.db.insertInto("detection_target_marks").values(rows).execute();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...actors, "nobody"), fc.integer({ min: 0, max: 70 }), async (actor, m) => {
          const from = minute(m);
          const fresh = await suite.services.engine.db
            .selectFrom("detection_target_marks")
            .select(["target_id", "last_at"])
            .where("actor_id", "=", actor)
            .where("action", "=", "client.read")
            .where("last_at", ">=", from)
            .orderBy("target_id")
            .execute();
          expect(await marksOf(suite.services.engine.db, { actor, from })).toEqual(fresh);
          // Inside a unit of work SQLite runs the statement on its connection past Kysely (direct.ts):
          // the same rows, and the unit's own uncommitted write is seen.
          const inUnit = await suite.services.engine.runTransaction(async (tx) => {
            await tx
              .insertInto("detection_target_marks")
              .values({ actor_id: actor, action: "client.read", target_id: "t-unit", last_at: minute(90) })
              .execute();
            const rows = await marksOf(tx, { actor, from });
            await tx.deleteFrom("detection_target_marks").where("target_id", "=", "t-unit").execute();
            return rows;
          });
          expect(inUnit).toEqual([...fresh, { target_id: "t-unit", last_at: minute(90) }].sort((a, b) => (a.target_id < b.target_id ? -1 : 1)));
        }),
        { numRuns: 60 },
      );
    });

    it("run past Kysely only while their group's transaction is open", async () => {
      let held: object | undefined;
      await suite.services.engine.runTransaction(async (tx) => {
        held = tx;
        expect(directRunnerOf(tx) !== undefined).toBe(dialect === "sqlite");
      });
      expect(directRunnerOf(held!)).toBeUndefined();
    });
  });
}
