import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { API_TOKEN, bearerCredential, formatToken, newToken, PORTAL_TOKEN, parseBearer, parseToken, SESSION_TOKEN, type TokenShape } from "./bearer.js";

const SHAPES: [string, TokenShape][] = [
  ["api", API_TOKEN],
  ["session", SESSION_TOKEN],
  ["portal", PORTAL_TOKEN],
];
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const b64url = (length: number) => fc.string({ unit: fc.constantFrom(...B64URL), minLength: length, maxLength: length });
/** Any token of the shape, as a holder would present it. */
const tokenOf = (shape: TokenShape) =>
  fc.tuple(b64url(Math.ceil((shape.idBytes * 4) / 3)), b64url(Math.ceil((shape.secretBytes * 4) / 3))).map(([id, secret]) => ({ id, secret }));

describe("bearer tokens", () => {
  it("never throws, whatever is presented (header or token)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.anything()), (value) => {
        for (const [, shape] of SHAPES) {
          expect(() => parseToken(value, shape)).not.toThrow();
          expect(() => parseBearer(value, shape)).not.toThrow();
        }
        expect(() => bearerCredential(value)).not.toThrow();
      }),
    );
  });

  for (const [name, shape] of SHAPES) {
    it(`round-trips id.secret through the header (${name})`, () => {
      fc.assert(
        fc.property(tokenOf(shape), fc.constantFrom("Bearer", "bearer", "BEARER"), fc.constantFrom(" ", "  "), ({ id, secret }, scheme, gap) => {
          const token = formatToken(shape, id, secret);
          expect(parseToken(token, shape)).toEqual({ id, secret });
          expect(parseBearer(`${scheme}${gap}${token}`, shape)).toEqual({ id, secret });
        }),
      );
    });

    it(`refuses malformed ${name} tokens: a character too many or too few, a foreign character, another prefix`, () => {
      fc.assert(
        fc.property(tokenOf(shape), fc.nat(), fc.constantFrom(".", "=", "+", "/", " ", "é", "\u0000", "\n"), ({ id, secret }, at, bad) => {
          const token = formatToken(shape, id, secret);
          const i = at % token.length;
          expect(parseToken(token.slice(0, -1), shape)).toBeNull();
          expect(parseToken(`${token}A`, shape)).toBeNull();
          expect(parseToken(`A${token}`, shape)).toBeNull();
          // Replacing any one character with one outside base64url breaks the shape (the dot is only valid where it is).
          if (token[i] !== bad) expect(parseToken(token.slice(0, i) + bad + token.slice(i + 1), shape)).toBeNull();
          expect(parseBearer(`Basic ${token}`, shape)).toBeNull();
          expect(parseBearer(token, shape)).toBeNull();
        }),
      );
    });
  }

  // The session cookie has no prefix, so `cst_…` can be read as a session id; its lookup in the
  // sessions table simply fails. The prefixed kinds never pass for each other.
  it("keeps the prefixed kinds apart: an API token is no portal token and the reverse", () => {
    fc.assert(
      fc.property(tokenOf(API_TOKEN), tokenOf(PORTAL_TOKEN), (api, portal) => {
        expect(parseToken(formatToken(API_TOKEN, api.id, api.secret), PORTAL_TOKEN)).toBeNull();
        expect(parseToken(formatToken(PORTAL_TOKEN, portal.id, portal.secret), API_TOKEN)).toBeNull();
      }),
    );
  });

  it("issues fresh tokens that parse back to their parts", () => {
    for (const [, shape] of SHAPES) {
      const a = newToken(shape);
      const b = newToken(shape);
      expect(parseToken(a.token, shape)).toEqual({ id: a.id, secret: a.secret });
      expect(a.secret).not.toBe(b.secret);
    }
    expect(newToken(API_TOKEN).token).toMatch(/^cst_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    expect(newToken(SESSION_TOKEN).token).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(newToken(PORTAL_TOKEN).token).toMatch(/^crt_[A-Za-z0-9_-]{43}$/);
  });

  it("reads the credential of a Bearer header only", () => {
    expect(bearerCredential(undefined)).toBeNull();
    expect(bearerCredential("")).toBeNull();
    expect(bearerCredential("Bearer")).toBeNull();
    expect(bearerCredential("Bearer    ")).toBeNull();
    expect(bearerCredential("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerCredential("Bearerxyz")).toBeNull();
    expect(bearerCredential("Bearer  xyz  ")).toBe("xyz");
    expect(bearerCredential(["Bearer xyz"])).toBeNull();
  });
});
