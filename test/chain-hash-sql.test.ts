import SQLite from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chainHash, eventHash, HASHED_COLUMNS } from "../src/platform/audit/chain.js";
import { SQLITE_HASH_INPUT } from "../src/platform/audit/chain-rows.js";

/**
 * The threaded walk on SQLite hashes text that SQLite builds (SQLITE_HASH_INPUT); everything else
 * hashes chain.ts's eventHashInput. If the two ever differed, an edit could pass on one path and
 * fail on the other, so they must agree on any row a file could hold — NULLs in any column
 * (a tampered file need not keep NOT NULL), separators and U+0000 inside values, any Unicode.
 */
describe("SQLite's hashed text for an audit event", () => {
  const db = new SQLite(":memory:");
  // No constraints: whatever an attacker could write into the file.
  db.exec(`create table audit_events (${HASHED_COLUMNS.map((c) => `"${c}" ${c === "seq" ? "integer" : "text"}`).join(", ")})`);
  const insert = db.prepare(`insert into audit_events values (${HASHED_COLUMNS.map(() => "?").join(", ")})`);
  const hashed = db.prepare(`select ${SQLITE_HASH_INPUT} as input from audit_events`).pluck();

  const text = fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: fc.constantFrom("\u001f", "\u0000", "a", "é", "张") }));
  const event = fc.record(
    Object.fromEntries(HASHED_COLUMNS.map((c) => [c, c === "seq" ? fc.maxSafeNat() : fc.option(text, { freq: 3 })])) as Record<
      (typeof HASHED_COLUMNS)[number],
      fc.Arbitrary<unknown>
    >,
  );

  it("hashes to the same chain hash as eventHashInput, for any row", () => {
    fc.assert(
      fc.property(event, (e) => {
        db.exec("delete from audit_events");
        insert.run(...HASHED_COLUMNS.map((c) => e[c]));
        expect(chainHash(hashed.get() as string)).toBe(eventHash(e as Parameters<typeof eventHash>[0]));
      }),
      { numRuns: 500 },
    );
  });

  it("differs when any one column differs", () => {
    const base = Object.fromEntries(HASHED_COLUMNS.map((c) => [c, c === "seq" ? 7 : `v-${c}`]));
    const hashOf = (row: Record<string, unknown>) => {
      db.exec("delete from audit_events");
      insert.run(...HASHED_COLUMNS.map((c) => row[c]));
      return chainHash(hashed.get() as string);
    };
    const original = hashOf(base);
    for (const c of HASHED_COLUMNS) expect(hashOf({ ...base, [c]: c === "seq" ? 8 : `${base[c]}!` })).not.toBe(original);
  });
});
