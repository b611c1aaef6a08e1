/**
 * Names for staff ids. The directory (GET /staff/directory: id, display name, role, status, and
 * whom forms may name answerable for a record) is
 * staff identity, not client personal data; it is read once per page load and shared by every
 * screen that asks. `name(id)` falls back to the id's tail when the id is unknown (or the
 * directory could not be read), so a screen never shows less than it did before.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "./api";
import { shortId } from "./ids";

export interface StaffEntry {
  id: string;
  displayName: string;
  role: string;
  status: "active" | "disabled";
  /** Whom forms may name (the policy decides): a matter's responsible partner, a wall's owner. */
  eligibleAs: { responsiblePartner: boolean; wallOwner: boolean };
}

let directory: Promise<StaffEntry[]> | null = null;

function load(): Promise<StaffEntry[]> {
  directory ??= api.get<{ items: StaffEntry[] }>("/staff/directory").then(
    (r) => r.items,
    (error: unknown) => {
      directory = null; // try again on the next screen rather than caching a failure
      throw error;
    },
  );
  return directory;
}

/** After adding or renaming a user: the next reader fetches again. */
export const forgetStaffNames = () => {
  directory = null;
};

export function useStaffNames() {
  const [entries, setEntries] = useState<StaffEntry[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let live = true;
    load().then(
      (items) => live && (setEntries(items), setLoading(false)),
      () => live && setLoading(false),
    );
    return () => {
      live = false;
    };
  }, []);
  const index = useMemo(() => new Map(entries.map((e) => [e.id, e])), [entries]);
  const byId = useCallback((id: string | null | undefined) => (id ? index.get(id) : undefined), [index]);
  /** The display name, or the id's tail when unknown; "—" for no id. */
  const name = useCallback((id: string | null | undefined) => (id ? (byId(id)?.displayName ?? shortId(id)) : "—"), [byId]);
  /** Select options of the active staff (name and role code), for choosing a person. */
  const options = useCallback(
    (label: (e: StaffEntry) => string = (e) => e.displayName) => entries.filter((e) => e.status === "active").map((e) => ({ value: e.id, label: label(e) })),
    [entries],
  );
  return { entries, loading, name, byId, options };
}
