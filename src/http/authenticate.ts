import type { FastifyReply, FastifyRequest } from "fastify";
import type { RequestContext } from "../access/actor.js";
import { AuthenticationError } from "../errors.js";
import type { Services } from "../services.js";
import { authenticateToken } from "../users/authenticator.js";

declare module "fastify" {
  interface FastifyRequest {
    custodia: RequestContext | null;
  }
}

const PURPOSE = /^[a-z][a-z0-9-]{0,63}$/;

/** Bearer-token authentication; failures are audited without the presented token. */
export const authenticate = (services: Services) =>
  async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
    const header = request.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : null;
    const actor = token ? await authenticateToken(services, token) : null;
    if (!actor) {
      await services.engine.db.transaction().execute((tx) =>
        services.auditLog.append(tx, [{ action: "auth.token", outcome: "failure", reason: token ? "invalid_token" : "missing_token", requestId: request.id, details: { route: request.routeOptions.url ?? null } }]),
      );
      throw AuthenticationError();
    }
    const purposeHeader = request.headers["x-purpose"];
    const purpose = typeof purposeHeader === "string" && purposeHeader.trim() ? purposeHeader.trim() : null;
    request.custodia = {
      actor: { userId: actor.userId, role: actor.role },
      requestId: request.id,
      // A malformed purpose is kept as an unknown marker so the policy refuses it, audited.
      purpose: purpose === null ? null : PURPOSE.test(purpose) ? purpose : "\u0000invalid",
    };
  };

export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.custodia) throw new Error("route is missing the authenticate hook");
  return request.custodia;
}
