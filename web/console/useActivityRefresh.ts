import { useEffect } from "react";

/** At most this often a count is refreshed while someone is using the console. */
export const REFRESH_MS = 60_000;

/**
 * Runs `refresh` now, on each screen change and on coming back to the tab, and each minute only if
 * the person did something meanwhile (a key, a click). Every API call moves the session's idle
 * deadline forward, so a console left alone makes no requests and its session still times out.
 */
export function useActivityRefresh(refresh: () => void): void {
  useEffect(() => {
    refresh();
    let active = false;
    const onActivity = () => {
      active = true;
    };
    const timer = window.setInterval(() => {
      if (!active) return;
      active = false;
      refresh();
    }, REFRESH_MS);
    const onReturn = () => {
      active = false;
      refresh();
    };
    window.addEventListener("keydown", onActivity);
    window.addEventListener("pointerdown", onActivity);
    window.addEventListener("hashchange", onReturn);
    window.addEventListener("focus", onReturn);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener("keydown", onActivity);
      window.removeEventListener("pointerdown", onActivity);
      window.removeEventListener("hashchange", onReturn);
      window.removeEventListener("focus", onReturn);
    };
  }, [refresh]);
}
