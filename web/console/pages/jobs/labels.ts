import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { formatTime } from "../../../shared/format";

/** Tag colours per outcome; an outcome this console does not know yet is grey. */
const OUTCOME_COLOURS: Record<string, string> = { ok: "green", skipped: "gold", failed: "red", running: "processing" };

/**
 * job_runs keeps a skipped or failed run's code in front of its summary ("not_due: KEK v1 is …",
 * or just "internal_error"); the code is shown as a label, the rest as the operator's line.
 */
const CODE_FIRST = /^([A-Za-z][A-Za-z0-9_]{0,60})(?::\s+([\s\S]*))?$/;

export function splitSummary(outcome: string, summary: string | null): { code: string | null; text: string } {
  if (!summary) return { code: null, text: "" };
  if (outcome !== "skipped" && outcome !== "failed") return { code: null, text: summary };
  const m = CODE_FIRST.exec(summary);
  return m ? { code: m[1]!, text: m[2] ?? "" } : { code: null, text: summary };
}

/**
 * Labels for the jobs API's names and codes. Nothing raw reaches the screen: a job, outcome or
 * code the catalogue does not know (a newer server) gets a generic label.
 */
export function useJobLabels() {
  const { t, i18n } = useTranslation();
  const label = useCallback(
    (group: string, value: string, fallback: string) => (i18n.exists(`jobs.${group}.${value}`) ? t(`jobs.${group}.${value}`) : t(fallback)),
    [t, i18n],
  );
  return {
    t,
    job: useCallback((name: string) => label("names", name, "jobs.names.unknown"), [label]),
    outcome: useCallback((value: string) => label("outcomes", value, "jobs.outcomes.unknown"), [label]),
    outcomeColour: (value: string) => OUTCOME_COLOURS[value] ?? "default",
    code: useCallback((value: string) => label("codes", value, "jobs.codes.unknown"), [label]),
    trigger: useCallback((value: string) => label("triggers", value, "jobs.triggers.unknown"), [label]),
    time: useCallback((iso: string | null | undefined) => formatTime(iso, i18n.language), [i18n.language]),
  };
}
