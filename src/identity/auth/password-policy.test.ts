import { describe, expect, it } from "vitest";
import { commonPasswordCount, passwordIssues } from "./password-policy.js";

const codes = (password: string, email?: string) => passwordIssues(password, email ? { email } : {}).map((i) => i.code);

describe("password policy", () => {
  it("ships a list of a few hundred common passwords", () => {
    expect(commonPasswordCount()).toBeGreaterThan(250);
  });

  it("needs at least 12 characters, counted as code points after NFKC", () => {
    expect(codes("short")).toEqual(["too_short"]);
    expect(codes("elevenchars")).toEqual(["too_short"]);
    expect(codes("律师事务所的保密柜子钥匙")).toEqual([]); // 12 Chinese characters
    expect(codes("律师事务所的保密柜子钥")).toEqual(["too_short"]);
  });

  it("refuses common and breached passwords whatever their case or width", () => {
    expect(codes("password1234")).toEqual(["common_password"]);
    expect(codes("PassWord1234")).toEqual(["common_password"]);
    expect(codes("ｐａｓｓｗｏｒｄ１２３４")).toEqual(["common_password"]); // full-width, as an IME types it
    expect(codes("Correct Horse Battery Staple")).toEqual(["common_password"]);
    expect(codes("woaini1314520")).toEqual(["common_password"]);
    expect(codes("qwertyuiop123")).toEqual(["common_password"]);
  });

  it("refuses one repeated character and the account's own email", () => {
    expect(codes("zzzzzzzzzzzzzzzz")).toEqual(["common_password"]);
    expect(codes("zhang.wei@firm.cn", "zhang.wei@firm.cn")).toEqual(["contains_email"]);
    expect(codes("zhang.wei-2025-secure", "Zhang.Wei@firm.cn")).toEqual(["contains_email"]);
  });

  it("accepts a long, uncommon passphrase", () => {
    expect(codes("a long enough passphrase")).toEqual([]);
    expect(codes("violet kettle under 7 bridges", "zhang.wei@firm.cn")).toEqual([]);
  });
});
