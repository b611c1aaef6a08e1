/**
 * The server side of the web console: pages with a strict CSP and a fresh nonce each time,
 * hashed assets cached for good and served precompressed, and a clear answer when unbuilt.
 */
import { existsSync, readdirSync } from "node:fs";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import { webRoutes, WEB_ROOT } from "../src/http/web.js";
import { httpSuite } from "./support/http.js";

describe.skipIf(!existsSync(`${WEB_ROOT}index.html`))("web pages and assets", () => {
  const suite = httpSuite("sqlite");

  it("serves the console and the portal with a strict CSP whose nonce is new on every response and sits in the page", async () => {
    const first = await suite.app.inject({ method: "GET", url: "/" });
    const second = await suite.app.inject({ method: "GET", url: "/" });
    expect(first.statusCode).toBe(200);
    const csp = String(first.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(first.body).toContain(`content="${nonce}"`);
    expect(first.body).not.toContain("__CSP_NONCE__");
    expect(String(second.headers["content-security-policy"])).not.toContain(nonce!);
    for (const directive of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'"])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    // The rest of the security headers come from helmet.
    expect(first.headers["x-frame-options"]).toBe("DENY");
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["referrer-policy"]).toBe("no-referrer");
    expect(first.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(first.headers["strict-transport-security"]).toBeUndefined(); // plain HTTP on loopback
    expect(first.headers["cache-control"]).toBe("no-store");
    // No inline script anywhere in the page: every script is a file from this origin.
    expect(first.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const portal = await suite.app.inject({ method: "GET", url: "/portal/" });
    expect(portal.statusCode).toBe(200);
    expect(portal.headers["content-security-policy"]).toContain("script-src 'self'");
    expect((await suite.app.inject({ method: "GET", url: "/portal" })).headers.location).toBe("/portal/");
  });

  it("serves hashed assets immutable and brotli-compressed to browsers that accept it", async () => {
    const script = readdirSync(`${WEB_ROOT}assets`).find((f) => f.endsWith(".js"))!;
    const plain = await suite.app.inject({ method: "GET", url: `/assets/${script}` });
    expect(plain.statusCode).toBe(200);
    expect(String(plain.headers["cache-control"])).toContain("immutable");
    const br = await suite.app.inject({ method: "GET", url: `/assets/${script}`, headers: { "accept-encoding": "br" } });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect((await suite.app.inject({ method: "GET", url: "/assets/../../package.json" })).statusCode).toBeGreaterThanOrEqual(400);
  });

  it("API answers carry a deny-all CSP, no-store and helmet's headers; HSTS only behind TLS", async () => {
    const health = await suite.app.inject({ method: "GET", url: "/api/v1/healthz" });
    expect(health.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(health.headers["cache-control"]).toBe("no-store");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    expect(health.headers["strict-transport-security"]).toBeUndefined();
    const behindProxy = await buildServer(suite.services, { logLevel: "silent", behindTlsProxy: true });
    const secured = await behindProxy.inject({ method: "GET", url: "/api/v1/healthz" });
    expect(secured.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    await behindProxy.close();
  });

  it("says plainly when the console is not built", async () => {
    const app = Fastify();
    await webRoutes(app, "/nonexistent/web/");
    const response = await app.inject({ method: "GET", url: "/" });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain("npm run build:web");
  });
});

describe("the HTTP edge: API docs and unknown paths", () => {
  const suite = httpSuite("sqlite");

  it("serves Swagger UI with a strict CSP: its own files only, no inline script, no framing", async () => {
    for (const url of ["/api/docs", "/api/docs/", "/api/docs/static/swagger-initializer.js"]) {
      const res = await suite.app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBeLessThan(400);
      const csp = String(res.headers["content-security-policy"]);
      for (const directive of [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
      ])
        expect(csp, url).toContain(directive);
      expect(csp).not.toMatch(/unsafe-(inline|eval)|https:|\*/);
    }
    // The page itself loads every script from a file.
    const page = await suite.app.inject({ method: "GET", url: "/api/docs/" });
    expect(page.body).toContain("swagger-ui-bundle.js");
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("answers and logs only the path of a request, never its query string, whatever the status", async () => {
    const canary = "110105197707070012";
    const probes = [
      { url: `/api/v1/clientz?idNumber=${canary}`, status: 404, code: "not_found" },
      { url: `/nowhere/at/all?phone=${canary}`, status: 404, code: "not_found" },
      { url: `/api/v1/clients/search?idNumber=${canary}`, status: 401, code: "authentication_required" },
    ];
    for (const probe of probes) {
      const before = suite.logs.length;
      const res = await suite.app.inject({ method: "GET", url: probe.url });
      expect([res.statusCode, res.json().error.code]).toEqual([probe.status, probe.code]);
      expect(res.body).not.toContain(canary);
      const lines = suite.logs.slice(before).join("");
      expect(lines).not.toContain(canary);
      // The path is still there for operators.
      expect(lines).toContain(`"path":"${probe.url.split("?")[0]}"`);
      expect(lines).toContain(`"statusCode":${probe.status}`);
    }
  });
});
