import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { ledgerPath, syncErasureLedger } from "../governance/backups/erasure-ledger.js";
import { checkpointLogPath, syncCheckpointLog } from "../platform/audit/checkpoint-log.js";
import { ConfigError, loadConfig, parsePort, trustedProxies } from "../platform/config.js";
import { prepareDataDir } from "../platform/data-dir.js";
import { buildServer } from "../http/server.js";
import { senderFromEnv } from "../rights/requests/code-sender.js";
import { deliverDue } from "../response/notifications/delivery.js";
import { mailSenderFromEnv } from "../response/notifications/email.js";
import { openServices } from "../platform/services.js";
import { remindRequests } from "../rights/requests/request-reminders.js";

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
  const keyProvider = await prepareDataDir(config, "create");
  const services = await openServices(config, { keyProvider });
  // Portal codes go to <data dir>/outbox.jsonl unless CUSTODIA_SMTP_URL names a relay.
  const app = await buildServer(services, {
    https,
    behindTlsProxy: o.behindTlsProxy ?? false,
    trustedProxies: proxies,
    clientRequests: { sender: senderFromEnv(config.dataDir) },
  });
  // Every minute and at shutdown: sign the audit head (and copy the signed checkpoints to the outside
  // checkpoint log), copy new erasures into the erasure ledger
  // outside the database (so restoring an older backup re-shreds them), and send request reminders.
  const checkpoint = async () => {
    await services.engine.db
      .transaction()
      .execute((tx) => services.auditLog.checkpoint(tx))
      .catch(() => app.log.warn("audit checkpoint failed"));
    await syncErasureLedger(services, ledgerPath(config.dataDir)).catch(() => app.log.warn("erasure ledger sync failed"));
    await syncCheckpointLog(services.engine.db, checkpointLogPath(config.dataDir)).catch(() => app.log.warn("checkpoint log sync failed"));
    // Request reminders and overdue notices, each claimed once per deadline (safe with several servers).
    await remindRequests(services, new Date()).catch(() => app.log.warn("request reminders failed"));
  };
  await checkpoint();
  const timer = setInterval(checkpoint, 60_000);
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
    await app.close();
    await checkpoint();
    await services.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await app.listen({ host: o.host, port });
  app.log.info({ database: services.engine.name }, `Custodia listening on ${https ? "https" : "http"}://${o.host}:${port}`);
}
