import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { KeyProvider } from "./key-provider.js";
import { Vault } from "./vault.js";

const memoryKey = (key = randomBytes(32)): KeyProvider => ({ description: "memory", masterKey: async () => key });

describe("vault.mac", () => {
  let vault: Vault;
  let other: Vault;
  beforeAll(async () => {
    vault = await Vault.open(memoryKey());
    other = await Vault.open(memoryKey());
  });

  it("is deterministic for one master key and purpose, and full-length HMAC-SHA-256", () => {
    fc.assert(
      fc.property(fc.string(), (data) => {
        expect(vault.mac("lockout.account", data)).toBe(vault.mac("lockout.account", data));
        expect(vault.mac("lockout.account", data)).toMatch(/^[0-9a-f]{64}$/);
        expect(vault.mac("lockout.account", Buffer.from(data, "utf8"))).toBe(vault.mac("lockout.account", data));
      }),
    );
  });

  it("separates purposes: one purpose's MAC never matches another's or a blind index", () => {
    fc.assert(
      fc.property(fc.string(), (data) => {
        const account = vault.mac("lockout.account", data);
        expect(vault.mac("lockout.ip", data)).not.toBe(account);
        expect(vault.mac("portal.code", data)).not.toBe(account);
        expect(account.startsWith(vault.blindIndex("lockout.account", data))).toBe(false);
      }),
    );
  });

  it("depends on the master key: another vault's MACs differ, and none is a plain hash", () => {
    fc.assert(
      fc.property(fc.string(), (data) => {
        expect(other.mac("lockout.account", data)).not.toBe(vault.mac("lockout.account", data));
      }),
    );
    const plain = createHash("sha256").update("someone@firm.test").digest("hex");
    expect(vault.mac("lockout.account", "someone@firm.test")).not.toBe(plain);
  });
});
