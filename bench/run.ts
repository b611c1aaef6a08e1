/**
 * Benchmark orchestrator: `node --import tsx bench/run.ts [name ...] [--quick]`.
 * Runs the selected benchmarks one after another, prints one summary table, and writes
 * bench/results/latest.json. Each figure is a ratio against a peer measured in the same run
 * (the machine is shared and noisy), so a missed target is reported, never an exit failure;
 * only a broken benchmark (an error, a non-200 response) makes the exit code 1.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus } from "node:os";
import { accessPackageBench } from "./access-package.js";
import { backupBench } from "./backup.js";
import { consoleBench } from "./console.js";
import { cryptoBench } from "./crypto.js";
import { filesBench } from "./files.js";
import { httpBench } from "./http.js";
import { importBench } from "./import.js";
import { fmt, met, now, type Benchmark, type BenchResult, type SummaryRow } from "./lib.js";
import { piiBench } from "./pii.js";
import { policyBench } from "./policy.js";
import { serversBench } from "./servers.js";
import { verifyBench } from "./verify.js";

const BENCHMARKS: readonly Benchmark[] = [
  cryptoBench,
  importBench,
  httpBench,
  serversBench,
  verifyBench,
  policyBench,
  consoleBench,
  accessPackageBench,
  backupBench,
  piiBench,
  filesBench,
];

function usage(): string {
  return [
    "usage: node --import tsx bench/run.ts [--quick] [name ...]",
    "",
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(8)} ${b.summary}`),
    "",
    "  --quick  smaller sizes and shorter runs (smoke test)",
  ].join("\n");
}

function parseArgs(argv: string[]): { quick: boolean; selected: Benchmark[] } {
  const names = argv.filter((a) => !a.startsWith("--"));
  const flags = argv.filter((a) => a.startsWith("--"));
  const unknownFlag = flags.find((f) => f !== "--quick" && f !== "--help");
  const unknownName = names.find((n) => !BENCHMARKS.some((b) => b.name === n));
  if (flags.includes("--help") || unknownFlag || unknownName) {
    if (unknownFlag || unknownName) console.error(`unknown argument: ${unknownFlag ?? unknownName}\n`);
    console.error(usage());
    process.exit(unknownFlag || unknownName ? 2 : 0);
  }
  return { quick: flags.includes("--quick"), selected: names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : [...BENCHMARKS] };
}

// A zero peer (autocannon reports latency in whole milliseconds) gives no meaningful ratio.
const ratioText = (r: SummaryRow) => (Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : "n/a");
const targetText = (r: SummaryRow) => (r.target ? `${r.target.op === ">=" ? "≥" : "≤"} ${r.target.value}x` : "info");
const metText = (r: SummaryRow) => ({ true: "yes", false: "NO", null: "–" })[String(met(r)) as "true" | "false" | "null"];

function table(rows: SummaryRow[], failures: { name: string; error: string }[]): string {
  const body = [
    ["benchmark", "ours", "peer / baseline", "ratio", "target", "met"],
    ...rows.map((r) => [
      r.benchmark,
      `${fmt(r.ours, r.ours < 100 ? 1 : 0)} ${r.unit}`,
      `${fmt(r.peer, r.peer < 100 ? 1 : 0)} ${r.unit} (${r.peerLabel})`,
      ratioText(r),
      targetText(r),
      metText(r),
    ]),
    ...failures.map((f) => [f.name, "ERROR", f.error.slice(0, 60), "", "", "NO"]),
  ];
  const widths = body[0]!.map((_, c) => Math.max(...body.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 || c === 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(body[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...body.slice(1).map(line)].join("\n");
}

async function main() {
  const { quick, selected } = parseArgs(process.argv.slice(2));
  const started = now();
  const results: Record<string, BenchResult & { seconds: number }> = {};
  const failures: { name: string; error: string }[] = [];

  for (const bench of selected) {
    console.log(`\n== ${bench.name}${quick ? " (quick)" : ""}: ${bench.summary}`);
    const t0 = now();
    try {
      const result = await bench.run({ quick, log: (line) => console.log(`   ${line}`) });
      results[bench.name] = { ...result, seconds: Math.round((now() - t0) * 10) / 10 };
      for (const row of result.rows) {
        console.log(`   ${row.benchmark}: ${fmt(row.ours, 1)} ${row.unit} vs ${fmt(row.peer, 1)} (${row.peerLabel}) = ${ratioText(row)}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`   FAILED: ${error instanceof Error ? error.stack : message}`);
      failures.push({ name: bench.name, error: message });
    }
  }

  const rows = Object.values(results).flatMap((r) => r.rows);
  const seconds = Math.round(now() - started);
  console.log(`\nSummary (${quick ? "quick" : "full"} run, ${seconds}s; ratios against peers measured in this run)\n`);
  console.log(table(rows, failures));

  const out = join(dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        mode: quick ? "quick" : "full",
        seconds,
        machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" },
        summary: rows.map((r) => ({ ...r, met: met(r) })),
        failures,
        benchmarks: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nresults: ${out}`);
  if (failures.length) process.exitCode = 1;
}

await main();
