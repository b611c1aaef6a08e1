import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import type { Services } from "../src/platform/services.js";
import { runCli } from "./support/cli.js";
import { appendReads, CHECKPOINT_EVERY as CHECKPOINT_INTERVAL, integrate, MANUAL_SEQUENCER } from "./support/audit-events.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: tamper-evident audit log`, () => {
    let db: TestDatabase;
    let services: Services;

    /** A chain of n events, appended in a few transactions as a busy server would. */
    async function freshChain(n: number) {
      db = await createTestDatabase(dialect);
      services = await db.open(MANUAL_SEQUENCER);
      await appendReads(services, n);
    }
    const verify = () => verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey);
    const exec = (query: ReturnType<typeof sql>) => query.execute(services.engine.db);

    afterEach(async () => {
      await services?.close();
      await db?.cleanup();
    });

    it("verifies an intact chain, with signed checkpoints, through the CLI", async () => {
      await freshChain(CHECKPOINT_INTERVAL + 20);
      expect(await verify()).toMatchObject({ ok: true, events: CHECKPOINT_INTERVAL + 20, pending: 0, checkpoints: 2 });
      await services.close();
      const cli = await runCli(["audit", "verify", "--json"], db.env);
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, events: CHECKPOINT_INTERVAL + 20 });
      services = await db.open(MANUAL_SEQUENCER);
    });

    it("catches an altered event, and the CLI exits non-zero naming it", async () => {
      await freshChain(120);
      await exec(sql`update audit_events set purpose = 'marketing' where seq = 37`);
      expect((await verify()).firstBad).toEqual({ seq: 37, problem: "hash_mismatch" });
      await services.close();
      const cli = await runCli(["audit", "verify"], db.env);
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain("seq 37");
      services = await db.open(MANUAL_SEQUENCER);
    });

    it("catches a deleted event", async () => {
      await freshChain(120);
      await exec(sql`delete from audit_events where seq = 60`);
      expect((await verify()).firstBad).toEqual({ seq: 60, problem: "sequence_gap" });
    });

    it("catches reordered events", async () => {
      await freshChain(120);
      await exec(sql`update audit_events set seq = -1 where seq = 10`);
      await exec(sql`update audit_events set seq = 10 where seq = 11`);
      await exec(sql`update audit_events set seq = 11 where seq = -1`);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.firstBad?.seq).toBe(10);
    });

    it("catches an event re-hashed to cover an edit (the chain link breaks after it)", async () => {
      await freshChain(120);
      const { eventHash } = await import("../src/platform/audit/chain.js");
      const row = await services.engine.db.selectFrom("audit_events").selectAll().where("seq", "=", 70).executeTakeFirstOrThrow();
      const forged = { ...row, outcome: "denied" };
      await services.engine.db
        .updateTable("audit_events")
        .set({ outcome: "denied", hash: eventHash(forged) })
        .where("seq", "=", 70)
        .execute();
      expect((await verify()).firstBad).toEqual({ seq: 71, problem: "broken_link" });
    });

    it("catches removal of the newest events behind a signed checkpoint, and forged checkpoints", async () => {
      await freshChain(CHECKPOINT_INTERVAL + 5);
      await integrate(services);
      await exec(sql`delete from audit_events where seq > ${CHECKPOINT_INTERVAL}`);
      expect((await verify()).firstBad).toEqual({ seq: CHECKPOINT_INTERVAL + 1, problem: "truncated" });
      await exec(sql`update audit_checkpoints set seq = ${CHECKPOINT_INTERVAL - 1} where seq = ${CHECKPOINT_INTERVAL + 5}`);
      expect((await verify()).firstBad?.problem).toBe("checkpoint_signature");
    });
  });
}
