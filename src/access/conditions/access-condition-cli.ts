/** `custodia user set-supervisor | agreement | training`: kept here so the CLI entry point only wires it in. */
import type { Command, Option } from "commander";
import type { Actor } from "../policy/actor.js";
import { CONSOLE_ACTOR_ID } from "../policy/predicates.js";
import type { Services } from "../../platform/services.js";
import { CONSOLE_OPERATOR } from "../../identity/users/user-admin.js";

/**
 * Agreement and training are compliance's records (they unlock L3+ data): at the server's console
 * the operator records them in compliance's stead, as for retention and access reviews.
 */
export const CONSOLE_COMPLIANCE: Actor = Object.freeze({ userId: CONSOLE_ACTOR_ID, role: "compliance" });
import { recordAgreement, recordTraining, setSupervisor } from "./access-condition-commands.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

export function addAccessConditionCommands(
  user: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  requestId: () => string,
): void {
  const run = (json: boolean, work: () => Promise<string>) =>
    work().then(
      (line) => console.log(line),
      (e) => fail(e, json),
    );

  user
    .command("set-supervisor")
    .description("set a staff user's supervisor (their approver for disclosures); --supervisor none clears it")
    .requiredOption("--email <email>")
    .requiredOption("--supervisor <email>", "the supervisor's email, or none")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const sup = o.supervisor === "none" ? null : { email: o.supervisor as string };
        const r = await withServices(o.dataDir, (s) => setSupervisor(s, CONSOLE_OPERATOR, requestId(), { email: o.email }, sup));
        return o.json ? JSON.stringify({ email: o.email, ...r }) : `${o.email}: supervisor ${sup ? o.supervisor : "cleared"}.`;
      }),
    );

  user
    .command("agreement")
    .description("record a signed confidentiality agreement (an access condition for L3+ data)")
    .requiredOption("--email <email>")
    .option("--version <version>", "published staff NDA version (default: the current one)")
    .option("--signed-at <date>", "YYYY-MM-DD (default: now)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const r = await withServices(o.dataDir, (s) =>
          recordAgreement(
            s,
            CONSOLE_COMPLIANCE,
            requestId(),
            { email: o.email },
            { version: o.version === undefined ? undefined : Number(o.version), signedAt: o.signedAt },
          ),
        );
        return o.json
          ? JSON.stringify({ email: o.email, ...r })
          : `${o.email}: agreement v${r.agreement?.version} recorded; access conditions ${r.met ? "met" : "not met"}.`;
      }),
    );

  user
    .command("training")
    .description("record completed privacy training (an access condition for L3+ data)")
    .requiredOption("--email <email>")
    .requiredOption("--expires <date>", "YYYY-MM-DD, valid through that day (UTC)")
    .option("--completed <date>", "YYYY-MM-DD (default: now)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const r = await withServices(o.dataDir, (s) =>
          recordTraining(s, CONSOLE_COMPLIANCE, requestId(), { email: o.email }, { expiresOn: o.expires, completedAt: o.completed }),
        );
        return o.json
          ? JSON.stringify({ email: o.email, ...r })
          : `${o.email}: training recorded until ${o.expires}; access conditions ${r.met ? "met" : "not met"}.`;
      }),
    );
}
