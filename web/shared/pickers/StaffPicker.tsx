import { Select, Spin } from "antd";
import { useTranslation } from "react-i18next";
import { useStaffNames } from "../useStaffNames";
import { type StaffOption, useLookup } from "./lookup";

type Props = {
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  /** Only staff the directory says may be named so (a responsible partner, say); the API still decides. */
  eligibleAs?: keyof StaffOption["eligibleAs"];
  "aria-label"?: string;
  "data-testid"?: string;
} & ({ multiple?: false; value?: string; onChange?: (v: string | undefined) => void } | { multiple: true; value?: string[]; onChange?: (v: string[]) => void });

/**
 * Chooses active staff by typing a prefix of their name or email's local part (POST /lookup/staff),
 * for firms whose directory is too long to scroll. Chosen ids show by name through the directory.
 */
export function StaffLookupPicker(props: Props) {
  const { t } = useTranslation();
  const staff = useStaffNames();
  const { options, searching, error, search } = useLookup("staff", { active: "true" });
  const values = props.multiple ? (props.value ?? []) : props.value ? [props.value] : [];
  const offered = options
    .filter((s) => !props.eligibleAs || s.eligibleAs[props.eligibleAs])
    .map((s) => ({ value: s.id, label: `${s.displayName} · ${t(`roles.${s.role}`)}` }));
  const shown = [...offered, ...values.filter((v) => !offered.some((o) => o.value === v)).map((v) => ({ value: v, label: staff.name(v) }))];
  return (
    <Select<string | string[]>
      id={props.id}
      aria-label={props["aria-label"]}
      data-testid={props["data-testid"] ?? "staff-picker"}
      mode={props.multiple ? "multiple" : undefined}
      showSearch={{ onSearch: search, filterOption: false }}
      allowClear={props.allowClear}
      placeholder={props.placeholder ?? t("pickers.staff.placeholder")}
      value={props.value}
      onChange={(v) => (props.onChange as ((v: string | string[] | undefined) => void) | undefined)?.(v)}
      notFoundContent={searching ? <Spin size="small" /> : error ? t("pickers.error.failed") : t("pickers.staff.none")}
      options={shown}
    />
  );
}
