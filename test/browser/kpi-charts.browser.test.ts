/**
 * The operations charts and the incident countdown (issue #15), in Chinese: compliance opens 指标 →
 * 运营图表, sees each chart drawn on a canvas, opens each chart's data table and reads the seeded
 * counts there; then opens an incident and sees its notification deadlines counting down, the
 * overdue ones in red.
 */
import { readFileSync } from "node:fs";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { AuditEventInput } from "../../src/platform/audit/audit-event.js";
import { uuidv7 } from "../../src/platform/ids.js";
import { openIncident } from "../../src/response/incidents/incident-commands.js";
import { addCalendarDays, localDate } from "../../src/rights/requests/deadlines.js";
import { browserAvailable, browserSuite, SCREENSHOTS, signIn } from "../support/browser.js";
import { buildClient, buildUser, contextFor } from "../support/factories.js";
import { insertClientRequest } from "../support/requests.js";

const WAIT = { timeout: 30_000 };
const zh = JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/kpis.json", import.meta.url), "utf8")).charts as {
  buckets: Record<string, string>;
  showTable: string;
};
const CHARTS = ["requests", "alerts", "incidents", "purpose", "role", "denials", "approval"];

/** A chart's data table, opened: its rows as [header cell, …data cells]. */
async function tableOf(chart: Locator): Promise<string[][]> {
  await chart.getByTestId("chart-table-toggle").click();
  const table = chart.getByTestId("chart-table");
  await table.waitFor(WAIT);
  return table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => (c.textContent ?? "").trim())));
}

/** The sum of one column over a weekly table (the seeded week may straddle an edge if the test runs on Monday morning). */
const columnTotal = (rows: string[][], header: string[], name: string) => {
  const index = header.indexOf(name);
  return rows.reduce((sum, r) => sum + Number(r[index]), 0);
};

