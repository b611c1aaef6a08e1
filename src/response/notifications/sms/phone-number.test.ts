import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aliyunPhoneNumber, toE164 } from "./phone-number.js";

describe("phone numbers for the providers", () => {
  it("brings the ways a number is typed to one E.164 form", () => {
    for (const typed of ["13800138000", "138 0013 8000", "+86 138-0013-8000", "8613800138000", "0086 13800138000", "+86 (138) 0013 8000"]) {
      expect(toE164(typed)).toBe("+8613800138000");
    }
    expect(toE164("+852 9123 4567")).toBe("+85291234567");
    expect(toE164("00852 9123 4567")).toBe("+85291234567");
  });

  it("refuses what is not a phone number", () => {
    for (const bad of ["", "abc", "12345", "010-1234567", "+86 12345", "+0 123456789", "+1234567890123456", "138001380001", "1380013800a"]) {
      expect(toE164(bad)).toBeNull();
    }
  });

  it("gives Alibaba mainland numbers without +86 and others with their country code, no +", () => {
    expect(aliyunPhoneNumber("+8613800138000")).toBe("13800138000");
    expect(aliyunPhoneNumber("+85291234567")).toBe("85291234567");
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\+86 ?)?1[3-9]\d{9}$/), (typed) => {
        const once = toE164(typed);
        expect(once).toMatch(/^\+861\d{10}$/);
        expect(toE164(once!)).toBe(once);
      }),
    );
  });
});
