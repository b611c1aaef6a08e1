import { constantTimeEqual, randomSecretBytes } from "../../platform/crypto/secrets.js";
import { Secret, TOTP } from "otpauth";

/**
 * TOTP per RFC 6238 with the parameters every authenticator app supports: HMAC-SHA-1, 6 digits,
 * 30-second steps. One step of drift either way is accepted; a code whose step is not after the
 * last accepted one is a replay and is refused.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW = 1;
const ISSUER = "Custodia";

/** A fresh 160-bit seed (RFC 4226 recommends 160 bits), base32 as apps expect it. */
export const newTotpSecret = (): string => new Secret({ buffer: new Uint8Array(randomSecretBytes(20)).buffer }).base32;

export const timeStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

export function totpCode(secretBase32: string, step: number, digits = TOTP_DIGITS): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits,
    period: TOTP_PERIOD_SECONDS,
    timestamp: step * TOTP_PERIOD_SECONDS * 1000,
  });
}

/** The otpauth:// URI an authenticator app scans; the label is the account's email. */
export function totpUri(secretBase32: string, account: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: account,
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "invalid_code" | "replayed_code" };

/**
 * Checks a presented code against steps now−1 … now+1 and returns the matching step, which the
 * caller stores as the last accepted one. Every candidate is compared, so timing says nothing.
 */
export function checkTotp(secretBase32: string, presented: string, nowMs: number, lastStep: number | null): TotpCheck {
  const code = presented.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: "invalid_code" };
  const current = timeStep(nowMs);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    // Constant-time comparison: no timing side channel.
    if (constantTimeEqual(totpCode(secretBase32, step), code) && matched === null) matched = step;
  }
  if (matched === null) return { ok: false, reason: "invalid_code" };
  if (lastStep !== null && matched <= lastStep) return { ok: false, reason: "replayed_code" };
  return { ok: true, step: matched };
}
