/** `custodia backup create | verify | restore | ledger-sync`: kept here so the CLI entry point only wires it in. */
import type { Command, Option } from "commander";
import type { RequestContext } from "../../access/policy/actor.js";
import { loadConfig } from "../../platform/config.js";
import type { Services } from "../../platform/services.js";
import { openVaultForBackup } from "../../vault/keys/vault-root.js";
import { keyProviderFor } from "../../vault/providers/index.js";
import { createBackup, restoreBackup, sqliteFile, verifyBackup } from "./backup.js";
import { ledgerPath, syncErasureLedger } from "./erasure-ledger.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

export function addBackupCommands(
  program: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  context: () => RequestContext,
): void {
  const backup = program.command("backup").description("online backups (SQLite; PostgreSQL: pg_dump) that honour erasure");
  const run = (json: boolean, work: () => Promise<{ json: unknown; text: string }>) =>
    work().then(
      (r) => console.log(json ? JSON.stringify(r.json) : r.text),
      (e) => fail(e, json),
    );

  backup
    .command("create")
    .description("write a consistent online snapshot to a new file and update the erasure ledger")
    .requiredOption("--out <file>", "backup file to create (never overwritten)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const config = loadConfig({ dataDir: o.dataDir });
        const r = await withServices(o.dataDir, (s) => createBackup(s, context(), config, o.out));
        return {
          json: r,
          text: `Backed up ${r.clients} clients (${r.erasedClients} erased) to ${r.file}: ${r.bytes} bytes, and ${r.files.blobs} document files (${r.files.bytes} bytes) to ${r.file}.blobs/, in ${r.milliseconds} ms.`,
        };
      }),
    );

  backup
    .command("verify")
    .description("restore a backup into a scratch directory and check integrity, the audit chain and counts")
    .requiredOption("--from <file>")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const config = loadConfig({ dataDir: o.dataDir });
        const r = await verifyBackup(await openVaultForBackup(sqliteFile(config), o.from, keyProviderFor(config, { create: false })), o.from);
        if (!r.ok) process.exitCode = 1;
        return {
          json: r,
          text: `${r.ok ? "OK" : "FAILED"}: integrity ${r.integrity}; audit chain ${r.chain.ok ? `intact (${r.chain.events} events)` : `broken at seq ${r.chain.firstBad?.seq}`}; ${r.clients} clients (${r.erasedClients} erased); document files ${r.files.present}/${r.files.expected} present${r.files.missing ? `, ${r.files.missing} MISSING` : ""}; ${r.milliseconds} ms.`,
        };
      }),
    );

  backup
    .command("restore")
    .description("restore a SQLite backup (stop the server first), re-apply the erasure ledger and verify the audit chain")
    .requiredOption("--from <file>")
    .option("--force", "overwrite the existing database")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const r = await restoreBackup(loadConfig({ dataDir: o.dataDir }), context(), o.from, { force: Boolean(o.force) });
        if (!r.chain.ok) process.exitCode = 1;
        return {
          json: r,
          text: `Restored ${r.verify.clients} clients and ${r.files.restored} document files; ${r.reshredded.length} clients erased since the backup were shredded again (${r.files.purged} of their files and ${r.files.orphans} unrecorded files removed); audit chain ${r.chain.ok ? "intact" : "BROKEN"}.`,
        };
      }),
    );

  backup
    .command("ledger-sync")
    .description("record every erasure in the database in the erasure ledger (run after erasures, e.g. daily)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const config = loadConfig({ dataDir: o.dataDir });
        const added = await withServices(o.dataDir, (s) => syncErasureLedger(s, ledgerPath(config.dataDir)));
        return { json: { added }, text: `Erasure ledger: ${added} entries added.` };
      }),
    );
}
