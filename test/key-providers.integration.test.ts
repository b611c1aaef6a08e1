/**
 * The master key outside the data directory (issue #16): in a PKCS#11 token (SoftHSM2) and in a
 * transit engine (a local fake: no Vault binary here), on both engines. Clients are created, no
 * key file exists, reads survive a reopen, the master key rotates while reads continue, and the
 * old key is not needed afterwards. Also: a legacy file-key vault rotates (and moves into the HSM)
 * without any derived key changing.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { type Config, ConfigError, parseKeyProvider } from "../src/platform/config.js";
import { prepareDataDir } from "../src/platform/data-dir.js";
import { openServices, type Services } from "../src/platform/services.js";
import { readClient } from "../src/records/clients/client-reader.js";
import { searchClients } from "../src/records/clients/client-searcher.js";
import { addKeyProviderCommands } from "../src/vault/keys/key-provider-cli.js";
import { rotateKeys } from "../src/vault/keys/key-rotator.js";
import { rotateMasterKey } from "../src/vault/keys/master-key-rotator.js";
import { keyProviderFor } from "../src/vault/providers/index.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, type TestUser } from "./support/factories.js";
import { createSoftHsm } from "./support/softhsm.js";
import { startTransitFake, type TransitFake } from "./support/transit-fake.js";

// Before any provider runs: SoftHSM2 reads its configuration and finds its tokens once per process.
const hsm = createSoftHsm();
const TOKENS = Object.fromEntries(DIALECTS.flatMap((d) => [`custodia-${d}`, `legacy-${d}`, `legacy-${d}-2`]).map((label) => [label, hsm.token(label)]));
const CLIENTS = 60;

/** The test database's configuration with the master key where `env` says. */
const configWith = (db: TestDatabase, env: Record<string, string>): Config => ({ ...db.config, keyProvider: parseKeyProvider(env) });

async function open(db: TestDatabase, env: Record<string, string>): Promise<Services> {
  const config = configWith(db, env);
  return openServices(config, { keyProvider: await prepareDataDir(config, "create") });
}

/** Reads clients in a loop (on every server given) until `work` ends; every read must decrypt. */
async function whileReading<T>(servers: Services[], partner: TestUser, ids: string[], work: () => Promise<T>): Promise<{ result: T; reads: number }> {
  let reads = 0;
  let running = true;
  let started: () => void = () => {};
  const warm = new Promise<void>((resolve) => {
    started = resolve;
  });
  const readers = servers.map(async (s, n) => {
    for (let i = n; running; i++) {
      // As requests arrive: through the event loop, so I/O (a transit call) is served in between.
      await new Promise((resolve) => setImmediate(resolve));
      const c = await readClient(s, contextFor(partner.actor), ids[(i * 7) % ids.length]!);
      expect(c.name).toMatch(/^客户\d+$/);
      if (++reads === 5) started();
    }
  });
  try {
    await warm; // reads are under way when the work starts
    const result = await work();
    const during = reads;
    while (reads < during + 5) await new Promise((resolve) => setImmediate(resolve)); // and go on after it
    return { result, reads };
  } finally {
    running = false;
    await Promise.all(readers);
  }
}

