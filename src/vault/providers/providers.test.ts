import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_PKCS11_MODULE, parseKeyProvider } from "../../platform/config.js";
import { decrypt } from "../aes-gcm.js";
import { LocalMasterKey, masterKeyId } from "../key-provider.js";
import { Vault } from "../vault.js";
import { FileKeyProvider } from "./file-key-provider.js";

describe("key provider configuration", () => {
  it("defaults to the key file", () => {
    expect(parseKeyProvider({})).toEqual({ kind: "file" });
  });

  it("reads PKCS#11 settings, the PIN from a file, and never shows the PIN", () => {
    const dir = mkdtempSync(join(tmpdir(), "custodia-pin-"));
    try {
      writeFileSync(join(dir, "pin"), "123456\n");
      const p = parseKeyProvider({
        CUSTODIA_KEY_PROVIDER: "pkcs11",
        CUSTODIA_PKCS11_TOKEN_LABEL: "custodia",
        CUSTODIA_PKCS11_KEY_LABEL: "master",
        CUSTODIA_PKCS11_PIN_FILE: join(dir, "pin"),
      });
      expect(p).toMatchObject({ kind: "pkcs11", module: DEFAULT_PKCS11_MODULE, tokenLabel: "custodia", keyLabel: "master" });
      expect(p.kind === "pkcs11" && p.pin()).toBe("123456");
      expect(JSON.stringify(p)).not.toContain("123456");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ CUSTODIA_KEY_PROVIDER: "kms" }, 'CUSTODIA_KEY_PROVIDER must be "file", "pkcs11" or "transit".'],
    [
      { CUSTODIA_KEY_PROVIDER: "pkcs11", CUSTODIA_PKCS11_KEY_LABEL: "k", CUSTODIA_PKCS11_PIN: "1" },
      "CUSTODIA_PKCS11_TOKEN_LABEL is required with CUSTODIA_KEY_PROVIDER=pkcs11.",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "pkcs11", CUSTODIA_PKCS11_TOKEN_LABEL: "t", CUSTODIA_PKCS11_PIN: "1" },
      "CUSTODIA_PKCS11_KEY_LABEL is required with CUSTODIA_KEY_PROVIDER=pkcs11.",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "pkcs11", CUSTODIA_PKCS11_TOKEN_LABEL: "t", CUSTODIA_PKCS11_KEY_LABEL: "k" },
      "CUSTODIA_PKCS11_PIN (or CUSTODIA_PKCS11_PIN_FILE) is required.",
    ],
    [
      {
        CUSTODIA_KEY_PROVIDER: "pkcs11",
        CUSTODIA_PKCS11_TOKEN_LABEL: "t",
        CUSTODIA_PKCS11_KEY_LABEL: "k",
        CUSTODIA_PKCS11_PIN: "1",
        CUSTODIA_PKCS11_PIN_FILE: "/x",
      },
      "Set CUSTODIA_PKCS11_PIN or CUSTODIA_PKCS11_PIN_FILE, not both.",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "pkcs11", CUSTODIA_PKCS11_TOKEN_LABEL: "t", CUSTODIA_PKCS11_KEY_LABEL: "k", CUSTODIA_PKCS11_PIN_FILE: "/nonexistent/pin" },
      "Cannot read CUSTODIA_PKCS11_PIN_FILE /nonexistent/pin (ENOENT).",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "transit", CUSTODIA_TRANSIT_KEY: "k", CUSTODIA_TRANSIT_TOKEN: "t" },
      "CUSTODIA_TRANSIT_ADDR is required with CUSTODIA_KEY_PROVIDER=transit.",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "transit", CUSTODIA_TRANSIT_ADDR: "http://vault.firm.example:8200", CUSTODIA_TRANSIT_KEY: "k", CUSTODIA_TRANSIT_TOKEN: "t" },
      "CUSTODIA_TRANSIT_ADDR uses plain http to a non-loopback address; use https:// (the token and KEKs would travel in clear).",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "transit", CUSTODIA_TRANSIT_ADDR: "vault:8200", CUSTODIA_TRANSIT_KEY: "k", CUSTODIA_TRANSIT_TOKEN: "t" },
      "CUSTODIA_TRANSIT_ADDR must be an https:// URL.",
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "transit", CUSTODIA_TRANSIT_ADDR: "https://v", CUSTODIA_TRANSIT_KEY: "../sys", CUSTODIA_TRANSIT_TOKEN: "t" },
      'CUSTODIA_TRANSIT_KEY may hold only letters, digits, ".", "_" and "-".',
    ],
    [
      {
        CUSTODIA_KEY_PROVIDER: "transit",
        CUSTODIA_TRANSIT_ADDR: "https://v",
        CUSTODIA_TRANSIT_MOUNT: "a/../sys",
        CUSTODIA_TRANSIT_KEY: "k",
        CUSTODIA_TRANSIT_TOKEN: "t",
      },
      'CUSTODIA_TRANSIT_MOUNT may hold only letters, digits, ".", "_" and "-" (and / between segments).',
    ],
    [
      { CUSTODIA_KEY_PROVIDER: "transit", CUSTODIA_TRANSIT_ADDR: "https://v", CUSTODIA_TRANSIT_KEY: "k" },
      "CUSTODIA_TRANSIT_TOKEN (or CUSTODIA_TRANSIT_TOKEN_FILE) is required.",
    ],
  ])("refuses %j with one line", (env, message) => {
    expect(() => parseKeyProvider(env)).toThrow(new ConfigError(message));
  });

  it("allows plain http to loopback only, and defaults the mount to transit", () => {
    for (const addr of ["http://127.0.0.1:8200", "http://[::1]:8200", "http://localhost:8200", "https://vault.firm.example"]) {
      const p = parseKeyProvider({
        CUSTODIA_KEY_PROVIDER: "transit",
        CUSTODIA_TRANSIT_ADDR: addr,
        CUSTODIA_TRANSIT_KEY: "custodia",
        CUSTODIA_TRANSIT_TOKEN: "s.abc",
      });
      expect(p).toMatchObject({ kind: "transit", mount: "transit", key: "custodia" });
      expect(JSON.stringify(p)).not.toContain("s.abc");
    }
  });
});

