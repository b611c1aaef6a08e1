/**
 * Issue #12: checkpoints pushed to a witness (C2SP tlog-witness). The witness cosigns a checkpoint
 * only if it extends the tree it saw; a rewritten or deleted tail is refused, the refusal audited,
 * and the witness still holds the larger tree — the deleted tail is provable off the premises.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { parseCosignerKey, verifyCosignature } from "../src/platform/audit/merkle/cosignature.js";
import { auditLogKey } from "../src/platform/audit/tree-checkpoint.js";
import { pushToWitnesses, type Witness, witnessesFromEnv } from "../src/platform/audit/witness.js";
import type { Services } from "../src/platform/services.js";
import { appendReads, MANUAL_SEQUENCER } from "./support/audit-events.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { type FakeWitness, startFakeWitness } from "./support/witness-fake.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: audit checkpoints pushed to a witness`, () => {
    let db: TestDatabase;
    let services: Services;
    let witness: FakeWitness;
    let witnesses: Witness[];

    async function start() {
      db = await createTestDatabase(dialect);
      services = await db.open(MANUAL_SEQUENCER);
      witness = await startFakeWitness(auditLogKey(services.vault.checkpointPublicKey).vkey);
      witnesses = witnessesFromEnv({ CUSTODIA_AUDIT_WITNESSES: `${witness.vkey} ${witness.url}` });
    }
    const exec = (query: ReturnType<typeof sql>) => query.execute(services.engine.db);
    const witnessEvents = () =>
      services.engine.db.selectFrom("audit_events").select(["action", "outcome", "reason", "target_id"]).where("action", "=", "audit.witness").execute();

    afterEach(async () => {
      await witness?.close();
      await services?.close();
      await db?.cleanup();
      [witness, services, db] = [undefined!, undefined!, undefined!];
    });

    it("gets the latest checkpoint cosigned, then each later one with a consistency proof", async () => {
      await start();
      await appendReads(services, 120);
      expect(await pushToWitnesses(services, witnesses)).toEqual([{ witness: "witness.test/w1", outcome: "cosigned", size: 120 }]);
      expect(witness.requests.at(-1)).toMatchObject({ old: 0, proofLines: 0, status: 200 });
      expect(await pushToWitnesses(services, witnesses)).toEqual([{ witness: "witness.test/w1", outcome: "up_to_date", size: 120 }]);

      await appendReads(services, 37);
      expect(await pushToWitnesses(services, witnesses)).toEqual([{ witness: "witness.test/w1", outcome: "cosigned", size: 157 }]);
      expect(witness.requests.at(-1)!.old).toBe(120);
      expect(witness.requests.at(-1)!.proofLines).toBeGreaterThan(0);
      expect(witness.state.size).toBe(157);

      // The stored line is a cosignature by the witness's key over the checkpoint of that size.
      const stored = await services.engine.db.selectFrom("audit_cosignatures").selectAll().where("size", "=", 157).executeTakeFirstOrThrow();
      const note = (await services.engine.db.selectFrom("audit_checkpoints").select("note").where("seq", "=", 157).executeTakeFirstOrThrow()).note!;
      const body = note.slice(0, note.lastIndexOf("\n\n") + 1);
      expect(verifyCosignature(body, stored.signature, parseCosignerKey(witness.vkey))).toBeGreaterThan(0);
      expect(verifyCosignature(body.replace("157", "158"), stored.signature, parseCosignerKey(witness.vkey))).toBeNull();
      expect(await witnessEvents()).toEqual([]);
    });

    it("is refused a rewritten tail, even with its own record of the witness wiped, and audits the refusal", async () => {
      await start();
      await appendReads(services, 100);
      await pushToWitnesses(services, witnesses);
      // Someone with the database cuts the newest 30 events, its checkpoints and the cosignatures,
      // and lets new events grow the log past the size the witness saw.
      await exec(sql`delete from audit_events where position > 70`);
      await exec(sql`delete from audit_checkpoints where seq > 70`);
      await exec(sql`delete from audit_cosignatures`);
      await appendReads(services, 50);
      const [outcome] = await pushToWitnesses(services, witnesses);
      expect(outcome).toMatchObject({ outcome: "refused", reason: "inconsistent", status: 422, witnessSize: 100 });
      expect(witness.state.size).toBe(100); // the witness still vouches for the original tree
      expect(await witnessEvents()).toEqual([{ action: "audit.witness", outcome: "failure", reason: "witness_inconsistent", target_id: "witness.test/w1" }]);
    });

    it("reports a witness that saw more than the log now holds (a deleted tail)", async () => {
      await start();
      await appendReads(services, 60); // signed at 60 …
      await appendReads(services, 30); // … and at 90
      await pushToWitnesses(services, witnesses);
      await exec(sql`delete from audit_events where position > 60`);
      await exec(sql`delete from audit_checkpoints where seq > 60`);
      await exec(sql`delete from audit_cosignatures`);
      const [outcome] = await pushToWitnesses(services, witnesses);
      expect(outcome).toMatchObject({ outcome: "refused", reason: "witness_ahead", witnessSize: 90 });
      expect((await witnessEvents()).map((e) => e.reason)).toEqual(["witness_witness_ahead"]);
    });

    it("refuses a malformed witness setting before anything starts", () => {
      expect(() => witnessesFromEnv({ CUSTODIA_AUDIT_WITNESSES: "not-a-key http://example.com" })).toThrow(/CUSTODIA_AUDIT_WITNESSES/);
      expect(() => witnessesFromEnv({ CUSTODIA_AUDIT_WITNESSES: "w+00000000+AAAA http://203.0.113.9/" })).toThrow(/loopback/);
    });
  });
}
