import { Select, Spin } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";

export interface ClientPick {
  value: string;
  label: string;
}
interface Found {
  id: string;
  name: string;
  idNumber: string | null;
}

/**
 * Clients picked by name. The search is the clients' own (exact match by blind index, criteria in
 * the POST body, never in a URL): typing the full name finds the client; the masked ID number tells
 * two people of the same name apart.
 */
export function ClientPicker({ id, value, onChange }: { id?: string; value?: ClientPick[]; onChange?: (v: ClientPick[]) => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const search = (text: string) => {
    if (timer.current) clearTimeout(timer.current);
    const name = text.trim();
    if (name.length < 2) return setOptions([]);
    timer.current = setTimeout(() => {
      setSearching(true);
      api
        .post<{ items: Found[] }>("/clients/search", { name }, { purpose: true })
        .then(
          (r) => setOptions(r.items.map((c) => ({ value: c.id, label: c.idNumber ? `${c.name} · ${c.idNumber}` : c.name }))),
          () => setOptions([]),
        )
        .finally(() => setSearching(false));
    }, 300);
  };
  return (
    <Select<ClientPick[]>
      id={id}
      mode="multiple"
      labelInValue
      showSearch={{ onSearch: search, filterOption: false }}
      data-testid="disclosure-clients"
      placeholder={t("disclosures.new.clientsPlaceholder")}
      value={value}
      onChange={(v) => onChange?.(v)}
      notFoundContent={searching ? <Spin size="small" /> : t("disclosures.new.clientsNone")}
      options={options}
    />
  );
}
