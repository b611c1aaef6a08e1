import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalQuery, percentEncode } from "./percent-encoding.js";

// Well-formed text only: a lone surrogate has no UTF-8 encoding, and no number or template has one.
const text = fc.string({ unit: "grapheme", maxLength: 30 });
const params = fc.dictionary(
  text.filter((k) => k.length > 0 && k !== "__proto__"),
  text,
  { maxKeys: 8 },
);

describe("RFC 3986 percent-encoding", () => {
  it("follows the providers' documented rules", () => {
    expect(percentEncode("a b*c~d")).toBe("a%20b%2Ac~d");
    expect(percentEncode("!'()")).toBe("%21%27%28%29");
    expect(percentEncode('{"code":"123456"}')).toBe("%7B%22code%22%3A%22123456%22%7D");
    expect(percentEncode("某某律所")).toBe("%E6%9F%90%E6%9F%90%E5%BE%8B%E6%89%80");
  });

  it("round-trips and leaves only unreserved characters and %XY", () => {
    fc.assert(
      fc.property(text, (s) => {
        const encoded = percentEncode(s);
        expect(encoded).toMatch(/^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(encoded)).toBe(s);
      }),
    );
  });

  it("encodes every character but the unreserved ones", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }), (c) => {
        expect(percentEncode(c) === c).toBe(/^[A-Za-z0-9\-_.~]$/.test(c));
      }),
    );
  });
});

describe("canonical query", () => {
  it("is the same whatever order the parameters come in, and sorted by encoded name", () => {
    fc.assert(
      fc.property(
        params.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(Object.entries(p), { minLength: Object.keys(p).length }))),
        ([p, reordered]) => {
          const shuffled = Object.fromEntries(reordered);
          const q = canonicalQuery(p);
          expect(canonicalQuery(shuffled)).toBe(q);
          const names = q ? q.split("&").map((pair) => pair.split("=")[0]!) : [];
          expect(names).toEqual([...names].sort());
        },
      ),
    );
  });

  it("decodes back to exactly the parameters signed", () => {
    fc.assert(
      fc.property(params, (p) => {
        const q = canonicalQuery(p);
        const decoded = q ? Object.fromEntries(q.split("&").map((pair) => pair.split("=").map(decodeURIComponent) as [string, string])) : {};
        expect(decoded).toEqual(p);
      }),
    );
  });
});
