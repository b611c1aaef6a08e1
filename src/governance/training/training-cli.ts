/**
 * `custodia training list | create | assign | record | overdue | report` and
 * `custodia agreements list | publish | record | background-check`: training and agreements from the
 * server's console, which acts as compliance (its audit events name the console, not a person).
 * People are named by email here; the records hold ids.
 */
import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { commaList, complianceContext, parseOptions, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { ROLES } from "../../access/policy/roles.js";
import { listAgreementVersions, publishAgreementVersion, recordAcknowledgement } from "./agreements.js";
import { assignCourse, overdueTraining } from "./assignments.js";
import { recordBackgroundCheck } from "./background-checks.js";
import { recordCompletion } from "./completions.js";
import { createCourse, listCourses } from "./courses.js";
import {
  AGREEMENT_KINDS,
  AgreementVersionInput,
  AssignmentInput,
  BackgroundCheckInput,
  CHECK_OUTCOMES,
  CHECK_SCOPES,
  CompletionRecordInput,
  CourseInput,
} from "./training-inputs.js";
import { trainingReport } from "./training-report.js";

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw ValidationError([{ field: "file", code: "invalid_json", message: "The file is not readable JSON." }]);
  }
};

async function userIdOf(s: Services, email: string): Promise<string> {
  const row = await s.engine.db.selectFrom("users").select("id").where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw NotFoundError("User");
  return row.id;
}

export function addTrainingCommands(program: Command): void {
  const training = program.command("training").description("privacy training: courses with quizzes, assignments, completions (TRN-1)");

  vaultCommand(training.command("list"))
    .description("every course, required ones marked")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listCourses(s, complianceContext()));
        const text = items
          .map(
            (c) =>
              `${c.id}  ${c.status.padEnd(7)}  ${c.requiredForSensitive ? "REQUIRED" : "        "}  ${c.validityMonths}m  pass ${c.passMark}%  ${c.titleZh} / ${c.titleEn}`,
          )
          .join("\n");
        return { data: { items }, text: text || "No courses." };
      }),
    );

  vaultCommand(training.command("create"))
    .description("create a course from a JSON file (titleZh, titleEn, contentZh, contentEn, validityMonths, passMark, requiredForSensitive, questions)")
    .requiredOption("--file <path>", "the course as JSON, as the API takes it")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parseOptions(CourseInput, readJson(o.file));
        const course = await withServices(o.dataDir, (s) => createCourse(s, complianceContext(), input));
        return { data: course, text: `Course ${course.id} created with ${course.questionCount} questions.` };
      }),
    );

  vaultCommand(training.command("assign"))
    .argument("<courseId>", "course id")
    .description("assign a course to a role or a person, due by a day")
    .addOption(new Option("--role <role>").choices([...ROLES]))
    .option("--email <email>", "one person instead of a role")
    .requiredOption("--due <date>", "YYYY-MM-DD")
    .action((courseId: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const a = await withServices(o.dataDir, async (s) => {
          const userId = o.email ? await userIdOf(s, o.email) : undefined;
          return assignCourse(s, complianceContext(), courseId, parseOptions(AssignmentInput, { role: o.role, userId, dueOn: o.due }));
        });
        return { data: a, text: `Assigned (${a.id}), due ${a.dueOn}.` };
      }),
    );

  vaultCommand(training.command("record"))
    .argument("<courseId>", "course id")
    .description("record someone's completion of an in-person session")
    .requiredOption("--email <email>")
    .option("--completed <date>", "YYYY-MM-DD (default: today)")
    .option("--expires <date>", "YYYY-MM-DD, valid through that day (default: completion + the course's validity)")
    .action((courseId: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const c = await withServices(o.dataDir, async (s) =>
          recordCompletion(
            s,
            complianceContext(),
            courseId,
            parseOptions(CompletionRecordInput, { userId: await userIdOf(s, o.email), completedOn: o.completed, expiresOn: o.expires }),
          ),
        );
        return { data: c, text: `${o.email}: completion recorded, current until ${c.expiresAt}.` };
      }),
    );

  vaultCommand(training.command("overdue"))
    .description("who is overdue with which course")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => overdueTraining(s, complianceContext()));
        return { data: { items }, text: items.map((i) => `${i.userId}  ${i.courseId}  due ${i.dueOn}`).join("\n") || "Nobody is overdue." };
      }),
    );

  vaultCommand(training.command("report"))
    .description("completion and acknowledgement figures")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const r = await withServices(o.dataDir, (s) => trainingReport(s, complianceContext()));
        const f = r.figures;
        return {
          data: r,
          text: `assigned ${f.assigned}, completed on time ${f.completedOnTime}, overdue ${f.overdue}; staff NDA acknowledged by ${f.staffAcknowledged} of ${f.staffNeedingAck}`,
        };
      }),
    );

  const agreements = program.command("agreements").description("agreement texts and versions, recorded signatures, background checks (TRN-2)");

  vaultCommand(agreements.command("list"))
    .description("every published version")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) => listAgreementVersions(s, complianceContext()));
        return {
          data: { items },
          text: items.map((v) => `${v.kind.padEnd(22)} v${v.version}${v.current ? " (current)" : ""}  ${v.publishedAt}  ${v.titleZh}`).join("\n"),
        };
      }),
    );

  vaultCommand(agreements.command("publish"))
    .description("publish a new version of a kind from a JSON file (titleZh, titleEn, textZh, textEn); staff must acknowledge it again")
    .addOption(new Option("--kind <kind>").choices([...AGREEMENT_KINDS]).makeOptionMandatory())
    .requiredOption("--file <path>")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parseOptions(AgreementVersionInput, readJson(o.file));
        const v = await withServices(o.dataDir, (s) => publishAgreementVersion(s, complianceContext(), o.kind, input));
        return { data: v, text: `${v.kind} v${v.version} published.` };
      }),
    );

  vaultCommand(agreements.command("record"))
    .description("record someone's signed paper copy")
    .addOption(new Option("--kind <kind>").choices([...AGREEMENT_KINDS]).default("staff_nda"))
    .requiredOption("--email <email>")
    .option("--version <version>", "default: the current one")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const a = await withServices(o.dataDir, async (s) =>
          recordAcknowledgement(s, complianceContext(), o.kind, { userId: await userIdOf(s, o.email), version: o.version ? Number(o.version) : undefined }),
        );
        return { data: a, text: `${o.email}: ${a.kind} v${a.version} recorded.` };
      }),
    );

  vaultCommand(agreements.command("background-check"))
    .description("record a background check (notes are sealed)")
    .requiredOption("--email <email>")
    .requiredOption("--checked <date>", "YYYY-MM-DD")
    .requiredOption("--scope <list>", `comma-separated: ${CHECK_SCOPES.join(", ")}`)
    .addOption(new Option("--outcome <outcome>").choices([...CHECK_OUTCOMES]).makeOptionMandatory())
    .option("--notes <text>")
    .option("--next-due <date>", "YYYY-MM-DD")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const c = await withServices(o.dataDir, async (s) =>
          recordBackgroundCheck(
            s,
            complianceContext(),
            parseOptions(BackgroundCheckInput, {
              userId: await userIdOf(s, o.email),
              checkedOn: o.checked,
              scope: commaList(String(o.scope)),
              outcome: o.outcome,
              notes: o.notes,
              nextDueOn: o.nextDue ?? null,
            }),
          ),
        );
        return { data: { ...c, notes: undefined }, text: `${o.email}: background check recorded (${c.outcome}).` };
      }),
    );
}
