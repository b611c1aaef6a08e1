/**
 * `custodia partners list | show | add | assess | contract add | transfer add | link issue | link revoke | review`: the partner
 * register from the server's console. The console acts as compliance (it holds the master key and
 * keeps the register); its audit events name the console, not a person. Partner contacts are not
 * client data, so no staff token is needed to see them here.
 */
import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { commaList, complianceContext, parseOptions, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { ART21_OBLIGATIONS, CONTRACT_KINDS, PARTNER_KINDS, PARTNER_STATUSES, PIPL_ROLES, TRANSFER_MECHANISMS } from "./partner.js";
import { assessPartner } from "./partner-assessments.js";
import { addContract } from "./partner-contracts.js";
import { AssessmentInput, ContractInput, PartnerCreateInput, TransferBasisInput } from "./partner-inputs.js";
import { listPartners } from "./partner-lister.js";
import { createPartner, readPartner } from "./partner-register.js";
import { addTransferBasis } from "./partner-transfers.js";
import type { PresentedPartner } from "./partner-view.js";
import { REVIEW_DECISIONS, reviewPartnerAssessment } from "./assessment-review.js";
import { issueQuestionnaireLink, LINK_DEFAULT_DAYS, LINK_LANGUAGES, LINK_MAX_DAYS, revokeQuestionnaireLink } from "./questionnaire-links.js";

const list = (value: string | undefined) => (value ? commaList(value) : undefined);

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

  vaultCommand(partners.command("list"))
    .description("every partner with status, risk, next re-assessment and readiness to receive data")
    .addOption(new Option("--status <status>").choices([...PARTNER_STATUSES]))
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

  vaultCommand(partners.command("show"))
    .argument("<id>", "partner id")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const p = await withServices(o.dataDir, (s) => readPartner(s, complianceContext(), id));
        return { data: p, text: summary(p) };
      }),
    );

  vaultCommand(partners.command("add"))
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
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parseOptions(PartnerCreateInput, {
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

  vaultCommand(partners.command("assess"))
    .description("record a due-diligence assessment: --answer code=value (repeat) or --answers-file answers.json")
    .argument("<id>", "partner id")
    .option("--answer <code=value>", "one answer (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--answers-file <file>", "a JSON object { questionCode: answer }")
    .option("--on <date>", "assessment date (YYYY-MM-DD, default today)")
    .option("--due <date>", "re-assessment due date (default 12 months, 6 if high risk)")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const fromFile = o.answersFile ? (JSON.parse(readFileSync(o.answersFile, "utf8")) as Record<string, string>) : {};
        const given = Object.fromEntries((o.answer as string[]).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
        const input = parseOptions(AssessmentInput, {
          answers: { ...fromFile, ...given },
          ...(o.on ? { assessedOn: o.on } : {}),
          ...(o.due ? { reassessmentDueOn: o.due } : {}),
        });
        const r = await withServices(o.dataDir, (s) => assessPartner(s, complianceContext(), id, input));
        const reasons = r.reasons.map((x) => `  ${x.risk}: ${x.question} = ${x.answer ?? "(unanswered)"}`).join("\n");
        return { data: r, text: `Risk ${r.riskLevel}; re-assess by ${r.reassessmentDueOn}.${reasons ? `\nRaised by:\n${reasons}` : ""}` };
      }),
    );

  vaultCommand(partners.command("contract").description("contracts with a partner").command("add"))
    .description("record a DPA, entrusted-processing agreement, NDA or standard contract")
    .argument("<id>", "partner id")
    .addOption(new Option("--kind <kind>").choices([...CONTRACT_KINDS]).makeOptionMandatory())
    .requiredOption("--version <version>", "the contract's version")
    .requiredOption("--signed <date>", "signing date, YYYY-MM-DD")
    .option("--expires <date>", "expiry date, YYYY-MM-DD")
    .option("--met <list>", `PIPL Art 21 obligations it settles, comma-separated: ${ART21_OBLIGATIONS.join(", ")}`)
    .option("--document <id>", "the signed copy in the document store")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const met = new Set(list(o.met) ?? []);
        const input = parseOptions(ContractInput, {
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

  vaultCommand(partners.command("transfer").description("cross-border transfer bases").command("add"))
    .description("record a transfer basis (PIPL Art 38 or GDPR Chapter V); UNVERIFIED unless --verified")
    .argument("<id>", "partner id")
    .requiredOption("--destination <cc>", "destination country, ISO 3166-1 alpha-2")
    .addOption(new Option("--mechanism <mechanism>").choices([...TRANSFER_MECHANISMS]).makeOptionMandatory())
    .requiredOption("--reference <text>", "filing number, assessment reference, certificate or clause")
    .requiredOption("--from <date>", "valid from, YYYY-MM-DD")
    .option("--until <date>", "valid until, YYYY-MM-DD")
    .option("--verified", "the basis was checked")
    .option("--pia <id>", "the impact assessment it rests on")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parseOptions(TransferBasisInput, {
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

  const link = partners.command("link").description("one-time links for a partner contact to answer the due-diligence questionnaire");
  vaultCommand(link.command("issue"))
    .description("issue a link (shown once); --email sends it to the contact through the mail outbox")
    .argument("<id>", "partner id")
    .requiredOption("--contact <contactId>", "the contact who will answer")
    .option("--days <n>", `days until it expires (default ${LINK_DEFAULT_DAYS}, at most ${LINK_MAX_DAYS})`)
    .addOption(new Option("--language <lang>").choices([...LINK_LANGUAGES]))
    .option("--email", "email the link to the contact")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const r = await withServices(o.dataDir, (s) =>
          issueQuestionnaireLink(s, complianceContext(), id, {
            contactId: o.contact,
            ...(o.days ? { expiresInDays: Number(o.days) } : {}),
            ...(o.language ? { language: o.language } : {}),
            email: Boolean(o.email),
          }),
        );
        const base = (process.env.CUSTODIA_PUBLIC_URL ?? "").replace(/\/$/, "");
        return {
          data: r,
          text: `Link ${r.link.id}, valid until ${r.link.expiresAt}${r.link.emailed ? ", emailed to the contact" : ""}. Shown once:\n${base}${r.path}`,
        };
      }),
    );
  vaultCommand(link.command("revoke"))
    .description("revoke a link not yet used")
    .argument("<id>", "partner id")
    .argument("<linkId>", "link id")
    .action((id: string, linkId: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const r = await withServices(o.dataDir, (s) => revokeQuestionnaireLink(s, complianceContext(), id, linkId));
        return { data: r, text: `Link ${r.id} revoked.` };
      }),
    );

  vaultCommand(partners.command("review"))
    .description("confirm or reject an assessment the partner answered through a link")
    .argument("<id>", "partner id")
    .argument("<assessmentId>", "assessment id")
    .addOption(new Option("--decision <decision>").choices([...REVIEW_DECISIONS]).makeOptionMandatory())
    .action((id: string, assessmentId: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const p = await withServices(o.dataDir, (s) => reviewPartnerAssessment(s, complianceContext(), id, assessmentId, o.decision));
        return { data: p, text: `${o.decision === "confirm" ? "Confirmed" : "Rejected"}.\n${summary(p)}` };
      }),
    );
}