describe("master keys held in memory", () => {
  it("wrap in the vault's pre-provider format, so KEKs wrapped before still open", async () => {
    const bytes = randomBytes(32);
    const aad = Buffer.from("custodia/kek/v1\u00001", "utf8");
    const wrapped = await new LocalMasterKey(bytes).wrap(Buffer.from("kek"), aad);
    expect(decrypt(bytes, wrapped, aad).toString()).toBe("kek");
  });

  it("derive the same keys from a stored root equal to the old master bytes (legacy rotation)", async () => {
    const bytes = randomBytes(32);
    const legacy = await Vault.open({ description: "memory", masterKey: async () => bytes });
    const next = new LocalMasterKey(randomBytes(32));
    const stored = await legacy.rewrapRoot(null, next);
    const rotated = await Vault.openWithRoot({ description: "memory", masterKey: async () => next }, next, stored);
    expect(rotated.checkpointPublicKey).toBe(legacy.checkpointPublicKey);
    expect(rotated.blindIndex("clients.phone", "13800138000")).toBe(legacy.blindIndex("clients.phone", "13800138000"));
    expect(rotated.mac("lockout", "x")).toBe(legacy.mac("lockout", "x"));
    const secret = legacy.sealSecret({ table: "t", recordId: "r", field: "f" }, "seed");
    expect(rotated.openSecret({ table: "t", recordId: "r", field: "f" }, secret)).toBe("seed");
  });
});

describe("file provider rotation", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "custodia-key-"));
    path = join(dir, "master.key");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the successor beside the key, then keeps the old key 0600 and renames the successor over it", async () => {
    const provider = new FileKeyProvider(path, { create: true });
    const first = await provider.masterKey();
    const next = await provider.rotation.prepare();
    expect(statSync(`${path}.next`).mode & 0o777).toBe(0o600);
    expect((await provider.masterKey()).ref).toBe(first.ref); // nothing moved before commit
    const kept = String(await provider.rotation.commit(next));
    expect(kept).toMatch(/master\.key\.old-\d{8}T\d{6}Z$/);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(`file:${masterKeyId(Buffer.from(readFileSync(kept, "utf8").trim(), "base64"))}`).toBe(first.ref);
    expect((await provider.masterKey()).ref).toBe(next.ref);
    expect(readdirSync(dir).sort()).toEqual(["master.key", kept.slice(dir.length + 1)]);
  });

  it("finishes a rotation the database committed before a crash, and finds a kept old key by its id", async () => {
    const provider = new FileKeyProvider(path, { create: true });
    const first = await provider.masterKey();
    const next = await provider.rotation.prepare();
    // The database names the successor; the rename never happened.
    expect((await new FileKeyProvider(path, { create: false }).masterKey(next.ref)).ref).toBe(next.ref);
    expect(readdirSync(dir).some((n) => n === "master.key.next")).toBe(false);
    expect((await new FileKeyProvider(path, { create: false }).masterKey(first.ref)).ref).toBe(first.ref);
    await expect(new FileKeyProvider(path, { create: false }).masterKey("file:0000000000000000")).rejects.toThrow(
      /is not the key this database was last wrapped with \(file:0000000000000000\)/,
    );
  });
});
