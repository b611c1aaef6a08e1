import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { mfaRequired } from "../../../access/policy/policy.js";
import { nameOf } from "../../../identity/users/staff-directory.js";
import { ROLE_DEFINITIONS } from "../../../access/policy/roles.js";
import { firmPermissions } from "../../../access/policy/abilities.js";
import { passwordSignIn } from "../../../identity/auth/password-sign-in.js";
import { completeSignIn } from "../../../identity/auth/second-factor.js";
import { SESSION_COOKIE, summariseUserAgent, type IssuedSession } from "../../../identity/auth/session-store.js";
import type { CallerFacts, SignInServices } from "../../../identity/auth/sign-in-services.js";
import { signOut, signOutEverywhere } from "../../../identity/auth/sign-out.js";
import { changePassword } from "../../../identity/auth/password-change.js";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../../identity/auth/totp-enrolment.js";
import { authenticate, contextOf, FULL_ACCESS, sessionOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { passkeyRoutes } from "./passkeys.js";
import { secondFactorRoutes } from "./second-factor.js";
import { PasswordChangeSchema } from "./schema.js";
import {
  LoginSchema,
  MeSchema,
  RecoveryCodesSchema,
  SecondFactorSchema,
  SessionListSchema,
  SignInStatusSchema,
  TotpConfirmSchema,
  TotpEnrolmentSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };
const tags = ["sign-in"];
const cookieOnly = [{ session: [] }];

/** Staff sign-in: password, then TOTP (or a recovery code), into an httpOnly session cookie. */
export const authRoutes =
  (kit: SignInServices, options: { secureCookies: boolean }): FastifyPluginAsyncZod =>
  async (app) => {
    const caller = (request: FastifyRequest): CallerFacts => ({
      requestId: request.id,
      ip: request.ip ?? null,
      userAgent: summariseUserAgent(request.headers["user-agent"]),
    });
    const setSession = (reply: FastifyReply, issued: IssuedSession) =>
      reply.setCookie(SESSION_COOKIE, issued.token, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        secure: options.secureCookies,
        expires: new Date(issued.session.absoluteExpiresAt),
      });
    const clearSession = (reply: FastifyReply) =>
      reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "strict", secure: options.secureCookies });
    // Passkeys (WebAuthn): a second factor beside TOTP, sharing its sign-in path (passkeys.ts).
    await app.register(passkeyRoutes(kit, { secureCookies: options.secureCookies, setSession, caller }), { prefix: "/passkeys" });
    // One's own authenticator and recovery codes, managed from the account page (second-factor.ts).
    await app.register(secondFactorRoutes(kit, { caller }));

    app.post(
      "/login",
      {
        schema: {
          tags,
          summary: "Sign in with email and password",
          description: "Sets the session cookie. Unknown email and wrong password give the same 401.",
          security: [],
          body: LoginSchema,
          response: { 200: SignInStatusSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await passwordSignIn(kit, request.body, caller(request));
        setSession(reply, result.issued);
        return { status: result.status, expiresAt: result.issued.session.absoluteExpiresAt };
      },
    );

    app.post(
      "/totp",
      {
        onRequest: authenticate(kit, ["mfa"]),
        schema: {
          tags,
          summary: "Finish sign-in with a TOTP code or a recovery code",
          security: cookieOnly,
          body: SecondFactorSchema,
          response: { 200: SignInStatusSchema, ...errors },
        },
      },
      async (request, reply) => {
        const issued = await completeSignIn(kit, sessionOf(request), request.body, caller(request));
        setSession(reply, issued);
        return { status: "signed_in" as const, expiresAt: issued.session.absoluteExpiresAt };
      },
    );

    app.post(
      "/totp/enrol",
      {
        onRequest: authenticate(kit, ["enrolment", "full"]),
        schema: {
          tags,
          summary: "Start authenticator enrolment (secret and otpauth:// URI, shown once)",
          security: cookieOnly,
          response: { 200: TotpEnrolmentSchema, ...errors },
        },
      },
      async (request) => startTotpEnrolment(kit, sessionOf(request), caller(request)),
    );

    app.post(
      "/totp/confirm",
      {
        onRequest: authenticate(kit, ["enrolment", "full"]),
        schema: {
          tags,
          summary: "Confirm enrolment with a first code; returns ten recovery codes once",
          security: cookieOnly,
          body: TotpConfirmSchema,
          response: { 200: RecoveryCodesSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { recoveryCodes, issued } = await confirmTotpEnrolment(kit, sessionOf(request), request.body.code, caller(request));
        if (issued) setSession(reply, issued);
        return { status: "signed_in" as const, recoveryCodes };
      },
    );

    app.get(
      "/sessions",
      {
        onRequest: authenticate(kit, FULL_ACCESS),
        schema: { tags, summary: "Your live sessions", response: { 200: SessionListSchema, ...errors } },
      },
      async (request) => {
        const current = request.custodiaSession?.id ?? null;
        const sessions = await kit.sessions.listLive(contextOf(request).actor.userId);
        return { items: sessions.map(({ kind: _kind, userId: _user, ...s }) => ({ ...s, current: s.id === current })) };
      },
    );

    app.post(
      "/logout",
      {
        onRequest: authenticate(kit, ["full", "mfa", "enrolment"]),
        schema: { tags, summary: "Sign out of this session", security: cookieOnly, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await signOut(kit, contextOf(request), sessionOf(request).id);
        clearSession(reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/logout-all",
      {
        onRequest: authenticate(kit, FULL_ACCESS),
        schema: {
          tags,
          summary: "Sign out everywhere: end every session of your account",
          response: { 200: z.object({ sessionsRevoked: z.number().int() }), ...errors },
        },
      },
      async (request, reply) => {
        const sessionsRevoked = await signOutEverywhere(kit, contextOf(request));
        if (request.custodiaSession) clearSession(reply);
        return { sessionsRevoked };
      },
    );

    app.post(
      "/password",
      {
        onRequest: authenticate(kit, FULL_ACCESS),
        schema: {
          tags,
          summary: "Change your password (current + new); your other sessions end, this one stays",
          description: "A wrong current password counts towards the sign-in lockout.",
          body: PasswordChangeSchema,
          response: { 200: z.object({ sessionsRevoked: z.number().int() }), ...errors },
        },
      },
      async (request) => changePassword(kit, contextOf(request), request.custodiaSession?.id ?? null, request.body, caller(request)),
    );

    app.get(
      "/me",
      {
        onRequest: authenticate(kit, ["token", "full", "mfa", "enrolment"]),
        schema: { tags, summary: "Who you are signed in as, and your second-factor status", response: { 200: MeSchema, ...errors } },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const enrolled = await kit.services.engine.db
          .selectFrom("totp_enrolments")
          .select("user_id")
          .where("user_id", "=", actor.userId)
          .where("confirmed_at", "is not", null)
          .executeTakeFirst();
        const session = request.custodiaSession;
        // The console's user menu names who is signed in (issue #15).
        const user = await kit.services.engine.db.selectFrom("users").select(["email", "display_name"]).where("id", "=", actor.userId).executeTakeFirst();
        return {
          userId: actor.userId,
          displayName: user ? nameOf(user.display_name, user.email) : "",
          email: user?.email ?? "",
          role: actor.role,
          clearance: ROLE_DEFINITIONS[actor.role].clearance,
          // The firm-level abilities, as the policy answers them (src/access/policy/abilities.ts).
          permissions: firmPermissions(actor),
          mfa: { required: mfaRequired(actor.role), enrolled: Boolean(enrolled) },
          session: session ? { kind: session.kind, absoluteExpiresAt: session.absoluteExpiresAt } : null,
        };
      },
    );
  };
