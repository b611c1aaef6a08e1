/**
 * The security headers every response carries, as helmet sets them, worked out once at start:
 * helmet's chain of a dozen middlewares per request cost a few percent of an audited read, for
 * headers that never change while the server runs. Helmet stays the source of the values; it is
 * asked once, with a response that only records what it sets.
 */
import helmet, { type HelmetOptions } from "helmet";

export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: () => {},
  };
  let finished = false;
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet's middlewares only set headers, synchronously; anything else would change what this records.
  if (!finished) throw new Error("helmet did not finish synchronously");
  return Object.freeze(headers);
}
