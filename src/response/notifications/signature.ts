/**
 * Webhook signatures: `X-Custodia-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is signed with the body, so a receiver that rejects old `t` values stops replays.
 */
import { constantTimeEqual, hmac, randomSecret } from "../../platform/crypto/secrets.js";

export const SIGNATURE_HEADER = "x-custodia-signature";

export const newWebhookSecret = () => `whsec_${randomSecret(32)}`;

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(secret, `${unixSeconds}.${body}`)}`;
}

/** The receiver's side, as documented in the README; `toleranceSeconds` bounds replays. */
export function verifySignature(secret: string, body: string, header: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  // Constant-time comparison: no timing side channel.
  return constantTimeEqual(parts.v1, hmac(secret, `${t}.${body}`));
}
