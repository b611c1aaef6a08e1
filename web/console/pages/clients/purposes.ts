import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { useLoad } from "../../../shared/useLoad";
import type { Purpose } from "./model";

/** The purpose registry (GET /purposes): names are data in both languages, not UI text. */
export function usePurposes() {
  const { i18n } = useTranslation();
  const { data, loading } = useLoad(() => api.get<{ items: Purpose[] }>("/purposes"), []);
  const items = data?.items ?? [];
  const nameOf = (code: string | null | undefined) => {
    if (!code) return "—";
    const p = items.find((x) => x.code === code);
    return p ? (i18n.language === "en" ? p.nameEn : p.nameZh) : code;
  };
  return { loading, items, nameOf, options: items.map((p) => ({ value: p.code, label: nameOf(p.code) })) };
}
