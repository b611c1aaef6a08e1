import { describe, expect, it } from "vitest";
import { redactPieces } from "./pieces.js";
import { redactionPolicy } from "./policy.js";

const policy = redactionPolicy();

describe("redactPieces", () => {
  it("finds a value split across runs and cuts it from each, the mark in the first", () => {
    const result = redactPieces([{ text: "身份证号：1101051949" }, { text: "1231002X" }, { text: "，已核验。" }], policy);
    expect(result.texts).toEqual(["身份证号：[已删除]", "", "，已核验。"]);
    expect(result.removed).toEqual({ resident_id: 1 });
    expect(result.changed).toBe(true);
  });

  it("reads fixed pieces as context but never changes them", () => {
    const pieces = [{ text: "姓名\t", fixed: true }, { text: "张三" }];
    expect(redactPieces(pieces, policy).texts).toEqual(["姓名\t", "[已删除]"]);
    // Without the label the name is not one.
    expect(redactPieces([{ text: "张三" }], policy).changed).toBe(false);
  });

  it("keeps one mark per value when values touch", () => {
    expect(redactPieces([{ text: "13800138000，13900139000" }], policy).texts).toEqual(["[已删除]，[已删除]"]);
  });

  it("removes what a removal brings together", () => {
    // Removing the marked word joins the two halves of the phone number into one (a wrap join).
    const marked = redactionPolicy({ marked: ["XYZ"], replacement: "" });
    const result = redactPieces([{ text: "手机 1380013XYZ8000 联系" }], marked);
    expect(result.texts[0]).not.toMatch(/1380013|8000/);
    expect(result.removed.marked).toBe(1);
  });
});
