/**
 * The console and the portal have every string in both languages: the catalogues have the same
 * keys, no value is empty, and every literal key the components pass to t() exists in both.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const WEB = new URL("../web/", import.meta.url).pathname;
const LANGS = ["zh-CN", "en"] as const;

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

function catalogue(lang: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const file of readdirSync(join(WEB, "locales", lang))) {
    if (file.endsWith(".json")) flatten(JSON.parse(readFileSync(join(WEB, "locales", lang, file), "utf8")), file.replace(/\.json$/, ""), out);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "locales" ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

// Literal keys only: t("a.b") or t('a.b'). Keys built at run time are checked in the browser,
// where a missing key logs an error that fails the browser tests.
const LITERAL_KEY = /\bt\(\s*["']([A-Za-z0-9_.-]+)["']/g;

describe("web translations", () => {
  const catalogues = Object.fromEntries(LANGS.map((l) => [l, catalogue(l)])) as Record<(typeof LANGS)[number], Map<string, unknown>>;

  it("zh-CN and en have exactly the same keys, none empty", () => {
    const zh = [...catalogues["zh-CN"].keys()].sort();
    const en = [...catalogues.en.keys()].sort();
    expect(zh.length).toBeGreaterThan(20);
    expect(zh.filter((k) => !catalogues.en.has(k))).toEqual([]);
    expect(en.filter((k) => !catalogues["zh-CN"].has(k))).toEqual([]);
    for (const lang of LANGS) {
      const empty = [...catalogues[lang]].filter(([, v]) => typeof v !== "string" || v.trim() === "").map(([k]) => k);
      expect(empty, `${lang}: empty or non-text values`).toEqual([]);
    }
  });

  it("every literal t() key used by the web code exists in both languages", () => {
    const used = new Set<string>();
    for (const file of sources(WEB)) for (const m of readFileSync(file, "utf8").matchAll(LITERAL_KEY)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(20);
    for (const lang of LANGS)
      expect(
        // A plural key is found under its i18next forms (`key_one`, `key_other`).
        [...used].filter((k) => !catalogues[lang].has(k) && !catalogues[lang].has(`${k}_other`)),
        lang,
      ).toEqual([]);
  });

  it("the Chinese catalogue is in Chinese", () => {
    // A value copied over untranslated would pass the key checks; most zh-CN values must hold CJK text.
    const values = [...catalogues["zh-CN"].values()].map(String);
    const chinese = values.filter((v) => /[\u4e00-\u9fff]/.test(v));
    expect(chinese.length / values.length).toBeGreaterThan(0.8);
  });
});
