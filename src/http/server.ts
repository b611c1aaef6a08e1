import { randomUUID } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import { z } from "zod";
import { createSignInServices } from "../identity/auth/sign-in-services.js";
import type { SignInSettings } from "../identity/auth/settings.js";
import { AppError } from "../platform/errors.js";
import type { Services } from "../platform/services.js";
import { authenticate } from "./authenticate.js";
import { strictJsonBodies } from "./body-parser.js";
import { handleError, handleNotFound } from "./errors.js";
import { securityHeaders } from "./security-headers.js";
import { createAuditChainVerifier } from "../platform/audit/audit-verify-runner.js";
import { auditRoutes } from "./routes/audit.js";
import { authRoutes } from "./routes/auth/index.js";
import { clientRoutes } from "./routes/clients/index.js";
import { conflictRoutes } from "./routes/conflicts/index.js";
import { matterRoutes } from "./routes/matters/index.js";
import { wallRoutes } from "./routes/walls/index.js";
import { consentRoutes } from "./routes/consents/index.js";
import { noticeRoutes, publicNoticeRoutes } from "./routes/notices/index.js";
import { inventoryRoutes } from "./routes/inventory.js";
import { detectionRoutes } from "./routes/detection/index.js";
import { incidentRoutes } from "./routes/incidents/index.js";
import { portalRoutes, requestRoutes } from "./routes/requests/index.js";
import { holdRoutes } from "./routes/holds/index.js";
import { retentionRoutes } from "./routes/retention/index.js";
import { requestSettings } from "../rights/requests/settings.js";
import type { RequestSettings } from "../rights/requests/request.js";
import { approvalRoutes } from "./routes/approvals/index.js";
import { breakGlassRoutes } from "./routes/break-glass/index.js";
import { staffRoutes } from "./routes/staff/index.js";
import { lookupRoutes } from "./routes/lookup/index.js";
import { notificationRoutes } from "./routes/notifications/index.js";
import { complaintRoutes, portalComplaintRoutes } from "./routes/complaints/index.js";
import { accountabilityRoutes } from "./routes/accountability/index.js";
import { dashboardRoutes } from "./routes/dashboard/index.js";
import { workRoutes } from "./routes/work/index.js";
import { kpiRoutes } from "./routes/kpis/index.js";
import { webRoutes } from "./web.js";
import { adminRoutes } from "./routes/admin/index.js";
import { accessReviewRoutes } from "./routes/access-reviews/index.js";
import { staffCalendarRoutes } from "./routes/staff-calendars/index.js";
import { documentRoutes } from "./routes/documents/index.js";
import { publicShareRoutes, shareRoutes } from "./routes/shares/index.js";
import { createMetrics, type Metrics } from "../platform/metrics/metrics.js";
import { parseMetricsToken } from "../platform/metrics/metrics-access.js";
import { metricsRoutes, readinessRoutes, recordRequestMetrics } from "./routes/system.js";
import type { JobScheduler } from "../governance/jobs/job-scheduler.js";
import { jobRoutes } from "./routes/jobs/index.js";
import { deidentificationProfileRoutes } from "./routes/deidentification-profiles/index.js";
import { partnerRoutes, publicPartnerQuestionnaireRoutes } from "./routes/partners/index.js";
import { paperRoutes } from "./routes/paper/index.js";
import { assessmentRoutes } from "./routes/assessments/index.js";
import { trainingRoutes } from "./routes/training/index.js";
// People and governance (issue #14): devices, privacy team, policies, appraisal and awards.
import { deviceRoutes } from "./routes/devices/index.js";
import { privacyTeamRoutes, publicPrivacyContactRoutes } from "./routes/privacy-team/index.js";
import { policyRoutes } from "./routes/policies/index.js";
import { appraisalRoutes } from "./routes/accountability/appraisal.js";
import { disclosureRoutes } from "./routes/disclosures/index.js";

