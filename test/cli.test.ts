import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transportProblem } from "../src/cli/serve.js";
import { runCli } from "./support/cli.js";
import { createTestDatabase, type TestDatabase } from "./support/dialects.js";

describe("custodia CLI", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
  });
  afterAll(() => db.cleanup());

  it("prints help listing every command", async () => {
    const r = await runCli(["--help"]);
    expect(r.status).toBe(0);
    for (const cmd of ["serve", "migrate", "user", "token", "tokens", "audit", "keys", "inventory", "demo"]) expect(r.stdout).toContain(cmd);
  });

  it("adds a user (password on stdin), issues a token once, seeds demo data and verifies the log", async () => {
    expect((await runCli(["migrate", "--data-dir", db.config.dataDir])).status).toBe(0);
    const weak = await runCli(["user", "add", "--email", "a@firm.test", "--role", "partner", "--json", "--data-dir", db.config.dataDir], {}, "short\n");
    expect(weak.status).toBe(1);
    expect(JSON.parse(weak.stdout).error.fields[0]).toMatchObject({ field: "password", code: "too_short" });
    const user = await runCli(
      ["user", "add", "--email", "a@firm.test", "--role", "partner", "--json", "--data-dir", db.config.dataDir],
      {},
      "a long enough passphrase\n",
    );
    expect(user.status).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ email: "a@firm.test", role: "partner" });
    // The firm's first partner: the console grants an L3+ role directly only while nobody could approve it.
    expect(JSON.parse(user.stdout)).toMatchObject({ status: "active", approvalId: null });
    const token = await runCli(["token", "create", "--email", "a@firm.test", "--name", "ci", "--json", "--data-dir", db.config.dataDir]);
    expect(JSON.parse(token.stdout).token).toMatch(/^cst_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    // A partner's token expires (90 days by default), even from the console.
    const days = (Date.parse(JSON.parse(token.stdout).expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const tooLong = await runCli([
      "token",
      "create",
      "--email",
      "a@firm.test",
      "--name",
      "ci",
      "--expires-in-days",
      "91",
      "--json",
      "--data-dir",
      db.config.dataDir,
    ]);
    expect(JSON.parse(tooLong.stdout).error.fields[0]).toMatchObject({ field: "expiresInDays", code: "above_token_cap" });
    const demo = await runCli(["demo", "--clients", "300", "--json", "--data-dir", db.config.dataDir]);
    expect(demo.status).toBe(0);
    expect(JSON.parse(demo.stdout).clients).toBe(300);
    expect(demo.stderr).toContain("300/300");
    const verify = await runCli(["audit", "verify", "--json", "--data-dir", db.config.dataDir]);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    expect(JSON.parse(verify.stdout).events).toBe(303); // user, token, refused token, 300 clients
  });

  it("refuses a common password, changes a role and disables a user (joiners, movers, leavers)", async () => {
    const dir = ["--data-dir", db.config.dataDir];
    const common = await runCli(["user", "add", "--email", "b@firm.test", "--role", "paralegal", "--json", ...dir], {}, "Password1234\n");
    expect(JSON.parse(common.stdout).error.fields[0]).toMatchObject({ field: "password", code: "common_password" });
    expect((await runCli(["user", "add", "--email", "b@firm.test", "--role", "paralegal", "--json", ...dir], {}, "amber lantern over 9 hills\n")).status).toBe(
      0,
    );
    // A partner exists now: an L3+ role needs a second approver, which the console cannot file.
    const promoted = await runCli(["user", "set-role", "--email", "b@firm.test", "--role", "lawyer", "--json", ...dir]);
    expect([promoted.status, JSON.parse(promoted.stdout).error.code]).toEqual([1, "second_approver_required"]);
    const lawyerAdded = await runCli(["user", "add", "--email", "c@firm.test", "--role", "lawyer", "--json", ...dir], {}, "amber lantern over 9 hills\n");
    expect(JSON.parse(lawyerAdded.stdout).error.code).toBe("second_approver_required");
    const moved = await runCli(["user", "set-role", "--email", "b@firm.test", "--role", "records-clerk", "--json", ...dir]);
    expect(JSON.parse(moved.stdout)).toMatchObject({ email: "b@firm.test", role: "records-clerk", pendingApproval: null });
    const badRole = await runCli(["user", "set-role", "--email", "b@firm.test", "--role", "overlord", "--json", ...dir]);
    expect([badRole.status, JSON.parse(badRole.stdout).error.code]).toEqual([1, "validation_error"]);
    const left = await runCli(["user", "disable", "--email", "b@firm.test", "--json", ...dir]);
    expect(JSON.parse(left.stdout)).toMatchObject({ status: "disabled", sessionsRevoked: 0, tokensRevoked: 0 });
    const nobody = await runCli(["user", "disable", "--email", "nobody@firm.test", "--json", ...dir]);
    expect([nobody.status, JSON.parse(nobody.stdout).error.code]).toEqual([1, "not_found"]);
  });

  it("tokens audit lists tokens not made by their owner and --revoke-foreign revokes them, each audited", async () => {
    const dir = ["--data-dir", db.config.dataDir];
    const services = await db.open();
    let foreignId = "";
    try {
      const owner = await services.engine.db.selectFrom("users").select("id").where("email", "=", "a@firm.test").executeTakeFirstOrThrow();
      const other = await services.engine.db.selectFrom("users").select("id").where("email", "=", "b@firm.test").executeTakeFirstOrThrow();
      // As an admin could before issue #10 (another user's token), and one whose creator is unknown.
      const row = (id: string, createdBy: string | null) => ({
        id,
        user_id: owner.id,
        name: "legacy",
        secret_hash: "0".repeat(64),
        created_at: new Date().toISOString(),
        expires_at: null,
        revoked_at: null,
        created_by: createdBy,
        last_used_at: null,
      });
      foreignId = "foreignTok01";
      await services.engine.db
        .insertInto("api_tokens")
        .values([row(foreignId, other.id), row("unknownTok01", null)])
        .execute();
    } finally {
      await services.close();
    }
    const listed = await runCli(["tokens", "audit", "--json", ...dir]);
    expect(listed.status, listed.stderr).toBe(0);
    const tokens = JSON.parse(listed.stdout).tokens as { id: string; creator: string }[];
    expect(tokens.map((t) => t.creator).sort()).toEqual(["console", "unknown", "user"]);
    expect(listed.stdout).not.toContain("0".repeat(64));
    const text = await runCli(["tokens", "audit", ...dir]);
    expect(text.stdout).toContain("creator unknown");
    expect(text.stdout).toContain(`cst_${foreignId}`);

    const revoked = await runCli(["tokens", "audit", "--revoke-foreign", "--json", ...dir]);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ revoked: 2, skipped: 0 });
    expect(revoked.stderr).toContain("revoke"); // progress on stderr, stdout stays JSON
    const after = await db.open();
    try {
      const rows = await after.engine.db.selectFrom("api_tokens").select(["id", "created_by", "revoked_at"]).execute();
      expect(
        rows
          .filter((r) => r.revoked_at !== null)
          .map((r) => r.id)
          .sort(),
      ).toEqual([foreignId, "unknownTok01"].sort());
      const events = await after.engine.db
        .selectFrom("audit_events")
        .select(["actor_id", "target_id", "outcome", "details"])
        .where("action", "=", "token.revoke")
        .execute();
      expect(events.map((e) => e.target_id).sort()).toEqual([foreignId, "unknownTok01"].sort());
      for (const e of events)
        expect(e).toMatchObject({ actor_id: "system:console", outcome: "success", details: expect.stringContaining('"cause":"foreign_token"') });
    } finally {
      await after.close();
    }
    // The console's own bootstrap tokens go only when asked for.
    const all = await runCli(["tokens", "audit", "--revoke-foreign", "--include-console", "--quiet", "--json", ...dir]);
    expect(JSON.parse(all.stdout)).toMatchObject({ revoked: 1 });
    expect(JSON.parse((await runCli(["tokens", "audit", "--json", ...dir])).stdout).tokens).toEqual([]);
  });

  it("prints the inventory as a table and as JSON", async () => {
    const table = await runCli(["inventory", "--lang", "zh"]);
    expect(table.stdout).toContain("证件号码");
    const json = JSON.parse((await runCli(["inventory", "--json"])).stdout);
    expect(json.find((r: { field: string }) => r.field === "idNumber").level).toBe("L4");
  });

  it("refuses plain HTTP off loopback unless TLS is configured or declared (ENC-2)", async () => {
    expect(transportProblem({ host: "127.0.0.1", port: 8080 })).toBeNull();
    expect(transportProblem({ host: "::1", port: 8080 })).toBeNull();
    expect(transportProblem({ host: "0.0.0.0", port: 8080 })).toMatch(/Refusing/);
    expect(transportProblem({ host: "192.0.2.10", port: 8080, behindTlsProxy: true })).toBeNull();
    expect(transportProblem({ host: "0.0.0.0", port: 8080, tlsCert: "c.pem", tlsKey: "k.pem" })).toBeNull();
    expect(transportProblem({ host: "0.0.0.0", port: 8080, tlsCert: "c.pem" })).toMatch(/both/);
    const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "18089", "--data-dir", db.config.dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Refusing to serve plain HTTP");
  });
});
