/**
 * API tokens are no back door (issue #10, IAM-1/IAM-2): only their owner mints them, from a session
 * with a fresh second factor; tokens of L3+ users expire; last use is recorded; migration 0016
 * attributes old tokens to their creator from the audit log.
 */
import type { FastifyInstance } from "fastify";
import { Migrator } from "kysely";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/platform/config.js";
import { allMigrations } from "../src/platform/db/migrations/index.js";
import { name as migration0016 } from "../src/platform/db/migrations/0016-admin-separation-of-duties.js";
import { migrateToLatest } from "../src/platform/db/migrator.js";
import { openEngine } from "../src/platform/db/open.js";
import type { Services } from "../src/platform/services.js";
import { CONSOLE_OPERATOR, createToken } from "../src/identity/users/user-admin.js";
import { foreignTokens, revocable, revokeForeignTokens } from "../src/identity/users/token-audit.js";
import { createTestDatabase, DIALECTS } from "./support/dialects.js";
import { buildUser, setRoleDirectly, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { mfaSession, passwordSession } from "./support/mfa-session.js";

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`${dialect}: API tokens (issue #10)`, () => {
    let services: Services;
    let app: FastifyInstance;
    let admin!: TestUser, partner!: TestUser, paralegal!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      admin = await buildUser(services, "admin");
      partner = await buildUser(services, "partner");
      paralegal = await buildUser(services, "paralegal");
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    const mint = (headers: Record<string, string>, payload: object) => app.inject({ method: "POST", url: "/api/v1/tokens", headers, payload });
    const lastEvent = (action: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const tokensOf = (userId: string) => services.engine.db.selectFrom("api_tokens").selectAll().where("user_id", "=", userId).execute();

    it("refuses an admin a token for a partner, even from a session with a fresh second factor, audited", async () => {
      const before = (await tokensOf(partner.actor.userId)).length;
      const session = await mfaSession(app, admin.email);
      const res = await mint(session, { userId: partner.actor.userId, name: "partner export" });
      expect([res.statusCode, res.json().error.code]).toEqual([403, "token_for_other_user"]);
      expect(await lastEvent("token.create")).toMatchObject({
        actor_id: admin.actor.userId,
        actor_role: "admin",
        outcome: "denied",
        reason: "token_for_other_user",
        target_type: "user",
        target_id: partner.actor.userId,
      });
      expect(await tokensOf(partner.actor.userId)).toHaveLength(before);
      // Over the admin's own bearer token the answer is the same.
      const byBearer = await mint(auth(admin.token), { userId: partner.actor.userId, name: "partner export" });
      expect([byBearer.statusCode, byBearer.json().error.code]).toEqual([403, "token_for_other_user"]);
    });

    it("mints a token only from a session whose second factor is under 15 minutes old, never with a bearer token", async () => {
      const byBearer = await mint(auth(partner.token), { name: "from a token" });
      expect([byBearer.statusCode, byBearer.json().error.code]).toEqual([403, "recent_mfa_required"]);
      expect(await lastEvent("token.create")).toMatchObject({ actor_id: partner.actor.userId, outcome: "denied", reason: "recent_mfa_required" });

      // A paralegal signed in with a password only has proven no second factor.
      const plain = await passwordSession(app, paralegal.email);
      const noFactor = await mint(plain, { name: "no second factor" });
      expect([noFactor.statusCode, noFactor.json().error.code]).toEqual([403, "recent_mfa_required"]);

      const session = await mfaSession(app, partner.email);
      const fresh = await mint(session, { name: "fresh factor" });
      expect(fresh.statusCode, fresh.body).toBe(201);
      expect(await lastEvent("token.create")).toMatchObject({
        actor_id: partner.actor.userId,
        outcome: "success",
        target_type: "token",
        target_id: fresh.json().id,
      });

      // Sixteen minutes on, the same session (still alive: 30 minutes idle) may not mint another.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 16 * 60_000 });
      const stale = await mint(session, { name: "stale factor" });
      expect([stale.statusCode, stale.json().error.code]).toEqual([403, "recent_mfa_required"]);
      expect(await lastEvent("token.create")).toMatchObject({ actor_id: partner.actor.userId, outcome: "denied", reason: "recent_mfa_required" });
      vi.useRealTimers();
      expect((await mint(await mfaSession(app, partner.email), { name: "signed in again" })).statusCode).toBe(201);
    });

    it("gives tokens of L3+ users 90 days by default, refuses longer, and leaves L1/L2 tokens as asked", async () => {
      const session = await mfaSession(app, partner.email);
      const byDefault = (await mint(session, { name: "default expiry" })).json();
      expect(Date.parse(byDefault.expiresAt) - Date.parse(byDefault.createdAt)).toBe(90 * DAY);
      const shorter = (await mint(session, { name: "shorter", expiresInDays: 7 })).json();
      expect(Date.parse(shorter.expiresAt) - Date.parse(shorter.createdAt)).toBe(7 * DAY);
      const longer = await mint(session, { name: "longer", expiresInDays: 91 });
      expect([longer.statusCode, longer.json().error.code, longer.json().error.fields]).toEqual([
        400,
        "validation_error",
        [{ field: "expiresInDays", code: "above_token_cap", message: expect.any(String) }],
      ]);
      expect(await lastEvent("token.create")).toMatchObject({
        outcome: "failure",
        reason: "validation_error",
        details: expect.stringContaining("expiresInDays:above_token_cap"),
      });
      // The console (CLI) is capped the same way.
      await expect(createToken(services, CONSOLE_OPERATOR, { email: partner.email, name: "cli", expiresInDays: 365 }, "t")).rejects.toMatchObject({
        code: "validation_error",
      });
      const paralegalToken = await createToken(services, CONSOLE_OPERATOR, { email: paralegal.email, name: "cli" }, "t");
      expect(paralegalToken.expiresAt).toBeNull();
      // A shorter setting (CUSTODIA_TOKEN_MAX_DAYS=30) lowers the default and the ceiling.
      const thirty = { ...services, tokenMaxDays: 30 };
      const capped = await createToken(thirty, CONSOLE_OPERATOR, { email: partner.email, name: "cli" }, "t");
      expect(Date.parse(capped.expiresAt!) - Date.parse(capped.createdAt)).toBe(30 * DAY);
      await expect(createToken(thirty, CONSOLE_OPERATOR, { email: partner.email, name: "cli", expiresInDays: 31 }, "t")).rejects.toMatchObject({
        code: "validation_error",
      });
    });

    it("refuses CUSTODIA_TOKEN_MAX_DAYS above 90 at start-up and accepts a shorter one", () => {
      expect(() => loadConfig({}, { CUSTODIA_TOKEN_MAX_DAYS: "120" })).toThrow(/CUSTODIA_TOKEN_MAX_DAYS/);
      expect(() => loadConfig({}, { CUSTODIA_TOKEN_MAX_DAYS: "ninety" })).toThrow(/CUSTODIA_TOKEN_MAX_DAYS/);
      expect(loadConfig({}, { CUSTODIA_TOKEN_MAX_DAYS: "30" }).tokenMaxDays).toBe(30);
      expect(loadConfig({}, {}).tokenMaxDays).toBe(90);
    });

    it("stops an L3+ user's token at the cap whatever it was issued with, including one held before a promotion", async () => {
      const old = new Date(Date.now() - 91 * DAY).toISOString();
      const lawyer = await buildUser(services, "paralegal");
      const { id, token } = await createToken(services, CONSOLE_OPERATOR, { email: lawyer.email, name: "old integration" }, "t");
      await services.engine.db.updateTable("api_tokens").set({ created_at: old, expires_at: null }).where("id", "=", id).execute();
      // An L2 user's token without expiry keeps working.
      expect((await app.inject({ method: "GET", url: "/api/v1/purposes", headers: auth(token) })).statusCode).toBe(200);
      await setRoleDirectly(services, lawyer.actor.userId, "lawyer");
      const refused = await app.inject({ method: "GET", url: "/api/v1/purposes", headers: auth(token) });
      expect([refused.statusCode, refused.json().error.code]).toEqual([401, "authentication_required"]);
      expect(await lastEvent("auth.token")).toMatchObject({ outcome: "failure", reason: "invalid_token" });
      const listed = (await app.inject({ method: "GET", url: `/api/v1/tokens?userId=${lawyer.actor.userId}`, headers: auth(admin.token) })).json().items;
      expect(listed.find((t: { id: string }) => t.id === id).expiresAt).toBe(new Date(Date.parse(old) + 90 * DAY).toISOString());
    });

    it("records last use at most once a minute per token", async () => {
      const { id, token } = await createToken(services, CONSOLE_OPERATOR, { email: paralegal.email, name: "last use" }, "t");
      const lastUse = async () =>
        (await services.engine.db.selectFrom("api_tokens").select("last_used_at").where("id", "=", id).executeTakeFirstOrThrow()).last_used_at;
      expect(await lastUse()).toBeNull();
      const use = () => app.inject({ method: "GET", url: "/api/v1/purposes", headers: auth(token) });
      await use();
      const first = await lastUse();
      expect(first).not.toBeNull();
      await use();
      expect(await lastUse()).toBe(first);
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
      await use();
      expect(Date.parse((await lastUse())!)).toBeGreaterThan(Date.parse(first!));
    });

    it("lists tokens with creator and last use; anyone lists and revokes their own, only token administration others'", async () => {
      const mine = await createToken(services, CONSOLE_OPERATOR, { email: paralegal.email, name: "own" }, "t");
      const own = await app.inject({ method: "GET", url: `/api/v1/tokens?userId=${paralegal.actor.userId}`, headers: auth(paralegal.token) });
      expect(own.statusCode).toBe(200);
      expect(own.json().items.find((t: { id: string }) => t.id === mine.id)).toMatchObject({ createdBy: "system:console", lastUsedAt: null });
      const others = await app.inject({ method: "GET", url: `/api/v1/tokens?userId=${partner.actor.userId}`, headers: auth(paralegal.token) });
      expect([others.statusCode, others.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent("token.list")).toMatchObject({ actor_id: paralegal.actor.userId, outcome: "denied", target_id: partner.actor.userId });
      const partnerToken = (await tokensOf(partner.actor.userId)).find((t) => t.revoked_at === null)!;
      const theirs = await app.inject({ method: "POST", url: `/api/v1/tokens/${partnerToken.id}/revoke`, headers: auth(paralegal.token) });
      expect([theirs.statusCode, theirs.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const revoked = await app.inject({ method: "POST", url: `/api/v1/tokens/${mine.id}/revoke`, headers: auth(paralegal.token) });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(await lastEvent("token.revoke")).toMatchObject({ actor_id: paralegal.actor.userId, outcome: "success", target_id: mine.id });
    });
  });

  describe(`${dialect}: custodia tokens audit`, () => {
    const suite = httpSuite(dialect);

    it("finds tokens made by another user or of unknown creator, and revokes them one by one, each audited", async () => {
      const { services } = suite;
      const owner = await buildUser(services, "partner");
      const minter = await buildUser(services, "admin");
      const row = (id: string, createdBy: string | null) => ({
        id,
        user_id: owner.actor.userId,
        name: "legacy",
        secret_hash: "0".repeat(64),
        created_at: new Date().toISOString(),
        expires_at: null,
        revoked_at: null,
        created_by: createdBy,
        last_used_at: null,
      });
      // As before issue #10: an admin-minted token, one nobody can account for, and the owner's own.
      await services.engine.db
        .insertInto("api_tokens")
        .values([row("byTheAdmin01", minter.actor.userId), row("unknownMade1", null), row("ownersOwn001", owner.actor.userId)])
        .execute();
      const context = () => ({ actor: CONSOLE_OPERATOR, requestId: `t-${Math.random()}`, purpose: null });
      const found = await foreignTokens(services, context());
      const mine = found.filter((t) => t.ownerId === owner.actor.userId);
      expect(mine.map((t) => t.creator).sort()).toEqual(["console", "unknown", "user"]); // console: the factory's token
      expect(mine.find((t) => t.creator === "user")).toMatchObject({ id: "byTheAdmin01", createdBy: minter.actor.userId, ownerRole: "partner" });
      expect(mine.find((t) => t.creator === "unknown")).toMatchObject({ id: "unknownMade1", createdBy: null });
      const audit = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "token.audit")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_id: "system:console", outcome: "success" });
      expect(audit.details).not.toContain(owner.email);

      const targets = mine.filter((t) => revocable(t, false));
      const seen: number[] = [];
      expect(await revokeForeignTokens(services, context, targets, (n) => seen.push(n))).toEqual({ revoked: 2, skipped: 0 });
      expect(seen).toEqual([1, 2]);
      const live = await services.engine.db
        .selectFrom("api_tokens")
        .select("id")
        .where("user_id", "=", owner.actor.userId)
        .where("revoked_at", "is", null)
        .execute();
      expect(live.map((t) => t.id).sort()).toEqual(["ownersOwn001", mine.find((t) => t.creator === "console")!.id].sort());
      const revocations = await services.engine.db
        .selectFrom("audit_events")
        .select(["target_id", "actor_id", "outcome", "details"])
        .where("action", "=", "token.revoke")
        .where("target_id", "in", ["byTheAdmin01", "unknownMade1"])
        .execute();
      expect(revocations).toHaveLength(2);
      for (const e of revocations) expect(JSON.parse(e.details!)).toEqual({ userId: owner.actor.userId, cause: "foreign_token" });
      // Run again: nothing left but the console's own unless asked for.
      expect((await foreignTokens(services, context())).filter((t) => t.ownerId === owner.actor.userId).map((t) => t.creator)).toEqual(["console"]);
    });
  });

  describe(`${dialect}: migration ${migration0016} attributes existing tokens to their creator`, () => {
    it("backfills created_by from the audit log's token.create, leaves unknown ones null, and keeps approval requests intact", async () => {
      const db = await createTestDatabase(dialect);
      const engine = openEngine(db.config);
      try {
        const migrator = new Migrator({
          db: engine.db,
          provider: { getMigrations: async () => allMigrations(engine.binaryType) },
          ...(engine.migrationSchema ? { migrationTableSchema: engine.migrationSchema } : {}),
        });
        // The state just before this migration, whatever the one before it is called.
        const names = Object.keys(allMigrations(engine.binaryType));
        const upTo = await migrator.migrateTo(names[names.indexOf(migration0016) - 1]!);
        expect(upTo.error).toBeUndefined();
        const now = new Date().toISOString();
        // biome-ignore lint/suspicious/noExplicitAny: rows of the schema before this migration (no created_by yet)
        const raw = engine.db as unknown as import("kysely").Kysely<any>;
        const user = (id: string, role: string) => ({
          id,
          email: `${id}@firm.test`,
          display_name: id,
          role,
          password_hash: null,
          status: "active",
          created_at: now,
          disabled_at: null,
        });
        await raw
          .insertInto("users")
          .values([user("owner", "partner"), user("minter", "admin")])
          .execute();
        const token = (id: string) => ({
          id,
          user_id: "owner",
          name: "legacy",
          secret_hash: "0".repeat(64),
          created_at: now,
          expires_at: null,
          revoked_at: null,
        });
        await raw
          .insertInto("api_tokens")
          .values([token("mintedByAdm1"), token("unknownTok01")])
          .execute();
        await raw
          .insertInto("audit_events")
          .values({
            seq: 1,
            id: "e1",
            at: now,
            actor_id: "minter",
            actor_role: "admin",
            action: "token.create",
            target_type: "token",
            target_id: "mintedByAdm1",
            purpose: null,
            outcome: "success",
            reason: null,
            request_id: null,
            details: null,
            prev_hash: "0",
            hash: "1",
          })
          .execute();
        await raw
          .insertInto("clients")
          .values({ id: "c1", kind: "person", purposes: "[]", status: "active", row_version: 1, created_at: now, updated_at: now })
          .execute();
        const request = { requester_id: "minter", kind: "export", client_id: "c1", matter_id: null, purpose: "case-handling", justification: "other" };
        await raw
          .insertInto("approval_requests")
          .values({ id: "r1", ...request, reference: null, duration_minutes: 60, status: "approved", created_at: now, decided_at: now })
          .execute();
        await raw
          .insertInto("approval_decisions")
          .values({ request_id: "r1", slot: "approver", approver_id: "owner", decision: "approve", decided_at: now })
          .execute();

        await migrateToLatest(engine);
        const rows = await engine.db.selectFrom("api_tokens").select(["id", "created_by", "last_used_at"]).orderBy("id").execute();
        expect(rows).toEqual([
          { id: "mintedByAdm1", created_by: "minter", last_used_at: null },
          { id: "unknownTok01", created_by: null, last_used_at: null },
        ]);
        expect(await engine.db.selectFrom("approval_requests").select(["id", "client_id", "subject_id", "role", "status"]).execute()).toEqual([
          { id: "r1", client_id: "c1", subject_id: null, role: null, status: "approved" },
        ]);
        // The rebuilt table still anchors its decisions: a decision for no request is refused.
        await expect(
          engine.db
            .insertInto("approval_decisions")
            .values({ request_id: "nope", slot: "approver", approver_id: "owner", decision: "approve", decided_at: now })
            .execute(),
        ).rejects.toThrow();
        const rule = await engine.db
          .selectFrom("detection_rules")
          .select(["code", "severity", "params"])
          .where("code", "=", "privileged_role")
          .executeTakeFirst();
        expect(rule).toEqual({ code: "privileged_role", severity: "high", params: JSON.stringify({ minClearance: 3 }) });
      } finally {
        await engine.destroy();
        await db.cleanup();
      }
    });
  });
}
