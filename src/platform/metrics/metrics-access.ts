/**
 * Who may scrape /metrics: a scraper on this machine, or anyone presenting CUSTODIA_METRICS_TOKEN.
 * Metrics carry no personal data, but route latencies, alert counts and overdue duties still
 * describe the firm, so they are not public.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { ConfigError } from "../config.js";

export type MetricsAccess = "allowed" | "unauthorised" | "hidden";

export const METRICS_TOKEN_MIN_LENGTH = 32;

/** Refuses a token short enough to guess; an unset or empty one means loopback only. */
export function parseMetricsToken(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (value.length < METRICS_TOKEN_MIN_LENGTH) {
    throw new ConfigError(`CUSTODIA_METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters (e.g. openssl rand -hex 32).`);
  }
  return value;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.startsWith("127.");
  return plain === "::1";
}

// Hashing first gives equal-length inputs, so the constant-time comparison also hides the length.
const digest = (value: string) => createHash("sha256").update(value).digest();

interface ScrapeRequest {
  /** The client address (after trusted proxies: the real client, not the proxy). */
  readonly ip: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** The gate for one request: `hidden` (404) when no token is configured, so the path is not advertised. */
export function metricsGate(token: string | null): (request: ScrapeRequest) => MetricsAccess {
  const expected = token ? digest(token) : null;
  return function metricsAccess(request) {
    // A request relayed by a proxy on this machine is not a local scraper, whatever its socket says.
    const relayed = request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined || request.headers["x-real-ip"] !== undefined;
    if (!relayed && isLoopbackAddress(request.ip)) return "allowed";
    if (!expected) return "hidden";
    const header = request.headers.authorization;
    const given = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : null;
    // Constant-time comparison: no timing side channel on the token.
    return given !== null && timingSafeEqual(digest(given), expected) ? "allowed" : "unauthorised";
  };
}
