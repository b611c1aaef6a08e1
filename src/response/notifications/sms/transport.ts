/**
 * What both adapters share on the wire: the endpoint check and one POST with a deadline.
 * Plain http is refused except towards loopback (a local fake in tests): the request carries a
 * phone number and a one-time code, and the credentials' signature.
 */
import { isIP } from "node:net";
import { SmsError } from "./sms-errors.js";

export type Fetch = typeof fetch;

export const DEFAULT_SMS_TIMEOUT_MS = 10_000;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

/** The problem with an endpoint URL, or null when it may be used. */
export function endpointProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) return "must be an origin only (https://host[:port])";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return null;
  return "must use https (plain http only to a loopback address)";
}

export function checkedEndpoint(value: string): URL {
  const problem = endpointProblem(value);
  if (problem) throw new Error(`SMS endpoint ${problem}.`);
  return new URL(value);
}

/** POSTs and parses a JSON answer; network failures and timeouts become SmsErrors. */
export async function postJson(
  fetchImpl: Fetch,
  url: URL,
  init: { headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<{ status: number; json: unknown }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: "POST", headers: init.headers, body: init.body, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as { name?: string }).name;
    throw new SmsError(name === "TimeoutError" || name === "AbortError" ? "sms_timeout" : "sms_provider_unavailable");
  }
  let json: unknown = null;
  try {
    json = await response.json();
  } catch (error) {
    if ((error as { name?: string }).name === "TimeoutError") throw new SmsError("sms_timeout");
    json = null;
  }
  return { status: response.status, json };
}
