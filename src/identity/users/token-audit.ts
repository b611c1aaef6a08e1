/**
 * `custodia tokens audit`: the live API tokens whose creator is not their owner. Before issue #10
 * an admin could mint a working token for anyone (a partner's, with L4 reads and no second
 * factor); those tokens are found here and revoked with `--revoke-foreign`.
 *
 * Creators: another staff member (`user`), the CLI (`console`: the bootstrap path, kept unless
 * `--include-console`), or nobody known (`unknown`: a token whose issuance the audit log does not
 * record, which migration 0016 could not attribute). Unknown ones are revoked with the foreign
 * ones, whoever owns them: a credential nobody can account for is the one to distrust, and the
 * owner mints a new one in a minute.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { CONSOLE_ACTOR_ID } from "../../access/policy/predicates.js";
import { runAudited } from "../../platform/audit/audited.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { revokeToken } from "./token-admin.js";
import { effectiveExpiry } from "./token-lifetime.js";

export type CreatorKind = "user" | "console" | "unknown";

export interface ForeignToken {
  id: string;
  ownerId: string;
  ownerEmail: string;
  ownerRole: string;
  creator: CreatorKind;
  /** The creator's user id (or system:console); null when unknown. */
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const creatorKind = (createdBy: string | null): CreatorKind => (createdBy === null ? "unknown" : createdBy === CONSOLE_ACTOR_ID ? "console" : "user");

/** Unrevoked tokens not made by their owner, oldest first. Audited with counts only. */
export async function foreignTokens(services: Services, ctx: RequestContext): Promise<ForeignToken[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "token.audit", targetType: "token", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "token.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx
      .selectFrom("api_tokens")
      .innerJoin("users", "users.id", "api_tokens.user_id")
      .select([
        "api_tokens.id",
        "api_tokens.user_id",
        "api_tokens.created_by",
        "api_tokens.created_at",
        "api_tokens.expires_at",
        "api_tokens.last_used_at",
        "users.email",
        "users.role",
      ])
      .where("api_tokens.revoked_at", "is", null)
      .where((eb) => eb.or([eb("api_tokens.created_by", "is", null), eb("api_tokens.created_by", "!=", eb.ref("api_tokens.user_id"))]))
      .orderBy("api_tokens.created_at")
      .orderBy("api_tokens.id")
      .execute();
    const tokens = rows.map((r) => ({
      id: r.id,
      ownerId: r.user_id,
      ownerEmail: r.email,
      ownerRole: r.role,
      creator: creatorKind(r.created_by),
      createdBy: r.created_by,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: effectiveExpiry(r, r.role, services.tokenMaxDays),
    }));
    const count = (kind: CreatorKind) => tokens.filter((t) => t.creator === kind).length;
    w.record({ ...event, outcome: "success", details: { user: count("user"), console: count("console"), unknown: count("unknown") } });
    return tokens;
  });
}

/** Which listed tokens `--revoke-foreign` revokes. */
export const revocable = (token: ForeignToken, includeConsole: boolean): boolean => token.creator !== "console" || includeConsole;

/**
 * Revokes the given tokens one by one, each its own audited `token.revoke` (cause foreign_token),
 * so a long list commits as it goes and can be run again; one revoked meanwhile is skipped.
 */
export async function revokeForeignTokens(
  services: Services,
  context: () => RequestContext,
  tokens: readonly ForeignToken[],
  onProgress: (done: number) => void = () => {},
): Promise<{ revoked: number; skipped: number }> {
  let revoked = 0;
  let skipped = 0;
  for (const token of tokens) {
    const ctx = context();
    try {
      await revokeToken(services, ctx.actor, { id: token.id, cause: "foreign_token" }, ctx.requestId);
      revoked++;
    } catch (error) {
      if (!(error instanceof AppError && error.code === "token_revoked")) throw error;
      skipped++;
    }
    onProgress(revoked + skipped);
  }
  return { revoked, skipped };
}
