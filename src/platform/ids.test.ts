import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { uuidv7 } from "./ids.js";

describe("uuidv7", () => {
  it("is a valid RFC 9562 version-7 UUID carrying its timestamp", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = uuidv7(ms);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(ms);
        expect(z.uuid().safeParse(id).success).toBe(true);
      }),
    );
  });
  it("sorts by creation time and does not repeat", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    const firstOfEachMs = ids.filter((_, i) => i % 10 === 0);
    expect([...firstOfEachMs].sort()).toEqual(firstOfEachMs);
  });
});
