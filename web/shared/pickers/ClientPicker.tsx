import { Select, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ClientOption, resolve, useLookup } from "./lookup";

/** "欧阳娜娜 · …1234": the name, and the tail the caller reads in clear to tell namesakes apart. */
export const clientLabel = (c: ClientOption) => (c.tail ? `${c.name} · …${c.tail.value}` : c.name);

type Props = {
  /** The Form.Item's id: the item's label names the field for screen readers. */
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  "aria-label"?: string;
  "data-testid"?: string;
} & ({ multiple?: false; value?: string; onChange?: (v: string | undefined) => void } | { multiple: true; value?: string[]; onChange?: (v: string[]) => void });

/**
 * Chooses a client by typing a name prefix or surname, the last 4 of an ID number or phone (when
 * the caller's clearance allows), as a Form.Item child: the value is the client's id, the screen
 * shows the name. A prefilled id is shown by name too. Only clients the caller may see are offered.
 */
export function ClientPicker(props: Props) {
  const { t } = useTranslation();
  const { options, searching, error, search } = useLookup("clients");
  const [known, setKnown] = useState<Record<string, string>>({});
  const values = props.multiple ? (props.value ?? []) : props.value ? [props.value] : [];
  const valuesKey = values.join(",");
  useEffect(() => {
    for (const id of valuesKey ? valuesKey.split(",") : []) {
      if (known[id]) continue;
      void resolve("clients", id).then((c) => setKnown((k) => ({ ...k, [id]: c ? clientLabel(c) : t("pickers.unknownClient") })));
    }
  }, [valuesKey, known, t]);
  const offered = options.map((c) => ({ value: c.id, label: clientLabel(c) }));
  const shown = [...offered, ...values.filter((v) => !offered.some((o) => o.value === v)).map((v) => ({ value: v, label: known[v] ?? "…" }))];
  return (
    <Select<string | string[]>
      id={props.id}
      aria-label={props["aria-label"]}
      data-testid={props["data-testid"] ?? "client-picker"}
      mode={props.multiple ? "multiple" : undefined}
      showSearch={{ onSearch: search, filterOption: false }}
      allowClear={props.allowClear}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t("pickers.client.placeholder")}
      value={props.value}
      onChange={(v) => (props.onChange as ((v: string | string[] | undefined) => void) | undefined)?.(v)}
      notFoundContent={
        searching ? (
          <Spin size="small" />
        ) : error ? (
          t(`pickers.error.${error === "search_field_above_clearance" || error === "access_conditions_unmet" ? error : "failed"}`)
        ) : (
          t("pickers.client.none")
        )
      }
      options={shown}
    />
  );
}
