/**
 * `custodia partners list | show | add | assess | contract add | transfer add`: the partner
 * register from the server's console. The console acts as compliance (it holds the master key and
 * keeps the register); its audit events name the console, not a person. Partner contacts are not
 * client data, so no staff token is needed to see them here.
 */
import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { ZodError, type z } from "zod";
import { ValidationError } from "../../platform/errors.js";
import { complianceContext, dataDirOption, runCommand, withServices } from "../../cli/command-runner.js";
import { ART21_OBLIGATIONS, CONTRACT_KINDS, PARTNER_KINDS, PARTNER_STATUSES, PIPL_ROLES, TRANSFER_MECHANISMS } from "./partner.js";
import { assessPartner } from "./partner-assessments.js";
import { addContract } from "./partner-contracts.js";
import { AssessmentInput, ContractInput, PartnerCreateInput, TransferBasisInput } from "./partner-inputs.js";
import { listPartners } from "./partner-lister.js";
import { createPartner, readPartner } from "./partner-register.js";
import { addTransferBasis } from "./partner-transfers.js";
import type { PresentedPartner } from "./partner-view.js";

/** Options checked as the API checks a body: a bad value is a validation_error with its field. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  try {
    return schema.parse(value);
  } catch (error) {
    if (error instanceof ZodError) throw ValidationError(error.issues.map((i) => ({ field: i.path.join("."), code: i.code, message: i.message })));
    throw error;
  }
}

const list = (value: string | undefined) =>
  value
    ? value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

const summary = (p: PresentedPartner) =>
  [
    `${p.name} (${p.id})`,
    `  ${p.kind}, ${p.piplRole}, ${p.jurisdiction}${p.crossBorder ? " (cross-border)" : ""}, status ${p.status}, up to L${p.maxLevel}: ${p.dataCategories.join(", ") || "no categories"}`,
    `  risk ${p.risk ? `${p.risk.level}, re-assess by ${p.risk.reassessmentDueOn}${p.risk.overdue ? " OVERDUE" : ""}` : "not assessed"}`,
    `  ready to receive data: ${p.readiness.ready ? "yes" : `no (${p.readiness.reason})`}`,
    ...p.contracts.map(
      (c) => `  contract ${c.kind} v${c.version} signed ${c.signedOn}${c.expiresOn ? `, expires ${c.expiresOn}` : ""}${c.current ? "" : " (not in force)"}`,
    ),
    ...p.transferBases.map(
      (b) =>
        `  transfer ${b.mechanism} to ${b.destination} ${b.reference} from ${b.validFrom}${b.validUntil ? ` until ${b.validUntil}` : ""}${b.verified ? "" : " UNVERIFIED"}`,
    ),
    ...p.pias.map((r) => `  impact assessment ${r.conductedOn}: ${r.conclusion} (kept until ${r.keepUntil})`),
  ].join("\n");

export function addPartnerCommands(program: Command): void {
  const partners = program.command("partners").description("the partner register: due diligence, contracts, cross-border transfer bases");

  partners
    .command("list")
    .description("every partner with status, risk, next re-assessment and readiness to receive data")
    .addOption(new Option("--status <status>").choices([...PARTNER_STATUSES]))
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listPartners(s, complianceContext(), { status: o.status }));
        const text = items
          .map(
            (p) =>
              `${p.id}  ${p.status.padEnd(11)}  ${(p.risk?.level ?? "—").padEnd(6)}  ${p.risk ? `re-assess ${p.risk.reassessmentDueOn}${p.risk.overdue ? " OVERDUE" : ""}` : "not assessed"}  ${p.jurisdiction}  ${p.name}`,
          )
          .join("\n");
        return { data: { items }, text: text || "No partners." };
      }),
    );

  partners
    .command("show")
    .argument("<id>", "partner id")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const p = await withServices(o.dataDir, (s) => readPartner(s, complianceContext(), id));
        return { data: p, text: summary(p) };
      }),
    );

  partners
    .command("add")
    .description("register a partner (contacts are sealed at rest)")
    .requiredOption("--name <name>", "the organisation's name")
    .addOption(new Option("--kind <kind>").choices([...PARTNER_KINDS]).makeOptionMandatory())
    .addOption(new Option("--pipl-role <role>").choices([...PIPL_ROLES]).makeOptionMandatory())
    .requiredOption("--jurisdiction <cc>", "ISO 3166-1 alpha-2 country code (CN: mainland China)")
    .requiredOption("--max-level <n>", "highest sensitivity level it may receive, 1–4")
    .option("--categories <list>", "comma-separated data categories it may receive")
    .option("--services <text>", "what it does for the firm")
    .addOption(new Option("--status <status>").choices([...PARTNER_STATUSES]))
    .option("--contact-name <name>")
    .option("--contact-email <email>")
    .option("--contact-phone <phone>")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parse(PartnerCreateInput, {
          name: o.name,
          kind: o.kind,
          piplRole: o.piplRole,
          jurisdiction: String(o.jurisdiction).toUpperCase(),
          maxLevel: Number(o.maxLevel),
          ...(o.categories ? { dataCategories: list(o.categories) } : {}),
          ...(o.services ? { services: o.services } : {}),
          ...(o.status ? { status: o.status } : {}),
          ...(o.contactName
            ? {
                contacts: [{ name: o.contactName, ...(o.contactEmail ? { email: o.contactEmail } : {}), ...(o.contactPhone ? { phone: o.contactPhone } : {}) }],
              }
            : {}),
        });
        const p = await withServices(o.dataDir, (s) => createPartner(s, complianceContext(), input));
        return { data: p, text: `Registered.\n${summary(p)}` };
      }),
    );

  partners
    .command("assess")
    .description("record a due-diligence assessment: --answer code=value (repeat) or --answers-file answers.json")
    .argument("<id>", "partner id")
    .option("--answer <code=value>", "one answer (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--answers-file <file>", "a JSON object { questionCode: answer }")
    .option("--on <date>", "assessment date (YYYY-MM-DD, default today)")
    .option("--due <date>", "re-assessment due date (default 12 months, 6 if high risk)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const fromFile = o.answersFile ? (JSON.parse(readFileSync(o.answersFile, "utf8")) as Record<string, string>) : {};
        const given = Object.fromEntries((o.answer as string[]).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
        const input = parse(AssessmentInput, {
          answers: { ...fromFile, ...given },
          ...(o.on ? { assessedOn: o.on } : {}),
          ...(o.due ? { reassessmentDueOn: o.due } : {}),
        });
        const r = await withServices(o.dataDir, (s) => assessPartner(s, complianceContext(), id, input));
        const reasons = r.reasons.map((x) => `  ${x.risk}: ${x.question} = ${x.answer ?? "(unanswered)"}`).join("\n");
        return { data: r, text: `Risk ${r.riskLevel}; re-assess by ${r.reassessmentDueOn}.${reasons ? `\nRaised by:\n${reasons}` : ""}` };
      }),
    );

  partners
    .command("contract")
    .description("contracts with a partner")
    .command("add")
    .description("record a DPA, entrusted-processing agreement, NDA or standard contract")
    .argument("<id>", "partner id")
    .addOption(new Option("--kind <kind>").choices([...CONTRACT_KINDS]).makeOptionMandatory())
    .requiredOption("--version <version>", "the contract's version")
    .requiredOption("--signed <date>", "signing date, YYYY-MM-DD")
    .option("--expires <date>", "expiry date, YYYY-MM-DD")
    .option("--met <list>", `PIPL Art 21 obligations it settles, comma-separated: ${ART21_OBLIGATIONS.join(", ")}`)
    .option("--document <id>", "the signed copy in the document store")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const met = new Set(list(o.met) ?? []);
        const input = parse(ContractInput, {
          kind: o.kind,
          version: o.version,
          signedOn: o.signed,
          expiresOn: o.expires ?? null,
          obligations: Object.fromEntries(ART21_OBLIGATIONS.map((k) => [k, { met: met.has(k), note: null }])),
          documentId: o.document ?? null,
        });
        const p = await withServices(o.dataDir, (s) => addContract(s, complianceContext(), id, input));
        return { data: p, text: `Recorded.\n${summary(p)}` };
      }),
    );

  partners
    .command("transfer")
    .description("cross-border transfer bases")
    .command("add")
    .description("record a transfer basis (PIPL Art 38 or GDPR Chapter V); UNVERIFIED unless --verified")
    .argument("<id>", "partner id")
    .requiredOption("--destination <cc>", "destination country, ISO 3166-1 alpha-2")
    .addOption(new Option("--mechanism <mechanism>").choices([...TRANSFER_MECHANISMS]).makeOptionMandatory())
    .requiredOption("--reference <text>", "filing number, assessment reference, certificate or clause")
    .requiredOption("--from <date>", "valid from, YYYY-MM-DD")
    .option("--until <date>", "valid until, YYYY-MM-DD")
    .option("--verified", "the basis was checked")
    .option("--pia <id>", "the impact assessment it rests on")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parse(TransferBasisInput, {
          destination: String(o.destination).toUpperCase(),
          mechanism: o.mechanism,
          reference: o.reference,
          validFrom: o.from,
          validUntil: o.until ?? null,
          verified: Boolean(o.verified),
          piaId: o.pia ?? null,
        });
        const p = await withServices(o.dataDir, (s) => addTransferBasis(s, complianceContext(), id, input));
        return { data: p, text: `Recorded.\n${summary(p)}` };
      }),
    );
}
