import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { KeyProvider } from "./key-provider.js";
import { DecryptionError, SealingVault, Vault, verifyCheckpointSignature } from "./vault.js";

const memoryKey = (key = randomBytes(32)): KeyProvider => ({ description: "memory", masterKey: async () => key });
const binding = (field = "phone", recordId = "r1") => ({ table: "clients", recordId, field });

describe("vault", () => {
  let vault: Vault;
  beforeAll(async () => {
    vault = await Vault.open(memoryKey());
    await vault.createKek(1);
  });

  it("round-trips any UTF-8 string through seal and open", () => {
    const { dataKey } = vault.newDataKey("c1", 1);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        const sealed = vault.seal(dataKey, binding(), text);
        expect(sealed.includes(Buffer.from(text, "utf8")) && text.length > 3).toBe(false);
        expect(vault.open(dataKey, binding(), sealed)).toBe(text);
      }),
    );
  });

  it("a sealing vault (a bulk import's thread) seals and indexes exactly as the vault does, and holds no more than it was given", () => {
    const keys = vault.sealingKeys(1, ["clients.phone"]);
    expect(Object.keys(keys).sort()).toEqual(["indexKeys", "kek", "kekVersion"]);
    expect(Object.keys(keys.indexKeys)).toEqual(["clients.phone"]);
    // Each key in an ArrayBuffer of its own, so cloning it to a thread clones nothing else.
    expect([keys.kek, ...Object.values(keys.indexKeys)].map((k) => k.buffer.byteLength)).toEqual([32, 32]);
    const given = structuredClone(keys); // as a worker thread receives them
    const sealing = new SealingVault(given);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (text) => {
        const { dataKey, wrapped } = sealing.newDataKey("c9");
        expect(wrapped).toMatchObject({ ownerId: "c9", dekVersion: 1, kekVersion: 1 });
        const sealed = sealing.seal(dataKey, binding("phone", "c9"), text);
        // The vault unwraps the thread's data key and opens the thread's ciphertext.
        expect(vault.open(vault.openDataKey(wrapped), binding("phone", "c9"), sealed)).toBe(text);
        expect(sealing.blindIndex("clients.phone", text)).toBe(vault.blindIndex("clients.phone", text));
      }),
      { numRuns: 50 },
    );
    // Only the contexts given: it cannot make another field's index.
    expect(() => sealing.blindIndex("clients.email", "a@b.cn")).toThrow(/no blind-index key/);
    // Destroyed, its keys are zeros: what it wraps after that no vault can open.
    sealing.destroy();
    // The bytes it was given are the ones zeroed: it kept no copy of its own.
    expect([given.kek, ...Object.values(given.indexKeys)].every((k) => k.every((b) => b === 0))).toBe(true);
    const { wrapped } = sealing.newDataKey("c10");
    expect(() => vault.openDataKey(wrapped)).toThrow(DecryptionError);
  });

  it("refuses a ciphertext moved to another field, record or table", () => {
    const { dataKey } = vault.newDataKey("c1", 1);
    const sealed = vault.seal(dataKey, binding("phone", "r1"), "13912345678");
    expect(() => vault.open(dataKey, binding("email", "r1"), sealed)).toThrow(DecryptionError);
    expect(() => vault.open(dataKey, binding("phone", "r2"), sealed)).toThrow(DecryptionError);
    expect(() => vault.open(dataKey, { ...binding(), table: "other" }, sealed)).toThrow(DecryptionError);
  });

  it("round-trips bytes bound to their parent, record and part; a move anywhere fails", () => {
    const { dataKey } = vault.newDataKey("incident_evidence:e1", 1);
    const at = { table: "incident_evidence", parentId: "i1", recordId: "e1", part: "content" };
    const bytes = randomBytes(4096);
    const sealed = vault.sealBytes(dataKey, at, bytes);
    expect(vault.openBytes(dataKey, at, sealed).equals(bytes)).toBe(true);
    for (const moved of [
      { ...at, parentId: "i2" },
      { ...at, recordId: "e2" },
      { ...at, part: "filename" },
      { ...at, table: "other" },
    ]) {
      expect(() => vault.openBytes(dataKey, moved, sealed)).toThrow(DecryptionError);
    }
    // A field binding with the same names is another kind of ciphertext.
    expect(() => vault.open(dataKey, { table: "incident_evidence", recordId: "e1", field: "content" }, sealed)).toThrow(DecryptionError);
  });

  it("refuses another client's data key", () => {
    const a = vault.newDataKey("a", 1).dataKey;
    const b = vault.newDataKey("b", 1).dataKey;
    expect(() => vault.open(b, binding(), vault.seal(a, binding(), "x"))).toThrow(DecryptionError);
  });

  it("throws only DecryptionError for arbitrary or bit-flipped input (format parser property)", () => {
    const { dataKey } = vault.newDataKey("c1", 1);
    const good = vault.seal(dataKey, binding(), "张三");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(() => vault.open(dataKey, binding(), Buffer.from(bytes))).toThrow(DecryptionError);
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: good.length * 8 - 1 }), (bit) => {
        const flipped = Buffer.from(good);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => vault.open(dataKey, binding(), flipped)).toThrow(DecryptionError);
      }),
    );
  });

  it("binds a wrapped data key to its owner and KEK version", () => {
    const { wrapped } = vault.newDataKey("owner", 1);
    expect(() => vault.openDataKey({ ...wrapped, ownerId: "someone-else" })).toThrow(DecryptionError);
    expect(vault.openDataKey(wrapped).ownerId).toBe("owner");
  });

  it("remembers an opened data key only for the very bytes it was opened from", () => {
    const { dataKey, wrapped } = vault.newDataKey("remembered", 1);
    const sealed = vault.seal(dataKey, binding(), "secret");
    expect(vault.open(vault.openDataKey(wrapped), binding(), sealed)).toBe("secret");
    expect(vault.open(vault.openDataKey(wrapped), binding(), sealed)).toBe("secret");
    // Same owner and versions, other bytes (a tampered row): unwrapped afresh, so refused.
    const tampered = Buffer.from(wrapped.wrapped);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => vault.openDataKey({ ...wrapped, wrapped: tampered })).toThrow(DecryptionError);
    // A wrapped key the caller later changes in place is not the one remembered.
    const given = { ...wrapped, wrapped: Buffer.from(wrapped.wrapped) };
    vault.openDataKey(given);
    given.wrapped.fill(0);
    expect(() => vault.openDataKey(given)).toThrow(DecryptionError);
  });

  it("re-wraps a data key under a new KEK without touching field ciphertexts", async () => {
    const { dataKey, wrapped } = vault.newDataKey("c9", 1);
    const sealed = vault.seal(dataKey, binding(), "secret");
    await vault.createKek(2);
    const moved = vault.rewrap(wrapped, 2);
    expect(moved.kekVersion).toBe(2);
    expect(moved.wrapped.equals(wrapped.wrapped)).toBe(false);
    expect(vault.open(vault.openDataKey(moved), binding(), sealed)).toBe("secret");
  });

  it("refuses KEKs wrapped by another master key", async () => {
    const other = await Vault.open(memoryKey());
    const wrappedKek = await vault.createKek(3);
    await expect(other.loadKek(3, wrappedKek)).rejects.toThrow(DecryptionError);
  });

  it("derives a distinct, deterministic blind-index key per field", async () => {
    expect(vault.blindIndex("clients.phone", "13912345678")).toBe(vault.blindIndex("clients.phone", "13912345678"));
    expect(vault.blindIndex("clients.phone", "13912345678")).not.toBe(vault.blindIndex("clients.email", "13912345678"));
    expect(vault.blindIndex("clients.phone", "13912345678")).toMatch(/^[0-9a-f]{16}$/);
    const other = await Vault.open(memoryKey());
    expect(other.blindIndex("clients.phone", "13912345678")).not.toBe(vault.blindIndex("clients.phone", "13912345678"));
  });

  it("signs checkpoints verifiable with the public key alone", () => {
    const sig = vault.signCheckpoint("head");
    expect(verifyCheckpointSignature(vault.checkpointPublicKey, "head", sig)).toBe(true);
    expect(verifyCheckpointSignature(vault.checkpointPublicKey, "head2", sig)).toBe(false);
    expect(verifyCheckpointSignature("garbage", "head", sig)).toBe(false);
  });

  it("seals account secrets bound to their row and field, under the master key only", async () => {
    const where = { table: "totp_enrolments", recordId: "u1", field: "secret" };
    const sealed = vault.sealSecret(where, "JBSWY3DPEHPK3PXP");
    expect(sealed.includes(Buffer.from("JBSWY3DPEHPK3PXP"))).toBe(false);
    expect(sealed[0]).toBe(0x01);
    expect(vault.openSecret(where, sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(vault.sealSecret(where, "JBSWY3DPEHPK3PXP").equals(sealed)).toBe(false);
    expect(() => vault.openSecret({ ...where, recordId: "u2" }, sealed)).toThrow(DecryptionError);
    expect(() => vault.openSecret({ ...where, field: "other" }, sealed)).toThrow(DecryptionError);
    const other = await Vault.open(memoryKey());
    expect(() => other.openSecret(where, sealed)).toThrow(DecryptionError);
    // Not interchangeable with client-field ciphertexts under a data key.
    const { dataKey } = vault.newDataKey("u1", 1);
    expect(() => vault.open(dataKey, where, sealed)).toThrow(DecryptionError);
  });
});
