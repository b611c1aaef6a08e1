/**
 * `custodia disclosures list | show | return-request | confirm`: the disclosure register from the
 * server's console, acting as compliance (audited as `system:console`). Making a disclosure is not
 * here: it takes a staff member's own approved grants, so it goes through the API.
 */
import { type Command, Option } from "commander";
import { AppError } from "../../platform/errors.js";
import { complianceContext, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { listDisclosures, type PresentedDisclosure, readDisclosure } from "./disclosure-queries.js";
import { confirmReturn, requestReturn } from "./disclosure-returns.js";

const line = (d: PresentedDisclosure) =>
  `${d.id}  ${d.createdAt.slice(0, 10)}  ${d.partner.name}  ${d.profile.code}@${d.profile.version}  ${d.purpose}/${d.legalBasis}  ${d.holdings.length} client(s), ${d.holdings.filter((h) => h.status === "held" || h.status === "return_requested").length} outstanding`;

const detail = (d: PresentedDisclosure) =>
  [
    line(d),
    `  fields: ${d.manifest.fields.map((f) => `${f.field}:${f.rule}${f.method ? `/${f.method}` : ""}`).join(", ")}`,
    `  json sha256 ${d.digests.jsonSha256}${d.warnings.length ? `  warnings: ${d.warnings.join(", ")}` : ""}`,
    ...d.holdings.map(
      (h) =>
        `  ${h.clientId}  ${h.status}${h.returnRequestedAt ? `  asked ${h.returnRequestedAt.slice(0, 10)}` : ""}${h.confirmedAt ? `  confirmed ${h.confirmedAt.slice(0, 10)} ${h.confirmationReference}` : ""}`,
    ),
  ].join("\n");

export function addDisclosureCommands(program: Command): void {
  const disclosures = program.command("disclosures").description("what left the firm, to which partner, and whether it came back (RET-3)");

  vaultCommand(disclosures.command("list"))
    .description("disclosures, newest first")
    .option("--partner <id>", "only this partner's")
    .option("--client <id>", "only those including this client")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const items = await withServices(o.dataDir, (s) => listDisclosures(s, complianceContext(), { partnerId: o.partner, clientId: o.client }));
        return { data: { items }, text: items.map(line).join("\n") || "No disclosures." };
      }),
    );

  vaultCommand(disclosures.command("show <id>"))
    .description("one disclosure: fields and forms, digests, and each client's holding status")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const d = await withServices(o.dataDir, (s) => readDisclosure(s, complianceContext(), id));
        return { data: d, text: detail(d) };
      }),
    );

  vaultCommand(disclosures.command("return-request"))
    .description("email the partner a return or deletion request: one disclosure, or everything a partner holds")
    .option("--disclosure <id>", "one disclosure")
    .option("--partner <id>", "everything this partner holds (e.g. the relationship ended)")
    .addOption(new Option("--reason <reason>", "with --partner").choices(["request", "relationship_ended"]).default("request"))
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        if (Boolean(o.disclosure) === Boolean(o.partner)) throw new AppError(400, "validation_error", "Give --disclosure or --partner.");
        const summary = await withServices(o.dataDir, (s) =>
          requestReturn(s, complianceContext(), o.disclosure ? { disclosureId: o.disclosure } : { partnerId: o.partner, reason: o.reason }),
        );
        const emails = summary.partners.reduce((n, p) => n + p.emailsQueued, 0);
        return { data: summary, text: `${summary.holdings.length} holding(s) asked back; ${emails} email(s) queued.` };
      }),
    );

  vaultCommand(disclosures.command("confirm <disclosureId>"))
    .description("record the partner's confirmation that it returned or deleted the rows")
    .addOption(new Option("--kind <kind>").choices(["returned", "deleted"]).makeOptionMandatory())
    .requiredOption("--reference <ref>", "the partner's letter, ticket or certificate number")
    .option("--client <id>", "one client's rows (default: every outstanding row of the disclosure)")
    .option("--at <iso>", "when the partner confirmed (default: now)")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const out = await withServices(o.dataDir, (s) =>
          confirmReturn(s, complianceContext(), id, o.client, { kind: o.kind, reference: o.reference, confirmedAt: o.at ?? new Date().toISOString() }),
        );
        return { data: out, text: out.confirmed.map((c) => `${c.clientId}  ${c.status}`).join("\n") };
      }),
    );
}
