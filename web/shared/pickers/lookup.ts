/**
 * Search as you type for the pickers: POST /lookup/{clients,matters,staff} with the typed text in
 * the body (never in a URL), debounced, and only the answer to the latest text is kept, so a slow
 * answer to "欧" never overwrites the answer to "欧阳". Names for ids (chips, prefilled forms) come
 * from the same lookups by id, cached for the page's life.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api";

export interface ClientOption {
  id: string;
  kind: string;
  name: string;
  tail: { field: "idNumber" | "phone"; value: string } | null;
}
export interface MatterOption {
  id: string;
  number: string;
  title: string | null;
  status: string;
  clientId: string;
}
export interface StaffOption {
  id: string;
  displayName: string;
  role: string;
  status: "active" | "disabled";
  eligibleAs: { responsiblePartner: boolean; wallOwner: boolean };
}
export type LookupKind = "clients" | "matters" | "staff";
type OptionOf<K extends LookupKind> = K extends "clients" ? ClientOption : K extends "matters" ? MatterOption : StaffOption;

export const DEBOUNCE_MS = 300;
/** Whether a text is long enough to look up: one Chinese character, or two of anything else. */
export const longEnough = (text: string) => /\p{Script=Han}/u.test(text) || text.trim().length >= 2;

export function lookup<K extends LookupKind>(kind: K, q: string, extra: Record<string, string> = {}): Promise<OptionOf<K>[]> {
  return api.post<{ items: OptionOf<K>[] }>(`/lookup/${kind}`, { q, ...extra }, { purpose: kind !== "staff" }).then((r) => r.items);
}

const byId = new Map<string, Promise<ClientOption | MatterOption | null>>();
/** Client ids asked for in this moment, named together in one request (and one audited unit). */
let pendingClients: { ids: Set<string>; answer: Promise<Map<string, ClientOption>> } | null = null;
const CLIENT_BATCH = 50;

function clientById(id: string): Promise<ClientOption | null> {
  if (!pendingClients || pendingClients.ids.size >= CLIENT_BATCH) {
    const ids = new Set<string>();
    // Chips rendered in the same pass join the batch; it leaves once the pass is done.
    const answer = new Promise<void>((r) => setTimeout(r, 10)).then(async () => {
      if (pendingClients?.ids === ids) pendingClients = null;
      const { items } = await api.post<{ items: ClientOption[] }>("/lookup/clients/by-id", { ids: [...ids] }, { purpose: true });
      return new Map(items.map((c) => [c.id, c]));
    });
    pendingClients = { ids, answer };
  }
  pendingClients.ids.add(id);
  return pendingClients.answer.then((found) => found.get(id) ?? null);
}

/** The client or matter an id names, as the caller may see it; null when they may not (or it is gone). */
export function resolve<K extends "clients" | "matters">(kind: K, id: string): Promise<OptionOf<K> | null> {
  const key = `${kind}:${id}`;
  let found = byId.get(key);
  if (!found) {
    const named: Promise<ClientOption | MatterOption | null> = kind === "clients" ? clientById(id) : lookup(kind, id).then((items) => items[0] ?? null);
    found = named.catch(() => {
      byId.delete(key); // a failure (no purpose yet, network) is retried next time
      return null;
    });
    byId.set(key, found);
  }
  return found as Promise<OptionOf<K> | null>;
}

/** The debounced lookup state a picker needs: `search(text)` on each keystroke; `options` for the latest text. */
export function useLookup<K extends LookupKind>(kind: K, extra: Record<string, string> = {}) {
  const [options, setOptions] = useState<OptionOf<K>[]>([]);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(0);
  const extraKey = JSON.stringify(extra);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const search = useCallback(
    (text: string) => {
      if (timer.current) clearTimeout(timer.current);
      const q = text.trim();
      const ticket = ++latest.current;
      if (!longEnough(q)) {
        setOptions([]);
        setSearching(false);
        setError(null);
        return;
      }
      timer.current = setTimeout(() => {
        setSearching(true);
        lookup(kind, q, JSON.parse(extraKey) as Record<string, string>).then(
          (items) => {
            if (ticket !== latest.current) return;
            setOptions(items);
            setError(null);
            setSearching(false);
          },
          (e: unknown) => {
            if (ticket !== latest.current) return;
            setOptions([]);
            setError((e as { code?: string }).code ?? "failed");
            setSearching(false);
          },
        );
      }, DEBOUNCE_MS);
    },
    [kind, extraKey],
  );
  return { options, searching, error, search };
}
