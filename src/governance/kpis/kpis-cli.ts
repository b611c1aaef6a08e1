/**
 * `custodia kpis show | report`: the KPI figures and the quarterly report from the server's console,
 * acting as console compliance (audited as the console, like the other governance commands).
 */
import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { complianceContext, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { readKpis } from "./kpi-queries.js";
import { quarterlyReport } from "./quarterly-report.js";
import { percent, REPORT_LABELS } from "./report-labels.js";
import { metText, targetText } from "./report-pdf.js";

export function addKpiCommands(program: Command): void {
  const kpis = program.command("kpis").description("privacy KPIs: figures, targets and the quarterly report");

  vaultCommand(kpis.command("show"))
    .description("every KPI of a month or quarter with its value, target and the counts behind it")
    .option("--period <period>", "a month (2026-11) or quarter (2026-Q4); default: this month")
    .addOption(new Option("--lang <lang>", "language of the labels").choices(["zh", "en"]).default("en"))
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const reading = await withServices(o.dataDir, (s) => readKpis(s, complianceContext(), { period: o.period, now: new Date() }));
        const lang = o.lang as "zh" | "en";
        const text = [
          `${reading.period.label} (${reading.timeZone})`,
          ...reading.kpis.map(
            (k) =>
              `  ${REPORT_LABELS[lang].names[k.code].padEnd(28)} ${percent(k.value).padStart(8)}  ${k.numerator}/${k.denominator}  ${targetText(k, lang)}  ${metText(k.met, lang)}`,
          ),
        ].join("\n");
        return { data: reading, text };
      }),
    );

  vaultCommand(kpis.command("report"))
    .description("write the quarterly KPI report (PDF or XLSX) to a file")
    .requiredOption("--quarter <quarter>", "the quarter, e.g. 2026-Q4")
    .addOption(new Option("--format <format>").choices(["pdf", "xlsx"]).default("pdf"))
    .addOption(new Option("--lang <lang>", "the report's language").choices(["zh", "en"]).default("zh"))
    .requiredOption("--out <file>", "where to write the report")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const file = await withServices(o.dataDir, (s) =>
          quarterlyReport(s, complianceContext(), { quarter: o.quarter, format: o.format, language: o.lang, now: new Date() }),
        );
        await writeFile(o.out, file.bytes, { mode: 0o600 });
        return { data: { out: o.out, bytes: file.bytes.length, mediaType: file.mediaType }, text: `Wrote ${file.bytes.length} bytes to ${o.out}.` };
      }),
    );
}
