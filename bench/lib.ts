/** Shared pieces of the benchmark suite: result shapes, a key provider, timing and temp dirs. */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyProvider } from "../src/vault/key-provider.js";

export interface BenchOptions {
  /** Smaller sizes and shorter runs, for smoke tests. */
  quick: boolean;
  log: (line: string) => void;
}

/** One line of the summary table. `target` null marks an informational line (no pass/fail). */
export interface SummaryRow {
  benchmark: string;
  unit: string;
  ours: number;
  peerLabel: string;
  peer: number;
  /** ours / peer, except for latency lines where it is ours / peer too (lower is better there). */
  ratio: number;
  target: { op: ">=" | "<="; value: number } | null;
}

export interface BenchResult {
  rows: SummaryRow[];
  /** Everything else worth keeping in latest.json (sizes, raw runs, environment). */
  details: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  summary: string;
  run(options: BenchOptions): Promise<BenchResult>;
}

export const met = (row: SummaryRow): boolean | null =>
  row.target === null ? null : row.target.op === ">=" ? row.ratio >= row.target.value : row.ratio <= row.target.value;

/** A master key held in memory: the benchmarks must not depend on, or leave, a key file. */
export class MemoryKeyProvider implements KeyProvider {
  readonly description = "memory:bench";
  readonly #key: Buffer;
  /** Servers sharing one database share the key that opens its vault (bench/servers.ts). */
  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }
  async masterKey(): Promise<Buffer> {
    return this.#key;
  }
}

/** Environment without Custodia settings, so a developer's CUSTODIA_DATABASE_URL never redirects a bench to PostgreSQL. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CUSTODIA_")));
}

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `custodia-bench-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A UUIDv7-shaped id (time-ordered, like the product's ids), for baselines that must write rows
 * with the same B-tree insert pattern as ours without depending on src/ internals.
 */
export function timeOrderedId(): string {
  const ms = Date.now().toString(16).padStart(12, "0");
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${randomUUID().slice(15)}`;
}

export const now = () => Number(process.hrtime.bigint()) / 1e9;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Lets pending I/O and timers run, and gives the GC a moment, between measured phases. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

/**
 * The audit sequencer's delay: from each event's time to the signing of the first checkpoint that
 * covers it. `sequencerDelaySql` reads the pairs on either engine (placeholders `?` or `$n`,
 * for the events' time window); an event still pending has no checkpoint.
 */
export const sequencerDelaySql = (from: string, to: string) =>
  `select e.at as at, (select k.signed_at from audit_checkpoints k where k.seq >= e.position order by k.seq limit 1) as signed_at
     from audit_events e where e.at >= ${from} and e.at <= ${to}`;

export function sequencerDelays(rows: readonly { at: string; signed_at: string | null }[]) {
  const seconds = rows
    .filter((r) => r.signed_at !== null)
    .map((r) => (Date.parse(r.signed_at!) - Date.parse(r.at)) / 1000)
    .sort((a, b) => a - b);
  const at = (q: number) => seconds[Math.min(seconds.length - 1, Math.floor(q * seconds.length))] ?? Number.NaN;
  return { placed: seconds.length, pending: rows.length - seconds.length, p50: at(0.5), p99: at(0.99), max: seconds.at(-1) ?? Number.NaN };
}
