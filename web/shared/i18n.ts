/**
 * Simplified Chinese by default, English on request. A key missing from the catalogue is an
 * error in the browser console, which the browser tests treat as a failure.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * One catalogue file per screen area and language (web/locales/<lang>/<area>.json), merged under
 * the area's name: keys read "clients.search.title". Separate files keep screens independent, and
 * let each page load only its own areas: the console all of them, the portal the few it shows
 * (web/console/locales.ts, web/portal/locales.ts).
 */
export function addCatalogues(files: Record<string, Record<string, unknown>>): void {
  for (const [path, content] of Object.entries(files)) {
    const [, lang, area] = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
    if (lang && area) i18n.addResourceBundle(lang, "translation", { [area]: content }, true, true);
  }
}

const stored = localStorage.getItem("custodia.lang");
const initial: Language = stored === "en" ? "en" : "zh-CN";

void i18n.use(initReactI18next).init({
  resources: {},
  lng: initial,
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  saveMissing: true,
  missingKeyHandler: (_lngs, _ns, key) => console.error(`i18n: missing key "${key}"`),
});

i18n.on("languageChanged", (lng) => {
  localStorage.setItem("custodia.lang", lng);
  document.documentElement.lang = lng;
});
document.documentElement.lang = initial;

export default i18n;
