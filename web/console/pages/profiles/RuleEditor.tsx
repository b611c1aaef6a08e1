import { Select, Table } from "antd";
import { useTranslation } from "react-i18next";
import { FIELDS, type Field, type FieldRule, METHODS, rulesFor } from "./model";

/** The field → rule table: one row per client field, the rule and, for a generalisation, its method. */
export function RuleEditor({ value, onChange }: { value: Partial<Record<Field, FieldRule>>; onChange: (next: Partial<Record<Field, FieldRule>>) => void }) {
  const { t } = useTranslation();
  const set = (field: Field, rule: FieldRule) => onChange({ ...value, [field]: rule });
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(f) => f}
      dataSource={[...FIELDS]}
      columns={[
        { title: t("profiles.columns.field"), render: (_, f: Field) => t(`profiles.field.${f}`) },
        {
          title: t("profiles.columns.rule"),
          render: (_, f: Field) => (
            <Select
              style={{ width: 200 }}
              aria-label={t(`profiles.field.${f}`)}
              value={value[f]?.rule ?? "omit"}
              options={rulesFor(f).map((r) => ({ value: r, label: t(`profiles.rule.${r}`) }))}
              onChange={(rule) => set(f, rule === "generalise" ? { rule, method: METHODS[f]![0] } : { rule })}
            />
          ),
        },
        {
          title: t("profiles.columns.method"),
          render: (_, f: Field) =>
            value[f]?.rule === "generalise" ? (
              <Select
                style={{ width: 240 }}
                value={value[f]?.method}
                options={(METHODS[f] ?? []).map((m) => ({ value: m, label: t(`profiles.method.${m}`) }))}
                onChange={(method) => set(f, { rule: "generalise", method })}
              />
            ) : null,
        },
      ]}
    />
  );
}
