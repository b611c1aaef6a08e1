import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { completeSignIn } from "../../../identity/auth/second-factor.js";
import {
  finishPasskeyRegistration,
  listPasskeys,
  removePasskey,
  startPasskeyRegistration,
  startPasskeySignIn,
  type RelyingParty,
} from "../../../identity/auth/passkeys.js";
import type { IssuedSession } from "../../../identity/auth/session-store.js";
import type { CallerFacts, SignInServices } from "../../../identity/auth/sign-in-services.js";
import { ValidationError } from "../../../platform/errors.js";
import { authenticate, contextOf, FULL_ACCESS, sessionOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { PasskeyAssertionSchema, PasskeyListSchema, PasskeyOptionsSchema, PasskeyRegistrationSchema, PasskeySchema } from "./passkeys-schema.js";
import { SignInStatusSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };
const tags = ["sign-in"];
const cookieOnly = [{ session: [] }];

/** Relying-party settings from the environment; unset, both follow the request's Host. */
export interface WebAuthnSettings {
  readonly rpId: string | null;
  readonly origin: string | null;
}

export const webAuthnSettingsFromEnv = (env = process.env): WebAuthnSettings =>
  Object.freeze({ rpId: env.CUSTODIA_WEBAUTHN_RP_ID || null, origin: env.CUSTODIA_WEBAUTHN_ORIGIN || null });

const HOST = /^(?<name>[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::\d{1,5})?$/;

/**
 * The RP ID is the host name the browser shows, the origin the exact scheme, host and port.
 * Derived from Host they fit any deployment reached by one name; a forged Host gains nothing, as a
 * credential only ever signs for the RP ID it was made for. Behind a TLS proxy set the variables.
 */
export function relyingParty(request: FastifyRequest, settings: WebAuthnSettings, secure: boolean): RelyingParty {
  const host = (request.headers.host ?? "").toLowerCase();
  const match = HOST.exec(host);
  if ((!settings.rpId || !settings.origin) && !match)
    throw ValidationError([{ field: "Host", code: "format", message: "The Host header is not a host name." }]);
  const scheme = secure || request.protocol === "https" ? "https" : "http";
  // As the browser serialises it: no default port ("http://localhost", not "http://localhost:80").
  return { id: settings.rpId ?? match!.groups!.name!, origin: settings.origin ?? new URL(`${scheme}://${host}`).origin };
}

/** Passkeys under /auth/passkeys: register, list and remove (signed in), and sign in with one (after the password). */
export const passkeyRoutes =
  (
    kit: SignInServices,
    options: { secureCookies: boolean; setSession: (reply: FastifyReply, issued: IssuedSession) => unknown; caller: (request: FastifyRequest) => CallerFacts },
  ): FastifyPluginAsyncZod =>
  async (app) => {
    const settings = webAuthnSettingsFromEnv();
    const rp = (request: FastifyRequest) => relyingParty(request, settings, options.secureCookies);
    const { caller } = options;

    app.get(
      "",
      {
        onRequest: authenticate(kit, FULL_ACCESS),
        schema: { tags, summary: "Your passkeys", response: { 200: PasskeyListSchema, ...errors } },
      },
      async (request) => ({ items: await listPasskeys(kit.services.engine.db, contextOf(request).actor.userId) }),
    );

    app.post(
      "/register/options",
      {
        onRequest: authenticate(kit, ["full"]),
        schema: {
          tags,
          summary: "Start adding a passkey: options for navigator.credentials.create()",
          security: cookieOnly,
          response: { 200: PasskeyOptionsSchema, ...errors },
        },
      },
      async (request) => ({ ...(await startPasskeyRegistration(kit, sessionOf(request), rp(request), caller(request))) }),
    );

    app.post(
      "/register/verify",
      {
        onRequest: authenticate(kit, ["full"]),
        schema: {
          tags,
          summary: "Finish adding a passkey with the authenticator's response",
          security: cookieOnly,
          body: PasskeyRegistrationSchema,
          response: { 201: PasskeySchema, ...errors },
        },
      },
      async (request, reply) => {
        const { label, response } = request.body;
        const added = await finishPasskeyRegistration(
          kit,
          sessionOf(request),
          { label, response: response as RegistrationResponseJSON },
          rp(request),
          caller(request),
        );
        return reply.status(201).send(added);
      },
    );

    app.delete(
      "/:id",
      {
        onRequest: authenticate(kit, ["full"]),
        schema: {
          tags,
          summary: "Remove one of your passkeys",
          security: cookieOnly,
          params: z.strictObject({ id: z.uuid() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await removePasskey(kit, contextOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/authenticate/options",
      {
        onRequest: authenticate(kit, ["mfa"]),
        schema: {
          tags,
          summary: "Second factor by passkey: options for navigator.credentials.get()",
          security: cookieOnly,
          response: { 200: PasskeyOptionsSchema, ...errors },
        },
      },
      async (request) => ({ ...(await startPasskeySignIn(kit, sessionOf(request), rp(request), caller(request))) }),
    );

    app.post(
      "/authenticate/verify",
      {
        onRequest: authenticate(kit, ["mfa"]),
        schema: {
          tags,
          summary: "Finish sign-in with a passkey assertion (like POST /auth/totp)",
          security: cookieOnly,
          body: PasskeyAssertionSchema,
          response: { 200: SignInStatusSchema, ...errors },
        },
      },
      async (request, reply) => {
        const passkey = { response: request.body.response as AuthenticationResponseJSON, rp: rp(request) };
        const issued = await completeSignIn(kit, sessionOf(request), { passkey }, caller(request));
        options.setSession(reply, issued);
        return { status: "signed_in" as const, expiresAt: issued.session.absoluteExpiresAt };
      },
    );
  };
