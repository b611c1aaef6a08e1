import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listKeyVersions } from "../../../vault/keys/key-versions.js";
import { rotateKeys } from "../../../vault/keys/key-rotator.js";
import { listPurposes } from "../../../records/purposes/purpose-queries.js";
import type { Services } from "../../../platform/services.js";
import { addUser, createToken, disableUser, revokeToken, setUserRole } from "../../../identity/users/user-admin.js";
import { listTokens, listUsers } from "../../../identity/users/user-queries.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  KeyRotationSchema,
  KeyVersionSchema,
  PurposeSchema,
  StaffUserSchema,
  TokenCreateSchema,
  TokenIdParams,
  TokenIssuedSchema,
  TokenListQuery,
  TokenRevokedSchema,
  TokenSchema,
  UserCreatedSchema,
  UserCreateSchema,
  UserDisabledSchema,
  UserIdParams,
  UserRoleChangedSchema,
  UserRoleSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/**
 * Administration for the web console: users, API tokens, key-encryption keys and the purpose
 * registry. The same commands as the CLI; they authorize (`user.manage`, `token.manage`,
 * `key.manage`) and audit themselves, so the routes only translate.
 */
export const adminRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/users",
      {
        schema: {
          tags: ["users"],
          summary: "Every staff account (no password hashes or second-factor secrets)",
          response: { 200: z.object({ items: z.array(StaffUserSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listUsers(services, contextOf(request)) }),
    );

    app.post(
      "/users",
      {
        schema: {
          tags: ["users"],
          summary: "Add a staff account with an initial password (password policy applies); at L3+ it waits, disabled, for a second approver (202)",
          body: UserCreateSchema,
          response: { 201: UserCreatedSchema, 202: UserCreatedSchema, ...errors },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const created = await addUser(services, ctx.actor, request.body, ctx.requestId);
        return reply.status(created.approvalId ? 202 : 201).send(created);
      },
    );

    app.post(
      "/users/:id/disable",
      {
        schema: {
          tags: ["users"],
          summary: "Disable a staff account and revoke its sessions, tokens and grants at once",
          params: UserIdParams,
          response: { 200: UserDisabledSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return disableUser(services, ctx.actor, { id: request.params.id }, ctx.requestId);
      },
    );

    app.put(
      "/users/:id/role",
      {
        schema: {
          tags: ["users"],
          summary: "Change another staff account's role; it applies on the user's next request, or (L3+) once a second approver agrees (202)",
          params: UserIdParams,
          body: UserRoleSchema,
          response: { 200: UserRoleChangedSchema, 202: UserRoleChangedSchema, ...errors },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const changed = await setUserRole(services, ctx.actor, { id: request.params.id, role: request.body.role }, ctx.requestId);
        return reply.status(changed.pendingApproval ? 202 : 200).send(changed);
      },
    );

    app.get(
      "/tokens",
      {
        schema: {
          tags: ["tokens"],
          summary: "API tokens, newest first (never their secrets): all of them for token administration, else pass your own userId",
          querystring: TokenListQuery,
          response: { 200: z.object({ items: z.array(TokenSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listTokens(services, contextOf(request), { userId: request.query.userId }) }),
    );

    app.post(
      "/tokens",
      {
        schema: {
          tags: ["tokens"],
          summary:
            "Issue an API token for yourself, from a browser session whose second factor is under 15 minutes old (never with a bearer token); the secret is returned this once",
          body: TokenCreateSchema,
          response: { 201: TokenIssuedSchema, ...errors },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { userId, ...rest } = request.body;
        const session = request.custodiaSession ? { id: request.custodiaSession.id } : null;
        return reply.status(201).send(await createToken(services, ctx.actor, { id: userId ?? ctx.actor.userId, ...rest }, ctx.requestId, session));
      },
    );

    app.post(
      "/tokens/:id/revoke",
      {
        schema: {
          tags: ["tokens"],
          summary: "Revoke an API token (token administration, or your own); it stops authenticating at once",
          params: TokenIdParams,
          response: { 200: TokenRevokedSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return revokeToken(services, ctx.actor, { id: request.params.id }, ctx.requestId);
      },
    );

    app.get(
      "/keys",
      {
        schema: {
          tags: ["keys"],
          summary: "Key-encryption-key versions and how many data keys each wraps",
          response: { 200: z.object({ items: z.array(KeyVersionSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listKeyVersions(services, contextOf(request)) }),
    );

    app.post(
      "/keys/rotate",
      {
        schema: {
          tags: ["keys"],
          summary: "Activate a new key-encryption key and re-wrap every data key (as `custodia keys rotate`)",
          response: { 200: KeyRotationSchema, ...errors },
        },
      },
      async (request) => rotateKeys(services, contextOf(request)),
    );

    app.get(
      "/purposes",
      {
        schema: {
          tags: ["purposes"],
          summary: "The purpose registry: codes to declare in X-Purpose, with names and legal basis",
          response: { 200: z.object({ items: z.array(PurposeSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listPurposes(services, contextOf(request)) }),
    );
  };
