import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteEngine } from "../dialects/sqlite.js";
import type { Engine } from "../engine.js";
import { AUTO_CHECKPOINT_PAGES, SAFETY_NET_PAGES } from "./wal-checkpointer.js";

describe("WAL checkpoints on a worker thread", () => {
  let dir: string;
  let engine: Engine;
  const file = () => join(dir, "custodia.db");
  const autoCheckpoint = async () =>
    Number((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(engine.db)).rows[0]!.wal_autocheckpoint);
  const write = (rows: number) =>
    engine.runTransaction(async (tx) => {
      for (let i = 0; i < rows; i++) await sql`insert into notes (body) values (${"x".repeat(500)})`.execute(tx);
    });

  /** Rows in the database file copied without its WAL: only a checkpoint can have put them there. */
  const rowsInFileAlone = (): number => {
    const alone = join(dir, "alone.db");
    copyFileSync(file(), alone);
    const copy = new SQLite(alone, { readonly: true });
    try {
      return (copy.prepare("select count(*) as n from notes").get() as { n: number }).n;
    } catch {
      return 0; // the table itself is not in the file yet
    } finally {
      copy.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "custodia-wal-"));
    engine = createSqliteEngine({ file: file() });
    await sql`create table notes (id integer primary key, body text not null)`.execute(engine.db);
  });
  afterEach(async () => {
    await engine.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies committed pages into the database file, so the file alone holds them", async () => {
    const checkpointer = engine.checkpointInBackground!();
    await write(200);
    const report = await checkpointer.checkpoint();
    expect(report.walFrames).toBeGreaterThan(0);
    expect(report.copiedFrames).toBe(report.walFrames);
    expect(rowsInFileAlone()).toBe(200);
  });

  it("runs on its own timer: the WAL is copied back without any commit reaching the automatic threshold", async () => {
    engine.checkpointInBackground!();
    await write(200);
    const walBytes = statSync(`${file()}-wal`).size;
    expect(walBytes).toBeGreaterThan(0);
    // Far below the safety net, so the request connection never checkpointed; the thread's timer did.
    await expect.poll(rowsInFileAlone, { timeout: 5_000, interval: 100 }).toBe(200);
  });

  it("raises the request connection's own threshold to a safety net while it runs, and gives it back when stopped", async () => {
    expect(await autoCheckpoint()).toBe(AUTO_CHECKPOINT_PAGES);
    const checkpointer = engine.checkpointInBackground!();
    expect(engine.checkpointInBackground!()).toBe(checkpointer); // one thread per engine
    expect(await autoCheckpoint()).toBe(SAFETY_NET_PAGES);
    await checkpointer.stop();
    expect(await autoCheckpoint()).toBe(AUTO_CHECKPOINT_PAGES);
  });

  it("is not offered for an in-memory database, which no other connection can reach", async () => {
    const memory = createSqliteEngine({ file: ":memory:" });
    try {
      expect(memory.checkpointInBackground).toBeUndefined();
    } finally {
      await memory.destroy();
    }
  });
});
