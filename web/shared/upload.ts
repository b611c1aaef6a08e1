/**
 * Multipart uploads with progress. fetch() cannot report upload progress without streaming request
 * bodies (not in every browser), so this one path uses XMLHttpRequest, with the same headers and
 * error handling as api.ts: same-origin with the session cookie (the browser adds Sec-Fetch-Site,
 * which the server's CSRF rule reads), the UI language for error texts, the declared purpose.
 */
import { api, ApiError, purpose, type FieldIssue } from "./api";
import i18n from "./i18n";

export interface UploadOptions {
  /** Text fields, sent before the file: the server reads them before it streams the file. */
  fields?: Record<string, string | number | undefined | null>;
  file: Blob;
  filename?: string;
  /** Send the declared purpose in X-Purpose (reads and writes of personal data). */
  purpose?: boolean;
  /** Called with the fraction sent, 0 to 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

const SESSION_ENDED = new Set(["authentication_required", "session_expired", "mfa_required", "session_required"]);

/** The body's error as api.ts reads it; anything unreadable becomes a bare http_error. */
function errorOf(xhr: XMLHttpRequest): ApiError {
  let body: { error?: { code?: string; message?: string; fields?: FieldIssue[] }; requestId?: string } = {};
  try {
    body = JSON.parse(xhr.responseText) as typeof body;
  } catch {
    // not JSON: a proxy's page, say
  }
  return new ApiError(xhr.status, body.error?.code ?? "http_error", body.error?.message ?? String(xhr.status), body.error?.fields ?? [], body.requestId);
}

/** POSTs multipart/form-data to /api/v1<path>, the file in a part named `file`; resolves with the JSON answer. */
export function upload<T>(path: string, options: UploadOptions): Promise<T> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) if (value !== undefined && value !== null && value !== "") form.append(name, String(value));
  form.append("file", options.file, options.filename ?? (options.file instanceof File ? options.file.name : "file"));
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    xhr.setRequestHeader("accept-language", i18n.language);
    const declared = purpose();
    if (options.purpose && declared) xhr.setRequestHeader("x-purpose", declared);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1);
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          reject(new ApiError(xhr.status, "http_error", String(xhr.status)));
        }
        return;
      }
      const error = errorOf(xhr);
      // A session that ended: asking /auth/me lets api.ts tell the console, which shows sign-in.
      if (xhr.status === 401 && SESSION_ENDED.has(error.code)) void api.get("/auth/me").catch(() => undefined);
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", i18n.t("files.upload.networkError")));
    xhr.onabort = () => reject(new ApiError(0, "aborted", i18n.t("files.upload.aborted")));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
