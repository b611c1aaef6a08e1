import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers.js";

describe("security headers worked out once", () => {
  it("are helmet's headers for the options given, names in lower case", () => {
    const headers = securityHeaders({
      contentSecurityPolicy: false,
      strictTransportSecurity: false,
      xFrameOptions: { action: "deny" },
      referrerPolicy: { policy: "no-referrer" },
    });
    expect(headers).toMatchObject({
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
    });
    // Turned off: neither header, so the routes that send their own CSP are not overridden.
    expect(headers).not.toHaveProperty("content-security-policy");
    expect(headers).not.toHaveProperty("strict-transport-security");
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it("carry HSTS only when asked for, with the options' lifetime", () => {
    const headers = securityHeaders({ contentSecurityPolicy: false, strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true } });
    expect(headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("refuse options helmet refuses, at start", () => {
    expect(() => securityHeaders({ referrerPolicy: { policy: "not-a-policy" as never } })).toThrow();
  });
});
