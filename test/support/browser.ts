/**
 * Real Chromium (Debian's /usr/bin/chromium) driving the real server on a loopback port, with a
 * SQLite database of its own. Every page records console errors, uncaught exceptions and CSP
 * violations; suites assert the list is empty, so a missing translation key (logged as an error by
 * web/shared/i18n.ts) or a blocked style fails the test.
 */
import { existsSync, mkdirSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser, type Locator, type Page, type Request, type Response } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { timeStep, totpCode } from "../../src/identity/auth/totp.js";
import { buildServer, type ServerOptions } from "../../src/http/server.js";
import type { CodeMessage } from "../../src/rights/requests/code-sender.js";
import type { Services } from "../../src/platform/services.js";
import { createTestDatabase, type TestDatabase } from "./dialects.js";
import { TEST_PASSWORD } from "./factories.js";

export const CHROMIUM = process.env.CUSTODIA_CHROMIUM ?? "/usr/bin/chromium";
export const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable && process.env.CUSTODIA_REQUIRE_BROWSER === "1") {
  throw new Error(`CUSTODIA_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
}
if (!browserAvailable) {
  process.stderr.write(
    `\n*** Browser tests SKIPPED: ${CHROMIUM} not found. Install it with \`apt-get install chromium\` (or set CUSTODIA_CHROMIUM) to run them. ***\n\n`,
  );
}

export const SCREENSHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

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

export interface BrowserSuite {
  db: TestDatabase;
  services: Services;
  app: FastifyInstance;
  browser: Browser;
  baseUrl: string;
  /** One-time codes the portal sent, newest last. */
  codes: CodeMessage[];
  /** Problems seen on any page: console errors, page errors, CSP violations, 5xx answers. */
  problems: string[];
  /** The server's clock (sessions, lockouts, TOTP steps): tests move it forward instead of waiting. */
  now(): number;
  advance(ms: number): void;
  newPage(options?: { lang?: "zh-CN" | "en"; mobile?: boolean }): Promise<Page>;
}

/** Extra server options, built once the database is open (a job scheduler needs the services). */
export interface BrowserSuiteOptions {
  server?: (suite: BrowserSuite) => Partial<ServerOptions>;
}

