import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup, restoreBackup, verifyBackup } from "../src/governance/backups/backup.js";
import { ledgerPath, syncErasureLedger } from "../src/governance/backups/erasure-ledger.js";
import { eraseClient } from "../src/records/clients/client-eraser.js";
import { importClients } from "../src/records/clients/client-importer.js";
import { syntheticClients } from "../src/platform/demo/synthetic.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, type TestDatabase } from "./support/dialects.js";
import { buildUser, contextFor, type TestUser } from "./support/factories.js";

const CLIENTS = 500;

/** Every client's decrypted name, or null where its key is gone. */
async function names(services: Services): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  await services.engine.db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom("clients").select(["id", "name_ct"]).execute();
    for (const r of rows) {
      const key = await services.keyRing.openDataKey(tx, r.id);
      out.set(r.id, key && r.name_ct ? services.vault.open(key, { table: "clients", recordId: r.id, field: "name" }, r.name_ct) : null);
    }
  });
  return out;
}

// Backups run in-process on SQLite only (PostgreSQL: pg_dump), so this suite is SQLite's.
describe("sqlite: backups that honour erasure", () => {
  let db: TestDatabase;
  let services: Services;
  let partner: TestUser;
  let before: Map<string, string | null>;
  let ids: string[];
  const file = (name: string) => join(db.config.dataDir, "..", `${db.config.dataDir.split("/").pop()}-${name}.sqlite`);
  const backups: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    services = await db.open();
    partner = await buildUser(services, "partner");
    const next = syntheticClients(7);
    const ctx = contextFor(partner.actor, null);
    ids = await importClients(
      services,
      ctx,
      Array.from({ length: CLIENTS }, () => ({ ...next(), purposes: ["case-handling"] })),
    );
    // Erased before the backup: its key must be missing from the backup file itself.
    await eraseClient(services, ctx, ids[0]!, { reason: "client_request" });
    before = await names(services);
  });
  afterAll(async () => {
    await services?.close();
    for (const f of backups) rmSync(f, { force: true });
    await db?.cleanup();
  });

  it("takes an online backup, verifies it, and leaves erased keys out of it", async () => {
    const out = file("a");
    backups.push(out);
    const report = await createBackup(services, contextFor(partner.actor, null), db.config, out);
    expect(report).toMatchObject({ clients: CLIENTS, erasedClients: 1, ledgerEntriesAdded: 1 });
    const verify = await verifyBackup(services.vault, out);
    expect(verify).toMatchObject({ ok: true, integrity: "ok", clients: CLIENTS, erasedClients: 1 });
    expect(verify.chain.ok).toBe(true);
    console.log(`backup of ${CLIENTS} clients: ${report.milliseconds} ms (${report.bytes} bytes); verify: ${verify.milliseconds} ms`);
    const raw = new SQLite(out, { readonly: true });
    const keys = raw.prepare("select client_id, wrapped_key from data_keys where client_id = ?").get(ids[0]) as { wrapped_key: Buffer | null };
    raw.close();
    expect(keys.wrapped_key).toBeNull();
    await expect(createBackup(services, contextFor(partner.actor, null), db.config, out)).rejects.toThrow(/exists/);
  });

  it("restores an older backup with a client erased since still unreadable and every other client intact", async () => {
    const victim = ids[1]!;
    await eraseClient(services, contextFor(partner.actor, null), victim, { reason: "client_request" });
    await services.close();
    await expect(restoreBackup(db.config, contextFor(partner.actor, null), backups[0]!)).rejects.toThrow(/--force/);
    const report = await restoreBackup(db.config, contextFor(partner.actor, null), backups[0]!, { force: true });
    expect(report.ledgerEntriesAdded).toBe(1);
    expect(report.reshredded).toEqual([victim]);
    expect(report.chain.ok).toBe(true);
    services = await db.open();
    const after = await names(services);
    expect(after.get(victim)).toBeNull();
    expect(after.get(ids[0]!)).toBeNull();
    for (const [id, name] of before) if (id !== victim) expect(after.get(id), id).toBe(name);
    expect([...after.values()].filter((n) => n !== null)).toHaveLength(CLIENTS - 2);
    const row = await services.engine.db.selectFrom("clients").select("status").where("id", "=", victim).executeTakeFirstOrThrow();
    expect(row.status).toBe("erased");
  });

  it("keeps an erasure through restore even when the database itself was lost", async () => {
    const victim = ids[2]!;
    await eraseClient(services, contextFor(partner.actor, null), victim, { reason: "client_request" });
    expect(await syncErasureLedger(services, ledgerPath(db.config.dataDir))).toBe(1);
    await services.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(join(db.config.dataDir, "custodia.db") + suffix, { force: true });
    const report = await restoreBackup(db.config, contextFor(partner.actor, null), backups[0]!);
    expect(report.reshredded.sort()).toEqual([ids[1]!, victim].sort());
    services = await db.open();
    const after = await names(services);
    expect([after.get(ids[0]!), after.get(ids[1]!), after.get(victim)]).toEqual([null, null, null]);
    expect(after.get(ids[3]!)).toBe(before.get(ids[3]!));
  });

  it("refuses a tampered ledger or backup before touching the database", async () => {
    await services.close();
    const ledger = ledgerPath(db.config.dataDir);
    const good = readFileSync(ledger, "utf8");
    const lines = good.trim().split("\n");
    writeFileSync(ledger, `${[lines[0], lines[2]].join("\n")}\n`); // an entry dropped from the middle
    await expect(restoreBackup(db.config, contextFor(partner.actor, null), backups[0]!, { force: true })).rejects.toThrow(/integrity check at line 2/);
    writeFileSync(ledger, good);
    const bad = file("bad");
    backups.push(bad);
    const copy = new SQLite(backups[0]!, { readonly: true });
    await copy.backup(bad);
    copy.close();
    const raw = new SQLite(bad);
    raw.prepare("update audit_events set action = 'client.read' where seq = 3").run();
    raw.close();
    await expect(restoreBackup(db.config, contextFor(partner.actor, null), bad, { force: true })).rejects.toThrow(/failed verification/);
    expect(existsSync(join(db.config.dataDir, "custodia.db"))).toBe(true);
    services = await db.open();
  });
});
