import { newToken, parseToken, SESSION_TOKEN } from "../../platform/crypto/bearer.js";
import { constantTimeEqual, sha256Hex } from "../../platform/crypto/secrets.js";
import type { Db, Tx } from "../../platform/db/engine.js";
import type { DbSession } from "../../platform/db/schema.js";
import { iso, type SignInSettings } from "./settings.js";

/** The cookie that carries `id.secret`. */
export const SESSION_COOKIE = "custodia_session";

/**
 * full: may use the API. mfa: password accepted, TOTP or a recovery code still due.
 * enrolment: a role that needs TOTP has none yet; the session may only enrol.
 */
export type SessionKind = "full" | "mfa" | "enrolment";

export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly kind: SessionKind;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly idleExpiresAt: string;
  readonly absoluteExpiresAt: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
}

export interface IssuedSession {
  session: Session;
  /** `id.secret`, for the cookie only; never stored. */
  token: string;
}

export type SessionLookup =
  | { ok: true; session: Session; user: { role: string } }
  | { ok: false; reason: "invalid_session" | "session_expired" | "session_revoked" | "user_disabled" };

const present = (row: DbSession): Session => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind as SessionKind,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  idleExpiresAt: row.idle_expires_at,
  absoluteExpiresAt: row.absolute_expires_at,
  userAgent: row.user_agent,
  ip: row.ip,
});

/** "Firefox 128 on Windows": enough to recognise a device in the session list, nothing more. */
export function summariseUserAgent(header: string | undefined): string | null {
  if (!header) return null;
  const browser = /(Edg|OPR|Firefox|Chrome|Safari|curl|MicroMessenger)\/(\d+)/.exec(header);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux|HarmonyOS)/.exec(header);
  const name = browser ? `${browser[1] === "Edg" ? "Edge" : browser[1]} ${browser[2]}` : "Unknown client";
  return (os ? `${name} on ${os[1] === "Mac OS X" ? "macOS" : os[1]}` : name).slice(0, 64);
}

/**
 * Server-side sessions with an idle and an absolute timeout. Tokens are `id.secret`: the id finds
 * the row and only a SHA-256 hash of the 256-bit secret is stored.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    readonly settings: SignInSettings,
  ) {}

  async create(tx: Tx, input: { userId: string; kind: SessionKind; userAgent: string | null; ip: string | null }): Promise<IssuedSession> {
    const { id, secret, token } = newToken(SESSION_TOKEN);
    const now = this.settings.now();
    const lifetime = input.kind === "full" ? this.settings.absoluteTimeoutMs : this.settings.pendingTimeoutMs;
    const absolute = now + lifetime;
    const row: DbSession = {
      id,
      user_id: input.userId,
      kind: input.kind,
      secret_hash: sha256Hex(secret),
      created_at: iso(now),
      last_seen_at: iso(now),
      idle_expires_at: iso(Math.min(now + this.settings.idleTimeoutMs, absolute)),
      absolute_expires_at: iso(absolute),
      revoked_at: null,
      user_agent: input.userAgent,
      ip: input.ip,
    };
    await tx.insertInto("sessions").values(row).execute();
    return { session: present(row), token };
  }

  /** Resolves a presented cookie value; a failure names why, for the audit log only. */
  async find(token: string): Promise<SessionLookup> {
    const parsed = parseToken(token, SESSION_TOKEN);
    if (!parsed) return { ok: false, reason: "invalid_session" };
    const row = await this.db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .selectAll("sessions")
      .select(["users.role", "users.status"])
      .where("sessions.id", "=", parsed.id)
      .executeTakeFirst();
    if (!row) return { ok: false, reason: "invalid_session" };
    // Constant-time comparison: no timing side channel.
    if (!constantTimeEqual(sha256Hex(parsed.secret), row.secret_hash)) return { ok: false, reason: "invalid_session" };
    if (row.revoked_at) return { ok: false, reason: "session_revoked" };
    if (row.status !== "active") return { ok: false, reason: "user_disabled" };
    const now = iso(this.settings.now());
    if (now >= row.absolute_expires_at || now >= row.idle_expires_at) return { ok: false, reason: "session_expired" };
    return { ok: true, session: present(row), user: { role: row.role } };
  }

  /** Marks use: the idle deadline moves forward, never past the absolute one. */
  async touch(session: Session): Promise<void> {
    const now = this.settings.now();
    const idle = Math.min(now + this.settings.idleTimeoutMs, Date.parse(session.absoluteExpiresAt));
    await this.db
      .updateTable("sessions")
      .set({ last_seen_at: iso(now), idle_expires_at: iso(idle) })
      .where("id", "=", session.id)
      .execute();
  }

  async revoke(tx: Tx, sessionId: string): Promise<void> {
    await tx
      .updateTable("sessions")
      .set({ revoked_at: iso(this.settings.now()) })
      .where("id", "=", sessionId)
      .where("revoked_at", "is", null)
      .execute();
  }

  /** Ends every live session of a user; returns how many. */
  async revokeAll(tx: Tx, userId: string): Promise<number> {
    const result = await tx
      .updateTable("sessions")
      .set({ revoked_at: iso(this.settings.now()) })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A user's sessions that are still usable, newest first. */
  async listLive(userId: string): Promise<Session[]> {
    const now = iso(this.settings.now());
    const rows = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .where("idle_expires_at", ">", now)
      .where("absolute_expires_at", ">", now)
      .orderBy("created_at", "desc")
      .execute();
    return rows.map(present);
  }
}

/**
 * Ends every live session of a user at `at`, inside the caller's transaction: other areas (the
 * detector's containment) revoke through here instead of writing this table. Returns how many.
 */
export async function revokeSessionsOf(tx: Tx, userId: string, at: string): Promise<number> {
  const result = await tx.updateTable("sessions").set({ revoked_at: at }).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