describe.skipIf(!browserAvailable)("browser: operations charts and the incident countdown", () => {
  const suite = browserSuite();

  it("compliance reads each chart and its data table, then an incident's deadlines counting down", async () => {
    const { services } = suite;
    const compliance = await buildUser(services, "compliance");
    const partner = await buildUser(services, "partner");
    const lawyer = await buildUser(services, "lawyer");
    const clientId = (await buildClient(services, partner.actor)).id;

    // This week's reads of client data: 3 by a lawyer for case handling, one refused, one under break-glass, one export under a grant.
    const append = (e: Partial<AuditEventInput> & Pick<AuditEventInput, "action" | "outcome">) =>
      services.engine.db
        .transaction()
        .execute((tx) =>
          services.auditLog.append(tx, [
            { actorId: lawyer.actor.userId, actorRole: "lawyer", targetType: "client", targetId: clientId, purpose: "case-handling", ...e },
          ]),
        );
    for (let i = 0; i < 3; i++) await append({ action: "client.read", outcome: "success" });
    await append({ action: "client.read", outcome: "denied", reason: "not_on_matter" });
    await append({
      action: "client.read",
      outcome: "success",
      actorRole: "partner",
      purpose: "billing",
      reason: "break_glass",
      details: { via: "break_glass" },
    });
    await append({ action: "client.export", outcome: "success", actorRole: "partner", purpose: "billing", details: { grantId: uuidv7() } });

    // Two critical alerts (no detection rule is critical, so none other counts here).
    for (let i = 0; i < 2; i++)
      await services.engine.db
        .insertInto("alerts")
        .values({
          id: uuidv7(),
          kind: "detection",
          user_id: lawyer.actor.userId,
          wall_id: null,
          event_seq: null,
          created_at: new Date().toISOString(),
          status: "new",
          severity: "critical",
          rule_code: "bulk_read",
        })
        .execute();

    // A critical incident the firm learnt of 6 hours ago: its 4-hour duties are late, the 24-hour one is not.
    const incident = await openIncident(services, contextFor(compliance.actor, null), {
      source: "staff_report",
      category: "disclosure",
      cause: "misdirected_disclosure",
      measures: [],
      peopleAffected: 1000,
      l4Involved: true,
      leftFirm: true,
      euSubjects: false,
      awareAt: new Date(Date.now() - 6 * 3_600_000).toISOString(),
      contact: "privacy@firm.test",
    });

    // Open requests: one overdue, one due in 2 days, one in 5, one in 10 (Beijing dates).
    const today = localDate(new Date(), "Asia/Shanghai");
    for (const days of [-1, 2, 5, 10]) await insertClientRequest(services, { clientId, due: addCalendarDays(today, days) });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, compliance.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/kpis`);
    await page.getByRole("tab", { name: "运营图表" }).click();
    await page.getByTestId("kpi-charts").waitFor(WAIT);
    expect(page.url()).toContain("#/kpis/charts");

    // Every chart drawn on a canvas of real size, under its title, with its figures in words.
    for (const key of CHARTS) {
      const chart = page.getByTestId(`chart-${key}`);
      await expect.poll(() => chart.locator("canvas").count(), WAIT).toBeGreaterThan(0);
      const [width, height] = await chart
        .locator("canvas")
        .first()
        .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
      expect(width, key).toBeGreaterThan(100);
      expect(height, key).toBeGreaterThan(100);
      expect(await chart.getByRole("heading").count(), key).toBe(1);
      expect((await chart.locator("[data-chart-summary]").textContent())?.length, key).toBeGreaterThan(10);
    }

    // The data tables hold the seeded counts.
    const header = async (key: string) =>
      page
        .getByTestId(`chart-${key}`)
        .locator("thead th")
        .allTextContents()
        .then((h) => h.map((x) => x.trim()));
    expect(await tableOf(page.getByTestId("chart-requests"))).toEqual([
      [zh.buckets.overdue!, "1"],
      [zh.buckets.due_3_days!, "1"],
      [zh.buckets.due_7_days!, "1"],
      [zh.buckets.later!, "1"],
    ]);
    expect(await tableOf(page.getByTestId("chart-purpose"))).toEqual([
      ["案件办理", "3"],
      ["计费结算", "2"],
    ]);
    expect(await tableOf(page.getByTestId("chart-role"))).toEqual([
      ["律师", "3"],
      ["合伙人", "2"],
    ]);
    const alerts = await tableOf(page.getByTestId("chart-alerts"));
    expect(alerts).toHaveLength(12);
    expect(columnTotal(alerts, await header("alerts"), "严重")).toBe(2);
    const incidents = await tableOf(page.getByTestId("chart-incidents"));
    expect(columnTotal(incidents, await header("incidents"), "严重")).toBe(1);
    const denials = await tableOf(page.getByTestId("chart-denials"));
    expect(columnTotal(denials, await header("denials"), "被拒绝的读取")).toBe(1);
    expect(columnTotal(denials, await header("denials"), "紧急访问读取")).toBe(1);
    const approval = await tableOf(page.getByTestId("chart-approval"));
    // The refused read, the break-glass read and the export under a grant: 1 of 3.
    expect(approval.at(-1)!.slice(1)).toEqual(["33.33% (1/3)", "100%"]);
    await page.screenshot({ path: `${SCREENSHOTS}kpi-charts.png`, fullPage: true });

    // The incident's deadlines count down; the overdue ones in red.
    await page.goto(`${suite.baseUrl}/#/incidents/${incident.id}`);
    const countdown = page.getByTestId("incident-countdown");
    await countdown.waitFor(WAIT);
    await expect.poll(() => countdown.getByTestId("countdown-item").count(), WAIT).toBeGreaterThan(1);
    const late = countdown.getByTestId("countdown-overdue");
    expect(await late.count()).toBeGreaterThan(0);
    expect(await late.first().innerText()).toMatch(/^已逾期 (1 小时 5\d|2 小时 \d) 分$/);
    expect(await late.first().getAttribute("class")).toContain("red");
    const left = countdown.getByTestId("countdown-left");
    expect(await left.count()).toBeGreaterThan(0);
    expect(await left.first().innerText()).toMatch(/^剩余 1[78] 小时 \d+ 分$/);
    expect(await countdown.innerText()).toMatch(/截止：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    expect(suite.problems).toEqual([]);
  });
});
