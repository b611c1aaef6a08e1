/**
 * The code dictionary on the server: the same web/locales/<lang>/codes.json the console reads
 * (web/shared/codes.ts), so a document the server renders for a person (the access package's HTML)
 * names actions and outcomes in the same words as the screens. Read once, on first use.
 */
import { readFileSync } from "node:fs";

export type CodeLanguage = "zh-CN" | "en";
type Dictionary = Record<string, Record<string, string>>;

const cache = new Map<CodeLanguage, Dictionary>();

function dictionary(lang: CodeLanguage): Dictionary {
  let d = cache.get(lang);
  if (!d) {
    d = JSON.parse(readFileSync(new URL(`../../../web/locales/${lang}/codes.json`, import.meta.url), "utf8")) as Dictionary;
    cache.set(lang, d);
  }
  return d;
}

/** The label of a code of a kind ("action", "outcome", …); the code itself when the dictionary lacks it. */
export const codeLabel = (lang: CodeLanguage, kind: string, code: string): string => dictionary(lang)[kind]?.[code] ?? code;

/** An instant in the firm's time zone (CUSTODIA_TIME_ZONE, Asia/Shanghai by default), as people read it. */
export function firmTime(iso: string | null | undefined, lang: CodeLanguage): string {
  if (!iso) return "—";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", {
    timeZone: process.env.CUSTODIA_TIME_ZONE?.trim() || "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at);
}
