import { Select, Tooltip } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, purpose, setPurpose } from "../shared/api";
import { useLoad } from "../shared/useLoad";

interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The declared purpose for reads of personal data: chosen once per session, always visible. */
export function PurposeSelect({ onChange }: { onChange: (code: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const [value, setValue] = useState(purpose());
  const { data } = useLoad(() => api.get<{ items: Purpose[] }>("/purposes"), []);
  // Purpose names live in the registry (data, both languages), not in the UI catalogue.
  const label = (p: Purpose) => (i18n.language === "en" ? p.nameEn : p.nameZh);
  return (
    <Tooltip title={t("shell.purposeHelp")}>
      <Select
        data-testid="purpose-select"
        aria-label={t("shell.purpose")}
        style={{ minWidth: 200 }}
        placeholder={t("shell.purposePlaceholder")}
        value={value ?? undefined}
        options={(data?.items ?? []).map((p) => ({ value: p.code, label: label(p) }))}
        onChange={(code: string) => {
          setPurpose(code);
          setValue(code);
          onChange(code);
        }}
      />
    </Tooltip>
  );
}
