/**
 * The CLI trusts its data directory only when it is plainly a Custodia vault: a mistyped
 * --data-dir, a lost or exposed master key, a corrupt database or a bad option stops the command
 * with one line and exit code 2, and nothing is created. Only `serve` and `migrate` start a new
 * vault, and only in an absent or empty directory.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  closeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

/** Every file under a directory with its size and mode: what "nothing was created or changed" compares. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .sort()
      .map((name) => {
        const s = statSync(join(dir, name));
        return [name, `${s.size}:${(s.mode & 0o777).toString(8)}`];
      }),
  );
}

/** Exit 2 and exactly one line on stderr, no stack trace; nothing on stdout. */
function expectRefused(r: Awaited<ReturnType<typeof runCli>>, line: string) {
  expect(r.stderr).toBe(`${line}\n`);
  expect(r.stdout).toBe("");
  expect(r.status).toBe(2);
}

describe("custodia CLI: trust in the data directory", () => {
  const root = mkdtempSync(join(tmpdir(), "custodia-dirs-"));
  /** A vault as `migrate` and a first command leave it: database, key ring, master key. */
  const template = join(root, "template");
  let n = 0;
  const fresh = () => join(root, `case-${++n}`);
  const copyOfVault = () => {
    const dir = fresh();
    cpSync(template, dir, { recursive: true });
    chmodSync(dir, 0o700);
    return dir;
  };

  beforeAll(async () => {
    expect((await runCli(["migrate", "--data-dir", template])).status).toBe(0);
    expect((await runCli(["audit", "verify", "--quiet", "--data-dir", template])).status).toBe(0); // creates the key ring
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("refuses a mistyped data dir for every command but serve and migrate, and creates nothing", async () => {
    const typo = join(root, "dat");
    for (const args of [
      ["audit", "verify", "--quiet"],
      ["user", "add", "--email", "a@firm.test", "--role", "partner", "--json"],
      ["keys", "rotate", "--json"],
    ]) {
      const r = await runCli([...args, "--data-dir", typo], {}, "a long enough passphrase\n");
      expectRefused(
        r,
        `No Custodia database in ${typo}; check --data-dir (or CUSTODIA_DATA_DIR), or run \`custodia migrate --data-dir ${typo}\` to start a new one.`,
      );
      expect(existsSync(typo)).toBe(false);
    }
    // An existing but empty directory is no vault either.
    const empty = fresh();
    mkdirSync(empty, { mode: 0o700 });
    expectRefused(
      await runCli(["audit", "verify", "--quiet", "--data-dir", empty]),
      `No Custodia database in ${empty}; check --data-dir (or CUSTODIA_DATA_DIR), or run \`custodia migrate --data-dir ${empty}\` to start a new one.`,
    );
    expect(readdirSync(empty)).toEqual([]);
  });

  it("lets migrate start a vault in an absent or empty directory only", async () => {
    const created = fresh();
    const r = await runCli(["migrate", "--data-dir", created]);
    expect(r.status, r.stderr).toBe(0);
    expect(Object.keys(snapshot(created))).toEqual(["custodia.db", "master.key"]);
    expect(snapshot(created)["master.key"]).toMatch(/:600$/);
    expect(statSync(created).mode & 0o777).toBe(0o700);
    expect((await runCli(["audit", "verify", "--json", "--data-dir", created])).status).toBe(0);

    const busy = fresh();
    mkdirSync(busy, { mode: 0o700 });
    writeFileSync(join(busy, "notes.txt"), "someone else's files\n");
    const before = snapshot(busy);
    for (const args of [["migrate"], ["serve", "--port", "18097"]]) {
      expectRefused(
        await runCli([...args, "--data-dir", busy]),
        `${busy} is not empty and holds no Custodia database; choose an empty or new directory for a new vault.`,
      );
      expect(snapshot(busy)).toEqual(before);
    }
  });

  it("never regenerates a missing master key beside an existing database", async () => {
    const dir = copyOfVault();
    unlinkSync(join(dir, "master.key"));
    const before = snapshot(dir);
    const line = `The database ${join(dir, "custodia.db")} exists but its master key ${join(dir, "master.key")} is missing; restore the key from your key backup (a new key cannot read this data).`;
    for (const args of [["audit", "verify", "--quiet"], ["migrate"], ["serve", "--port", "18098"]]) {
      expectRefused(await runCli([...args, "--data-dir", dir]), line);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("refuses a master key of the wrong size", async () => {
    const dir = copyOfVault();
    writeFileSync(join(dir, "master.key"), `${Buffer.alloc(16, 7).toString("base64")}\n`, { mode: 0o600 });
    const before = snapshot(dir);
    expectRefused(
      await runCli(["audit", "verify", "--quiet", "--data-dir", dir]),
      `The master key ${join(dir, "master.key")} must be 32 bytes, base64-encoded.`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a master key that group or others can read", async () => {
    const dir = copyOfVault();
    chmodSync(join(dir, "master.key"), 0o644);
    const before = snapshot(dir);
    for (const args of [
      ["audit", "verify", "--quiet"],
      ["serve", "--port", "18099"],
    ]) {
      expectRefused(
        await runCli([...args, "--data-dir", dir]),
        `The master key ${join(dir, "master.key")} is accessible to group or others (mode 644); run chmod 600 on it.`,
      );
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("refuses a data directory that others can write to", async () => {
    const dir = copyOfVault();
    chmodSync(dir, 0o703);
    const before = snapshot(dir);
    expectRefused(
      await runCli(["audit", "verify", "--quiet", "--data-dir", dir]),
      `The data directory ${dir} is writable by group or others (mode 703); run chmod 700 on it.`,
    );
    expect(snapshot(dir)).toEqual(before);
    chmodSync(dir, 0o700);
  });

  it("refuses a corrupt database at start (PRAGMA quick_check)", async () => {
    // A damaged page in the middle of a real database.
    const damaged = copyOfVault();
    const file = join(damaged, "custodia.db");
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 5);
    closeSync(fd);
    const before = snapshot(damaged);
    const r = await runCli(["audit", "verify", "--quiet", "--data-dir", damaged]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^The database ${file} (is corrupt \\(quick_check: .+\\); restore it from a backup|cannot be read as SQLite \\(SQLITE_CORRUPT\\w*\\); it is corrupt or not a Custodia database)\\.\\n$`,
      ),
    );
    expect(snapshot(damaged)).toEqual(before);

    // Something that is not SQLite at all.
    const garbage = copyOfVault();
    writeFileSync(join(garbage, "custodia.db"), "not a database ".repeat(500));
    for (const args of [
      ["audit", "verify", "--quiet"],
      ["serve", "--port", "18100"],
    ]) {
      expectRefused(
        await runCli([...args, "--data-dir", garbage]),
        `The database ${join(garbage, "custodia.db")} cannot be read as SQLite (SQLITE_NOTADB); it is corrupt or not a Custodia database.`,
      );
    }
    expect(Object.keys(snapshot(garbage))).toEqual(["custodia.db", "master.key"]);
  });

  it("refuses a port out of range and a bad trusted proxy before touching the data dir", async () => {
    const dir = fresh();
    for (const port of ["70000", "0"]) {
      expectRefused(await runCli(["serve", "--port", port, "--data-dir", dir]), `Invalid port "${port}": give an integer from 1 to 65535.`);
    }
    expectRefused(await runCli(["serve", "--data-dir", dir], { CUSTODIA_PORT: "65536" }), `Invalid port "65536": give an integer from 1 to 65535.`);
    for (const cidr of ["10.0.0.0/33", "fd00::/8/8"]) {
      expectRefused(
        await runCli(["serve", "--port", "18101", "--behind-tls-proxy", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", cidr, "--data-dir", dir]),
        `Invalid trusted proxy "${cidr}": give an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8.`,
      );
    }
    expectRefused(
      await runCli(["serve", "--port", "18101", "--behind-tls-proxy", "--data-dir", dir], { CUSTODIA_TRUSTED_PROXIES: "10.0.0.0/8, 300.1.1.1" }),
      `Invalid trusted proxy " 300.1.1.1": give an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8.`,
    );
    expectRefused(
      await runCli(["serve", "--port", "18101", "--trusted-proxy", "10.0.0.0/8", "--data-dir", dir]),
      "--trusted-proxy applies only with --behind-tls-proxy.",
    );
    expect(existsSync(dir)).toBe(false);
  });
});

for (const dialect of DIALECTS.filter((d) => d === "postgres")) {
  describe(`${dialect}: custodia CLI trust in the database and its key`, () => {
    let db: TestDatabase;
    let described: string;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      // As the engine describes itself: any password masked.
      const url = new URL(db.env.CUSTODIA_DATABASE_URL!);
      url.password = url.password ? "***" : "";
      described = `${url.toString()} (schema ${db.env.CUSTODIA_DATABASE_SCHEMA})`;
    });
    afterAll(() => db.cleanup());

    it("refuses a database without Custodia's tables for other commands, and a keyed database without its key", async () => {
      expectRefused(await runCli(["audit", "verify", "--quiet"], db.env), `The database ${described} has no Custodia tables; run \`custodia migrate\` first.`);
      expect(readdirSync(db.config.dataDir)).toEqual([]);
      expect((await runCli(["migrate"], db.env)).status).toBe(0);
      expect((await runCli(["audit", "verify", "--quiet"], db.env)).status).toBe(0);
      unlinkSync(db.config.masterKeyFile);
      expectRefused(
        await runCli(["audit", "verify", "--quiet"], db.env),
        `The database ${described} exists but its master key ${db.config.masterKeyFile} is missing; restore the key from your key backup (a new key cannot read this data).`,
      );
      expect(readdirSync(db.config.dataDir)).toEqual([]);
    });
  });
}
