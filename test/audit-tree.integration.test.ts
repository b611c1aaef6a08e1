/**
 * Issue #12, the trust half: the audit log as an RFC 6962 tree with C2SP signed checkpoints.
 * Roots checked against an independent from-scratch computation; inclusion and consistency proofs
 * from the CLI verify; a deleted tail is caught by the checkpoint log kept outside the database;
 * a forged checkpoint is refused; a client's access package verifies offline and fails when one
 * event is altered or dropped.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { checkpointLogPath, readCheckpointLog, syncCheckpointLog } from "../src/platform/audit/checkpoint-log.js";
import { verifyProvenHistory } from "../src/platform/audit/history-verifier.js";
import { formatCheckpoint } from "../src/platform/audit/merkle/checkpoint.js";
import { signNote } from "../src/platform/audit/merkle/note.js";
import { treeRoot, verifyConsistency, verifyInclusion } from "../src/platform/audit/merkle/tree.js";
import { auditLeaf, auditLogKey, openTreeCheckpoint } from "../src/platform/audit/tree-checkpoint.js";
import type { Services } from "../src/platform/services.js";
import { readClient } from "../src/records/clients/client-reader.js";
import { buildAccessPackage } from "../src/rights/requests/access-package.js";
import { runCli } from "./support/cli.js";
import { appendReads, CHECKPOINT_EVERY as CHECKPOINT_INTERVAL, integrate, MANUAL_SEQUENCER } from "./support/audit-events.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit log as a Merkle tree`, () => {
    let db: TestDatabase;
    let services: Services;

    async function freshLog(n: number) {
      db = await createTestDatabase(dialect);
      services = await db.open(MANUAL_SEQUENCER);
      await appendReads(services, n);
    }
    const signHead = () => integrate(services);
    const vkey = () => auditLogKey(services.vault.checkpointPublicKey).vkey;
    const leaves = async () => (await services.engine.db.selectFrom("audit_events").select("hash").orderBy("seq").execute()).map((r) => auditLeaf(r.hash));
    const checkpoints = () => services.engine.db.selectFrom("audit_checkpoints").selectAll().orderBy("seq").execute();
    const exec = (query: ReturnType<typeof sql>) => query.execute(services.engine.db);
    const verify = (outside: string[] = []) => verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey, undefined, outside);
    const withCli = async <T>(work: () => Promise<T>): Promise<T> => {
      await services.close();
      try {
        return await work();
      } finally {
        services = await db.open(MANUAL_SEQUENCER);
      }
    };

    afterEach(async () => {
      await services?.close();
      await db?.cleanup();
    });

    it("signs each checkpoint as a C2SP note whose root is the RFC 6962 root of the events so far", async () => {
      await freshLog(2 * CHECKPOINT_INTERVAL + 45);
      await signHead();
      const all = await leaves();
      const rows = await checkpoints();
      expect(rows.map((r) => Number(r.seq))).toEqual([CHECKPOINT_INTERVAL, 2 * CHECKPOINT_INTERVAL, 2 * CHECKPOINT_INTERVAL + 45]);
      for (const row of rows) {
        const tree = openTreeCheckpoint(row.note!, vkey());
        expect(tree.size).toBe(Number(row.seq));
        // Incremental (frontier) and from-scratch roots agree.
        expect(tree.root.toString("hex")).toBe(treeRoot(all, tree.size).toString("hex"));
        expect(row.tree_root).toBe(tree.root.toString("hex"));
      }
      expect(await verify()).toMatchObject({ ok: true, events: all.length });
    });

    it("proves an event's inclusion and two checkpoints' consistency through the CLI", async () => {
      await freshLog(2 * CHECKPOINT_INTERVAL + 7);
      await signHead();
      const event = await services.engine.db.selectFrom("audit_events").select(["id", "seq", "hash"]).where("seq", "=", 1234).executeTakeFirstOrThrow();
      const key = vkey();
      const proved = await withCli(() => runCli(["audit", "prove", "--event", event.id], db.env));
      expect(proved.status).toBe(0);
      const inclusion = JSON.parse(proved.stdout);
      const tree = openTreeCheckpoint(inclusion.checkpoint.note, key);
      const path = inclusion.proof.map((p: string) => Buffer.from(p, "base64"));
      expect(verifyInclusion(auditLeaf(event.hash), 1233, tree.size, path, tree.root)).toBe(true);
      expect(verifyInclusion(auditLeaf(event.hash), 1232, tree.size, path, tree.root)).toBe(false);

      const consistent = await withCli(() =>
        runCli(["audit", "consistency", "--from", String(CHECKPOINT_INTERVAL), "--to", String(2 * CHECKPOINT_INTERVAL + 7)], db.env),
      );
      expect(consistent.status).toBe(0);
      const c = JSON.parse(consistent.stdout);
      const [older, newer] = [openTreeCheckpoint(c.from.note, key), openTreeCheckpoint(c.to.note, key)];
      const proof = c.proof.map((p: string) => Buffer.from(p, "base64"));
      expect(verifyConsistency(older.size, newer.size, older.root, newer.root, proof)).toBe(true);
      expect(verifyConsistency(older.size, newer.size, newer.root, newer.root, proof)).toBe(false);

      const missing = await withCli(() => runCli(["audit", "consistency", "--from", "5", "--to", String(CHECKPOINT_INTERVAL)], db.env));
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain("checkpoint_not_found");
    });

    it("catches a deleted tail (events and their checkpoints) with the checkpoint log kept outside the database", async () => {
      await freshLog(CHECKPOINT_INTERVAL + 60);
      await signHead();
      const file = checkpointLogPath(db.config.dataDir);
      expect(await syncCheckpointLog(services.engine.db, file)).toBe(2);
      expect(await syncCheckpointLog(services.engine.db, file)).toBe(0);
      // The attacker removes the newest 40 events and the checkpoint that signed them.
      await exec(sql`delete from audit_events where seq > ${CHECKPOINT_INTERVAL + 20}`);
      await exec(sql`delete from audit_checkpoints where seq > ${CHECKPOINT_INTERVAL}`);
      expect((await verify()).ok).toBe(true); // the database alone cannot tell
      expect((await verify(readCheckpointLog(file))).firstBad).toEqual({ seq: CHECKPOINT_INTERVAL + 21, problem: "truncated" });
      const cli = await withCli(() => runCli(["audit", "verify", "--quiet"], db.env));
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain("truncated");
      expect((await withCli(() => runCli(["audit", "verify", "--quiet", "--no-checkpoint-log"], db.env))).status).toBe(0);
      // The server's check reads the same file, on its worker thread.
      const auditor = await buildUser(services, "auditor");
      const { app } = await buildTestServer(services, { checkpointLog: file });
      const res = await app.inject({ method: "GET", url: "/api/v1/audit/verify", headers: auth(auditor.token) });
      expect(res.json()).toMatchObject({ ok: false, firstBad: { seq: CHECKPOINT_INTERVAL + 21, problem: "truncated" } });
      await app.close();
    });

    it("catches an event rewritten with its chain rehashed after the last checkpoint, against the outside log", async () => {
      await freshLog(CHECKPOINT_INTERVAL + 30);
      await signHead();
      const outside = join(db.config.dataDir, "witness.jsonl");
      await syncCheckpointLog(services.engine.db, outside);
      // Rewrite event 1010 and recompute every later hash, as someone with the database could;
      // only the signatures they cannot make stand in the way.
      await exec(sql`delete from audit_checkpoints where seq > ${CHECKPOINT_INTERVAL}`);
      const { eventHash } = await import("../src/platform/audit/chain.js");
      const rows = await services.engine.db.selectFrom("audit_events").selectAll().where("seq", ">=", 1010).orderBy("seq").execute();
      let prev = (await services.engine.db.selectFrom("audit_events").select("hash").where("seq", "=", 1009).executeTakeFirstOrThrow()).hash;
      for (const row of rows) {
        const rewritten = { ...row, purpose: row.seq === 1010 ? "marketing" : row.purpose, prev_hash: prev };
        rewritten.hash = eventHash(rewritten);
        await services.engine.db
          .updateTable("audit_events")
          .set({ purpose: rewritten.purpose, prev_hash: rewritten.prev_hash, hash: rewritten.hash })
          .where("seq", "=", row.seq)
          .execute();
        prev = rewritten.hash;
      }
      expect((await verify()).ok).toBe(true);
      expect((await verify(readCheckpointLog(outside))).firstBad).toEqual({ seq: CHECKPOINT_INTERVAL + 30, problem: "tree_mismatch" });
    });

    it("refuses a checkpoint note signed by another key, or one whose root was changed", async () => {
      await freshLog(CHECKPOINT_INTERVAL + 5);
      const { origin } = auditLogKey(services.vault.checkpointPublicKey);
      const other = generateKeyPairSync("ed25519");
      const otherRaw = other.publicKey.export({ format: "der", type: "spki" }).subarray(-32);
      const forged = signNote(formatCheckpoint({ origin, size: CHECKPOINT_INTERVAL, root: Buffer.alloc(32, 7) }), origin, otherRaw, (m) =>
        sign(null, m, other.privateKey),
      );
      expect((await verify([forged])).firstBad?.problem).toBe("checkpoint_signature");
      await exec(sql`update audit_checkpoints set note = ${forged} where seq = ${CHECKPOINT_INTERVAL}`);
      expect((await verify()).firstBad).toEqual({ seq: CHECKPOINT_INTERVAL, problem: "checkpoint_signature" });
    });

    it("answers an auditor an event's proof over the API, audited; refuses a lawyer and an unknown event", async () => {
      await freshLog(10);
      const { app } = await buildTestServer(services);
      const auditor = await buildUser(services, "auditor");
      const lawyer = await buildUser(services, "lawyer");
      const target = await services.engine.db.selectFrom("audit_events").select(["id", "hash"]).where("seq", "=", 7).executeTakeFirstOrThrow();
      const get = (token: string, id: string) => app.inject({ method: "GET", url: `/api/v1/audit/events/${id}/proof`, headers: auth(token) });
      const res = await get(auditor.token, target.id);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.vkey).toBe(vkey());
      const tree = openTreeCheckpoint(body.checkpoint, vkey());
      expect(body.index).toBe(6);
      expect(
        verifyInclusion(
          auditLeaf(target.hash),
          6,
          tree.size,
          body.proof.map((p: string) => Buffer.from(p, "base64")),
          tree.root,
        ),
      ).toBe(true);
      expect((await get(lawyer.token, target.id)).statusCode).toBe(403);
      expect((await get(auditor.token, "no-such-event")).statusCode).toBe(404);
      const events = await services.engine.db
        .selectFrom("audit_events")
        .select(["action", "outcome", "target_id"])
        .where("action", "=", "audit.prove")
        .orderBy("seq")
        .execute();
      expect(events).toEqual([
        { action: "audit.prove", outcome: "success", target_id: target.id },
        { action: "audit.prove", outcome: "denied", target_id: target.id },
        { action: "audit.prove", outcome: "denied", target_id: "no-such-event" },
      ]);
      await app.close();
    });

    it("gives a client an access history that verifies offline, and fails when one event is altered or dropped", async () => {
      await freshLog(30);
      const partner = await buildUser(services, "partner");
      const client = await buildClient(services, partner.actor);
      for (let i = 0; i < 3; i++) await readClient(services, contextFor(partner.actor), client.id);
      const pkg = await services.engine.db.transaction().execute((tx) => buildAccessPackage(services, tx, "access", client.id, "req-1", "zh-CN", new Date()));
      const history = pkg.accessHistoryProof!;
      expect(history.events.length).toBe(pkg.accessHistory.length);
      expect(history.events.length).toBeGreaterThanOrEqual(4);
      expect(await verifyProvenHistory(history, vkey())).toMatchObject({ ok: true, eventsProven: history.events.length });

      const altered = structuredClone(history);
      altered.events[1]!.event.purpose = "marketing";
      expect((await verifyProvenHistory(altered, vkey())).problems).toEqual([{ problem: "event_not_in_tree", seq: history.events[1]!.event.seq }]);
      const dropped = structuredClone(history);
      dropped.events.splice(2, 1);
      expect((await verifyProvenHistory(dropped, vkey())).problems).toEqual([{ problem: "manifest_mismatch" }]);
      const otherFirm = auditLogKey(generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" }).toString("base64")).vkey;
      expect((await verifyProvenHistory(history, otherFirm)).problems).toEqual([{ problem: "checkpoint_unverified" }]);

      // The standalone CLI check, on the file the client receives.
      const file = join(db.config.dataDir, "package.json");
      writeFileSync(file, JSON.stringify(pkg));
      const ok = await runCli(["audit", "verify-package", file, "--vkey", vkey()], {});
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain(`OK: ${history.events.length} events proven`);
      writeFileSync(file, JSON.stringify({ ...pkg, accessHistoryProof: dropped }));
      const bad = await runCli(["audit", "verify-package", file, "--vkey", vkey()], {});
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("manifest_mismatch");
    });
  });
}
