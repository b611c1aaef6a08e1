/**
 * Portal calls that carry the request token as a bearer secret. The token lives only in React
 * state: never in localStorage, sessionStorage, a cookie or a URL.
 */
import { api, query } from "../shared/api";

export interface PortalSession {
  requestId: string;
  token: string;
  tokenExpiresAt: string | null;
}

export interface PortalRequestView {
  id: string;
  type: string;
  status: string;
  receivedAt: string;
  dueDate: string;
  extendedDueDate: string | null;
  extensionReason: string | null;
  outcome: string | null;
  outcomeDetails: Record<string, string | null> | null;
  closedAt: string | null;
}

/** Types whose answer is a package to download (src/rights/requests/request.ts PACKAGE_TYPES). */
export const PACKAGE_TYPES: ReadonlySet<string> = new Set(["access", "copy", "explanation"]);

const bearer = (session: PortalSession) => ({ headers: { authorization: `Bearer ${session.token}` } });

export const readStatus = (session: PortalSession) => api.get<PortalRequestView>(`/portal/requests/${session.requestId}`, bearer(session));

/** The package as the server sends it: JSON (parsed) or the HTML page (text). */
export const readPackage = (session: PortalSession, format: "json" | "html", lang: string) =>
  api.get<unknown>(`/portal/requests/${session.requestId}/package${query({ format, lang: lang === "en" ? "en" : "zh-CN" })}`, bearer(session));

/** Fetches the package with the bearer header and hands it to the browser as a file. */
export async function downloadPackage(session: PortalSession, format: "json" | "html", lang: string): Promise<void> {
  const body = await readPackage(session, format, lang);
  const blob =
    format === "json" ? new Blob([JSON.stringify(body, null, 2)], { type: "application/json" }) : new Blob([String(body)], { type: "text/html;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `request-${session.requestId}.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
