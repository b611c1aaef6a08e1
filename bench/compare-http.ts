/**
 * Regression check across versions: `node --import tsx bench/compare-http.ts <other checkout> [rounds]`
 * serves the audited GET /clients/{id} from another checkout (e.g. a `git worktree` of the previous
 * release, with node_modules linked) and from this one, and alternates autocannon rounds between them
 * so both see the same machine noise. Prints each round and the ratio of the medians.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { cleanEnv, median, tempDir } from "./lib.js";

async function start(root: string, dir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", `${root}/bench/http-server.ts`, "ours", dir, "1000"], {
    cwd: root,
    env: cleanEnv(),
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((r) => lines.once("line", r));
  lines.on("line", () => {});
  return { child, ...(JSON.parse(first) as { port: number; token: string; ids: string[] }) };
}
const run = (s: { port: number; token: string; ids: string[] }, seconds: number) => {
  let i = 0;
  return autocannon({
    url: `http://127.0.0.1:${s.port}`,
    connections: 10,
    duration: seconds,
    headers: { authorization: `Bearer ${s.token}`, "x-purpose": "case-handling" },
    requests: [{ method: "GET", setupRequest: (r) => ({ ...r, path: `/api/v1/clients/${s.ids[i++ % s.ids.length]}` }) }],
  });
};
const oldDir = tempDir("ab-old"),
  newDir = tempDir("ab-new");
const other = process.argv[2];
if (!other) throw new Error("usage: compare-http.ts <other checkout> [rounds]");
const old = await start(other, oldDir.path);
const neu = await start(join(import.meta.dirname, ".."), newDir.path);
await run(old, 3);
await run(neu, 3);
const o: number[] = [],
  n: number[] = [],
  op: number[] = [],
  np: number[] = [];
for (let r = 0; r < Number(process.argv[3] ?? 6); r++) {
  const order =
    r % 2
      ? ([
          ["old", old],
          ["new", neu],
        ] as const)
      : ([
          ["new", neu],
          ["old", old],
        ] as const);
  for (const [name, s] of order) {
    const res = await run(s, 8);
    (name === "old" ? o : n).push(res.requests.average);
    (name === "old" ? op : np).push(res.latency.p99);
    console.log(`round ${r + 1} ${name}: ${Math.round(res.requests.average)} req/s p99 ${res.latency.p99} ms non2xx ${res.non2xx}`);
  }
}
console.log(
  `median old ${Math.round(median(o))} req/s (p99 ${median(op)} ms) new ${Math.round(median(n))} req/s (p99 ${median(np)} ms) ratio new/old ${(median(n) / median(o)).toFixed(2)}`,
);
old.child.stdin!.end();
neu.child.stdin!.end();
setTimeout(() => {
  oldDir.remove();
  newDir.remove();
  process.exit(0);
}, 2000);
