import { useStaffNames } from "../../../shared/useStaffNames";
import { useLabels } from "../programme/codes";

// Mirrors src/governance/accountability/accountability-records.ts (the API validates; this only fills the pickers).
export const RULE_CODES = [
  "need_to_know",
  "ethical_wall",
  "purpose_limitation",
  "credential_sharing",
  "data_export",
  "confidentiality",
  "security_procedure",
  "other",
] as const;

/** The person picker: active staff by name and role. */
export function useStaffOptions() {
  const { t } = useLabels();
  const staff = useStaffNames();
  return { staff, options: staff.options((e) => `${e.displayName} · ${t(`roles.${e.role}`)}`) };
}
