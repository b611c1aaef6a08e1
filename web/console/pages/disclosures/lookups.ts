/**
 * Names for the codes and ids a disclosure carries: profiles and purposes (registries, both
 * languages) and clients (a client's name is personal data: read one by one under the declared
 * purpose, each read audited by the API; without a purpose the short id is shown instead).
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, purpose } from "../../../shared/api";
import { shortId } from "../../../shared/ids";
import { useLoad } from "../../../shared/useLoad";
import type { ProfileOption, PurposeOption } from "./model";

export function useRegistries() {
  const { i18n } = useTranslation();
  const profiles = useLoad(() => api.get<{ items: ProfileOption[] }>("/deidentification-profiles"), []);
  const purposes = useLoad(() => api.get<{ items: PurposeOption[] }>("/purposes"), []);
  const en = i18n.language === "en";
  const profileName = useCallback(
    (code: string) => {
      const p = profiles.data?.items.find((x) => x.code === code);
      return p ? (en ? p.nameEn : p.nameZh) : code;
    },
    [profiles.data, en],
  );
  const purposeName = useCallback(
    (code: string) => {
      const p = purposes.data?.items.find((x) => x.code === code);
      return p ? (en ? p.nameEn : p.nameZh) : code;
    },
    [purposes.data, en],
  );
  return { profiles, purposes, profileName, purposeName, en };
}

/** Client names by id, read under the declared purpose; an unreadable client keeps its short id. */
export function useClientNames(ids: readonly string[]) {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    if (!key || !purpose()) return;
    let live = true;
    for (const id of key.split(",")) {
      api.get<{ name: string }>(`/clients/${id}`, { purpose: true }).then(
        (c) => live && setNames((n) => ({ ...n, [id]: c.name })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  return useCallback((id: string) => names[id] ?? shortId(id), [names]);
}
