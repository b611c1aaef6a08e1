/**
 * CLI commands that reach client data act as a named staff member, never as the console operator:
 * the person at the terminal presents their own API token, checked exactly as the HTTP edge checks
 * a bearer token (unknown, revoked, expired, over the L3+ lifetime cap, or a disabled user: refused
 * and audited), and from then on every policy decision and audit event is theirs — their role,
 * matters, walls, grants and approvals. Holding the data directory alone opens no client file.
 *
 * The token comes from CUSTODIA_TOKEN or a file (`--token-file`, owner-only), never from an
 * argument: the command line is visible to every local user and kept in shell history.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { RequestContext } from "../access/policy/actor.js";
import { runUnitOfWork } from "../platform/audit/audited.js";
import { AuthenticationError } from "../platform/errors.js";
import type { Services } from "../platform/services.js";
import { authenticateToken } from "../identity/users/authenticator.js";

/** As the HTTP edge: a malformed purpose becomes a marker the policy refuses, audited. */
const PURPOSE = /^[a-z][a-z0-9-]{0,63}$/;

export class TokenFileError extends Error {}

function presentedToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (tokenFile) {
    // Like master.key: a credential others on the machine can read is refused, not used.
    if ((statSync(tokenFile).mode & 0o077) !== 0) throw new TokenFileError(`${tokenFile} is readable by others; chmod 600 it.`);
    return readFileSync(tokenFile, "utf8").split("\n")[0]!.trim() || null;
  }
  return env.CUSTODIA_TOKEN?.trim() || null;
}

/** The token owner's context for one CLI command, or an audited 401 `authentication_required`. */
export async function staffContext(
  services: Services,
  options: { tokenFile?: string | undefined; purpose?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<RequestContext> {
  const requestId = `cli-${randomUUID()}`;
  const token = presentedToken(options.tokenFile, env);
  const actor = token ? await authenticateToken(services, token) : null;
  if (!actor)
    return runUnitOfWork<never>(services, { actor: { kind: "signing_in", userId: null, role: null }, requestId, purpose: null }, async (w) =>
      w.refuse(AuthenticationError(), { action: "auth.token", reason: token ? "invalid_token" : "missing_token", details: { channel: "cli" } }, "failure"),
    );
  const purpose = options.purpose?.trim() || null;
  return { actor: { userId: actor.userId, role: actor.role }, requestId, purpose: purpose === null ? null : PURPOSE.test(purpose) ? purpose : "\u0000invalid" };
}
