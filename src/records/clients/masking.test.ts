import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskField } from "./masking.js";
import { normaliseForIndex } from "./normalise.js";

describe("masking", () => {
  it("masks the documented shapes", () => {
    expect(maskField("idNumber", "11010519491231002X", "resident_id")).toBe("110105********002X");
    expect(maskField("phone", "13812345678", null)).toBe("138****5678");
    expect(maskField("name", "张三丰", null)).toBe("张*丰");
    expect(maskField("name", "张三", null)).toBe("张*");
    expect(maskField("email", "wang@example.cn", null)).toBe("w***@example.cn");
    expect(maskField("birthDate", "1985-06-12", null)).toBe("****-**-**");
  });

  it("never returns the value itself for values longer than two characters", () => {
    const fields = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        // A value made of the mask character itself would come back unchanged without revealing anything.
        fc.string({ minLength: 3, maxLength: 40 }).filter((s) => new Set(s).size > 1 && !s.includes("*")),
        (field, value) => {
          expect(maskField(field, value, "resident_id")).not.toBe(value);
        },
      ),
    );
  });
});

describe("blind-index normalisation", () => {
  it("folds the ways a value is typed into one form", () => {
    expect(normaliseForIndex("phone", "+86 139-1234-5678")).toBe("13912345678");
    expect(normaliseForIndex("phone", "0086 13912345678")).toBe("13912345678");
    expect(normaliseForIndex("idNumber", "11010519491231002x")).toBe("11010519491231002X");
    expect(normaliseForIndex("email", " Wang@Example.CN ")).toBe("wang@example.cn");
    expect(normaliseForIndex("name", "  王   小明 ")).toBe("王 小明");
  });
  it("is idempotent", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("phone", "idNumber", "email", "name") as fc.Arbitrary<"phone" | "idNumber" | "email" | "name">,
        fc.string({ maxLength: 30 }),
        (field, value) => {
          const once = normaliseForIndex(field, value);
          expect(normaliseForIndex(field, once)).toBe(once);
        },
      ),
    );
  });
});
