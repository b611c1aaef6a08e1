/**
 * Signed tree checkpoints copied outside the database, one JSON line each. Whoever can rewrite the
 * database can delete its newest events together with their checkpoints; this file (on another
 * disk, or shipped elsewhere by the operator) still holds the larger tree, so `audit verify` then
 * reports the tail as truncated. Only committed checkpoints are copied, after their transaction.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../db/engine.js";

export const checkpointLogPath = (dataDir: string) => join(dataDir, "audit-checkpoints.jsonl");

interface Line {
  size: number;
  note: string;
}

function readLines(file: string): Line[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
}

/** The notes in the file, for verification (an unreadable line is a tampered file: it throws). */
export const readCheckpointLog = (file: string): string[] => readLines(file).map((l) => l.note);

/** Appends the checkpoints newer than the file's last; returns how many. */
export async function syncCheckpointLog(db: Db, file: string): Promise<number> {
  const last = readLines(file).at(-1)?.size ?? 0;
  const rows = await db.selectFrom("audit_checkpoints").select(["seq", "note"]).where("seq", ">", last).where("note", "is not", null).orderBy("seq").execute();
  if (rows.length === 0) return 0;
  appendFileSync(file, `${rows.map((r) => JSON.stringify({ size: Number(r.seq), note: r.note })).join("\n")}\n`, { mode: 0o600 });
  return rows.length;
}
