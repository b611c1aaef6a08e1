/** `custodia tokens audit [--revoke-foreign]`: kept here so the CLI entry point only wires it in. */
import type { Command, Option } from "commander";
import type { RequestContext } from "../../access/policy/actor.js";
import { progressBar } from "../../cli/progress.js";
import type { Services } from "../../platform/services.js";
import { foreignTokens, revocable, revokeForeignTokens, type ForeignToken } from "./token-audit.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

const CREATOR_LABEL = { user: "another user", console: "console (CLI)", unknown: "creator unknown" } as const;

/** One line per token: ids, owner, creator, times. Never a secret or hash. */
const line = (t: ForeignToken) =>
  `cst_${t.id}  owner ${t.ownerEmail} (${t.ownerRole}, ${t.ownerId})  creator ${CREATOR_LABEL[t.creator]}${t.createdBy && t.creator === "user" ? ` ${t.createdBy}` : ""}  created ${t.createdAt}  last use ${t.lastUsedAt ?? "never"}  expires ${t.expiresAt ?? "never"}`;

export function addTokenCommands(
  program: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  context: () => RequestContext,
): void {
  program
    .command("tokens")
    .description("API token oversight")
    .command("audit")
    .description("list live API tokens whose creator is not their owner (made by another user, the console, or unknown); no secrets")
    .option("--revoke-foreign", "revoke those made by another user or of unknown creator, each audited")
    .option("--include-console", "with --revoke-foreign: also revoke tokens the console (CLI) issued for others")
    .option("--json", "machine-readable output")
    .option("--quiet", "no progress bar on stderr")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const result = await withServices(o.dataDir, async (s) => {
          const tokens = await foreignTokens(s, context());
          if (!o.revokeForeign) return { tokens, revoked: 0, skipped: 0 };
          const targets = tokens.filter((t) => revocable(t, Boolean(o.includeConsole)));
          const bar = o.quiet || targets.length === 0 ? null : progressBar("revoke", targets.length);
          const done = await revokeForeignTokens(s, context, targets, (n) => bar?.update(n));
          bar?.stop();
          return { tokens, ...done };
        });
        if (o.json) {
          console.log(JSON.stringify(result));
          return;
        }
        for (const t of result.tokens) console.log(line(t));
        console.log(
          `${result.tokens.length} token(s) not made by their owner.` +
            (o.revokeForeign ? ` Revoked ${result.revoked}${result.skipped ? ` (${result.skipped} already revoked)` : ""}.` : ""),
        );
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });
}
