import { Segmented } from "antd";
import { useTranslation } from "react-i18next";

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t("common.language")}
      value={i18n.language === "en" ? "en" : "zh-CN"}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "English", value: "en" },
      ]}
      onChange={(value) => void i18n.changeLanguage(String(value))}
    />
  );
}
