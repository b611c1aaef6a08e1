/**
 * The KPI dashboard (issue #14, GOV-6), in Chinese: compliance opens 指标, sees a card per KPI with
 * its value against the target in words, one trend chart per KPI drawn on canvas with a text
 * summary of the same figures for screen readers, drills down from the leak-incident card to the
 * incident behind it (a link to the incident page), and downloads the quarterly PDF.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { openIncident } from "../../src/response/incidents/incident-commands.js";
import { browserAvailable, browserSuite, SCREENSHOTS, signIn } from "../support/browser.js";
import { buildClient, buildUser, contextFor } from "../support/factories.js";

const WAIT = { timeout: 30_000 };
const zh = JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/kpis.json", import.meta.url), "utf8")) as {
  names: Record<string, string>;
  met: Record<string, string>;
};
const CODES = Object.keys(zh.names);

describe.skipIf(!browserAvailable)("browser: KPI dashboard", () => {
  const suite = browserSuite();

  it("compliance opens the KPIs: cards against targets, trend charts with data, a drill-down to the records, the quarterly PDF", async () => {
    const { services } = suite;
    const compliance = await buildUser(services, "compliance");
    const partner = await buildUser(services, "partner");
    await buildClient(services, partner.actor);
    const incident = await openIncident(services, contextFor(compliance.actor, null), {
      source: "staff_report",
      category: "disclosure",
      cause: "misdirected_disclosure",
      measures: [],
      peopleAffected: 2,
      l4Involved: false,
      leftFirm: true,
      euSubjects: false,
      contact: "privacy@firm.test",
    });
    const month = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" }).format(new Date()).slice(0, 7);

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, compliance.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/kpis`);
    await page.getByTestId("kpis").waitFor(WAIT);

    // A card per KPI, its value against its target, met or not in words.
    for (const code of CODES) await expect.poll(() => page.getByTestId(`kpi-card-${code}`).count(), WAIT).toBe(1);
    const leak = page.getByTestId("kpi-card-leak_incident_rate");
    await expect.poll(() => leak.innerText(), WAIT).toContain("100%");
    expect(await leak.innerText()).toContain(zh.met.no);
    expect(await leak.innerText()).toContain("0.5%");
    expect(await page.getByTestId("kpi-card-encryption_coverage").innerText()).toContain(zh.met.yes);

    // One chart per KPI, drawn on a canvas of real size, with its figures in words for screen readers.
    for (const code of CODES) {
      const chart = page.getByTestId(`kpi-chart-${code}`);
      await expect.poll(() => chart.locator("canvas").count(), WAIT).toBeGreaterThan(0);
      const size = await chart
        .locator("canvas")
        .first()
        .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
      expect(size[0], code).toBeGreaterThan(100);
      expect(size[1], code).toBeGreaterThan(100);
      const summary = await chart.locator("[data-chart-summary]").textContent();
      expect(summary, code).toContain(zh.names[code]);
    }
    const leakSummary = await page.getByTestId("kpi-chart-leak_incident_rate").locator("[data-chart-summary]").textContent();
    expect(leakSummary).toContain(`${month} 100% (1/1)`);
    expect(await page.getByTestId("kpi-chart-leak_incident_rate").getByRole("img").getAttribute("aria-label")).toBe(leakSummary);

    // The leak card drills down to the incident behind it, which opens the incident page.
    await leak.click();
    const drill = page.getByTestId("kpi-drilldown");
    await drill.waitFor(WAIT);
    const link = drill.getByTestId("kpi-record-link");
    await expect.poll(() => link.count(), WAIT).toBe(1);
    expect(await link.getAttribute("href")).toBe(`#/incidents/${incident.id}`);
    expect(await drill.innerText()).toMatch(/INC-[0-9A-F]{8}/);
    expect(await drill.innerText()).not.toContain(incident.id);
    await page.screenshot({ path: `${SCREENSHOTS}kpis.png`, fullPage: true });

    // The quarterly PDF downloads.
    // Embedding the whole CJK font takes a few seconds, and much longer on a loaded machine.
    const downloading = page.waitForEvent("download", { timeout: 180_000 });
    await page.getByTestId("kpi-report-pdf").click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^custodia-kpi-\d{4}-Q[1-4]\.pdf$/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");

    await link.click();
    await expect.poll(() => page.url(), WAIT).toContain(`#/incidents/${incident.id}`);
    expect(suite.problems).toEqual([]);
  }, 420_000);
});
