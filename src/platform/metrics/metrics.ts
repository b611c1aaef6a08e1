/**
 * Prometheus metrics (prom-client), one registry per server so that several servers in one
 * process (tests) keep apart. Labels are route patterns, methods, status classes and rule codes:
 * never a raw URL, an id or a name.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Services } from "../services.js";
import { type OperationalFigures, operationalFigureReader } from "./operational-figures.js";

export interface Metrics {
  readonly registry: Registry;
  /** Seconds one audit append took (the audit log calls `observe`). */
  readonly auditAppend: Histogram;
  /** One answered HTTP request: `route` is the route's pattern, or null when no route matched. */
  observeRequest(route: string | null, method: string, statusCode: number, seconds: number): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  readonly now?: () => Date;
  /** Scrapes within this many milliseconds share one reading of the database. */
  readonly figuresTtlMs?: number;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const UNMATCHED = "(unmatched)";

export function createMetrics(services: Pick<Services, "engine" | "auditLog" | "auditSequencer">, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const now = options.now ?? (() => new Date());
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "custodia_http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status class.",
    labelNames: ["route", "method", "status_class"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "custodia_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by route pattern, method and status class.",
    labelNames: ["route", "method", "status_class"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const auditAppend = new Histogram({
    name: "custodia_audit_append_duration_seconds",
    help: "Time to append events to the audit log.",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  services.auditLog.onAppendTimed = (seconds) => auditAppend.observe(seconds);
  new Gauge({
    name: "custodia_audit_sequencer_delay_seconds",
    help: "How long the oldest event of this server's last sequencer batch waited for its place in the log (NaN until a batch ran here).",
    registers,
    collect() {
      const { batches, lastDelayMs } = services.auditSequencer.stats;
      this.set(batches > 0 ? lastDelayMs / 1000 : Number.NaN);
    },
  });

  // Scrape-time figures: the first collector of a scrape reads the database, the others share it.
  const read = operationalFigureReader(services.engine.db);
  const ttl = options.figuresTtlMs ?? 1000;
  let cached: { at: number; figures: Promise<OperationalFigures> } | null = null;
  const figures = (): Promise<OperationalFigures> => {
    const t = Date.now();
    if (!cached || t - cached.at > ttl) {
      const pending = read(now());
      cached = { at: t, figures: pending };
      // A failed reading is not kept: the next scrape tries again.
      pending.catch(() => {
        if (cached?.figures === pending) cached = null;
      });
    }
    return cached.figures;
  };
  // A database that cannot answer leaves these series NaN (and the process metrics still answer).
  const figuresOrNull = () => figures().catch(() => null);
  new Gauge({
    name: "custodia_metrics_database_ok",
    help: "1 when this scrape could read its figures from the database, 0 when it could not.",
    registers,
    async collect() {
      this.set((await figuresOrNull()) ? 1 : 0);
    },
  });

  new Counter({
    name: "custodia_detection_rule_firings_total",
    help: "Alerts raised by each detection rule, as recorded in the database.",
    labelNames: ["rule"] as const,
    registers,
    async collect() {
      const f = await figuresOrNull();
      if (!f) return;
      this.reset();
      for (const [rule, n] of f.ruleFirings) this.inc({ rule }, n);
    },
  });
  new Gauge({
    name: "custodia_client_requests",
    help: "Open client requests by deadline state: due (still in time) or overdue.",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const f = await figuresOrNull();
      this.set({ state: "due" }, f ? f.clientRequests.due : Number.NaN);
      this.set({ state: "overdue" }, f ? f.clientRequests.overdue : Number.NaN);
    },
  });
  new Gauge({
    name: "custodia_incident_duties",
    help: "Pending incident notification duties by deadline state: due (still in time) or overdue.",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const f = await figuresOrNull();
      this.set({ state: "due" }, f ? f.incidentDuties.due : Number.NaN);
      this.set({ state: "overdue" }, f ? f.incidentDuties.overdue : Number.NaN);
    },
  });
  new Gauge({
    name: "custodia_kek_age_seconds",
    help: "Age of the active key-encryption key version.",
    registers,
    async collect() {
      this.set((await figuresOrNull())?.kekAgeSeconds ?? Number.NaN);
    },
  });
  new Gauge({
    name: "custodia_kek_version",
    help: "The active key-encryption key version.",
    registers,
    async collect() {
      this.set((await figuresOrNull())?.kekVersion ?? Number.NaN);
    },
  });
  new Gauge({
    name: "custodia_backup_age_seconds",
    help: "Time since the last successful in-process backup recorded in the audit log (NaN when none is recorded, e.g. PostgreSQL with pg_dump).",
    registers,
    async collect() {
      this.set((await figuresOrNull())?.backupAgeSeconds ?? Number.NaN);
    },
  });

  return {
    registry,
    auditAppend,
    observeRequest(route, method, statusCode, seconds) {
      const labels = {
        route: route ?? UNMATCHED,
        method: METHODS.has(method) ? method : "OTHER",
        status_class: `${Math.floor(statusCode / 100)}xx`,
      };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
