import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createLocation } from "../../src/records/paper/archive-locations.js";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, contextFor, staffNameOf } from "../support/factories.js";

/** A visible option of the open antd Select. */
const option = (page: Page, title: string) =>
  page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]`).click();

/** Picks from a select; `within` narrows the search to a dialog when a sortable table column behind it carries the same label. */
async function pickOption(page: Page, label: string, title: string, within: Page | Locator = page) {
  await within.getByLabel(label, { exact: true }).click();
  await option(page, title);
}

describe.skipIf(!browserAvailable)("browser: paper files and a stocktake", () => {
  const suite = browserSuite();

  it("the archive keeper registers files, checks one out, runs a stocktake by typing codes on a phone, and reads the report in words", async () => {
    const clerk = await buildUser(suite.services, "records-clerk");
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const client = await buildClient(suite.services, partner.actor, { name: "周文博" });
    const matter = await buildMatter(suite.services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }], { number: "2026-民-0815" });
    const ctx = contextFor(clerk.actor, null);
    const room = await createLocation(suite.services, ctx, { kind: "room", code: "A", label: "一号档案室" });
    const cabinet = await createLocation(suite.services, ctx, { kind: "cabinet", code: "A-01", label: "一号柜", parentId: room.id });
    await createLocation(suite.services, ctx, { kind: "shelf", code: "A-01-1", label: "第一层", parentId: cabinet.id });

    const page = await suite.newPage({ mobile: true });
    await signIn(page, suite.baseUrl, clerk.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/paper`);
    await expect.poll(() => page.getByRole("button", { name: "登记档案" }).count(), { timeout: 20_000 }).toBeGreaterThan(0);

    // Three files of the matter, registered by its number (the clerk cannot look the client up by name).
    for (const title of ["起诉状及证据原件", "庭审笔录", "判决书原件"]) {
      await page.getByRole("button", { name: "登记档案" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("案号", { exact: true }).fill(matter.number);
      await dialog.getByLabel("卷宗名称", { exact: true }).fill(title);
      await pickOption(page, "存放层架", "A-01-1 第一层", dialog);
      await page
        .getByRole("button", { name: "登 记" })
        .or(page.getByRole("button", { name: "登记", exact: true }))
        .click();
      await expect.poll(() => page.getByRole("dialog").count(), { timeout: 15_000 }).toBe(0);
    }
    const files = suite.services.engine.db.selectFrom("paper_files").select(["id", "code", "reference"]).orderBy("id");
    await expect.poll(async () => (await files.execute()).length, { timeout: 15_000 }).toBe(3);
    const [first, second, third] = await files.execute();
    await expect.poll(() => page.getByTestId("paper-files").innerText(), { timeout: 15_000 }).toContain(third!.code);
    // The clerk sees codes and the matter number, not the titles (above its clearance), and never the client's name.
    const table = await page.getByTestId("paper-files").innerText();
    expect(table).toContain("2026-民-0815");
    expect(table).not.toContain("周文博");

    // Check the first file out to the lawyer.
    await page
      .getByTestId("paper-files")
      .locator("tr", { hasText: first!.code })
      .getByRole("button", { name: "借 出" })
      .or(page.getByTestId("paper-files").locator("tr", { hasText: first!.code }).getByRole("button", { name: "借出" }))
      .click();
    await page.getByRole("dialog").getByLabel("借阅人", { exact: true }).click();
    await page.keyboard.type(staffNameOf(lawyer));
    await option(page, staffNameOf(lawyer));
    await page.getByRole("button", { name: "登记借出" }).click();
    await expect.poll(() => page.getByTestId("paper-files").locator("tr", { hasText: first!.code }).innerText(), { timeout: 15_000 }).toContain("借出：");

    // Stocktake of the room: the second file is scanned (typed in lower case, as on a phone), the third is not.
    await page.getByRole("tab", { name: "盘点" }).click();
    await pickOption(page, "盘点范围", "A 一号档案室");
    await page.getByRole("button", { name: "开始盘点" }).click();
    const codeInput = page.getByLabel("标签编号");
    await codeInput.fill(second!.code.toLowerCase());
    await codeInput.press("Enter");
    await expect.poll(() => page.getByTestId("stocktake-scans").innerText(), { timeout: 15_000 }).toContain(second!.code);
    // A mistyped code is refused on the spot (the check character catches it).
    await codeInput.fill(`${second!.code.slice(0, -1)}${second!.code.endsWith("0") ? "1" : "0"}`);
    await codeInput.press("Enter");
    await expect.poll(() => page.getByText("不是有效的标签编号").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole("button", { name: "结束盘点并生成报告" }).click();

    const report = page.getByTestId("stocktake-report");
    await expect.poll(() => report.innerText(), { timeout: 15_000 }).toContain("借出未还 1 份");
    const words = await report.innerText();
    expect(words).toContain("缺失 1 份");
    expect(words).toContain(`${third!.code}（2026-民-0815）应在 A-01-1`);
    expect(words).toContain(`${first!.code}（2026-民-0815）借阅人 ${staffNameOf(lawyer)}`);
    expect(words).toContain("未登记或已销毁 0 个");
    expect(words).toContain("位置不符 0 份");
    expect(words).not.toContain("周文博");
    await page.screenshot({ path: `${SCREENSHOTS}paper-stocktake.png`, fullPage: true });
    expect(suite.problems).toEqual([]);
  }, 180_000);
});
