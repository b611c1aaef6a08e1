/**
 * policy: what the need-to-know policy adds to an audited GET /api/v1/clients/{id} in a firm with
 * many matters and ethical walls. Two Custodia servers in child processes: a partner reading (no
 * matter or wall lookups decide anything) and a lawyer who reaches each client through a matter,
 * with 10,000 matters and 100 walls in the database. Alternating runs; medians; target: < 1 ms
 * added at p99.
 */
import { fmt, median, settle, tempDir, type Benchmark } from "./lib.js";
import { load, startServer, stopServer, type Server } from "./http.js";

export const policyBench: Benchmark = {
  name: "policy",
  summary: "p99 added by need-to-know checks with 10,000 matters and 100 walls (lawyer vs partner reads)",
  async run({ quick, log }) {
    const matters = quick ? 1000 : 10_000;
    const walls = quick ? 10 : 100;
    const seconds = quick ? 2 : 6;
    const dirs = [tempDir("policy-plain"), tempDir("policy-walls")];
    const servers: Server[] = [];
    try {
      log(`seeding 1,000 clients, ${fmt(matters)} matters and ${walls} walls (takes a while)`);
      const plain = await startServer(["ours", dirs[0]!.path, "1000"]);
      servers.push(plain);
      const walled = await startServer(["ours", dirs[1]!.path, "1000"], { BENCH_POLICY_MATTERS: String(matters), BENCH_POLICY_WALLS: String(walls) });
      servers.push(walled);
      const runs = { plain: [] as { rps: number; p99: number }[], walled: [] as { rps: number; p99: number }[] };
      for (const server of [plain, walled]) await load(server, 1, { authorization: `Bearer ${server.token}`, "x-purpose": "case-handling" }, server.ids!);
      for (let r = 0; r < 2; r++) {
        for (const [side, server] of [
          ["plain", plain],
          ["walled", walled],
        ] as const) {
          await settle();
          const result = await load(server, seconds, { authorization: `Bearer ${server.token}`, "x-purpose": "case-handling" }, server.ids!);
          if (result.non2xx !== 0 || result.errors !== 0)
            throw new Error(`${side}: ${result.non2xx} non-2xx, ${result.errors} errors; ${JSON.stringify(result.statusCodeStats)}`);
          runs[side].push({ rps: result.requests.average, p99: result.latency.p99 });
          log(`round ${r + 1} ${side}: ${fmt(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
        }
      }
      const p99 = { plain: median(runs.plain.map((x) => x.p99)), walled: median(runs.walled.map((x) => x.p99)) };
      const rps = { plain: median(runs.plain.map((x) => x.rps)), walled: median(runs.walled.map((x) => x.rps)) };
      return {
        rows: [
          {
            benchmark: `policy p99 added (${fmt(matters)} matters, ${walls} walls)`,
            unit: "ms",
            ours: p99.walled - p99.plain,
            peerLabel: "1 ms budget",
            peer: 1,
            ratio: (p99.walled - p99.plain) / 1,
            target: { op: "<=", value: 1 },
          },
          {
            benchmark: "policy reads, lawyer vs partner",
            unit: "req/s",
            ours: rps.walled,
            peerLabel: "partner reads",
            peer: rps.plain,
            ratio: rps.walled / rps.plain,
            target: null,
          },
        ],
        details: { matters, walls, seconds, runs },
      };
    } finally {
      for (const s of servers) await stopServer(s);
      for (const d of dirs) d.remove();
    }
  },
};
