/**
 * Every bearer credential Custodia hands out is `<prefix><id>.<secret>`: the id finds the row and
 * only a hash of the secret is stored. One parser for all of them (the Authorization header,
 * API tokens, session cookies, portal request tokens), so a malformed value is refused the same
 * way everywhere and never reaches a query.
 */
import { randomSecret } from "./secrets.js";

export interface TokenShape {
  /** Names the kind of token where people see it ("cst_"); empty for the session cookie. */
  readonly prefix: string;
  /** Random bytes in the id; 0 where the URL names the record (portal request tokens have no id part). */
  readonly idBytes: number;
  /** Random bytes in the secret. */
  readonly secretBytes: number;
}

/** Staff API tokens: `cst_<12>.<43>`. */
export const API_TOKEN: TokenShape = Object.freeze({ prefix: "cst_", idBytes: 9, secretBytes: 32 });
/** The session cookie: `<16>.<43>`. */
export const SESSION_TOKEN: TokenShape = Object.freeze({ prefix: "", idBytes: 12, secretBytes: 32 });
/** A verified portal requester's token: `crt_<43>`; the request id comes from the URL. */
export const PORTAL_TOKEN: TokenShape = Object.freeze({ prefix: "crt_", idBytes: 0, secretBytes: 32 });

export interface ParsedToken {
  /** Empty for a shape without an id. */
  readonly id: string;
  readonly secret: string;
}

export interface NewToken extends ParsedToken {
  /** What the holder presents; shown once, never stored. */
  readonly token: string;
}

/** Unpadded base64url length of n bytes. */
const encodedLength = (bytes: number) => Math.ceil((bytes * 4) / 3);
const B64URL = "[A-Za-z0-9_-]";
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const patterns = new WeakMap<TokenShape, RegExp>();

function patternOf(shape: TokenShape): RegExp {
  let pattern = patterns.get(shape);
  if (!pattern) {
    const id = shape.idBytes > 0 ? `(${B64URL}{${encodedLength(shape.idBytes)}})\\.` : "()";
    // Fixed lengths and one character class: linear time whatever is presented.
    pattern = new RegExp(`^${escapeRegExp(shape.prefix)}${id}(${B64URL}{${encodedLength(shape.secretBytes)}})$`);
    patterns.set(shape, pattern);
  }
  return pattern;
}

export const formatToken = (shape: TokenShape, id: string, secret: string): string => `${shape.prefix}${shape.idBytes > 0 ? `${id}.` : ""}${secret}`;

/** A fresh token of the shape: random id and secret from the CSPRNG. */
export function newToken(shape: TokenShape): NewToken {
  const id = shape.idBytes > 0 ? randomSecret(shape.idBytes) : "";
  const secret = randomSecret(shape.secretBytes);
  return { id, secret, token: formatToken(shape, id, secret) };
}

/** Splits a presented token of the shape; null for anything else. Never throws. */
export function parseToken(value: unknown, shape: TokenShape): ParsedToken | null {
  if (typeof value !== "string") return null;
  const m = patternOf(shape).exec(value);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

/**
 * The credential of an `Authorization: Bearer <credential>` header (RFC 6750; the scheme name is
 * case-insensitive), or null when there is no header or it names another scheme. Its shape is
 * not checked here: a caller tells "no token" from "a bad token" for the audit log.
 */
export function bearerCredential(header: unknown): string | null {
  if (typeof header !== "string") return null;
  const credential = /^bearer +(.*)$/is.exec(header)?.[1]?.trim();
  return credential ? credential : null;
}

/** An `Authorization: Bearer` header's token of the shape, or null. Never throws. */
export const parseBearer = (header: unknown, shape: TokenShape): ParsedToken | null => parseToken(bearerCredential(header), shape);
