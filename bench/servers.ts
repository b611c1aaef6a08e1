/**
 * servers: audited GET /api/v1/clients/{id} served by 1, 2 and 4 Custodia servers on one
 * PostgreSQL schema, each server its own process (bench/http-server.ts), loaded together by
 * autocannon from this process with 10 connections per server. Reports the total req/s per server
 * count (target: 2 servers ≥ 1.6× one), the audit sequencer's delay at that load (from an event's
 * time to the signed checkpoint that covers it; target p99 ≤ 1 s), and where the CPU went —
 * Custodia, PostgreSQL, the load generator — so the bound is named, not guessed.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import pg from "pg";
import { load, type Server, startServer, stopServer } from "./http.js";
import { fmt, median, sequencerDelays, sequencerDelaySql, settle, tempDir, type Benchmark } from "./lib.js";

const POSTGRES_URL = process.env.CUSTODIA_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const COUNTS = [1, 2, 4] as const;
const TICKS_PER_SECOND = 100; // Linux USER_HZ, what /proc/<pid>/stat counts in

/** CPU seconds a process has used, from /proc (0 once it has gone). */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL process on the machine: backends, WAL writer, checkpointer. */
function postgresPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, "utf8").trim() === "postgres";
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface CpuSplit {
  custodia: number;
  postgres: number;
  loadGenerator: number;
}

/** CPU seconds so far: the servers', this process's, and each PostgreSQL process's by pid. */
function cpuNow(servers: readonly Server[]) {
  const self = process.cpuUsage();
  return {
    custodia: servers.reduce((sum, s) => sum + cpuSeconds(s.child.pid!), 0),
    postgres: new Map(postgresPids().map((pid) => [pid, cpuSeconds(pid)])),
    loadGenerator: (self.user + self.system) / 1e6,
  };
}

/** What each side used between two readings; a backend started meanwhile counts from zero. */
function cpuUsed(before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>): CpuSplit {
  let postgres = 0;
  for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
  return { custodia: after.custodia - before.custodia, postgres, loadGenerator: after.loadGenerator - before.loadGenerator };
}

async function sequencerDelay(client: pg.Client, from: string, to: string) {
  return sequencerDelays((await client.query<{ at: string; signed_at: string | null }>(sequencerDelaySql("$1", "$2"), [from, to])).rows);
}

export const serversBench: Benchmark = {
  name: "servers",
  summary: "audited reads by 1, 2 and 4 servers on one PostgreSQL (2 ≥ 1.6× of 1), sequencer delay p99 ≤ 1 s",
  async run({ quick, log }) {
    const seconds = quick ? 3 : 8;
    const rounds = quick ? 1 : 3;
    const schema = `bench_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.query(`set search_path = ${schema}`);
    const most = Math.max(...COUNTS);
    const dirs = Array.from({ length: most }, () => tempDir("servers"));
    const servers: Server[] = [];
    try {
      const env = { BENCH_DATABASE_URL: POSTGRES_URL, BENCH_DATABASE_SCHEMA: schema, BENCH_MASTER_KEY: randomBytes(32).toString("hex") };
      const first = await startServer(["ours", dirs[0]!.path, "1000"], env);
      servers.push(first);
      for (let i = 1; i < most; i++) servers.push(await startServer(["join", dirs[i]!.path], env));
      const ids = first.ids!;
      const headers = { authorization: `Bearer ${first.token}`, "x-purpose": "case-handling" };
      for (const s of servers) {
        const probe = await fetch(`http://127.0.0.1:${s.port}/api/v1/clients/${ids[0]}`, { headers });
        if (probe.status !== 200) throw new Error(`probe GET on port ${s.port} returned ${probe.status}`);
      }
      log(
        `${servers.length} servers on PostgreSQL schema ${schema}, ${availableParallelism()} cores; ${rounds} round(s) of ${seconds}s per count, 10 connections per server`,
      );
      await Promise.all(servers.map((s) => load(s, 1, headers, ids)));

      const runs: Record<number, { rps: number; p99: number; cpu: CpuSplit; delay: Awaited<ReturnType<typeof sequencerDelay>> }[]> = { 1: [], 2: [], 4: [] };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? COUNTS : [...COUNTS].reverse();
        for (const n of order) {
          const active = servers.slice(0, n);
          await settle();
          const from = new Date().toISOString();
          const before = cpuNow(servers);
          const results = await Promise.all(active.map((s) => load(s, seconds, headers, ids)));
          const after = cpuNow(servers);
          const to = new Date().toISOString();
          for (const result of results)
            if (result.non2xx !== 0 || result.errors !== 0 || result.timeouts !== 0)
              throw new Error(`${n} servers: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
          // The sequencer runs every second: give it three to place what the load left pending.
          await new Promise((resolve) => setTimeout(resolve, 3000));
          const delay = await sequencerDelay(admin, from, to);
          const cpu = cpuUsed(before, after);
          const rps = results.reduce((sum, x) => sum + x.requests.average, 0);
          runs[n]!.push({ rps, p99: Math.max(...results.map((x) => x.latency.p99)), cpu, delay });
          const share = (v: number) => `${Math.round((v / seconds) * 100)}%`;
          log(
            `round ${r + 1}, ${n} server(s): ${fmt(rps)} req/s, p99 ${runs[n]!.at(-1)!.p99} ms; CPU of one core: Custodia ${share(cpu.custodia)}, PostgreSQL ${share(cpu.postgres)}, load generator ${share(cpu.loadGenerator)}; sequencer delay p50 ${delay.p50.toFixed(2)} s, p99 ${delay.p99.toFixed(2)} s, max ${delay.max.toFixed(2)} s over ${fmt(delay.placed)} events, ${delay.pending} still pending`,
          );
          if (delay.pending > 0) throw new Error(`${delay.pending} events still pending 3 s after the load`);
        }
      }
      const rps = (n: number) => median(runs[n]!.map((x) => x.rps));
      const delayP99 = Math.max(...Object.values(runs).flatMap((xs) => xs.map((x) => x.delay.p99)));
      return {
        rows: [
          {
            benchmark: "2 servers vs 1 on PostgreSQL",
            unit: "req/s",
            ours: rps(2),
            peerLabel: "1 server",
            peer: rps(1),
            ratio: rps(2) / rps(1),
            target: { op: ">=", value: 1.6 },
          },
          { benchmark: "4 servers vs 1 on PostgreSQL", unit: "req/s", ours: rps(4), peerLabel: "1 server", peer: rps(1), ratio: rps(4) / rps(1), target: null },
          {
            benchmark: "sequencer delay p99 (worst count)",
            unit: "s",
            ours: delayP99,
            peerLabel: "target",
            peer: 1,
            ratio: delayP99,
            target: { op: "<=", value: 1 },
          },
        ],
        details: { cores: availableParallelism(), seconds, rounds, clients: ids.length, runs },
      };
    } finally {
      for (const s of servers) await stopServer(s);
      for (const d of dirs) d.remove();
      await admin.query(`drop schema ${schema} cascade`).catch(() => {});
      await admin.end();
    }
  },
};
