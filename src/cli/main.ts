import { randomUUID } from "node:crypto";
import { Command, InvalidArgumentError, Option } from "commander";
import type { Actor, RequestContext } from "../access/policy/actor.js";
import { onEveryCore, verifyAuditChain } from "../platform/audit/audit-verifier.js";
import type { ClientData } from "../records/clients/client.js";
import { importBatches } from "../records/clients/client-importer.js";
import { ConfigError, loadConfig } from "../platform/config.js";
import { prepareDataDir } from "../platform/data-dir.js";
import { migrateToLatest } from "../platform/db/migrator.js";
import { openEngine } from "../platform/db/open.js";
import { syntheticClients } from "../platform/demo/synthetic.js";
import { AppError } from "../platform/errors.js";
import { buildInventory } from "../records/inventory/inventory.js";
import { rotateKeys } from "../vault/keys/key-rotator.js";
import { addUser, CONSOLE_OPERATOR, createToken, disableUser, setUserRole } from "../identity/users/user-admin.js";
import { progressBar } from "./progress.js";
import { readStdin } from "./read-stdin.js";
import { serve } from "./serve.js";
import { deliverDue } from "../response/notifications/delivery.js";
import { mailSenderFromEnv } from "../response/notifications/email.js";
import { addAccessConditionCommands } from "../access/conditions/access-condition-cli.js";
import { addRetentionCommands } from "../governance/retention/retention-cli.js";
import { addBackupCommands } from "../governance/backups/backup-cli.js";
import { addAccessReviewCommands } from "../access/reviews/access-review-cli.js";
import { addRequestCommands } from "../rights/requests/requests-cli.js";
import { addStaffCalendarCommands } from "../response/detection/staff-calendar-cli.js";
import { addTokenCommands } from "../identity/users/token-cli.js";
import { addFileCommands } from "../records/documents/files-cli.js";
import { addAuditTreeCommands } from "../platform/audit/audit-cli.js";
import { addJobCommands } from "../governance/jobs/jobs-cli.js";
import { addDoctorCommand } from "./doctor.js";
import { dataDirOption, withServices } from "./command-runner.js";
import { addKeyProviderCommands } from "../vault/keys/key-provider-cli.js";
import { addPartnerCommands } from "../governance/partners/partners-cli.js";
import { addPaperCommands } from "../records/paper/paper-cli.js";
import { addClientIndexCommands } from "../records/clients/search-index-cli.js";
import { addAssessmentCommands } from "../governance/assessments/assessments-cli.js";
import { addDeviceCommands } from "../governance/devices/devices-cli.js";
import { addPolicyCommands } from "../governance/policies/policies-cli.js";
import { addTrainingCommands } from "../governance/training/training-cli.js";
import { addKpiCommands } from "../governance/kpis/kpis-cli.js";
import { addDisclosureCommands } from "../records/disclosures/disclosures-cli.js";
import { checkpointLogPath, readCheckpointLog } from "../platform/audit/checkpoint-log.js";

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
};
const consoleContext = (actor: Actor = CONSOLE_OPERATOR): RequestContext => ({ actor, requestId: `cli-${randomUUID()}`, purpose: null });

/** The operator's setup is wrong (data dir, key, options): one line on stderr, exit 2, no stack. */
function failConfig(error: ConfigError): void {
  console.error(error.message);
  process.exitCode = 2;
}

function fail(error: unknown, json: boolean): void {
  if (error instanceof ConfigError) {
    failConfig(error);
    return;
  }
  if (error instanceof AppError) {
    if (json) console.log(JSON.stringify({ error: { code: error.code, message: error.message, fields: error.fields } }));
    else console.error(`${error.code}: ${error.message}${error.fields.map((f) => `\n  ${f.field}: ${f.message}`).join("")}`);
  } else {
    console.error(error instanceof Error ? error.message : String(error));
  }
  process.exitCode = 1;
}

