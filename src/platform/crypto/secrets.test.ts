import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, hmac, randomCode, randomSecret, sha256Hex } from "./secrets.js";

describe("security primitives", () => {
  it("hashes and MACs by the standard vectors (FIPS 180-2, RFC 4231 case 2)", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hmac("Jefe", "what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("compares equal values as equal and anything else as different, never throwing on lengths", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, a)).toBe(true);
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(Buffer.from(a), b)).toBe(a === b);
      }),
    );
  });

  it("draws secrets and codes of the asked size from the asked alphabet", () => {
    expect(randomSecret(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomSecret(32)).not.toBe(randomSecret(32));
    const codes = Array.from({ length: 200 }, () => randomCode("0123456789", 6));
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
    expect(randomCode("ab", 1000)).toMatch(/^[ab]{1000}$/);
  });
});
