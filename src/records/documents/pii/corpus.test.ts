import { describe, expect, it } from "vitest";
import { evaluate, generateCorpus } from "../../../../bench/pii-corpus.js";
import { detectPii } from "./detector.js";
import { CHECKSUM_TYPES } from "./types.js";

describe("detectPii on a generated corpus (bench/pii-corpus.ts)", () => {
  it("reaches ≥ 99.5% precision and recall for checksum-validated types", () => {
    const docs = generateCorpus(11, 400_000);
    const scores = evaluate(docs, (d) => detectPii(d.text).findings);
    for (const type of CHECKSUM_TYPES) {
      const s = scores[type]!;
      expect(s.truth, type).toBeGreaterThan(20);
      expect(s.precision, type).toBeGreaterThanOrEqual(0.995);
      expect(s.recall, type).toBeGreaterThanOrEqual(0.995);
    }
  });

  it("is deterministic by seed", () => {
    expect(generateCorpus(3, 20_000)).toEqual(generateCorpus(3, 20_000));
  });
});
