/**
 * Downloading a document is making a copy: the server registers it, fingerprints it and names it in
 * x-copy-id. api.blob() drops the headers, so this reads the answer itself (same headers as api.ts).
 */
import { ApiError, purpose, query, type FieldIssue } from "../../../shared/api";
import i18n from "../../../shared/i18n";

export interface DownloadedCopy {
  blob: Blob;
  filename: string;
  copyId: string | null;
}

/** RFC 6266: the UTF-8 name (filename*) when given, else the plain one. */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // a malformed escape: use the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

export async function downloadDocument(documentId: string, version?: number): Promise<DownloadedCopy> {
  const headers: Record<string, string> = { accept: "*/*", "accept-language": i18n.language };
  const declared = purpose();
  if (declared) headers["x-purpose"] = declared;
  const response = await fetch(`/api/v1/documents/${documentId}/content${query({ version })}`, { headers, credentials: "same-origin" });
  if (!response.ok) {
    const body = ((await response.json().catch(() => ({}))) ?? {}) as {
      error?: { code?: string; message?: string; fields?: FieldIssue[] };
      requestId?: string;
    };
    throw new ApiError(
      response.status,
      body.error?.code ?? "http_error",
      body.error?.message ?? String(response.status),
      body.error?.fields ?? [],
      body.requestId,
    );
  }
  return {
    blob: await response.blob(),
    filename: filenameOf(response.headers.get("content-disposition"), `document-${documentId.slice(0, 8)}`),
    copyId: response.headers.get("x-copy-id"),
  };
}

/** Offers the blob as a file (a temporary object URL; no inline script, CSP-safe). */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
