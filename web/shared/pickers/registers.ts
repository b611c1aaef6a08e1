/**
 * The compliance registers a form may link to (incidents, internal reports), named the way a
 * person knows them: what happened, how serious or who reported it, and when. The newest page of
 * each register (GET /incidents, GET /reports) is what the pickers offer; an older record keeps
 * its short reference.
 */
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../api";
import { formatTime } from "../format";
import { shortId } from "../ids";
import { useLoad } from "../useLoad";
import { useStaffNames } from "../useStaffNames";

export type RegisterKind = "incidents" | "reports";

interface IncidentRow {
  id: string;
  category: string;
  severity: string;
  openedAt: string;
}
interface ReportRow {
  id: string;
  category: string;
  anonymous: boolean;
  reporterId: string | null;
  createdAt: string;
}
type Row = { id: string } & Partial<IncidentRow & ReportRow>;

/** The register's newest records, with a label and a link for each id. */
export function useRegister(kind: RegisterKind) {
  const { t, i18n } = useTranslation();
  const staff = useStaffNames();
  const list = useLoad(() => api.get<{ items: Row[] }>(`/${kind}${query({ limit: 100 })}`), [kind]);
  const known = useCallback((key: string, fallback: string) => (i18n.exists(key) ? t(key) : fallback), [t, i18n]);
  const labelOf = useCallback(
    (r: Row) =>
      kind === "incidents"
        ? [
            known(`incidents.category.${r.category}`, r.category ?? ""),
            known(`incidents.severity.${r.severity}`, r.severity ?? ""),
            formatTime(r.openedAt, i18n.language),
          ].join(" · ")
        : [
            known(`report.category.${r.category}`, r.category ?? ""),
            r.anonymous || !r.reporterId ? t("pickers.register.anonymous") : staff.name(r.reporterId),
            formatTime(r.createdAt, i18n.language),
          ].join(" · "),
    [kind, known, t, staff, i18n.language],
  );
  const items = list.data?.items ?? [];
  const options = useMemo(() => items.map((r) => ({ value: r.id, label: labelOf(r) })), [items, labelOf]);
  const label = useCallback((id: string) => options.find((o) => o.value === id)?.label ?? shortId(id), [options]);
  const href = (id: string) => (kind === "incidents" ? `#/incidents/${id}` : `#/report/${id}`);
  return { options, label, href, loading: list.loading, error: list.error };
}

export type Register = ReturnType<typeof useRegister>;
