/**
 * The one way the browser talks to Custodia: same-origin fetch with the session cookie (the
 * server's CSRF rule relies on the browser's Sec-Fetch-Site), the UI language for error texts,
 * and the declared purpose for reads of personal data. Nothing personal is put in a URL.
 */
import i18n from "./i18n";

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

type Listener = (error: ApiError) => void;
const sessionListeners = new Set<Listener>();
/** The console listens here to show the sign-in page when a session ends. */
export const onSessionLost = (listener: Listener) => {
  sessionListeners.add(listener);
  return () => {
    sessionListeners.delete(listener);
  };
};

const SESSION_ENDED = new Set(["authentication_required", "session_expired", "mfa_required", "session_required"]);

let currentPurpose: string | null = sessionStorage.getItem("custodia.purpose");
export const purpose = () => currentPurpose;
export function setPurpose(code: string | null) {
  currentPurpose = code;
  if (code) sessionStorage.setItem("custodia.purpose", code);
  else sessionStorage.removeItem("custodia.purpose");
}

export interface RequestOptions {
  body?: unknown;
  purpose?: boolean;
  headers?: Record<string, string>;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", "accept-language": i18n.language, ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.purpose && currentPurpose) headers["x-purpose"] = currentPurpose;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const type = response.headers.get("content-type") ?? "";
  const payload: unknown = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const body =
      payload && typeof payload === "object" ? (payload as { error?: { code?: string; message?: string; fields?: FieldIssue[] }; requestId?: string }) : {};
    const error = new ApiError(
      response.status,
      body.error?.code ?? "http_error",
      body.error?.message ?? String(response.status),
      body.error?.fields ?? [],
      body.requestId,
    );
    if (response.status === 401 && SESSION_ENDED.has(error.code) && !path.startsWith("/auth/login")) sessionListeners.forEach((l) => l(error));
    throw error;
  }
  return payload as T;
}

/** A binary answer (a file download) as a Blob; an error answer throws ApiError as request() does. */
async function requestBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const headers: Record<string, string> = { accept: "*/*", "accept-language": i18n.language, ...options.headers };
  if (options.purpose && currentPurpose) headers["x-purpose"] = currentPurpose;
  const response = await fetch(`/api/v1${path}`, { method: "GET", headers, credentials: "same-origin" });
  if (!response.ok) {
    const body = ((await response.json().catch(() => ({}))) ?? {}) as {
      error?: { code?: string; message?: string; fields?: FieldIssue[] };
      requestId?: string;
    };
    const error = new ApiError(
      response.status,
      body.error?.code ?? "http_error",
      body.error?.message ?? String(response.status),
      body.error?.fields ?? [],
      body.requestId,
    );
    if (response.status === 401 && SESSION_ENDED.has(error.code)) sessionListeners.forEach((l) => l(error));
    throw error;
  }
  return response.blob();
}

export const api = {
  blob: (path: string, options?: RequestOptions) => requestBlob(path, options),
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("POST", path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>("PATCH", path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
};

/** Query strings for non-personal filters only (ids, codes, dates, cursors). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "") as [string, string | number][];
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : "";
}
