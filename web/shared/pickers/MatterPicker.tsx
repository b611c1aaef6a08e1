import { Select, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type MatterOption, resolve, useLookup } from "./lookup";

/** "2026-民-0001 · 张三诉李四劳动合同纠纷". */
export const matterLabel = (m: MatterOption) => (m.title ? `${m.number} · ${m.title}` : m.number);

type Props = {
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  "aria-label"?: string;
  "data-testid"?: string;
} & ({ multiple?: false; value?: string; onChange?: (v: string | undefined) => void } | { multiple: true; value?: string[]; onChange?: (v: string[]) => void });

/** Chooses a matter the caller may see by number or title prefix (a Form.Item child; the value is the matter's id). */
export function MatterPicker(props: Props) {
  const { t } = useTranslation();
  const { options, searching, error, search } = useLookup("matters");
  const [known, setKnown] = useState<Record<string, string>>({});
  const values = props.multiple ? (props.value ?? []) : props.value ? [props.value] : [];
  const valuesKey = values.join(",");
  useEffect(() => {
    for (const id of valuesKey ? valuesKey.split(",") : []) {
      if (known[id]) continue;
      void resolve("matters", id).then((m) => setKnown((k) => ({ ...k, [id]: m ? matterLabel(m) : t("pickers.unknownMatter") })));
    }
  }, [valuesKey, known, t]);
  const offered = options.map((m) => ({ value: m.id, label: matterLabel(m) }));
  const shown = [...offered, ...values.filter((v) => !offered.some((o) => o.value === v)).map((v) => ({ value: v, label: known[v] ?? "…" }))];
  return (
    <Select<string | string[]>
      id={props.id}
      aria-label={props["aria-label"]}
      data-testid={props["data-testid"] ?? "matter-picker"}
      mode={props.multiple ? "multiple" : undefined}
      showSearch={{ onSearch: search, filterOption: false }}
      allowClear={props.allowClear}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t("pickers.matter.placeholder")}
      value={props.value}
      onChange={(v) => (props.onChange as ((v: string | string[] | undefined) => void) | undefined)?.(v)}
      notFoundContent={searching ? <Spin size="small" /> : error ? t("pickers.error.failed") : t("pickers.matter.none")}
      options={shown}
    />
  );
}
