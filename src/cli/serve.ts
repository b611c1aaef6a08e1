import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { ledgerPath, syncErasureLedger } from "../governance/backups/erasure-ledger.js";
import { checkpointLogPath, syncCheckpointLog } from "../platform/audit/checkpoint-log.js";
import { pushToWitnesses, witnessesFromEnv } from "../platform/audit/witness.js";
import { ConfigError, loadConfig, parsePort, trustedProxies } from "../platform/config.js";
import { prepareDataDir } from "../platform/data-dir.js";
import { buildServer } from "../http/server.js";
import { senderFromEnv } from "../rights/requests/code-sender.js";
import { deliverDue } from "../response/notifications/delivery.js";
import { mailSenderFromEnv } from "../response/notifications/email.js";
import { openServices } from "../platform/services.js";
import { JobScheduler } from "../governance/jobs/job-scheduler.js";
import { jobSettingsFromEnv } from "../governance/jobs/job-settings.js";
import { createMetrics } from "../platform/metrics/metrics.js";
import { smtpSettingsFromEnv } from "../response/notifications/mail-transport.js";

export interface ServeOptions {
  dataDir?: string;
  host: string;
  /** As given (flag or CUSTODIA_PORT); checked to be 1–65535. */
  port: number | string;
  tlsCert?: string;
  tlsKey?: string;
  behindTlsProxy?: boolean;
  /** `--trusted-proxy` values: the proxies whose X-Forwarded-For is believed. */
  trustedProxy?: string[];
}

export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** ENC-2: plain HTTP only on loopback; anything else needs TLS here or an explicit TLS proxy. */
export function transportProblem(o: ServeOptions): string | null {
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) return "Give both --tls-cert and --tls-key.";
  if (isLoopback(o.host) || o.tlsCert || o.behindTlsProxy) return null;
  return `Refusing to serve plain HTTP on ${o.host}: client data would cross the network unencrypted. Use --tls-cert and --tls-key, or --behind-tls-proxy if a TLS proxy terminates in front of Custodia.`;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`Cannot read ${flag} ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
  }
}

/** The client address comes from X-Forwarded-For only behind a TLS proxy, and only from the proxies named. */
function proxiesOf(o: ServeOptions): string[] {
  if (!o.behindTlsProxy) {
    if (o.trustedProxy?.length) throw new ConfigError("--trusted-proxy applies only with --behind-tls-proxy.");
    return [];
  }
  return trustedProxies(o.trustedProxy);
}

export async function serve(o: ServeOptions): Promise<void> {
  // Every option is checked before the data directory is touched: a refused start creates nothing.
  const port = parsePort(o.port);
  const problem = transportProblem(o);
  if (problem) throw new ConfigError(problem);
  const proxies = proxiesOf(o);
  const https = o.tlsCert && o.tlsKey ? { cert: readPem(o.tlsCert, "--tls-cert"), key: readPem(o.tlsKey, "--tls-key") } : null;
  const config = loadConfig({ dataDir: o.dataDir });
  const jobSettings = jobSettingsFromEnv(config.dataDir);
  smtpSettingsFromEnv(); // a wrong mail setting refuses the start before the data directory is touched
  const witnesses = witnessesFromEnv();
  const keyProvider = await prepareDataDir(config, "create");
  const services = await openServices(config, { keyProvider });
  // SQLite: the WAL is copied back into the database file by a worker thread, not by the commit of
  // whichever request fills it (platform/db/wal); stopped when the services close.
  services.engine.checkpointInBackground?.();
  // Backups, their checks, the restore drill, KEK rotation, retention sweeps and reminders, on their
  // cron schedules in the firm's time zone; one server of several runs them (a lease in the database).
  const jobs = new JobScheduler(
    { services, config, keyProvider, settings: jobSettings },
    { onRun: (r) => app.log.info({ job: r.job, outcome: r.result.outcome, code: r.result.code ?? null }, "scheduled job ran") },
  );
  // One registry the HTTP hooks and the audit log both feed.
  const metrics = createMetrics(services);
  // Portal codes go to <data dir>/outbox.jsonl unless CUSTODIA_SMTP_URL (email) or CUSTODIA_SMS_PROVIDER (phone) is set.
  const app = await buildServer(services, {
    https,
    behindTlsProxy: o.behindTlsProxy ?? false,
    trustedProxies: proxies,
    clientRequests: { sender: senderFromEnv(config.dataDir, process.env, services) },
    jobs,
    metrics,
    checkpointLog: checkpointLogPath(config.dataDir),
  });
  // The audit sequencer (in services) places events and signs checkpoints within about a second.
  // Every minute and at shutdown: copy the signed checkpoints to the checkpoint log outside the
  // database, and new erasures into the erasure ledger outside it (so restoring an older backup
  // re-shreds them). Request reminders are a scheduled job.
  const copyOut = async () => {
    await syncErasureLedger(services, ledgerPath(config.dataDir)).catch(() => app.log.warn("erasure ledger sync failed"));
    await syncCheckpointLog(services.engine.db, checkpointLogPath(config.dataDir)).catch(() => app.log.warn("checkpoint log sync failed"));
    // Witnesses cosign the latest checkpoint if it extends what they saw; a refusal is audited.
    for (const o of await pushToWitnesses(services, witnesses).catch(() => [])) {
      if (o.outcome === "refused" || o.outcome === "unreachable") app.log.warn({ witness: o.witness, outcome: o.outcome }, "audit witness did not cosign");
    }
  };
  await copyOut();
  const timer = setInterval(copyOut, 60_000);
  timer.unref();
  // Webhooks and emails queued by the notification outbox; rows are leased, so several servers
  // (and `custodia notifications deliver` from cron) may run this at once.
  const mail = mailSenderFromEnv(config.dataDir);
  let delivering = false;
  const deliver = () => {
    if (delivering) return;
    delivering = true;
    deliverDue(services, new Date(), { mail })
      .catch(() => app.log.warn("notification delivery failed"))
      .finally(() => (delivering = false));
  };
  const deliveryTimer = setInterval(deliver, 15_000);
  deliveryTimer.unref();
  const stop = async () => {
    clearInterval(timer);
    clearInterval(deliveryTimer);
    await jobs.stop();
    await app.close();
    await services.auditSequencer.stop({ flush: true });
    await copyOut();
    await services.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await app.listen({ host: o.host, port });
  jobs.start((code) => app.log.warn({ code }, "scheduled jobs failed"));
  app.log.info({ database: services.engine.name }, `Custodia listening on ${https ? "https" : "http"}://${o.host}:${port}`);
}
