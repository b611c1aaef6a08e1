/**
 * Pickers (issue #15): a lawyer finds a client by typing the surname, picks it, and the screen
 * shows the client's name, not its id; a client walled from the lawyer never appears in the picker.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createWall } from "../../src/access/walls/wall-creator.js";
import { browserAvailable, browserSuite, signIn } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, contextFor } from "../support/factories.js";

const WAIT = { timeout: 30_000 };
const visibleOptions = (page: Page) => page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option");

async function declarePurpose(page: Page) {
  await page.getByTestId("purpose-select").click();
  await visibleOptions(page).filter({ hasText: "案件办理" }).first().click();
}

describe.skipIf(!browserAvailable)("browser: pickers", () => {
  const suite = browserSuite();

  it("a lawyer finds a client by surname, picks it and sees its name, never its id; a walled client is never offered", async () => {
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const compliance = await buildUser(suite.services, "compliance");
    const nana = await buildClient(suite.services, partner.actor, { name: "欧阳娜娜", phone: "13800001234" });
    const feng = await buildClient(suite.services, partner.actor, { name: "欧阳锋", phone: "13800005678" });
    const team = [{ userId: lawyer.actor.userId, role: "member" as const }];
    const matter = await buildMatter(suite.services, partner.actor, nana.id, team, { title: "欧阳娜娜诉某公司劳动争议" });
    await buildMatter(suite.services, partner.actor, feng.id, team);
    await createWall(suite.services, contextFor(compliance.actor, null), {
      reason: "conflict_of_interest",
      clientIds: [feng.id],
      screenedUserIds: [lawyer.actor.userId],
    });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await declarePurpose(page);
    await page.goto(`${suite.baseUrl}/#/approvals/new`);
    const picker = page.getByLabel("委托人", { exact: true });
    const dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
    // Typing the walled client's full name finds nothing.
    await picker.click();
    await picker.pressSequentially("欧阳锋", { delay: 50 });
    await expect.poll(() => dropdown.locator(".ant-select-item-empty").innerText(), WAIT).toContain("没有找到您可查看的客户");
    await picker.press("Backspace");
    // The surname: the lawyer (clearance 3) sees the phone's tail to tell namesakes apart; the walled 欧阳锋 is not offered.
    await expect.poll(() => visibleOptions(page).allInnerTexts(), WAIT).toEqual(["欧阳娜娜 · …1234"]);
    await visibleOptions(page).first().click();
    await expect.poll(() => page.getByTestId("client-picker").innerText(), WAIT).toContain("欧阳娜娜");
    expect(await page.getByTestId("client-picker").innerText()).not.toContain(nana.id);

    // The matter picker finds the matter by its title; the request then shows client and matter by name.
    const matterPicker = page.getByLabel("案件", { exact: true });
    await matterPicker.click();
    await matterPicker.pressSequentially("欧阳娜娜诉", { delay: 50 });
    await expect.poll(() => visibleOptions(page).allInnerTexts(), WAIT).toEqual([`${matter.number} · 欧阳娜娜诉某公司劳动争议`]);
    await visibleOptions(page).first().click();
    await page.getByLabel("关联单号").fill("TICKET-2026-0415");
    await page.getByLabel("授权时长", { exact: true }).click();
    await visibleOptions(page).filter({ hasText: "4 小时" }).first().click();
    await page.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => page.getByTestId("approval-status").innerText(), WAIT).toBe("待审批");
    await expect.poll(() => page.getByTestId("client-chip").innerText(), WAIT).toBe("欧阳娜娜");
    await expect.poll(() => page.getByTestId("matter-chip").innerText(), WAIT).toBe(`欧阳娜娜 · ${matter.number}`);
    const body = await page.locator("main").innerText();
    expect(body).not.toContain(nana.id);
    expect(body).not.toContain(matter.id);
    expect(await page.getByTestId("client-chip").locator("a").getAttribute("href")).toBe(`#/clients/${nana.id}`);
    expect(suite.problems, suite.problems.join("\n")).toEqual([]);
  });
});
