/** `custodia requests remind`: kept here so the CLI entry point only wires it in. */
import type { Command, Option } from "commander";
import type { Services } from "../../platform/services.js";
import { remindRequests } from "./request-reminders.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

export function addRequestCommands(program: Command, dataDirOption: () => Option, withServices: WithServices, fail: (e: unknown, json: boolean) => void): void {
  const requests = program.command("requests").description("client rights requests");
  requests
    .command("remind")
    .description(
      "notify owners of requests entering their reminder window, and of overdue ones; each once per deadline (cron; the server also runs this every minute)",
    )
    .option("--as-of <iso>", "act as if it were this time (testing a schedule)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const now = o.asOf ? new Date(o.asOf) : new Date();
        if (Number.isNaN(now.getTime())) throw new Error("--as-of is not a date");
        const r = await withServices(o.dataDir, (s) => remindRequests(s, now));
        console.log(o.json ? JSON.stringify(r) : `${r.today}: ${r.reminders} reminders and ${r.overdue} overdue notices sent to ${r.notified} recipients.`);
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });
}
