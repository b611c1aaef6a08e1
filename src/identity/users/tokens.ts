import { API_TOKEN, newToken, parseToken as parseShaped } from "../../platform/crypto/bearer.js";
import { constantTimeEqual, sha256Hex } from "../../platform/crypto/secrets.js";

/**
 * API tokens are `cst_<id>.<secret>`: the id finds the row, and only a SHA-256 hash of the
 * 256-bit secret is stored (a slow hash adds nothing for a random secret of that size).
 */
export interface IssuedToken {
  id: string;
  token: string;
  secretHash: string;
}

export function issueToken(): IssuedToken {
  const { id, secret, token } = newToken(API_TOKEN);
  return { id, token, secretHash: sha256Hex(secret) };
}

/** Splits a presented API token; null for anything malformed. */
export const parseToken = (token: string) => parseShaped(token, API_TOKEN);

export const secretMatches = (secret: string, storedHash: string): boolean => constantTimeEqual(sha256Hex(secret), storedHash);