/** Runs `custodia keys <args>` in process (the lead wires addKeyProviderCommands into main.ts). */
async function keysCli(args: string[], env: Record<string, string>): Promise<{ out: string; exitCode: number }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  process.exitCode = 0;
  try {
    const keys = new Command("keys").exitOverride();
    addKeyProviderCommands(keys);
    await keys.parseAsync(args, { from: "user" });
    return { out: [...log.mock.calls, ...error.mock.calls].map((c) => c.join(" ")).join("\n"), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = 0;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const keyFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith("master.key"));

async function masterEvents(s: Services) {
  const rows = await s.engine.db.selectFrom("audit_events").select(["action", "target_id", "details"]).where("action", "=", "keys.master_rotated").execute();
  return rows.map((r) => ({ targetId: r.target_id, details: JSON.parse(r.details ?? "null") }));
}

afterAll(() => hsm.cleanup());

for (const dialect of DIALECTS) {
  describe(`${dialect}: master key in a PKCS#11 token (SoftHSM2)`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let services: Services;
    let partner: TestUser;
    const ids: string[] = [];
    const token = `custodia-${dialect}`;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      env = { ...db.env, ...TOKENS[token] };
      services = await open(db, env);
      partner = await buildUser(services, "partner");
      for (let i = 0; i < CLIENTS; i++) ids.push((await buildClient(services, partner.actor, { name: `客户${i}` })).id);
    });
    afterAll(async () => {
      await services?.close().catch(() => {}); // the last test leaves it closed
      await db?.cleanup();
    });

    it("keeps no key file, and reads after reopening with the key in the token", async () => {
      expect(keyFiles(db.config.dataDir)).toEqual([]);
      expect(hsm.keyLabels(token)).toEqual(["custodia-master"]);
      const root = await services.engine.db.selectFrom("vault_root").selectAll().executeTakeFirstOrThrow();
      expect(root.master_ref).toBe("pkcs11:custodia-master");
      const publicKey = services.vault.checkpointPublicKey;
      await services.close();
      services = await open(db, env);
      expect(services.vault.checkpointPublicKey).toBe(publicKey);
      expect((await readClient(services, contextFor(partner.actor), ids[3]!)).name).toBe("客户3");
      expect((await searchClients(services, contextFor(partner.actor), { name: "客户7" })).map((c) => c.id)).toEqual([ids[7]]);
      expect(keyFiles(db.config.dataDir)).toEqual([]);
    });

    it("rotates the master key while two servers keep reading, and the old key object is then not needed", async () => {
      const other = await open(db, env); // a second server, opened before the rotation
      try {
        // SQLite serves one server per database file: there the second one reads only afterwards.
        const readers = dialect === "postgres" ? [services, other] : [services];
        const { result, reads } = await whileReading(readers, partner, ids, () => rotateMasterKey(services, contextFor(CONSOLE_OPERATOR, null)));
        expect(reads).toBeGreaterThan(0);
        expect((await readClient(other, contextFor(partner.actor), ids[11]!)).name).toBe("客户11");
        expect(result).toEqual({ provider: "pkcs11", masterRef: "pkcs11:custodia-master.v2", keks: 1, root: "rewrapped", keptOldKey: null });
        expect(hsm.keyLabels(token)).toEqual(["custodia-master", "custodia-master.v2"]);
        // The other server learns the new master key when it next wraps a KEK.
        const kek = await rotateKeys(other, contextFor(CONSOLE_OPERATOR, null));
        expect(kek).toEqual({ version: 2, rewrapped: CLIENTS });
      } finally {
        await other.close();
      }
      expect(await masterEvents(services)).toEqual([{ targetId: "master:pkcs11", details: { provider: "pkcs11", keks: 1, root: "rewrapped" } }]);

      hsm.destroyKey(token, "custodia-master");
      await services.close();
      services = await open(db, env);
      for (const i of [0, 31, CLIENTS - 1]) expect((await readClient(services, contextFor(partner.actor), ids[i]!)).name).toBe(`客户${i}`);
      expect(keyFiles(db.config.dataDir)).toEqual([]);
    });

    it("rotates from the CLI and shows where the key lives without a secret", async () => {
      await services.close();
      const shown = await keysCli(["provider", "--json"], env);
      expect(JSON.parse(shown.out)).toEqual({
        provider: "pkcs11",
        where: expect.stringContaining(`token "${token}" key "custodia-master"`),
        masterKey: "pkcs11:custodia-master.v2",
        rotatedAt: expect.any(String),
      });
      expect(shown.out).not.toContain(env.CUSTODIA_PKCS11_PIN);
      const rotated = await keysCli(["rotate-master", "--json"], env);
      expect(rotated.exitCode).toBe(0);
      expect(JSON.parse(rotated.out)).toMatchObject({ provider: "pkcs11", masterRef: "pkcs11:custodia-master.v3", keks: 2 });
      const wrongPin = await keysCli(["provider"], { ...env, CUSTODIA_PKCS11_PIN: "", CUSTODIA_PKCS11_PIN_FILE: "/nonexistent" });
      expect(wrongPin).toEqual({ out: "Cannot read CUSTODIA_PKCS11_PIN_FILE /nonexistent (ENOENT).", exitCode: 2 });
      services = await open(db, env);
      expect((await readClient(services, contextFor(partner.actor), ids[9]!)).name).toBe("客户9");
    });

    it("refuses a database whose master key is not in the token, and a wrong PIN", async () => {
      await services.close();
      await expect(open(db, { ...env, CUSTODIA_PKCS11_KEY_LABEL: "another" })).rejects.toThrow(
        new ConfigError('This database\'s master key (pkcs11:custodia-master.v3) is not a key of CUSTODIA_PKCS11_KEY_LABEL "another".'),
      );
      hsm.destroyKey(token, "custodia-master.v3");
      await expect(open(db, env)).rejects.toThrow(
        new ConfigError(`The master key "custodia-master.v3" is not in PKCS#11 token "${token}"; restore the token (or its backup) that holds it.`),
      );
    });
  });

  describe(`${dialect}: master key in a transit engine (local fake)`, () => {
    let db: TestDatabase;
    let fake: TransitFake;
    let env: Record<string, string>;
    let services: Services;
    let partner: TestUser;
    const ids: string[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      fake = await startTransitFake();
      env = {
        ...db.env,
        CUSTODIA_KEY_PROVIDER: "transit",
        CUSTODIA_TRANSIT_ADDR: fake.addr,
        CUSTODIA_TRANSIT_TOKEN: fake.token,
        CUSTODIA_TRANSIT_KEY: "custodia",
      };
      services = await open(db, env);
      partner = await buildUser(services, "partner");
      for (let i = 0; i < CLIENTS; i++) ids.push((await buildClient(services, partner.actor, { name: `客户${i}` })).id);
    });
    afterAll(async () => {
      await services?.close();
      await fake?.close();
      await db?.cleanup();
    });

    it("keeps no key file, wraps through the engine, and reads after reopening", async () => {
      expect(keyFiles(db.config.dataDir)).toEqual([]);
      const kek = await services.engine.db.selectFrom("key_versions").select("wrapped_key").executeTakeFirstOrThrow();
      expect(kek.wrapped_key.toString("utf8")).toMatch(/^vault:v1:/);
      await services.close();
      services = await open(db, env);
      expect((await readClient(services, contextFor(partner.actor), ids[4]!)).name).toBe("客户4");
      await services.close();
      await expect(open(db, { ...env, CUSTODIA_TRANSIT_TOKEN: "hvs.wrong" })).rejects.toThrow(
        new ConfigError("The transit engine refused the token (403); check CUSTODIA_TRANSIT_TOKEN and its policy."),
      );
      services = await open(db, env);
    });

    it("rotates the engine key and rewraps while reading; the old key version is then not needed", async () => {
      const before = fake.requests.length;
      const { result, reads } = await whileReading([services], partner, ids, () => rotateMasterKey(services, contextFor(CONSOLE_OPERATOR, null)));
      expect(reads).toBeGreaterThan(0);
      expect(result).toEqual({ provider: "transit", masterRef: "transit:transit/custodia", keks: 1, root: "rewrapped", keptOldKey: null });
      expect(fake.latestVersion("custodia")).toBe(2);
      const calls = fake.requests.slice(before);
      expect(calls).toContain("POST /v1/transit/keys/custodia/rotate");
      expect(calls.filter((c) => c === "POST /v1/transit/rewrap/custodia")).toHaveLength(2); // the KEK and the root
      const stored = await services.engine.db.selectFrom("key_versions").select("wrapped_key").execute();
      expect(stored.map((k) => k.wrapped_key.toString("utf8").slice(0, 9))).toEqual(["vault:v2:"]);
      expect(await masterEvents(services)).toEqual([{ targetId: "master:transit", details: { provider: "transit", keks: 1, root: "rewrapped" } }]);

      fake.setMinDecryptionVersion("custodia", 2);
      await services.close();
      services = await open(db, env);
      for (const i of [0, CLIENTS - 1]) expect((await readClient(services, contextFor(partner.actor), ids[i]!)).name).toBe(`客户${i}`);
    });
  });

  describe(`${dialect}: a legacy file-key vault`, () => {
    let db: TestDatabase;
    let services: Services;
    let partner: TestUser;
    let publicKey: string;
    const ids: string[] = [];
    const token = `legacy-${dialect}`;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      partner = await buildUser(services, "partner");
      for (let i = 0; i < 10; i++) ids.push((await buildClient(services, partner.actor, { name: `客户${i}`, phone: `1391234560${i}` })).id);
      publicKey = services.vault.checkpointPublicKey;
    });
    afterAll(async () => {
      await services?.close();
      await db?.cleanup();
    });

    it("rotates its key file, keeping the old one, and every derived key stays the same", async () => {
      expect(await services.engine.db.selectFrom("vault_root").selectAll().execute()).toEqual([]);
      const { result, reads } = await whileReading([services], partner, ids, () => rotateMasterKey(services, contextFor(CONSOLE_OPERATOR, null)));
      expect(reads).toBeGreaterThan(0);
      expect(result).toMatchObject({ provider: "file", keks: 1, root: "stored", keptOldKey: expect.stringMatching(/master\.key\.old-\d{8}T\d{6}Z$/) });
      expect(keyFiles(db.config.dataDir).sort()).toEqual(["master.key", result.keptOldKey!.split("/").pop()]);
      await services.close();
      services = await db.open();
      expect(services.vault.checkpointPublicKey).toBe(publicKey);
      expect((await searchClients(services, contextFor(partner.actor), { phone: "13912345604" })).map((c) => c.id)).toEqual([ids[4]]);
    });

    it("moves the master key into the HSM; the key files are then not needed", async () => {
      const env = { ...db.env, ...TOKENS[token] };
      const to = keyProviderFor(configWith(db, env), { create: true });
      const result = await rotateMasterKey(services, contextFor(CONSOLE_OPERATOR, null), { to });
      expect(result).toMatchObject({ provider: "pkcs11", masterRef: "pkcs11:custodia-master", root: "rewrapped", keptOldKey: null });
      await services.close();
      for (const name of keyFiles(db.config.dataDir)) rmSync(join(db.config.dataDir, name));
      services = await open(db, env);
      expect(services.vault.checkpointPublicKey).toBe(publicKey);
      expect((await readClient(services, contextFor(partner.actor), ids[2]!)).name).toBe("客户2");
      expect((await searchClients(services, contextFor(partner.actor), { phone: "13912345607" })).map((c) => c.id)).toEqual([ids[7]]);
      expect(existsSync(db.config.masterKeyFile)).toBe(false);
    });

    it("refuses to open a file-key vault with an HSM provider before the key was moved", async () => {
      const other = await createTestDatabase(dialect);
      try {
        const s = await other.open();
        await s.close();
        await expect(open(other, { ...other.env, ...TOKENS[`${token}-2`] })).rejects.toThrow(/move the key with `custodia keys rotate-master --to <provider>`/);
      } finally {
        await other.cleanup();
      }
    });
  });
}
