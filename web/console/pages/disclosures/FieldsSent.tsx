import { Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { SentField } from "./model";

/** How a field left, in words: "出生日期：出生年份", "证件号码：脱敏". */
export function useFieldForm() {
  const { t } = useTranslation();
  return (f: SentField) =>
    `${t(`profiles.field.${f.field}`)}${t("disclosures.colon")}${f.rule === "generalise" && f.method ? t(`profiles.method.${f.method}`) : t(`profiles.rule.${f.rule}`)}`;
}

export function FieldsSent({ fields }: { fields: readonly SentField[] }) {
  const form = useFieldForm();
  return (
    <Space size={[4, 4]} wrap>
      {fields.map((f) => (
        <Tag key={f.field} color={f.rule === "keep" && f.field !== "kind" && f.field !== "idType" ? "red" : "blue"}>
          {form(f)}
        </Tag>
      ))}
    </Space>
  );
}
