import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";

/**
 * The code dictionary: human labels for the codes the API speaks (audit actions, outcomes, reasons,
 * target types, roles, detection rules, fact keys). web/locales/<lang>/codes.json holds one flat
 * map per kind, keyed by the code exactly as the API spells it ("client.read" included, which
 * i18next's dotted keys could not hold).
 */
export const CODE_KINDS = ["action", "outcome", "reason", "targetType", "role", "rule", "fact"] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/** A label function for the current language. A code the dictionary lacks shows as itself: the console walk test fails on it. */
export function useCodeLabel(): (kind: CodeKind, code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return useCallback(
    (kind: CodeKind, code: string | null | undefined) => {
      if (code == null || code === "") return "—";
      const map = i18n.getResource(i18n.language, "translation", `codes.${kind}`) as Record<string, string> | undefined;
      return map?.[code] ?? code;
    },
    [i18n],
  );
}

/** Every code of a kind the dictionary labels, as Select options sorted by label (a filter's choices). */
export function useCodeOptions(kind: CodeKind): { value: string; label: string }[] {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const map = (i18n.getResource(language, "translation", `codes.${kind}`) ?? {}) as Record<string, string>;
    return Object.entries(map)
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, language));
  }, [i18n, language, kind]);
}
