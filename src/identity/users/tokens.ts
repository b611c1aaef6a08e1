import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API tokens are `cst_<id>.<secret>`: the id finds the row, and only a SHA-256 hash of the
 * 256-bit secret is stored (a slow hash adds nothing for a random secret of that size).
 */
export interface IssuedToken {
  id: string;
  token: string;
  secretHash: string;
}

const PREFIX = "cst_";

export function issueToken(): IssuedToken {
  const id = randomBytes(9).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `${PREFIX}${id}.${secret}`, secretHash: hashSecret(secret) };
}

export const hashSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");

/** Splits a presented token; null for anything malformed. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = /^cst_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1] as string, secret: m[2] as string } : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  // Constant-time comparison: no timing side channel.
  return a.length === b.length && timingSafeEqual(a, b);
}
