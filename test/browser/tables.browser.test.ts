import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, signIn } from "../support/browser.js";
import { buildUser } from "../support/factories.js";
import { auth } from "../support/http.js";

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!browserAvailable)("browser: list tables (totals, page sizes, sorting, column filters, keyboard-openable rows)", () => {
  const suite = browserSuite();
  const post = async (token: string, url: string, payload: object) => {
    const res = await suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };

  it("the device register shows its total, changes page size, sorts by last check both ways and filters by kind", async () => {
    const officer = await buildUser(suite.services, "compliance");
    // 25 devices, every third a phone; LT-01 checked longest ago.
    for (let i = 1; i <= 25; i++) {
      await post(officer.token, "/devices", {
        kind: i % 3 === 0 ? "phone" : "laptop",
        label: `LT-${String(i).padStart(2, "0")}`,
        ownerId: officer.actor.userId,
        encryption: "full",
        lastCheckedOn: daysAgo(100 - i),
      });
    }
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/devices`);
    const table = page.getByTestId("devices-table");
    const rows = table.locator("tbody tr.ant-table-row");
    // The data-testid lands on the table inside antd's wrapper; the pagination bar is the table's sibling.
    const total = page.locator(".ant-table-wrapper", { has: table }).locator(".ant-pagination-total-text");
    const firstLabel = () => rows.first().locator("td").nth(1).innerText();

    await expect.poll(() => total.innerText()).toBe("共 25 条");
    // The register shows 50 a page.
    await expect.poll(() => rows.count()).toBe(25);

    await page.locator(".ant-table-wrapper", { has: table }).locator(".ant-pagination-options .ant-select").click();
    await page.locator(".ant-select-dropdown .ant-select-item-option", { hasText: "10 条/页" }).click();
    await expect.poll(() => rows.count()).toBe(10);

    const lastChecked = table.locator("th", { hasText: "上次检查" });
    await lastChecked.click();
    await expect.poll(firstLabel).toBe("LT-01");
    await lastChecked.click();
    await expect.poll(firstLabel).toBe("LT-25");

    // The kind filter lists the kinds present, by their labels, and narrows the rows to phones.
    await table.locator("th", { hasText: "类型" }).locator(".ant-table-filter-trigger").click();
    const dropdown = page.locator(".ant-table-filter-dropdown:visible");
    await expect.poll(async () => (await dropdown.locator(".ant-dropdown-menu-item").allInnerTexts()).sort()).toEqual(["手机", "笔记本电脑"].sort());
    await dropdown.locator(".ant-dropdown-menu-item", { hasText: "手机" }).click();
    await dropdown.getByRole("button", { name: /确\s*定/ }).click();
    await expect.poll(() => rows.count()).toBe(8);
    await expect.poll(() => total.innerText()).toBe("共 8 条");
    expect(new Set((await rows.locator("td:first-child").allInnerTexts()).map((s) => s.trim()))).toEqual(new Set(["手机"]));
    expect(suite.problems).toEqual([]);
  });

  it("a partner's row takes keyboard focus and opens with Enter", async () => {
    const officer = await buildUser(suite.services, "compliance");
    const partner = await post(officer.token, "/partners", {
      name: "云存储服务商",
      kind: "cloud_provider",
      piplRole: "entrusted_processor",
      jurisdiction: "CN",
      maxLevel: 3,
    });
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/partners`);
    const table = page.getByTestId("partners-table");
    const row = table.locator("tbody tr.ant-table-row", { hasText: "云存储服务商" });
    await expect.poll(() => row.getAttribute("tabindex")).toBe("0");
    await expect.poll(() => page.locator(".ant-table-wrapper", { has: table }).locator(".ant-pagination-total-text").innerText()).toBe("共 1 条");
    await row.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/partners/${partner.id}`);
    expect(suite.problems).toEqual([]);
  });
});
