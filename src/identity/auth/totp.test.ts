import { describe, expect, it } from "vitest";
import { checkTotp, timeStep, totpCode, totpUri } from "./totp.js";

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238, SHA-1)", () => {
  for (const [t, expected] of VECTORS) {
    it(`matches the RFC 6238 reference value at T=${t}`, () => {
      expect(totpCode(RFC_SEED, timeStep(t * 1000), 8)).toBe(expected);
      // Six digits are the same HOTP value modulo 10^6: the last six of the eight.
      expect(totpCode(RFC_SEED, timeStep(t * 1000))).toBe(expected.slice(2));
    });
  }

  it("accepts one step of drift either way, not two", () => {
    const now = 1111111111_000;
    const step = timeStep(now);
    for (const d of [-1, 0, 1]) expect(checkTotp(RFC_SEED, totpCode(RFC_SEED, step + d), now, null)).toEqual({ ok: true, step: step + d });
    for (const d of [-2, 2]) expect(checkTotp(RFC_SEED, totpCode(RFC_SEED, step + d), now, null)).toEqual({ ok: false, reason: "invalid_code" });
  });

  it("refuses a code whose step is at or before the last accepted step (replay)", () => {
    const now = 1234567890_000;
    const step = timeStep(now);
    expect(checkTotp(RFC_SEED, totpCode(RFC_SEED, step), now, step)).toEqual({ ok: false, reason: "replayed_code" });
    expect(checkTotp(RFC_SEED, totpCode(RFC_SEED, step - 1), now, step - 1)).toEqual({ ok: false, reason: "replayed_code" });
    expect(checkTotp(RFC_SEED, totpCode(RFC_SEED, step + 1), now, step)).toEqual({ ok: true, step: step + 1 });
  });

  it("refuses malformed input and tolerates spaces", () => {
    const now = 2000000000_000;
    const code = totpCode(RFC_SEED, timeStep(now));
    expect(checkTotp(RFC_SEED, `${code.slice(0, 3)} ${code.slice(3)}`, now, null).ok).toBe(true);
    for (const bad of ["", "12345", "1234567", "abcdef", "12345a"]) expect(checkTotp(RFC_SEED, bad, now, null).ok).toBe(false);
  });

  it("builds an otpauth:// URI with the issuer and parameters", () => {
    const uri = totpUri(RFC_SEED, "lawyer@firm.cn");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Custodia:lawyer%40firm\.cn\?/);
    expect(uri).toContain(`secret=${RFC_SEED}`);
    expect(uri).toContain("algorithm=SHA1");
    expect(uri).toContain("digits=6");
    expect(uri).toContain("period=30");
  });
});