export interface ServerOptions {
  logLevel?: string;
  /** Where JSON log lines go (stdout by default); tests capture it. */
  logStream?: DestinationStream;
  https?: { cert: Buffer; key: Buffer } | null;
  /** TLS terminates in front of Custodia: still send HSTS. */
  behindTlsProxy?: boolean;
  /**
   * Addresses or CIDR ranges of the proxies in front (validated by the caller): from them, and
   * only from them, X-Forwarded-For names the client, so lockouts and rate limits count per client.
   * Empty (the default): the connection's own address, whatever the headers say.
   */
  trustedProxies?: readonly string[];
  /** Requests per minute per client address on the API; 0 turns the limit off (benchmarks only). */
  rateLimitPerMinute?: number;
  /** Session timeouts, lockout thresholds and the clock (tests inject one). */
  signIn?: Partial<SignInSettings>;
  /** Client portal: code sender (dev outbox by default), clock, proof difficulty, limits (tests inject). */
  clientRequests?: Partial<RequestSettings>;
  /** Prometheus metrics; one registry per server when not given (serve passes one the audit log also feeds). */
  metrics?: Metrics;
  /** Bearer token for /metrics from other hosts (CUSTODIA_METRICS_TOKEN); without one, loopback only. */
  metricsToken?: string | null;
  /** The audit checkpoint log outside the database (serve: <data dir>/audit-checkpoints.jsonl), checked by GET /audit/verify. */
  checkpointLog?: string;
  /** Scheduled jobs (serve starts them); without, /api/v1/jobs is not served. */
  jobs?: JobScheduler;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

// Paths only: query strings may hold an ID number or a phone being searched for.
const pathOnly = (url: string) => url.split("?")[0];

/**
 * Swagger UI loads its scripts and styles as files from this origin, so neither 'unsafe-inline'
 * nor 'unsafe-eval' is needed. The one inline style is the fixed <style> inside its bundled logo
 * SVG, allowed by its hash. It fetches the spec (and "Try it out" calls the API) from this
 * origin; its CSS uses data: images. Checked in Chromium: no violation.
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // ".logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}" (swagger-ui 5's logo)
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

export async function buildServer(services: Services, options: ServerOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyServerOptions["logger"] = {
    level: options.logLevel ?? "info",
    ...(options.logStream ? { stream: options.logStream } : {}),
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-purpose"]'], censor: "[redacted]" },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: pathOnly(req.url), ip: req.ip }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  const app = Fastify({
    logger,
    bodyLimit: 64 * 1024,
    // An incoming X-Request-Id is kept only if it is plainly an id, so nothing else reaches logs.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // proxy-addr semantics: the client is the nearest address, walking X-Forwarded-For back from
    // the connection, that is not a trusted proxy; a header from anyone else is ignored.
    trustProxy: options.trustedProxies?.length ? [...options.trustedProxies] : false,
    ...(options.https ? { https: { ...options.https, minVersion: "TLSv1.2" as const } } : {}),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  strictJsonBodies(app);
  const metrics = options.metrics ?? createMetrics(services);
  app.addHook("onResponse", recordRequestMetrics(metrics));
  app.decorateRequest("custodia", null);
  app.decorateRequest("custodiaSession", null);
  // Cookies are parsed, never signed: the session cookie carries its own 256-bit secret.
  await app.register(fastifyCookie);

  const hsts = Boolean(options.https) || options.behindTlsProxy === true;
  const signIn = createSignInServices(services, options.signIn);
  // One audit-chain walk at a time, on a worker thread; a walk in progress ends with the server.
  const auditVerifier = createAuditChainVerifier(services.engine, services.vault.checkpointPublicKey, options.checkpointLog ?? null);
  app.addHook("onClose", () => auditVerifier.close());
  // Security headers by helmet, worked out once (security-headers.ts). Its CSP stays off here: the
  // console and portal pages send their own with a per-response nonce (web.ts), the API sends a
  // deny-all one below, and Swagger UI needs its own.
  const security = securityHeaders({
    contentSecurityPolicy: false,
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(security);
    done();
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (request.url.startsWith("/api/v1")) {
      reply.header("cache-control", "no-store");
      reply.header("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    }
  });

  const rateLimit = options.rateLimitPerMinute ?? Number(process.env.CUSTODIA_RATE_LIMIT_PER_MINUTE ?? 1200);
  if (rateLimit > 0) {
    // Before authentication, so token guessing is throttled too. Errors go through handleError.
    await app.register(fastifyRateLimit, {
      max: rateLimit,
      timeWindow: "1 minute",
      errorResponseBuilder: () => new AppError(429, "rate_limited", "Too many requests; slow down."),
    });
  }
  // Unknown paths answer like any other 404, naming neither the path nor its query string (and
  // probing them is rate-limited like any other request).
  if (rateLimit > 0) app.setNotFoundHandler({ preHandler: app.rateLimit() }, handleNotFound);
  else app.setNotFoundHandler(handleNotFound);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Custodia API",
        version: "0.1.0",
        description: "Confidential client-records vault. Every read of personal data declares a purpose (X-Purpose) and is audited.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" }, session: { type: "apiKey", in: "cookie", name: "custodia_session" } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: API_DOCS_CSP });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      api.get(
        "/healthz",
        {
          schema: {
            tags: ["system"],
            summary: "Liveness and database reachability",
            security: [],
            response: { 200: z.object({ status: z.literal("ok"), database: z.string() }) },
          },
        },
        async () => {
          await services.engine.db.selectFrom("key_versions").select("version").limit(1).execute();
          return { status: "ok" as const, database: services.engine.name };
        },
      );
      await api.register(readinessRoutes(services));
      // Secure cookies whenever the browser reaches us over TLS, directly or through the proxy.
      await api.register(authRoutes(signIn, { secureCookies: hsts }), { prefix: "/auth" });
      // The privacy notice in force is public: clients read it before any account exists.
      await api.register(publicNoticeRoutes(services));
      await api.register(publicPrivacyContactRoutes(services));
      // A share link is opened by its outside recipient: the link and a one-time code, no staff sign-in.
      await api.register(publicShareRoutes(services));
      // A partner answers the due-diligence questionnaire through a one-time link, no staff sign-in.
      await api.register(publicPartnerQuestionnaireRoutes(services));
      // Client requests: the intake is public (identity is proven by a code, not a staff sign-in).
      const requestsConfig = requestSettings(options.clientRequests);
      await api.register(portalRoutes(services, requestsConfig));
      await api.register(portalComplaintRoutes(services, requestsConfig));
      await api.register(async (secured) => {
        secured.addHook("onRequest", authenticate(signIn));
        await secured.register(clientRoutes(services));
        await secured.register(matterRoutes(services));
        await secured.register(wallRoutes(services));
        await secured.register(conflictRoutes(services));
        await secured.register(auditRoutes(services, auditVerifier));
        if (options.jobs) await secured.register(jobRoutes(options.jobs));
        await secured.register(deidentificationProfileRoutes(services));
        await secured.register(partnerRoutes(services));
        await secured.register(paperRoutes(services));
        await secured.register(trainingRoutes(services));
        await secured.register(disclosureRoutes(services));
        await secured.register(inventoryRoutes(services));
        await secured.register(noticeRoutes(services));
        await secured.register(consentRoutes(services));
        await secured.register(detectionRoutes(services));
        await secured.register(incidentRoutes(services));
        await secured.register(requestRoutes(services, requestsConfig));
        await secured.register(holdRoutes(services));
        await secured.register(retentionRoutes(services));
        await secured.register(approvalRoutes(services));
        await secured.register(breakGlassRoutes(services));
        await secured.register(staffRoutes(services));
        await secured.register(lookupRoutes(services));
        await secured.register(notificationRoutes(services));
        await secured.register(complaintRoutes(services));
        await secured.register(accountabilityRoutes(services));
        await secured.register(deviceRoutes(services));
        await secured.register(privacyTeamRoutes(services));
        await secured.register(policyRoutes(services));
        await secured.register(appraisalRoutes(services));
        await secured.register(dashboardRoutes(services, requestsConfig));
        await secured.register(workRoutes(services, requestsConfig));
        await secured.register(kpiRoutes(services, requestsConfig));
        await secured.register(assessmentRoutes(services, requestsConfig));
        await secured.register(adminRoutes(services));
        await secured.register(accessReviewRoutes(services));
        await secured.register(staffCalendarRoutes(services));
        await secured.register(documentRoutes(services));
        await secured.register(shareRoutes(services));
      });
    },
    { prefix: "/api/v1" },
  );
  await app.register(metricsRoutes(metrics, options.metricsToken !== undefined ? options.metricsToken : parseMetricsToken(process.env.CUSTODIA_METRICS_TOKEN)));
  await webRoutes(app);

  return app;
}
