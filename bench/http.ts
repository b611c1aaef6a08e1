/**
 * http: authenticated, purpose-checked, audited GET /api/v1/clients/{id} vs a bare Fastify route
 * returning a small JSON object, both in child processes (bench/http-server.ts), driven by
 * autocannon from this process. A third child serves the same code with detection off
 * (BENCH_DETECTION=off), so detection's own cost is a ratio of two otherwise identical servers
 * (issue #6: audited reads/s with all rules on ≥ 90% of off). Bare, ours and ours-without-detection
 * alternate (the order of the two Custodia sides flips each round); medians are reported.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { cleanEnv, fmt, median, sequencerDelays, sequencerDelaySql, settle, tempDir, type Benchmark } from "./lib.js";

const ROOT = join(import.meta.dirname, "..");
const CONNECTIONS = 10;

export interface Server {
  child: ChildProcess;
  port: number;
  token: string | null;
  ids: string[] | null;
}

export async function startServer(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench/http-server.ts"), ...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`http-server ${args[0]} exited with ${code} before listening`)));
  });
  // Keep draining: a child whose stdout pipe fills up would stall on its next log line.
  lines.on("line", (line) => console.error(`   [${args[0]} server] ${line}`));
  return { child, ...(JSON.parse(first) as Omit<Server, "child">) };
}

/** Ends a child we started: closing its stdin asks it to stop; SIGTERM by pid if it lingers. */
export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.stdin!.end();
  const timer = setTimeout(() => server.child.kill("SIGTERM"), 3000);
  await exited;
  clearTimeout(timer);
}

/** One autocannon run; requests cycle over the client ids so no single row stays hot. */
export async function load(server: Server, seconds: number, headers: Record<string, string>, ids: string[]) {
  let i = 0;
  return autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: `/api/v1/clients/${ids[i++ % ids.length]}` }) }],
  });
}

/** The sequencer's delay over the events the server wrote since `from`, read from its SQLite file. */
function sequencerDelayOf(file: string, from: string) {
  const db = new SQLite(file, { readonly: true });
  try {
    return sequencerDelays(db.prepare(sequencerDelaySql("?", "?")).all(from, new Date().toISOString()) as { at: string; signed_at: string | null }[]);
  } finally {
    db.close();
  }
}

export const httpBench: Benchmark = {
  name: "http",
  summary: "audited GET /api/v1/clients/{id} vs a bare Fastify route, autocannon, 10 connections",
  async run({ quick, log }) {
    const seconds = quick ? 2 : 8;
    const warmup = quick ? 1 : 2;
    const rounds = quick ? 3 : 4;
    const dir = tempDir("http");
    const dirOff = tempDir("http-nodetect");
    const servers: Server[] = [];
    try {
      const ours = await startServer(["ours", dir.path, "1000"]);
      servers.push(ours);
      const bare = await startServer(["bare"]);
      servers.push(bare);
      const off = await startServer(["ours", dirOff.path, "1000"], { BENCH_DETECTION: "off" });
      servers.push(off);
      const ids = ours.ids!;
      const headers = { authorization: `Bearer ${ours.token}`, "x-purpose": "case-handling" };
      const offHeaders = { authorization: `Bearer ${off.token}`, "x-purpose": "case-handling" };

      // One real request first: the benchmark is void unless ours answers with the client asked for.
      const probe = await fetch(`http://127.0.0.1:${ours.port}/api/v1/clients/${ids[0]}`, { headers });
      const body = (await probe.json()) as { id?: string };
      if (probe.status !== 200 || body.id !== ids[0]) throw new Error(`probe GET returned ${probe.status}: ${JSON.stringify(body).slice(0, 200)}`);

      log(`warm-up ${warmup}s each; then ${rounds} rounds of bare/ours/no-detection, ${seconds}s each, ${CONNECTIONS} connections, ${ids.length} clients`);
      await load(bare, warmup, headers, ids);
      await load(ours, warmup, headers, ids);
      await load(off, warmup, offHeaders, off.ids!);

      const measuredFrom = new Date().toISOString();
      const runs = { ours: [] as { rps: number; p99: number }[], bare: [] as { rps: number; p99: number }[], off: [] as { rps: number; p99: number }[] };
      const sides = { bare: { server: bare, headers, ids }, ours: { server: ours, headers, ids }, off: { server: off, headers: offHeaders, ids: off.ids! } };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? (["bare", "ours", "off"] as const) : (["bare", "off", "ours"] as const);
        for (const side of order) {
          const { server, headers: h, ids: sideIds } = sides[side];
          await settle();
          const result = await load(server, seconds, h, sideIds);
          // Any error or non-200 means we measured failures, not reads: fail loudly.
          if (result.non2xx !== 0 || result.errors !== 0 || result.timeouts !== 0) {
            throw new Error(
              `${side}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; status codes ${JSON.stringify(result.statusCodeStats)}`,
            );
          }
          runs[side].push({ rps: result.requests.average, p99: result.latency.p99 });
          log(`round ${r + 1} ${side}: ${fmt(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ${fmt(result.requests.total)} requests, all 200`);
        }
      }

      // The sequencer runs every second: three more place what the last round left pending.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const delay = sequencerDelayOf(join(dir.path, "custodia.db"), measuredFrom);
      log(
        `sequencer delay under this load: p50 ${delay.p50.toFixed(2)} s, p99 ${delay.p99.toFixed(2)} s, max ${delay.max.toFixed(2)} s over ${fmt(delay.placed)} events, ${delay.pending} still pending`,
      );
      if (delay.pending > 0) throw new Error(`${delay.pending} events still pending 3 s after the load`);
      const rps = { ours: median(runs.ours.map((x) => x.rps)), bare: median(runs.bare.map((x) => x.rps)), off: median(runs.off.map((x) => x.rps)) };
      const p99 = { ours: median(runs.ours.map((x) => x.p99)), bare: median(runs.bare.map((x) => x.p99)) };
      return {
        rows: [
          {
            benchmark: "http GET client (audited)",
            unit: "req/s",
            ours: rps.ours,
            peerLabel: "bare fastify",
            peer: rps.bare,
            ratio: rps.ours / rps.bare,
            target: { op: ">=", value: 0.4 },
          },
          {
            benchmark: "http detection on vs off",
            unit: "req/s",
            ours: rps.ours,
            peerLabel: "detection off",
            peer: rps.off,
            ratio: rps.ours / rps.off,
            target: { op: ">=", value: 0.9 },
          },
          {
            benchmark: "sequencer delay p99 (SQLite)",
            unit: "s",
            ours: delay.p99,
            peerLabel: "target",
            peer: 1,
            ratio: delay.p99,
            target: { op: "<=", value: 1 },
          },
          {
            benchmark: "http p99 latency",
            unit: "ms",
            ours: p99.ours,
            peerLabel: "bare fastify",
            peer: p99.bare,
            ratio: p99.bare > 0 ? p99.ours / p99.bare : Number.NaN,
            target: null,
          },
        ],
        details: { connections: CONNECTIONS, seconds, warmup, rounds, clients: ids.length, runs, sequencerDelay: delay },
      };
    } finally {
      for (const s of servers) await stopServer(s);
      dir.remove();
      dirOff.remove();
    }
  },
};
