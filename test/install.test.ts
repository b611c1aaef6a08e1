/**
 * A complete install: `npm ci` builds the console (the `prepare` script), so `custodia serve`
 * answers the console on / and the portal on /portal/ with no separate build step.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./support/server-process.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BUILT = join(ROOT, "dist/web");

describe("a fresh install serves the console", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "custodia-install-"));
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // The console where the install put it: no CUSTODIA_WEB_ROOT pointing at a developer's build.
    server = await startServer({ CUSTODIA_DATA_DIR: join(dataDir, "vault"), CUSTODIA_WEB_ROOT: "" });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("builds the console during npm ci (the prepare script) into dist/web", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    // `npm ci` runs prepare (and postinstall) after installing: either may build the console.
    expect(`${scripts.prepare ?? ""} ${scripts.postinstall ?? ""}`).toContain("build:web");
    expect(existsSync(join(BUILT, "index.html")), "dist/web/index.html: run npm ci (or npm run build:web)").toBe(true);
    expect(existsSync(join(BUILT, "portal/index.html"))).toBe(true);
  });

  it("answers the console on / and the portal on /portal/ from `custodia serve`", async () => {
    const console = await fetch(`${server.url}/`);
    expect(console.status).toBe(200);
    expect(console.headers.get("content-type")).toContain("text/html");
    const page = await console.text();
    expect(page).toMatch(/<!doctype html>/i);
    expect(page).toMatch(/<script[^>]+src="\/assets\/[^"]+\.js"/);
    expect(page).not.toContain("__CSP_NONCE__");

    const portal = await fetch(`${server.url}/portal/`);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toMatch(/<script[^>]+src="\/assets\/[^"]+\.js"/);

    // The page's own script is served too, so the browser gets a working console, not a shell.
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1]!;
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("javascript");
  });
});
