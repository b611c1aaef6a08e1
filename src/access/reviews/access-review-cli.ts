/** `custodia access-review start | list | status`: kept here so the CLI entry point only wires it in. */
import type { Command, Option } from "commander";
import type { Actor, RequestContext } from "../policy/actor.js";
import type { Services } from "../../platform/services.js";
import type { PresentedCampaign } from "./access-review.js";
import { startAccessReview } from "./access-review-commands.js";
import { accessReviewStatus, listAccessReviews } from "./access-review-queries.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

/** The console acts as compliance for campaigns; its audit events name the console, not a person. */
const CONSOLE_COMPLIANCE: Actor = Object.freeze({ userId: "system:console", role: "compliance" });

const line = (c: PresentedCampaign) =>
  `${c.id}  ${c.status.padEnd(6)}  due ${c.dueOn}${c.progress.overdue ? " OVERDUE" : ""}  ${c.progress.decided}/${c.progress.total} decided (${c.progress.revoked} revoked, ${c.progress.notReviewed} not reviewed)  ${c.name}`;

export function addAccessReviewCommands(
  program: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  context: (actor: Actor) => RequestContext,
): void {
  const review = program.command("access-review").description("periodic access reviews (recertification)");
  const run = (json: boolean, work: () => Promise<string>) =>
    work().then(
      (out) => console.log(out),
      (e) => fail(e, json),
    );

  review
    .command("start")
    .description("start a campaign: snapshots team memberships, current grants and staff roles, each with its reviewer")
    .requiredOption("--name <name>", "campaign name")
    .requiredOption("--due <date>", "due day, YYYY-MM-DD")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const c = await withServices(o.dataDir, (s) => startAccessReview(s, context(CONSOLE_COMPLIANCE), { name: o.name, dueOn: o.due }));
        return o.json ? JSON.stringify(c) : `Started ${c.id}: ${c.progress.total} items to review by ${c.dueOn}.`;
      }),
    );

  review
    .command("list")
    .description("campaigns with progress and the overdue flag")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      run(Boolean(o.json), async () => {
        const items = await withServices(o.dataDir, (s) => listAccessReviews(s, context(CONSOLE_COMPLIANCE)));
        return o.json ? JSON.stringify({ items }) : items.length ? items.map(line).join("\n") : "No access review campaigns.";
      }),
    );

  review
    .command("status")
    .description("one campaign's progress, by kind of item")
    .argument("<id>", "campaign id")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((id: string, o) =>
      run(Boolean(o.json), async () => {
        const c = await withServices(o.dataDir, (s) => accessReviewStatus(s, context(CONSOLE_COMPLIANCE), id));
        if (o.json) return JSON.stringify({ ...c, items: undefined });
        const byKind = ["matter_member", "grant", "role"].map((k) => {
          const of = c.items.filter((i) => i.kind === k);
          return `  ${k.padEnd(13)} ${of.filter((i) => i.decision === "keep" || i.decision === "revoke").length}/${of.length} decided`;
        });
        return [line(c), ...byKind].join("\n");
      }),
    );
}
