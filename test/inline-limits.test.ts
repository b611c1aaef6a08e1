import SQLite from "better-sqlite3";
import fc from "fast-check";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { InlineLimits } from "../src/platform/db/inline-limits.js";

interface Db {
  t: { n: number };
}

describe("InlineLimits (SQLite)", () => {
  const raw = new SQLite(":memory:");
  raw.exec("create table t (n integer)");
  const insert = raw.prepare("insert into t (n) values (?)");
  for (let n = 1; n <= 50; n++) insert.run(n);
  const plain = new Kysely<Db>({ dialect: new SqliteDialect({ database: raw }) });
  const inlined = new Kysely<Db>({ dialect: new SqliteDialect({ database: raw }), plugins: [new InlineLimits()] });
  afterAll(() => plain.destroy());

  it("writes a whole-number limit into the statement and answers what the bound limit answers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 50 }), async (limit, above) => {
        const query = (db: Kysely<Db>) => db.selectFrom("t").select("n").where("n", ">", above).orderBy("n", "desc").limit(limit);
        const compiled = query(inlined).compile();
        expect(compiled.sql).toMatch(new RegExp(`limit ${limit}$`));
        expect(compiled.parameters).toEqual([above]);
        expect(await query(inlined).execute()).toEqual(await query(plain).execute());
      }),
      { numRuns: 80 },
    );
  });

  it("leaves any other limit bound", () => {
    for (const limit of [sql<number>`${2} + 1`, 2.5, -1]) {
      const compiled = inlined
        .selectFrom("t")
        .select("n")
        .limit(limit as number)
        .compile();
      expect(compiled.sql).not.toMatch(/limit -?[\d.]+$/);
      expect(compiled.parameters.length).toBeGreaterThan(0);
    }
  });
});
