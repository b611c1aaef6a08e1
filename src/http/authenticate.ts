import type { FastifyReply, FastifyRequest } from "fastify";
import type { RequestContext } from "../access/policy/actor.js";
import { isRole } from "../access/policy/roles.js";
import { type AuditActor, type AuditDraft, runUnitOfWork } from "../platform/audit/audited.js";
import { bearerCredential } from "../platform/crypto/bearer.js";
import { SESSION_COOKIE, type Session, type SessionKind } from "../identity/auth/session-store.js";
import type { SignInServices } from "../identity/auth/sign-in-services.js";
import {
  type AppError,
  AuthenticationError,
  CsrfRejectedError,
  MfaEnrolmentRequiredError,
  MfaRequiredError,
  SessionRequiredError,
} from "../platform/errors.js";
import { authenticateToken } from "../identity/users/authenticator.js";

declare module "fastify" {
  interface FastifyRequest {
    custodia: RequestContext | null;
    /** The cookie session behind this request; null for bearer tokens. */
    custodiaSession: Session | null;
  }
}

/** How a caller may be signed in: a bearer token, or a cookie session of a given kind. */
export type Credential = "token" | SessionKind;
/** What the API at large accepts: tokens and fully signed-in sessions. */
export const FULL_ACCESS: readonly Credential[] = ["token", "full"];

const PURPOSE = /^[a-z][a-z0-9-]{0,63}$/;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF rule for cookie-authenticated writes: the browser must say the request is same-origin
 * (Sec-Fetch-Site), or, from browsers that do not send that header, the Origin must be this host.
 * When Sec-Fetch-Site is present it decides, since only a browser sets it.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin";
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (!origin || !host) return false;
  try {
    const from = new URL(origin);
    // Parsed the same way, so "host:80" and "http://host" compare equal.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

const refusalFor = (kind: SessionKind): AppError =>
  kind === "mfa" ? MfaRequiredError() : kind === "enrolment" ? MfaEnrolmentRequiredError() : SessionRequiredError();

/**
 * Bearer tokens as before; without an Authorization header, the session cookie. Each route says
 * which kinds it accepts, so a half-finished sign-in only reaches the step it is on. Every refusal
 * is audited without the presented token or cookie.
 */
export const authenticate = (kit: SignInServices, accept: readonly Credential[] = FULL_ACCESS) =>
  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const { services } = kit;
    /** Commits the refusal's audit event (one unit of work, never the presented secret), then throws. */
    const refuse = (actor: AuditActor, error: AppError, event: Omit<AuditDraft, "outcome">, outcome: "denied" | "failure"): Promise<never> =>
      runUnitOfWork<never>(services, { actor, requestId: request.id, purpose: null }, async (w) =>
        w.refuse(error, { ...event, details: { route: request.routeOptions.url ?? null, ...event.details } }, outcome),
      );
    const nobody: AuditActor = { kind: "signing_in", userId: null, role: null };
    const staff = (actor: { userId: string; role: string }): AuditActor => ({ kind: "staff", userId: actor.userId, role: actor.role });
    const purposeHeader = request.headers["x-purpose"];
    const purpose = typeof purposeHeader === "string" && purposeHeader.trim() ? purposeHeader.trim() : null;
    const contextFor = (actor: RequestContext["actor"]): RequestContext => ({
      actor,
      requestId: request.id,
      // A malformed purpose is kept as an unknown marker so the policy refuses it, audited.
      purpose: purpose === null ? null : PURPOSE.test(purpose) ? purpose : "\u0000invalid",
    });

    const header = request.headers.authorization;
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (header !== undefined || !cookie) {
      const token = bearerCredential(header);
      const actor = token ? await authenticateToken(services, token) : null;
      if (!actor) return refuse(nobody, AuthenticationError(), { action: "auth.token", reason: token ? "invalid_token" : "missing_token" }, "failure");
      if (!accept.includes("token")) return refuse(staff(actor), SessionRequiredError(), { action: "auth.token", reason: "session_required" }, "denied");
      request.custodia = contextFor({ userId: actor.userId, role: actor.role });
      return;
    }

    const found = await kit.sessions.find(cookie);
    if (!found.ok || !isRole(found.user.role)) {
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return refuse(nobody, AuthenticationError(), { action: "auth.session", reason: found.ok ? "invalid_session" : found.reason }, "failure");
    }
    const { session } = found;
    const actor = { userId: session.userId, role: found.user.role };
    const onSession = { targetType: "session", targetId: session.id };
    if (UNSAFE.has(request.method) && !sameOrigin(request)) {
      return refuse(
        staff(actor),
        CsrfRejectedError(),
        { action: "auth.csrf", reason: "csrf_rejected", ...onSession, details: { method: request.method } },
        "denied",
      );
    }
    if (!accept.includes(session.kind)) {
      const refusal = refusalFor(session.kind);
      return refuse(staff(actor), refusal, { action: "auth.session", reason: refusal.code, ...onSession }, "denied");
    }
    await kit.sessions.touch(session);
    request.custodiaSession = session;
    request.custodia = contextFor(actor);
  };

export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.custodia) throw new Error("route is missing the authenticate hook");
  return request.custodia;
}

export function sessionOf(request: FastifyRequest): Session {
  if (!request.custodiaSession) throw SessionRequiredError();
  return request.custodiaSession;
}
