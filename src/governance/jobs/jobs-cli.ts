/** `custodia jobs list | run <name>`: the scheduled jobs from the server's console. */
import { randomUUID } from "node:crypto";
import { type Command, Option } from "commander";
import { CONSOLE_OPERATOR } from "../../identity/users/user-admin.js";
import { ConfigError, loadConfig } from "../../platform/config.js";
import { prepareDataDir } from "../../platform/data-dir.js";
import { AppError } from "../../platform/errors.js";
import { openServices } from "../../platform/services.js";
import { errorCode } from "./error-code.js";
import { type JobView, listJobs, runJob, schedulerLeader } from "./job-commands.js";
import { JobScheduler } from "./job-scheduler.js";
import { jobSettingsFromEnv } from "./job-settings.js";
import { JOB_NAMES } from "./job.js";

const dataDirOption = () => new Option("--data-dir <dir>", "data directory (env CUSTODIA_DATA_DIR)").default(undefined, "./data");
const consoleContext = () => ({ actor: CONSOLE_OPERATOR, requestId: `cli-${randomUUID()}`, purpose: null });

/** Opens an existing vault only (never creates one) and a scheduler over it. */
async function withScheduler<T>(dataDir: string | undefined, work: (s: JobScheduler) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir });
  const settings = jobSettingsFromEnv(config.dataDir);
  const keyProvider = await prepareDataDir(config, "existing");
  const services = await openServices(config, { keyProvider });
  try {
    return await work(new JobScheduler({ services, config, keyProvider, settings }));
  } finally {
    await services.close();
  }
}

function fail(error: unknown, json: boolean): void {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  const code = errorCode(error);
  const message = error instanceof AppError ? error.message : "The job could not be run.";
  console.error(json ? JSON.stringify({ error: { code, message } }) : `${code}: ${message}`);
  process.exitCode = 1;
}

const line = (j: JobView) =>
  [
    j.name.padEnd(18),
    (j.after ? `after ${j.after}` : (j.cron ?? "off")).padEnd(16),
    `next ${j.nextRunLocal ?? "—"}`.padEnd(22),
    j.lastRun ? `last ${j.lastRun.outcome} ${j.lastRun.startedAt}${j.lastRun.summary ? ` — ${j.lastRun.summary}` : ""}` : "never run",
  ].join("  ");

export function addJobCommands(program: Command): void {
  const jobs = program.command("jobs").description("scheduled jobs: backups, restore drill, KEK rotation, retention sweep, reminders");

  jobs
    .command("list")
    .description("each job with its schedule, next run (firm's time zone) and last outcome")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      const json = Boolean(o.json);
      try {
        const { views, leader } = await withScheduler(o.dataDir, async (s) => ({
          views: await listJobs(s, consoleContext()),
          leader: await schedulerLeader(s, consoleContext()),
        }));
        const lease = leader ? `Schedule run by ${leader.holder} (lease until ${leader.expiresAt}).` : "No server holds the schedule now.";
        if (json) console.log(JSON.stringify({ items: views, leader }));
        else console.log(`${lease} Times in ${views[0]?.timeZone ?? "the firm's time zone"}.\n${views.map(line).join("\n")}`);
      } catch (error) {
        fail(error, json);
      }
    });

  jobs
    .command("run")
    .description("run a job now (and the jobs that follow it); the run is recorded")
    .argument("<name>", `one of ${JOB_NAMES.join(", ")}`)
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (name: string, o) => {
      const json = Boolean(o.json);
      try {
        const reports = await withScheduler(o.dataDir, (s) => runJob(s, consoleContext(), name));
        if (reports.some((r) => r.result.outcome === "failed")) process.exitCode = 1;
        if (json) console.log(JSON.stringify({ runs: reports }));
        else for (const r of reports) console.log(`${r.job}: ${r.result.outcome}${r.result.code ? ` (${r.result.code})` : ""} — ${r.result.summary}`);
      } catch (error) {
        fail(error, json);
      }
    });
}
