import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, formatTime } from "../../../shared/format";

/**
 * Labels for the API's codes. A code the catalogue does not know yet (a regime added by the
 * firm, a new rule) is shown as the code itself rather than as a missing translation.
 */
export function useLabels() {
  const { t, i18n } = useTranslation();
  const code = useCallback(
    (prefix: string, value: string | null | undefined): string =>
      value == null || value === "" ? "—" : i18n.exists(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : value,
    [t, i18n],
  );
  const time = useCallback((v: string | null | undefined) => formatTime(v, i18n.language), [i18n.language]);
  const date = useCallback((v: string | null | undefined) => formatDate(v, i18n.language), [i18n.language]);
  return { t, code, time, date, lang: i18n.language };
}

/** A local date-time input ("2026-11-25T10:30") as an ISO instant; the browser's zone is the firm's. */
export const isoFromLocal = (value: string): string => new Date(value).toISOString();

/** An ISO instant as a value for <input type="datetime-local"> in the browser's zone. */
export function localFromIso(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Kept here for the screens that import them from this folder; they live in web/shared/ids.ts. */
export { shortId, UUID } from "../../../shared/ids";
