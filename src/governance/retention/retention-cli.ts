/** `custodia retention sweep`: kept here so the CLI entry point only wires it in. */
import type { Command, Option } from "commander";
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import type { Services } from "../../platform/services.js";
import { retentionSweep } from "./retention-sweeper.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

/** The console acts as compliance for the sweep: it only lists, and its audit event names the console. */
const CONSOLE_COMPLIANCE: Actor = Object.freeze({ userId: "system:console", role: "compliance" });

export function addRetentionCommands(
  program: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  context: (actor: Actor) => RequestContext,
): void {
  const retention = program.command("retention").description("retention schedules and destruction");
  retention
    .command("sweep")
    .description("list clients due for destruction (daily); clients under a legal hold are listed apart. Destruction itself needs an approved batch (API)")
    .option("--as-of <iso>", "preview the sweep at another time")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const asOf = o.asOf ? new Date(o.asOf).toISOString() : new Date().toISOString();
        const r = await withServices(o.dataDir, (s) => retentionSweep(s, context(CONSOLE_COMPLIANCE), asOf));
        if (o.json) return console.log(JSON.stringify(r));
        console.log(`As of ${r.asOf}: ${r.due.length} clients due for destruction, ${r.held.length} held by a legal hold.`);
        for (const d of r.due) console.log(`  due   ${d.clientId}  since ${d.dueAt.slice(0, 10)}  (${d.recordClasses.join(", ")}; ${d.matters} matters)`);
        for (const h of r.held) console.log(`  held  ${h.clientId}  hold ${h.holdId}`);
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });
}
