/** RFC 6266: an ASCII fallback name (`<prefix>.<ext>`) plus the real one, UTF-8 percent-encoded. */
export function contentDisposition(fallbackStem: string, filename: string, disposition: "attachment" | "inline" = "attachment"): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1] ?? "bin";
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallbackStem}.${ext}"; filename*=UTF-8''${encoded}`;
}
