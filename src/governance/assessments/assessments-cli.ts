/**
 * `custodia assessments controls | runs | plan | start | show | findings` and `custodia
 * inspection-pack --out file.zip`: self-assessments and the regulator's pack from the server's
 * console. The console acts as compliance; its audit events name the console, not a person.
 */
import { writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { commaList, complianceContext, parseOptions, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { ValidationError } from "../../platform/errors.js";
import { FINDING_STATUSES, RUN_KINDS } from "./assessment.js";
import { RunCreateInput } from "./assessment-inputs.js";
import { listControls } from "./controls.js";
import { listFindings } from "./findings.js";
import { generateInspectionPack } from "./inspection-pack.js";
import { listRuns, type PresentedRun, planRun, readRun, startRun } from "./runs.js";

const show = (r: PresentedRun) =>
  [
    `${r.kind} run planned ${r.plannedOn} (${r.id}), ${r.status}; scope ${r.scope.join(", ") || "all areas"}`,
    `  ${r.counts.answered}/${r.counts.controls} answered, ${r.counts.gaps} gaps, ${r.counts.findings} findings (${r.counts.openFindings} not verified)`,
    ...r.results.map(
      (c) =>
        `  ${c.code.padEnd(8)} ${(c.result ?? "—").padEnd(14)} ${c.titleEn}${c.evidence ? `  [${c.evidenceSource}: ${JSON.stringify(c.evidence)} → ${c.suggested}]` : ""}`,
    ),
    ...r.carriedOver.map((f) => `  carried over: ${f.id} ${f.severity} due ${f.dueOn} ${f.status}${f.overdue ? " OVERDUE" : ""}`),
  ].join("\n");

export function addAssessmentCommands(program: Command): void {
  const assessments = program.command("assessments").description("self-assessments, findings and compliance audits (GOV-3, AUD-3)");

  vaultCommand(assessments.command("controls"))
    .description("the control list, with evidence sources and applicability")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listControls(s, complianceContext()));
        const text = items
          .map((c) => `${c.code.padEnd(8)} ${c.applicable ? "   " : "n/a"} ${(c.evidenceSource ?? "").padEnd(20)} ${c.titleZh} / ${c.titleEn}`)
          .join("\n");
        return { data: { items }, text };
      }),
    );

  vaultCommand(assessments.command("runs"))
    .description("assessment runs, newest first")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listRuns(s, complianceContext()));
        const text = items
          .map(
            (r) =>
              `${r.id}  ${r.plannedOn}  ${r.kind.padEnd(9)}  ${r.status.padEnd(11)}  ${r.counts.answered}/${r.counts.controls} answered, ${r.counts.gaps} gaps`,
          )
          .join("\n");
        return { data: { items }, text: text || "No runs." };
      }),
    );

  vaultCommand(assessments.command("plan"))
    .description("plan a run")
    .addOption(new Option("--kind <kind>").choices([...RUN_KINDS]).makeOptionMandatory())
    .requiredOption("--date <date>", "planned date (YYYY-MM-DD)")
    .requiredOption("--assessor <email>", "the staff member who performs it")
    .option("--scope <areas>", "comma-separated control areas (ENC,IAM,PIPL …); default every area")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const run = await withServices(o.dataDir, async (s) => {
          const assessor = await s.engine.db.selectFrom("users").select("id").where("email", "=", String(o.assessor).toLowerCase()).executeTakeFirst();
          if (!assessor) throw ValidationError([{ field: "assessor", code: "unknown_staff", message: "No staff member with this email." }]);
          const scope = o.scope ? commaList(String(o.scope).toUpperCase()) : [];
          return planRun(s, complianceContext(), parseOptions(RunCreateInput, { kind: o.kind, plannedOn: o.date, scope, assessorId: assessor.id }));
        });
        return { data: run, text: `Planned.\n${show(run)}` };
      }),
    );

  vaultCommand(assessments.command("start"))
    .description("start a run: snapshot the automatic evidence")
    .argument("<id>", "run id")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const run = await withServices(o.dataDir, (s) => startRun(s, complianceContext(), id));
        return { data: run, text: show(run) };
      }),
    );

  vaultCommand(assessments.command("show"))
    .description("a run with its controls, evidence, answers and carried-over findings")
    .argument("<id>", "run id")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const run = await withServices(o.dataDir, (s) => readRun(s, complianceContext(), id));
        return { data: run, text: show(run) };
      }),
    );

  vaultCommand(assessments.command("findings"))
    .description("findings by deadline")
    .option("--overdue", "only unfinished findings past their deadline")
    .addOption(new Option("--status <status>").choices([...FINDING_STATUSES]))
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listFindings(s, complianceContext(), { overdue: Boolean(o.overdue), status: o.status }));
        const text = items
          .map((f) => `${f.id}  ${f.severity.padEnd(8)}  due ${f.dueOn}${f.overdue ? " OVERDUE" : "        "}  ${f.status.padEnd(14)}  ${f.controlCode ?? ""}`)
          .join("\n");
        return { data: { items }, text: text || "No findings." };
      }),
    );

  vaultCommand(program.command("inspection-pack"))
    .description("write the inspection pack for a regulator visit (ZIP: JSON and CSV per part, README in Chinese); audited")
    .requiredOption("--out <file>", "where to write the ZIP")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const pack = await withServices(o.dataDir, (s) => generateInspectionPack(s, complianceContext()));
        writeFileSync(o.out, pack.bytes, { mode: 0o600 });
        return {
          data: { out: o.out, bytes: pack.bytes.length, files: pack.files },
          text: `Wrote ${o.out} (${pack.bytes.length} bytes): ${pack.files.join(", ")}`,
        };
      }),
    );
}
