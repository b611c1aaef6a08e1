import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACKNOWLEDGEMENT_REFERENCE } from "../consent/consent.js";
import { noticeContentHash, type NoticeContent } from "./notice.js";

const arbContent = fc.record({
  effectiveFrom: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  titleZh: fc.string(),
  titleEn: fc.string(),
  bodyZh: fc.string(),
  bodyEn: fc.string(),
});

describe("notice content hash", () => {
  it("is a stable SHA-256 hex digest", () => {
    const content: NoticeContent = {
      effectiveFrom: "2025-01-01T00:00:00.000Z",
      titleZh: "隐私政策",
      titleEn: "Privacy notice",
      bodyZh: "正文",
      bodyEn: "Body",
    };
    expect(noticeContentHash(1, content)).toMatch(/^[0-9a-f]{64}$/);
    expect(noticeContentHash(1, content)).toBe(noticeContentHash(1, { ...content }));
    expect(noticeContentHash(2, content)).not.toBe(noticeContentHash(1, content));
  });

  it("changes with any change of any text, including text moved between fields (property)", () => {
    fc.assert(
      fc.property(arbContent, arbContent, (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        return (noticeContentHash(1, a) === noticeContentHash(1, b)) === same;
      }),
    );
    fc.assert(
      fc.property(arbContent, fc.string({ minLength: 1 }), (c, moved) => {
        const shifted = { ...c, titleZh: c.titleZh + moved, bodyZh: c.bodyZh };
        const back = { ...c, titleZh: c.titleZh, bodyZh: moved + c.bodyZh };
        return noticeContentHash(1, shifted) !== noticeContentHash(1, back);
      }),
    );
  });
});

describe("acknowledgement references", () => {
  it("accept ids and refuse anything that could carry a name or a sentence (property)", () => {
    const idChar = fc.constantFrom(..."ABCXYZabcxyz0123456789._:/-".split(""));
    fc.assert(
      fc.property(fc.constantFrom("A", "z", "7"), fc.array(idChar, { maxLength: 63 }), (first, rest) => ACKNOWLEDGEMENT_REFERENCE.test(first + rest.join(""))),
    );
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(" ", "张", "\n", "@", "<", "'"), fc.string(), (a, bad, b) => !ACKNOWLEDGEMENT_REFERENCE.test(`F${a}${bad}${b}`)),
    );
    expect(ACKNOWLEDGEMENT_REFERENCE.test("x".repeat(65))).toBe(false);
    expect(ACKNOWLEDGEMENT_REFERENCE.test("")).toBe(false);
    expect(ACKNOWLEDGEMENT_REFERENCE.test("FORM-2025/0042")).toBe(true);
  });
});
