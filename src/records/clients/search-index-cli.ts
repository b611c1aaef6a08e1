/**
 * `custodia clients reindex`: rebuilds the prefix, surname and tail search tokens of every active
 * client (search-tokens.ts). Start-up already writes the tokens of clients that have none; this is
 * for after a restore from an old backup or a bulk load that bypassed the commands. The tokens
 * hold no personal data and the run writes no audit event: it reads names to rebuild an index
 * and shows nobody anything.
 */
import type { Command } from "commander";
import { dataDirOption, runCommand, withServices } from "../../cli/command-runner.js";
import { backfillSearchTokens } from "./search-tokens.js";

export function addClientIndexCommands(program: Command): void {
  const clients = program.commands.find((c) => c.name() === "clients") ?? program.command("clients").description("client records");
  clients
    .command("reindex")
    .description("rebuild the name-prefix and tail search tokens of every active client")
    .addOption(dataDirOption())
    .option("--json", "print the result as JSON")
    .action((o: { dataDir?: string; json?: boolean }) =>
      runCommand(o.json ?? false, async () => {
        const clients = await withServices(o.dataDir, (s) => backfillSearchTokens(s.engine.db, s.keyRing, { all: true }));
        return { data: { clients }, text: `Reindexed ${clients} clients.` };
      }),
    );
}
