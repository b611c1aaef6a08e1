/**
 * `custodia policies list | unattested | due`: internal policies from the server's console, for the
 * operator who chases attestations or feeds review dates to another calendar. The console acts as
 * compliance; its audit events name the console, not a person.
 */
import type { Command } from "commander";
import { complianceContext, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { listPolicies, policiesDueForReview, policyAttestations } from "./policy-register.js";

export function addPolicyCommands(program: Command): void {
  const policies = program.command("policies").description("internal policies: versions, attestations, reviews (GOV-2)");

  vaultCommand(policies.command("list"))
    .description("every policy with its current version and next review")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listPolicies(s, complianceContext()));
        const text = items
          .map(
            (p) =>
              `${p.id}  ${p.status.padEnd(9)}  v${p.currentVersion ?? "-"}  ${p.nextReviewOn ? `review ${p.nextReviewOn}${p.reviewDue ? " DUE" : ""}` : "no review set"}  ${p.code}  ${p.titleZh}`,
          )
          .join("\n");
        return { data: { items }, text: text || "No policies." };
      }),
    );

  vaultCommand(policies.command("unattested"))
    .description("active staff who have not attested the policy's current version")
    .argument("<id>", "policy id")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const r = await withServices(o.dataDir, (s) => policyAttestations(s, complianceContext(), id));
        const text = r.notAttested.map(
          (u) => `${u.userId}  ${u.role}  last attested ${u.lastAttestedVersion === null ? "never" : `v${u.lastAttestedVersion}`}`,
        );
        return {
          data: { policyId: r.policyId, currentVersion: r.currentVersion, notAttested: r.notAttested },
          text: text.join("\n") || "Everyone has attested.",
        };
      }),
    );

  vaultCommand(policies.command("due"))
    .description("published policies whose review falls due within the given days (default 30) or is overdue")
    .option("--within <days>", "days ahead", "30")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const items = await withServices(o.dataDir, (s) => s.engine.db.transaction().execute((tx) => policiesDueForReview(tx, new Date(), Number(o.within))));
        return {
          data: { items },
          text: items.map((p) => `${p.policyId}  ${p.nextReviewOn}${p.overdue ? " OVERDUE" : ""}  ${p.code}`).join("\n") || "Nothing due.",
        };
      }),
    );
}
