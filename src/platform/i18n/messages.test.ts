import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localeFrom, MESSAGES } from "./messages.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

describe("error message catalogs", () => {
  it("have the same keys in Chinese and English", () => {
    expect(Object.keys(MESSAGES["zh-CN"].errors).sort()).toEqual(Object.keys(MESSAGES.en.errors).sort());
    expect(Object.keys(MESSAGES["zh-CN"].fields).sort()).toEqual(Object.keys(MESSAGES.en.fields).sort());
  });

  it("cover every error code the code base raises", () => {
    const text = sources(new URL("../..", import.meta.url).pathname)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const codes = new Set([...text.matchAll(/new AppError\(\d+, "([a-z_]+)"/g)].map((m) => m[1]!));
    for (const reason of ["role_lacks_permission", "purpose_not_permitted"]) codes.add(reason);
    for (const code of codes) expect(MESSAGES.en.errors, code).toHaveProperty(code);
  });

  it("reads the preferred language", () => {
    expect(localeFrom("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(localeFrom("en-GB,zh;q=0.5")).toBe("en");
    expect(localeFrom(undefined)).toBe("en");
  });
});
