import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  confirmTotpReplacement,
  regenerateRecoveryCodes,
  removeTotp,
  secondFactorStatus,
  startTotpReplacement,
} from "../../../identity/auth/second-factor-settings.js";
import type { CallerFacts, SignInServices } from "../../../identity/auth/sign-in-services.js";
import { authenticate, contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { RecoveryCodesSchema, TotpConfirmSchema, TotpEnrolmentSchema } from "./schema.js";
import { RecoveryCodesRequestSchema, SecondFactorStatusSchema, TotpRemoveSchema, TotpReplacedSchema, TotpReplaceSchema } from "./second-factor-schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };
const tags = ["sign-in"];
const cookieOnly = [{ session: [] }];
// A browser session that finished sign-in: API tokens do not manage the second factor.
const fullSession = (kit: SignInServices) => authenticate(kit, ["full"]);

/**
 * One's own second factor, from the account page (issue #15): status, new recovery codes, a new
 * authenticator, or none where the role allows it. Each change proves a factor again; a wrong proof
 * counts towards the sign-in lockout (src/identity/auth/second-factor-settings.ts).
 */
export const secondFactorRoutes =
  (kit: SignInServices, options: { caller: (request: FastifyRequest) => CallerFacts }): FastifyPluginAsyncZod =>
  async (app) => {
    const { caller } = options;
    const userOf = (request: FastifyRequest) => contextOf(request).actor;

    app.get(
      "/second-factor",
      {
        onRequest: fullSession(kit),
        schema: {
          tags,
          summary: "Your second factor: authenticator, recovery codes left, passkeys",
          security: cookieOnly,
          response: { 200: SecondFactorStatusSchema, ...errors },
        },
      },
      async (request) => secondFactorStatus(kit, userOf(request).userId, userOf(request).role),
    );

    app.post(
      "/recovery-codes",
      {
        onRequest: fullSession(kit),
        schema: {
          tags,
          summary: "Replace all recovery codes with ten new ones (shown once)",
          description: "Needs your password or a fresh authenticator code; a wrong one counts towards the sign-in lockout.",
          security: cookieOnly,
          body: RecoveryCodesRequestSchema,
          response: { 200: RecoveryCodesSchema, ...errors },
        },
      },
      async (request) => ({
        status: "signed_in" as const,
        recoveryCodes: await regenerateRecoveryCodes(kit, userOf(request).userId, request.body, caller(request)),
      }),
    );

    app.post(
      "/totp/replace",
      {
        onRequest: fullSession(kit),
        schema: {
          tags,
          summary: "Start replacing your authenticator (new secret and otpauth:// URI, shown once)",
          description: "Prove the current one with a code (or a recovery code if it is lost). It keeps working until the new one is confirmed.",
          security: cookieOnly,
          body: TotpReplaceSchema,
          response: { 200: TotpEnrolmentSchema, ...errors },
        },
      },
      async (request) => startTotpReplacement(kit, userOf(request).userId, request.body, caller(request)),
    );

    app.post(
      "/totp/replace/confirm",
      {
        onRequest: fullSession(kit),
        schema: {
          tags,
          summary: "Confirm the new authenticator with its first code; the old one stops working",
          security: cookieOnly,
          body: TotpConfirmSchema,
          response: { 200: TotpReplacedSchema, ...errors },
        },
      },
      async (request) => confirmTotpReplacement(kit, userOf(request).userId, request.body.code, caller(request)),
    );

    app.post(
      "/totp/remove",
      {
        onRequest: fullSession(kit),
        schema: {
          tags,
          summary: "Turn your authenticator off (roles below L3 only), with your password and a current code",
          description: "Recovery codes go with it. Roles that require a second factor get 403 mfa_required_by_role.",
          security: cookieOnly,
          body: TotpRemoveSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await removeTotp(kit, userOf(request).userId, userOf(request).role, request.body, caller(request));
        return reply.status(204).send(null);
      },
    );
  };
