/**
 * RFC 3986 percent-encoding, as both providers' canonical forms require: only the unreserved
 * characters (A–Z a–z 0–9 - _ . ~) stay as they are; a space is %20, never "+". Each byte of the
 * UTF-8 encoding becomes %XY with upper-case hex.
 */
export function percentEncode(value: string): string {
  // encodeURIComponent leaves ! ' ( ) * alone, which RFC 3986 reserves; a lone surrogate throws.
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical query string: names and values encoded, pairs sorted by encoded name (byte order,
 * then value), joined with "&". The same string is sent as the URL's query, so what the provider
 * decodes is what was signed.
 */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}