export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let offset = 0;
  const suite = {
    codes: [] as CodeMessage[],
    problems: [] as string[],
    now: () => Date.now() + offset,
    advance: (ms: number) => void (offset += ms),
  } as BrowserSuite;
  beforeAll(async () => {
    suite.db = await createTestDatabase("sqlite");
    suite.services = await suite.db.open();
    suite.app = await buildServer(suite.services, {
      logLevel: "silent",
      signIn: { now: () => suite.now() },
      // A cheap proof keeps the portal tests quick; the browser still solves it for real.
      clientRequests: { proofBits: 8, intakeFloorMs: 0, sender: { send: async (m) => void suite.codes.push(m) } },
      ...options.server?.(suite),
    });
    suite.baseUrl = await suite.app.listen({ host: "127.0.0.1", port: 0 });
    suite.browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    suite.newPage = async (options = {}) => {
      const context = await suite.browser.newContext({
        viewport: options.mobile ? { width: 390, height: 844 } : { width: 1366, height: 900 },
        isMobile: options.mobile ?? false,
        locale: options.lang ?? "zh-CN",
        timezoneId: "Asia/Shanghai",
      });
      const page = await context.newPage();
      if (options.lang) await page.addInitScript((lang) => localStorage.setItem("custodia.lang", lang), options.lang);
      page.on("console", (message) => {
        // A 4xx answer is the API speaking (401 before sign-in, a validation error); Chromium logs
        // it as a failed resource. Server errors are caught from the responses below instead.
        if (message.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
          suite.problems.push(`console: ${message.text()} @ ${message.location().url}`);
        }
      });
      page.on("response", (response) => {
        if (response.status() >= 500) suite.problems.push(`${response.status()} from ${new URL(response.url()).pathname}`);
      });
      page.on("pageerror", (error) => suite.problems.push(`page error: ${error.message}`));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) =>
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`),
        );
      });
      return page;
    };
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.app?.close();
    await suite.services?.close();
    await suite.db?.cleanup();
  });
  return suite;
}

/**
 * Signs in through the sign-in page. A user whose role needs a second factor and has none yet
 * enrols on the way (the secret is read off the page, as a person would scan it).
 * Returns the TOTP secret for later sign-ins.
 */
export async function signIn(page: Page, baseUrl: string, email: string, secret?: string, now: () => number = Date.now): Promise<string | undefined> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(TEST_PASSWORD);
  await page.getByRole("button", { name: /登\s*录|Sign in/ }).click();
  const enrol = page.getByTestId("totp-secret");
  const code = page.getByLabel(/^(动态码|Code)$/);
  const menu = page.getByTestId("user-menu");
  await Promise.race([enrol.waitFor(), code.waitFor(), menu.waitFor()]);
  if (await menu.isVisible()) return secret;
  // The enrolment step shows its code field before the secret arrives from the server.
  if (!secret && !(await enrol.isVisible())) await enrol.waitFor({ timeout: 10_000 });
  if (await enrol.isVisible()) {
    const seed = (await enrol.innerText()).trim();
    await code.fill(totpCode(seed, timeStep(now())));
    await page.getByRole("button", { name: /确认启用|Turn on/ }).click();
    await page.getByRole("button", { name: /我已保存|I saved them/ }).click();
    await menu.waitFor();
    return seed;
  }
  if (!secret) throw new Error("second factor asked but no secret known");
  await code.fill(totpCode(secret, timeStep(now())));
  await page.getByRole("button", { name: /验\s*证|Verify/ }).click();
  await menu.waitFor();
  return secret;
}

/**
 * Chooses the declared purpose in the header (required before personal data is shown). antd 6
 * gives role="option" only to a hidden accessibility list, so the visible option is found by class.
 */
export async function choosePurpose(page: Page, name: RegExp) {
  await page.getByTestId("purpose-select").click();
  await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter({ hasText: name }).first().click();
}

/** The visible option of the open antd dropdown whose text matches (antd keeps closed lists in the page). */
export function openOption(page: Page, text: string | RegExp): Locator {
  return page
    .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    .filter({ visible: true })
    .locator(".ant-select-item-option")
    .filter({ hasText: text })
    .first();
}

/**
 * Picks `option` in the antd Select labelled `label` inside `scope` (a dialog or the page) and waits
 * until the select shows it. On a loaded machine a click can land while a list is still sliding in
 * or out, or before a dialog's form has settled; the pick is tried again then, so a test fails only
 * when the option really cannot be chosen.
 */
export async function pick(page: Page, scope: Page | Locator, label: string | RegExp, option: string | RegExp): Promise<void> {
  const open = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)").filter({ visible: true });
  const field = scope.locator(".ant-select", { has: page.getByLabel(label, { exact: typeof label === "string" }) }).first();
  const shows = async () => {
    const text = await field.innerText();
    return typeof option === "string" ? text.includes(option) : option.test(text);
  };
  for (let attempt = 0; ; attempt++) {
    try {
      // A retry must not click a multiple select's option a second time: that would unpick it.
      if (attempt > 0 && (await shows()) && (await open.count()) === 0) return;
      if ((await open.count()) === 0) await field.click({ timeout: 10_000 });
      await openOption(page, option).click({ timeout: 10_000 });
      // A multiple select stays open after a pick; a single one closes by itself (and Escape then would close the dialog).
      if ((await open.count()) > 0) await page.keyboard.press("Escape");
      await expect.poll(shows, { timeout: 5_000 }).toBe(true);
      await expect.poll(() => open.count(), { timeout: 5_000 }).toBe(0);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/**
 * Clicks a dialog's submit button until the request it should send goes out, and returns that
 * request's response. On a loaded machine a click can land while the dialog is still zooming in and
 * never submit; so while no such request has gone out 4 s after a click, the button is clicked again.
 * A request that went out is never sent twice by this helper.
 */
export async function submitUntilSent(page: Page, button: Locator, sends: (request: Request) => boolean, timeout = 40_000): Promise<Response> {
  const sent: Request[] = [];
  const watch = (request: Request) => {
    if (sends(request)) sent.push(request);
  };
  page.on("request", watch);
  try {
    const deadline = Date.now() + timeout;
    while (sent.length === 0) {
      if (Date.now() > deadline) throw new Error("the dialog never sent its request");
      await button.click({ timeout: 5_000 }).catch(() => undefined);
      const clicked = Date.now();
      while (sent.length === 0 && Date.now() - clicked < 4_000) await page.waitForTimeout(100);
    }
    const response = await sent[0]!.response();
    if (!response) throw new Error("the dialog's request got no response");
    return response;
  } finally {
    page.off("request", watch);
  }
}

/**
 * Confirms a popconfirm (submitUntilSent): its button is clicked again only while no write (an API
 * request other than GET) has gone out since the first click. The answer is returned; the caller
 * checks the screen as before.
 */
export const confirmUntilSent = (page: Page, button: Locator): Promise<Response> =>
  submitUntilSent(page, button, (request) => request.method() !== "GET" && request.url().includes("/api/v1/"));
