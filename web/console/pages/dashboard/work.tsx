import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";
import { api } from "../../../shared/api";
import { useActivityRefresh } from "../../useActivityRefresh";

/** GET /me/work (src/http/routes/work/schema.ts). */
export interface WorkItem {
  id: string;
  target: string;
  reference: string | null;
  kind: string | null;
  severity: string | null;
  title: { zh: string; en: string } | null;
  staffId: string | null;
  at: string | null;
  overdue: boolean;
}
export type QueueKey =
  | "myMatters"
  | "approvalsToDecide"
  | "myReviewItems"
  | "myTraining"
  | "requestsDue"
  | "newAlerts"
  | "breakGlassToReview"
  | "incidentDuties";
export interface Queue {
  queue: QueueKey;
  count: number;
  overdue: number;
  items: WorkItem[];
}

/** The screen (and record) each queue's items open: a record's detail where the screen has one. */
const OPENS: Record<QueueKey, { screen: string; withId: boolean }> = {
  myMatters: { screen: "matters", withId: true },
  approvalsToDecide: { screen: "approvals", withId: true },
  myReviewItems: { screen: "access-reviews", withId: false },
  myTraining: { screen: "training", withId: false },
  requestsDue: { screen: "requests", withId: true },
  newAlerts: { screen: "incidents", withId: false },
  breakGlassToReview: { screen: "break-glass", withId: false },
  incidentDuties: { screen: "incidents", withId: true },
};
export const screenOf = (queue: QueueKey) => OPENS[queue].screen;
export const pathOf = (queue: QueueKey, item: WorkItem) => (OPENS[queue].withId ? `${OPENS[queue].screen}/${item.target}` : OPENS[queue].screen);

/** The menu's counters: what waits on each screen, from the same queues as the home page. */
export function badgeCounts(queues: readonly Queue[]): Record<string, number> {
  const of = (key: QueueKey, field: "count" | "overdue" = "count") => queues.find((q) => q.queue === key)?.[field] ?? 0;
  return {
    approvals: of("approvalsToDecide"),
    incidents: of("newAlerts") + of("incidentDuties"),
    requests: of("requestsDue", "overdue"),
    "break-glass": of("breakGlassToReview"),
    "access-reviews": of("myReviewItems"),
  };
}

interface WorkState {
  queues: Queue[] | null;
  error: unknown;
  reload: () => void;
}
const WorkContext = createContext<WorkState>({ queues: null, error: null, reload: () => {} });

/**
 * One read of the caller's queues for the whole console (menu counters and home page), refreshed on
 * screen changes and each minute of use; an older answer never replaces a newer one.
 */
export function WorkProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ queues: Queue[] | null; error: unknown }>({ queues: null, error: null });
  const latest = useRef(0);
  const reload = useCallback(() => {
    const ticket = ++latest.current;
    api.get<{ queues: Queue[] }>("/me/work").then(
      (r) => ticket === latest.current && setState({ queues: r.queues, error: null }),
      (error: unknown) => ticket === latest.current && setState((s) => ({ queues: s.queues, error })),
    );
  }, []);
  useActivityRefresh(reload);
  return <WorkContext.Provider value={{ ...state, reload }}>{children}</WorkContext.Provider>;
}

export const useWork = () => useContext(WorkContext);
