/**
 * `custodia audit prove|consistency|verify-package|key`: the transparency-log side of the audit
 * log (issue #12). Proofs are read from the data directory's database, as `audit verify` is, by
 * the operator who holds it; `verify-package` needs nothing but the file and the firm's key.
 */
import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";
import type { Services } from "../services.js";
import { ProofUnavailableError, proveConsistency, proveEvent } from "./audit-proofs.js";
import { type ProvenHistory, verifyProvenHistory } from "./history-verifier.js";
import { auditLogKey } from "./tree-checkpoint.js";
import { pushToWitnesses, witnessesFromEnv } from "./witness.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

const nonNegative = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`not a tree size: ${v}`);
  return n;
};

async function answer(work: () => Promise<unknown>): Promise<void> {
  try {
    console.log(JSON.stringify(await work(), null, 2));
  } catch (error) {
    if (!(error instanceof ProofUnavailableError)) throw error;
    console.error(`No proof: ${error.code}`);
    process.exitCode = 1;
  }
}

export function addAuditTreeCommands(audit: Command, dataDirOption: () => Option, withServices: WithServices): void {
  audit
    .command("key")
    .description("print the log's verifier key (publish it: clients and witnesses check checkpoints against it)")
    .addOption(dataDirOption())
    .action(async (o) => console.log(await withServices(o.dataDir, async (s) => auditLogKey(s.vault.checkpointPublicKey).vkey)));

  audit
    .command("prove")
    .description("an event's inclusion proof under the latest signed checkpoint, as JSON")
    .requiredOption("--event <id>", "the audit event's id")
    .addOption(dataDirOption())
    .action((o) => answer(() => withServices(o.dataDir, (s) => proveEvent(s.engine.db, o.event))));

  audit
    .command("consistency")
    .description("a consistency proof between two signed checkpoints (tree sizes), as JSON")
    .requiredOption("--from <n>", "the older checkpoint's tree size", nonNegative)
    .requiredOption("--to <m>", "the newer checkpoint's tree size", nonNegative)
    .addOption(dataDirOption())
    .action((o) => answer(() => withServices(o.dataDir, (s) => proveConsistency(s.engine.db, o.from, o.to))));

  audit
    .command("verify-package")
    .description("check a client's access package offline: each event proven into a signed checkpoint, none dropped")
    .argument("<file>", "the access package (JSON) or its accessHistoryProof")
    .option("--vkey <key>", "the firm's published verifier key (default: the one in the file, which proves less)")
    .option("--json", "machine-readable output")
    .action(async (file: string, o) => {
      const parsed = JSON.parse(readFileSync(file, "utf8"));
      const history: ProvenHistory = parsed?.accessHistoryProof ?? parsed;
      const verdict = await verifyProvenHistory(history, o.vkey ?? history?.vkey);
      if (o.json) console.log(JSON.stringify(verdict));
      else if (verdict.ok) {
        console.log(`OK: ${verdict.eventsProven} events proven in the signed tree of ${verdict.treeSize} events; none dropped.`);
        if (!o.vkey) console.log("Note: checked against the key inside the file; pass --vkey with the firm's published key.");
      } else console.error(`FAILED: ${verdict.problems.map((p) => (p.seq ? `${p.problem} (event ${p.seq})` : p.problem)).join(", ")}`);
      if (!verdict.ok) process.exitCode = 1;
    });

  audit
    .command("witness")
    .description("push the latest signed checkpoint to the witnesses in CUSTODIA_AUDIT_WITNESSES and print what each answered")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      const witnesses = witnessesFromEnv();
      if (witnesses.length === 0) {
        console.error("No witnesses: set CUSTODIA_AUDIT_WITNESSES to `<witness verifier key> <https URL>` pairs separated by `;`.");
        process.exitCode = 2;
        return;
      }
      const outcomes = await withServices(o.dataDir, (s) => pushToWitnesses(s, witnesses));
      if (o.json) console.log(JSON.stringify(outcomes));
      else
        for (const r of outcomes)
          console.log(`${r.witness}: ${r.outcome}${"size" in r ? ` (tree size ${r.size})` : ""}${"reason" in r ? ` (${r.reason})` : ""}`);
      if (outcomes.some((r) => r.outcome === "refused")) process.exitCode = 1;
    });
}
