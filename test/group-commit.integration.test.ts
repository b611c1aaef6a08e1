import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Tx } from "../src/platform/db/engine.js";
import { DIALECTS, servicesSuite } from "./support/dialects.js";

/**
 * Units of work through `engine.runTransaction` (src/platform/db/group-commit.ts on SQLite): each
 * commits or fails on its own, and settles only once what it wrote is committed, seen from another
 * connection (`engine.reader`). On SQLite, units that arrive together share one commit.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: units of work`, () => {
    const suite = servicesSuite(dialect);

    const mark = (tx: Tx, actor: string, target: string) =>
      tx.insertInto("detection_target_marks").values({ actor_id: actor, action: "group.test", target_id: target, last_at: new Date().toISOString() }).execute();
    const committed = async (actor: string) =>
      (
        await suite.services.engine.reader.selectFrom("detection_target_marks").select("target_id").where("actor_id", "=", actor).orderBy("target_id").execute()
      ).map((r) => r.target_id);

    it("commits each unit that succeeds, rolls back the one that throws, and answers only after the commit", async () => {
      const actor = `${dialect}-many`;
      const targets = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, "0")}`);
      const settled = await Promise.allSettled(
        targets.map((target, i) =>
          suite.services.engine
            .runTransaction(async (tx) => {
              await mark(tx, actor, target);
              if (i === 7) throw new Error("unit seven fails after writing");
              return target;
            })
            // Seen from another connection the moment the unit's promise settles.
            .then(async (value) => ({ value, visible: (await committed(actor)).includes(target) })),
        ),
      );
      const failed = settled.flatMap((s, i) => (s.status === "rejected" ? [i] : []));
      expect(failed).toEqual([7]);
      expect((settled[7] as PromiseRejectedResult).reason).toMatchObject({ message: "unit seven fails after writing" });
      for (const [i, s] of settled.entries()) if (i !== 7) expect(s).toMatchObject({ status: "fulfilled", value: { value: targets[i], visible: true } });
      expect(await committed(actor)).toEqual(targets.filter((_, i) => i !== 7));
    });

    it("runs a unit alone when nothing else arrives", async () => {
      const actor = `${dialect}-alone`;
      await expect(suite.services.engine.runTransaction(async (tx) => (await mark(tx, actor, "x"), "done"))).resolves.toBe("done");
      expect(await committed(actor)).toEqual(["x"]);
    });

    it.runIf(dialect === "sqlite")("groups the units that arrive together into one transaction, committed once", async () => {
      const actor = `${dialect}-grouped`;
      const seen: { inTx: string[]; committed: string[] }[] = [];
      await Promise.all(
        ["a", "b", "c"].map((target) =>
          suite.services.engine.runTransaction(async (tx) => {
            await mark(tx, actor, target);
            const inTx = (await tx.selectFrom("detection_target_marks").select("target_id").where("actor_id", "=", actor).orderBy("target_id").execute()).map(
              (r) => r.target_id,
            );
            seen.push({ inTx, committed: await committed(actor) });
          }),
        ),
      );
      // Each unit sees the ones before it in the shared transaction, and none of them is committed yet.
      expect(seen).toEqual([
        { inTx: ["a"], committed: [] },
        { inTx: ["a", "b"], committed: [] },
        { inTx: ["a", "b", "c"], committed: [] },
      ]);
      expect(await committed(actor)).toEqual(["a", "b", "c"]);
    });

    it.runIf(dialect === "sqlite")("fails every unit of a group whose commit fails, and none of their writes stays", async () => {
      const actor = `${dialect}-commit-fails`;
      const settled = await Promise.allSettled([
        suite.services.engine.runTransaction(async (tx) => {
          await mark(tx, actor, "first");
          return "first";
        }),
        suite.services.engine.runTransaction(async (tx) => {
          // A deferred foreign-key violation passes the unit and fails the group's COMMIT.
          await sql`pragma defer_foreign_keys = on`.execute(tx);
          await sql`insert into sessions (id, user_id, kind, secret_hash, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
            values ('group-test', 'no-such-user', 'console', 'x', 'x', 'x', 'x', 'x')`.execute(tx);
          return "second";
        }),
      ]);
      expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(await committed(actor)).toEqual([]);
      // The engine goes on.
      await suite.services.engine.runTransaction((tx) => mark(tx, actor, "after"));
      expect(await committed(actor)).toEqual(["after"]);
    });
  });
}
