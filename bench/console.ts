/**
 * console: the first load of the staff console in real Chromium (cold cache, a new browser
 * context per round), from navigation start until the sign-in form is usable, against the 1 s
 * the console issue sets. The same browser loading a bare HTML page from a bare node:http server
 * in the same run is the baseline, so a slow machine shows up in both numbers.
 */
import { existsSync, statSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { execFileSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";
import { loadConfig } from "../src/platform/config.js";
import { buildServer } from "../src/http/server.js";
import { WEB_ROOT } from "../src/http/web.js";
import { openServices } from "../src/platform/services.js";
import { fmt, median, MemoryKeyProvider, tempDir, type Benchmark } from "./lib.js";

const CHROMIUM = process.env.CUSTODIA_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

async function firstLoad(browser: Browser, url: string, ready: string): Promise<number> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(ready).first().waitFor({ state: "visible" });
  const ms = Date.now() - started;
  await context.close();
  return ms;
}

export const consoleBench: Benchmark = {
  name: "console",
  summary: "first load of the web console in Chromium until sign-in is usable (target < 1 s), vs a bare page",
  async run({ quick, log }) {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
    if (!existsSync(`${WEB_ROOT}index.html`)) execFileSync("npx", ["vite", "build", "--config", "web/vite.config.ts"], { stdio: "inherit" });
    const assets = readdirSync(`${WEB_ROOT}assets`)
      .map((f) => statSync(`${WEB_ROOT}assets/${f}`).size)
      .reduce((a, b) => a + b, 0);
    const dir = tempDir("console");
    const services = await openServices(loadConfig({ dataDir: dir.path }, {}), { keyProvider: new MemoryKeyProvider() });
    const app = await buildServer(services, { logLevel: "silent" });
    const bare = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>bare</title><form><input id=email></form>"),
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const base = await app.listen({ host: "127.0.0.1", port: 0 });
      await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
      const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
      const rounds = quick ? 3 : 10;
      const ours: number[] = [];
      const peer: number[] = [];
      // The very first page after the server started (cold server: page template, static files and
      // the sign-in API untouched so far), then rounds with a warm server and a cold browser cache.
      const coldServer = await firstLoad(browser, `${base}/`, "input#email");
      log(`cold server: console ${coldServer} ms`);
      for (let r = 0; r < rounds; r++) {
        peer.push(await firstLoad(browser, bareUrl, "input#email"));
        ours.push(await firstLoad(browser, `${base}/`, "input#email"));
        log(`round ${r + 1}: console ${ours.at(-1)} ms, bare page ${peer.at(-1)} ms`);
      }
      const console_ = median(ours);
      const bareMs = median(peer);
      return {
        rows: [
          {
            benchmark: "console first load (median, cold cache)",
            unit: "ms",
            ours: console_,
            peerLabel: "1 s budget",
            peer: 1000,
            ratio: console_ / 1000,
            target: { op: "<=", value: 1 },
          },
          {
            benchmark: "console first load, cold server",
            unit: "ms",
            ours: coldServer,
            peerLabel: "1 s budget",
            peer: 1000,
            ratio: coldServer / 1000,
            target: { op: "<=", value: 1 },
          },
          {
            benchmark: "console first load vs bare page",
            unit: "ms",
            ours: console_,
            peerLabel: "bare HTML page",
            peer: bareMs,
            ratio: console_ / bareMs,
            target: null,
          },
        ],
        details: { rounds, coldServer, ours, peer, assetBytes: assets, assetKiB: fmt(assets / 1024) },
      };
    } finally {
      await browser.close();
      bare.close();
      await app.close();
      await services.close();
      dir.remove();
    }
  },
};