export function buildCli(): Command {
  const program = new Command("custodia").description("Custodia — confidential client-records vault").showHelpAfterError();

  program
    .command("serve")
    .description("run the HTTP server (plain HTTP on loopback only)")
    .addOption(dataDirOption())
    .addOption(new Option("--host <host>", "address to listen on").env("CUSTODIA_HOST").default("127.0.0.1"))
    // Checked by serve (1–65535, exit 2), like the other start-up problems.
    .addOption(new Option("--port <port>", "port").env("CUSTODIA_PORT").default("8080"))
    .option("--tls-cert <file>", "PEM certificate (enables HTTPS, TLS 1.2+)")
    .option("--tls-key <file>", "PEM private key")
    .option("--behind-tls-proxy", "a TLS-terminating proxy sits in front; allow a non-loopback address")
    .option(
      "--trusted-proxy <cidr>",
      "with --behind-tls-proxy: an address or CIDR range of the proxy, whose X-Forwarded-For names the client (repeatable; env CUSTODIA_TRUSTED_PROXIES, comma-separated; default 127.0.0.1/8 and ::1)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action((o) => serve(o));

  program
    .command("migrate")
    .description("apply pending database migrations")
    .addOption(dataDirOption())
    .action(async (o) => {
      const config = loadConfig({ dataDir: o.dataDir });
      // A new vault gets its master key now, beside its database; an existing one must have its own.
      await (await prepareDataDir(config, "create")).masterKey();
      const engine = openEngine(config);
      try {
        const applied = await migrateToLatest(engine);
        console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
      } finally {
        await engine.destroy();
      }
    });

  const user = program.command("user").description("staff accounts");
  user
    .command("add")
    .description("add a staff user; the password is read from stdin")
    .requiredOption("--email <email>")
    .requiredOption("--role <role>", "admin | partner | lawyer | paralegal | compliance | auditor | records-clerk")
    .option("--name <name>", "display name")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const password = await readStdin();
        const created = await withServices(o.dataDir, (s) =>
          addUser(s, CONSOLE_OPERATOR, { email: o.email, role: o.role, password, displayName: o.name }, consoleContext().requestId),
        );
        console.log(o.json ? JSON.stringify(created) : `Added ${created.email} (${created.role}), id ${created.id}`);
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });

  user
    .command("disable")
    .description("disable a staff user and revoke all their sessions and tokens at once")
    .requiredOption("--email <email>")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const r = await withServices(o.dataDir, (s) => disableUser(s, CONSOLE_OPERATOR, { email: o.email }, consoleContext().requestId));
        console.log(o.json ? JSON.stringify(r) : `Disabled ${o.email}; revoked ${r.sessionsRevoked} sessions and ${r.tokensRevoked} tokens.`);
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });
  user
    .command("set-role")
    .description("change a staff user's role; it applies on their next request")
    .requiredOption("--email <email>")
    .requiredOption("--role <role>", "admin | partner | lawyer | paralegal | compliance | auditor | records-clerk")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const r = await withServices(o.dataDir, (s) => setUserRole(s, CONSOLE_OPERATOR, { email: o.email, role: o.role }, consoleContext().requestId));
        console.log(o.json ? JSON.stringify({ email: o.email, ...r }) : `${o.email} is now ${r.role}.`);
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });
  addAccessConditionCommands(
    user,
    dataDirOption,
    (s, work) => withServices(s, work),
    fail,
    () => consoleContext().requestId,
  );
  addStaffCalendarCommands(
    user,
    dataDirOption,
    (s, work) => withServices(s, work),
    fail,
    () => consoleContext().requestId,
  );
  addRetentionCommands(program, dataDirOption, (s, work) => withServices(s, work), fail, consoleContext);
  addBackupCommands(
    program,
    dataDirOption,
    (s, work) => withServices(s, work),
    fail,
    () => consoleContext(),
  );
  addAccessReviewCommands(program, dataDirOption, (s, work) => withServices(s, work), fail, consoleContext);
  addRequestCommands(program, dataDirOption, (s, work) => withServices(s, work), fail);
  addTokenCommands(
    program,
    dataDirOption,
    (s, work) => withServices(s, work),
    fail,
    () => consoleContext(),
  );
  addFileCommands(
    program,
    dataDirOption,
    (s, work) => withServices(s, work),
    fail,
    () => consoleContext(),
  );

  program
    .command("token")
    .description("API tokens")
    .command("create")
    .description("create an API token for a user; it is printed once")
    .requiredOption("--email <email>")
    .requiredOption("--name <name>", "what the token is for")
    .option("--expires-in-days <n>", "expiry", positiveInt)
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const t = await withServices(o.dataDir, (s) =>
          createToken(s, CONSOLE_OPERATOR, { email: o.email, name: o.name, expiresInDays: o.expiresInDays }, consoleContext().requestId),
        );
        console.log(
          o.json ? JSON.stringify({ token: t.token, id: t.id, expiresAt: t.expiresAt }) : `Token (shown once; expires ${t.expiresAt ?? "never"}): ${t.token}`,
        );
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });

  const audit = program.command("audit").description("the tamper-evident audit log");
  audit
    .command("verify")
    .description("check the whole hash chain and the signed checkpoints; exits 1 naming the first bad event")
    .option("--json", "machine-readable output")
    .option("--quiet", "no progress bar on stderr")
    .option("--checkpoint-log <file>", "checkpoints kept outside the database (default: <data dir>/audit-checkpoints.jsonl)")
    .option("--no-checkpoint-log", "ignore the outside checkpoint log (e.g. right after restoring an older backup)")
    .addOption(dataDirOption())
    .action(async (o) => {
      const outside =
        o.checkpointLog === false
          ? []
          : readCheckpointLog(typeof o.checkpointLog === "string" ? o.checkpointLog : checkpointLogPath(loadConfig({ dataDir: o.dataDir }).dataDir));
      const report = await withServices(o.dataDir, async (s) => {
        const bar = o.quiet
          ? null
          : progressBar(
              "verify",
              Number(
                (
                  await s.engine.db
                    .selectFrom("audit_events")
                    .select((eb) => eb.fn.countAll().as("n"))
                    .executeTakeFirst()
                )?.n ?? 0,
              ),
            );
        const r = await verifyAuditChain(s.engine.db, s.vault.checkpointPublicKey, (n) => bar?.update(n), outside, onEveryCore(s.engine.readOnlyTarget));
        bar?.stop();
        return r;
      });
      if (o.json) console.log(JSON.stringify(report));
      else if (report.ok)
        console.log(
          `OK: ${report.events} events, ${report.checkpoints} signed checkpoints, chain intact; ${report.pending} pending (recorded, not yet placed).`,
        );
      else console.error(`TAMPERED: first bad event seq ${report.firstBad?.seq} (${report.firstBad?.problem}); ${report.events} events verified before it.`);
      if (!report.ok) process.exitCode = 1;
    });
  addAuditTreeCommands(audit, dataDirOption, (d, work) => withServices(d, work));
  addJobCommands(program);
  addPartnerCommands(program);
  addPaperCommands(program);
  addClientIndexCommands(program);
  addAssessmentCommands(program);
  addDeviceCommands(program);
  addPolicyCommands(program);
  addTrainingCommands(program);
  addKpiCommands(program);
  addDisclosureCommands(program);
  addDoctorCommand(program);

  const keys = program.command("keys").description("key management");
  addKeyProviderCommands(keys);
  keys
    .command("rotate")
    .description("activate a new key-encryption key and re-wrap every data key, online")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      const result = await withServices(o.dataDir, async (s) => {
        const bar = o.json ? null : progressBar("rewrap", 1);
        let shown = 0;
        const r = await rotateKeys(s, consoleContext(), (done, total) => {
          if (bar && shown === 0) bar.stop();
          shown = done;
          if (!o.json) process.stderr.write(`\rre-wrapped ${done}/${total}`);
        });
        if (!o.json) process.stderr.write("\n");
        return r;
      });
      console.log(o.json ? JSON.stringify(result) : `Active KEK is now version ${result.version}; ${result.rewrapped} data keys re-wrapped.`);
    });

  program
    .command("inventory")
    .description("print the data inventory (fields, categories, levels, purposes, who may see them)")
    .option("--json", "machine-readable output")
    .addOption(new Option("--lang <lang>", "label language").choices(["zh", "en"]).default("zh"))
    .action((o) => {
      const items = buildInventory();
      if (o.json) return console.log(JSON.stringify(items, null, 2));
      const zh = o.lang === "zh";
      console.table(
        items.map((i) => ({
          [zh ? "字段" : "field"]: zh ? i.labelZh : i.labelEn,
          [zh ? "类别" : "category"]: i.category,
          [zh ? "级别" : "level"]: i.level,
          [zh ? "必填" : "required"]: i.required,
          [zh ? "加密" : "encrypted"]: i.storage.startsWith("AES"),
          [zh ? "可检索" : "searchable"]: i.searchable,
          [zh ? "可见角色" : "readable by"]: i.readableBy.join(","),
          [zh ? "用途" : "purpose"]: zh ? i.purposeZh : i.purposeEn,
        })),
      );
    });

  program
    .command("notifications")
    .description("notification channels")
    .command("deliver")
    .description("send due webhook deliveries and emails once (for cron; the server also runs this every 15 s)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      const report = await withServices(o.dataDir, (s) => deliverDue(s, new Date(), { mail: mailSenderFromEnv(loadConfig({ dataDir: o.dataDir }).dataDir) }));
      console.log(
        o.json
          ? JSON.stringify(report)
          : `Webhooks: ${report.webhooks.delivered} delivered, ${report.webhooks.retrying} to retry, ${report.webhooks.failed} given up. Emails: ${report.emails.sent} sent, ${report.emails.retrying} to retry, ${report.emails.failed} given up.`,
      );
    });

  program
    .command("demo")
    .description("seed synthetic clients (valid Chinese names, resident IDs, phones, addresses)")
    .option("--clients <n>", "how many", positiveInt, 100)
    .option("--seed <n>", "random seed", positiveInt, 1)
    .option("--batch <n>", "clients per transaction", positiveInt, 2000)
    .option("--json", "machine-readable output")
    .option("--quiet", "no progress bar on stderr")
    .addOption(dataDirOption())
    .action(async (o) => {
      const result = await withServices(o.dataDir, async (s) => {
        const next = syntheticClients(o.seed);
        const ctx = consoleContext({ userId: "system:demo", role: "partner" });
        const bar = o.quiet ? null : progressBar("clients", o.clients);
        const started = process.hrtime.bigint();
        // Made as they are needed: a million clients are never all in memory.
        const batches = function* () {
          for (let made = 0; made < o.clients; ) {
            const size = Math.min(o.batch, o.clients - made);
            made += size;
            yield Array.from({ length: size }, (): ClientData => ({ ...next(), purposes: ["case-handling", "conflict-check", "billing", "client-service"] }));
          }
        };
        await importBatches(s, ctx, batches(), (done) => bar?.update(done));
        bar?.stop();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        return { clients: o.clients, seconds: Math.round(seconds * 1000) / 1000, perSecond: Math.round(o.clients / seconds) };
      });
      console.log(o.json ? JSON.stringify(result) : `Seeded ${result.clients} synthetic clients in ${result.seconds}s (${result.perSecond}/s).`);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    failConfig(error);
  }
}
