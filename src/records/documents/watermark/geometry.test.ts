import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeGeometry, geometrySymbols, placeSymbol, readSymbol } from "./geometry.js";

const copyIds = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes));
const coordinate = fc.double({ min: -14400, max: 14400, noNaN: true });

describe("geometry layer", () => {
  it("moves a point by less than 1 pt and reads the symbol back from where it landed", () => {
    fc.assert(
      fc.property(copyIds, fc.nat(9), coordinate, coordinate, (copyId, index, x, y) => {
        const symbol = geometrySymbols(copyId)[index]!;
        const at = placeSymbol({ x, y }, symbol);
        expect(Math.abs(at.x - x)).toBeLessThan(1);
        expect(Math.abs(at.y - y)).toBeLessThan(1);
        // Through the decimal text a PDF holds, as pdf-lib writes it and pdf.js parses it.
        expect(readSymbol({ x: Number(String(at.x)), y: Number(String(at.y)) })).toBe(symbol);
      }),
    );
  });

  it("reads no symbol from ordinary coordinates", () => {
    for (const x of [0, 72, 72.5, 100.25, 300.123, -12.75]) expect(readSymbol({ x, y: x })).toBeNull();
  });

  it("decodes a copy id from a page's symbols in any order and from pages that each hold a part", () => {
    fc.assert(
      fc.property(copyIds, fc.nat(9), (copyId, cut) => {
        const symbols = geometrySymbols(copyId);
        expect(decodeGeometry([[...symbols].reverse()])).toEqual([copyId]);
        expect(decodeGeometry([symbols.slice(0, cut + 1), symbols.slice(cut + 1)])).toEqual([copyId]);
        expect(decodeGeometry([symbols.slice(1)])).toEqual([]);
      }),
    );
  });

  it("keeps two copies' pages apart and finds nothing in a page mixing them", () => {
    const a = Buffer.alloc(16, 1);
    const b = Buffer.alloc(16, 2);
    expect(decodeGeometry([geometrySymbols(a), geometrySymbols(b)])).toEqual([a, b]);
    expect(decodeGeometry([[...geometrySymbols(a).slice(0, 5), ...geometrySymbols(b).slice(5)]])).toEqual([]);
  });
});
