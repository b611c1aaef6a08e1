import { describe, expect, it } from "vitest";
import { RedactionError } from "./errors.js";
import { findSpans, REDACTION_MARK, redactionPolicy } from "./policy.js";

const spanTexts = (text: string, marked: string[] = [], ocr = false) =>
  findSpans(text, redactionPolicy({ marked }), { ocr }).map((s) => [s.kind, text.slice(s.start, s.end)]);

describe("findSpans", () => {
  it("reports detector findings with their types", () => {
    expect(spanTexts("身份证号11010519491231002X，手机13800138000。")).toEqual([
      ["resident_id", "11010519491231002X"],
      ["mobile", "13800138000"],
    ]);
  });

  it("matches marked strings ignoring case, full width and whitespace, in every occurrence", () => {
    expect(spanTexts("Project FALCON；ｐｒｏｊｅｃｔ falcon；Pro\nject Falcon", ["project falcon"])).toEqual([
      ["marked", "Project FALCON"],
      ["marked", "ｐｒｏｊｅｃｔ falcon"],
      ["marked", "Pro\nject Falcon"],
    ]);
    expect(spanTexts("华星 科技有限公司", ["华星科技"])).toEqual([["marked", "华星 科技"]]);
  });

  it("counts a marked string lying inside a finding once, under the finding's type", () => {
    expect(spanTexts("手机13800138000", ["0013800"])).toEqual([["mobile", "13800138000"]]);
  });

  it("leaves findings below the confidence threshold", () => {
    const text = "姓名：张三，手机13800138000";
    const kinds = (minConfidence: "high" | "low") => findSpans(text, redactionPolicy({ minConfidence })).map((s) => s.kind);
    expect(kinds("low")).toEqual(["person_name", "mobile"]);
    expect(kinds("high")).toEqual(["mobile"]);
  });

  it("in recognised text, also takes 8 or more digits the detector cannot confirm (a misread check digit)", () => {
    // The resident ID with a wrong check digit, as OCR may read it, grouped as printed.
    expect(spanTexts("号码 110105 19491231 0021 见附件", [], true)).toEqual([["ocr_number", "110105 19491231 0021"]]);
    expect(spanTexts("号码 110105 19491231 0021 见附件")).toEqual([]);
    expect(spanTexts("2024 年 3 月 Contract 12", [], true)).toEqual([]);
  });
});

describe("redactionPolicy", () => {
  it("defaults to the fixed mark", () => {
    expect(redactionPolicy().replacement).toBe(REDACTION_MARK);
  });

  it("refuses a replacement that would itself be removed, or is long or holds control characters", () => {
    for (const replacement of ["13800138000", "x".repeat(41), "a\u0000b", "秘密"]) {
      expect(() => redactionPolicy({ replacement, marked: ["秘密"] })).toThrow(RedactionError);
    }
    expect(redactionPolicy({ replacement: "█████" }).replacement).toBe("█████");
    expect(redactionPolicy({ replacement: "" }).replacement).toBe("");
  });
});
