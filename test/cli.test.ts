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

  it("prints help listing every command", () => {
    const r = runCli(["--help"]);
    expect(r.status).toBe(0);
    for (const cmd of ["serve", "migrate", "user", "token", "audit", "keys", "inventory", "demo"]) expect(r.stdout).toContain(cmd);
  });

  it("adds a user (password on stdin), issues a token once, seeds demo data and verifies the log", () => {
    expect(runCli(["migrate", "--data-dir", db.config.dataDir]).status).toBe(0);
    const weak = runCli(["user", "add", "--email", "a@firm.test", "--role", "partner", "--json", "--data-dir", db.config.dataDir], {}, "short\n");
    expect(weak.status).toBe(1);
    expect(JSON.parse(weak.stdout).error.fields[0]).toMatchObject({ field: "password", code: "too_short" });
    const user = runCli(
      ["user", "add", "--email", "a@firm.test", "--role", "partner", "--json", "--data-dir", db.config.dataDir],
      {},
      "a long enough passphrase\n",
    );
    expect(user.status).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ email: "a@firm.test", role: "partner" });
    const token = runCli(["token", "create", "--email", "a@firm.test", "--name", "ci", "--json", "--data-dir", db.config.dataDir]);
    expect(JSON.parse(token.stdout).token).toMatch(/^cst_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    const demo = runCli(["demo", "--clients", "300", "--json", "--data-dir", db.config.dataDir]);
    expect(demo.status).toBe(0);
    expect(JSON.parse(demo.stdout).clients).toBe(300);
    expect(demo.stderr).toContain("300/300");
    const verify = runCli(["audit", "verify", "--json", "--data-dir", db.config.dataDir]);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    expect(JSON.parse(verify.stdout).events).toBe(302); // user, token, 300 clients
  });

  it("refuses a common password, changes a role and disables a user (joiners, movers, leavers)", () => {
    const dir = ["--data-dir", db.config.dataDir];
    const common = runCli(["user", "add", "--email", "b@firm.test", "--role", "paralegal", "--json", ...dir], {}, "Password1234\n");
    expect(JSON.parse(common.stdout).error.fields[0]).toMatchObject({ field: "password", code: "common_password" });
    expect(runCli(["user", "add", "--email", "b@firm.test", "--role", "paralegal", "--json", ...dir], {}, "amber lantern over 9 hills\n").status).toBe(0);
    const moved = runCli(["user", "set-role", "--email", "b@firm.test", "--role", "lawyer", "--json", ...dir]);
    expect(JSON.parse(moved.stdout)).toMatchObject({ email: "b@firm.test", role: "lawyer" });
    const badRole = runCli(["user", "set-role", "--email", "b@firm.test", "--role", "overlord", "--json", ...dir]);
    expect([badRole.status, JSON.parse(badRole.stdout).error.code]).toEqual([1, "validation_error"]);
    const left = runCli(["user", "disable", "--email", "b@firm.test", "--json", ...dir]);
    expect(JSON.parse(left.stdout)).toMatchObject({ status: "disabled", sessionsRevoked: 0, tokensRevoked: 0 });
    const nobody = runCli(["user", "disable", "--email", "nobody@firm.test", "--json", ...dir]);
    expect([nobody.status, JSON.parse(nobody.stdout).error.code]).toEqual([1, "not_found"]);
  });

  it("prints the inventory as a table and as JSON", () => {
    const table = runCli(["inventory", "--lang", "zh"]);
    expect(table.stdout).toContain("证件号码");
    const json = JSON.parse(runCli(["inventory", "--json"]).stdout);
    expect(json.find((r: { field: string }) => r.field === "idNumber").level).toBe("L4");
  });

  it("refuses plain HTTP off loopback unless TLS is configured or declared (ENC-2)", () => {
    expect(transportProblem({ host: "127.0.0.1", port: 8080 })).toBeNull();
    expect(transportProblem({ host: "::1", port: 8080 })).toBeNull();
    expect(transportProblem({ host: "0.0.0.0", port: 8080 })).toMatch(/Refusing/);
    expect(transportProblem({ host: "192.0.2.10", port: 8080, behindTlsProxy: true })).toBeNull();
    expect(transportProblem({ host: "0.0.0.0", port: 8080, tlsCert: "c.pem", tlsKey: "k.pem" })).toBeNull();
    expect(transportProblem({ host: "0.0.0.0", port: 8080, tlsCert: "c.pem" })).toMatch(/both/);
    const r = runCli(["serve", "--host", "0.0.0.0", "--port", "18089", "--data-dir", db.config.dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Refusing to serve plain HTTP");
  });
});
