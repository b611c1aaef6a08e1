import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { type Register, type RegisterKind, useRegister } from "./registers";

type Props = {
  kind: RegisterKind;
  /** The Form.Item's id: the item's label names the field for screen readers. */
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  allowClear?: boolean;
  "aria-label"?: string;
  "data-testid"?: string;
};

/**
 * Chooses an incident or an internal report from its register by what a person recognises
 * ("未经授权的访问 · 低 · 2026/11/24 10:00"), typed to filter; the value is the record's id.
 */
export function RegisterPicker({ kind, ...props }: Props) {
  const { t } = useTranslation();
  const register = useRegister(kind);
  const known = register.options.some((o) => o.value === props.value);
  const options = props.value && !known ? [...register.options, { value: props.value, label: register.label(props.value) }] : register.options;
  return (
    <Select
      id={props.id}
      aria-label={props["aria-label"]}
      data-testid={props["data-testid"] ?? `${kind}-picker`}
      showSearch={{ optionFilterProp: "label" }}
      allowClear={props.allowClear ?? true}
      loading={register.loading}
      placeholder={t(`pickers.register.${kind}.placeholder`)}
      notFoundContent={t(register.error ? "pickers.error.failed" : `pickers.register.${kind}.none`)}
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      options={options}
    />
  );
}

/** A link to an incident or a report by its label, from a register the table loaded once; "—" for none. The id stays in data-record-id. */
export function RegisterLink({ register, id }: { register: Register; id: string | null | undefined }) {
  if (!id) return <>—</>;
  return (
    <a href={register.href(id)} data-record-id={id}>
      {register.label(id)}
    </a>
  );
}
