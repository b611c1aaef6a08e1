/**
 * Operations endpoints: readiness (/api/v1/readyz) for load balancers and orchestrators, and the
 * Prometheus exposition (/metrics) for a scraper on this machine or one holding the metrics token.
 * Neither reads personal data, so neither writes an audit event.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AuthenticationError } from "../../platform/errors.js";
import { metricsGate } from "../../platform/metrics/metrics-access.js";
import type { Metrics } from "../../platform/metrics/metrics.js";
import { checkReadiness, type ReadinessOptions } from "../../platform/metrics/readiness.js";
import type { Services } from "../../platform/services.js";
import { handleNotFound } from "../errors.js";

const CheckSchema = z.object({
  status: z.enum(["ok", "failed", "skipped"]),
  /** Why it failed, as a stable code (database_unreachable, key_unavailable, audit_checkpoint_stale …). */
  code: z.string().optional(),
});
const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.object({ database: CheckSchema, keyProvider: CheckSchema, auditWriter: CheckSchema }),
});

export const readinessRoutes =
  (services: Services, options: ReadinessOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/readyz",
      {
        schema: {
          tags: ["system"],
          summary: "Readiness: database, key provider and audit writer (503 names the failed check)",
          security: [],
          response: { 200: ReadinessSchema, 503: ReadinessSchema },
        },
      },
      async (_request, reply) => {
        const report = await checkReadiness(services, options);
        return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? "ready" : "not_ready", checks: report.checks });
      },
    );
  };

/** Hidden from the OpenAPI document: it is for operators' scrapers, documented in the README. */
export const metricsRoutes =
  (metrics: Metrics, token: string | null): FastifyPluginAsync =>
  async (app) => {
    const access = metricsGate(token);
    app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
      const decision = access(request);
      // Without a token configured, a remote caller sees the same 404 as any unknown path.
      if (decision === "hidden") return handleNotFound(request, reply);
      if (decision === "unauthorised") throw AuthenticationError();
      const { contentType, body } = await metrics.scrape();
      return reply.header("cache-control", "no-store").type(contentType).send(body);
    });
  };

/** Times every answered request under its route pattern (never the raw URL, which may hold ids). */
export const recordRequestMetrics = (metrics: Metrics) =>
  async function recordRequestMetrics(request: FastifyRequest, reply: FastifyReply) {
    metrics.observeRequest(request.routeOptions.url ?? null, request.method, reply.statusCode, reply.elapsedTime / 1000);
  };
