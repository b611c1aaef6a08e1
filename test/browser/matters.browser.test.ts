import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openBreakGlassAccess } from "../../src/access/break-glass/break-glass-commands.js";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS, confirmUntilSent } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, contextFor, staffNameOf } from "../support/factories.js";

/** As web/shared/format.ts shows times: the firm's zone, zh-CN. */
const shown = (iso: string) =>
  new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(
    new Date(iso),
  );

async function apiGet<T>(page: Page, baseUrl: string, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}/api/v1${path}`, { headers: { "x-purpose": "case-handling" } });
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** A visible option of the open antd Select (antd 6 gives role="option" only to its hidden accessibility list). */
const option = (page: Page, title: string) =>
  page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]`).click();

/**
 * Picks an option and checks the select now shows it, trying again if not: on a loaded machine a
 * click can land while the dropdown is still sliding in, on the option next to the one meant.
 */
async function pickOption(page: Page, label: string, title: string) {
  const select = page.getByLabel(label, { exact: true });
  // The select's root shows the picked option's title (antd 6: `.ant-select-content[title]`).
  const shown = select.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' ant-select ')][1]").locator(`[title="${title}"]`);
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    await option(page, title);
    const picked = await expect
      .poll(() => shown.count(), { timeout: 3_000 })
      .toBeGreaterThan(0)
      .then(
        () => true,
        () => false,
      );
    if (picked) return;
  }
  throw new Error(`${label}: could not pick ${title}`);
}

async function declarePurpose(page: Page) {
  await page.getByTestId("purpose-select").click();
  await option(page, "案件办理");
}

describe.skipIf(!browserAvailable)("browser: matters, ethical walls, approvals, break-glass review", () => {
  const suite = browserSuite();

  it("a partner opens a matter and staffs a lawyer, who then sees it; a wall screening the lawyer hides it again", async () => {
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const client = await buildClient(suite.services, partner.actor, { name: "陈思远" });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, partner.email, undefined, suite.now);
    await declarePurpose(page);

    // Open a matter for the client (the client's id arrives in the route, as from the client's page).
    await page.goto(`${suite.baseUrl}/#/matters/new/${client.id}`);
    // The prefilled client shows by name in its picker, never as its id.
    await expect.poll(() => page.getByTestId("client-picker").innerText(), { timeout: 15_000 }).toContain("陈思远");
    expect(await page.getByTestId("client-picker").innerText()).not.toContain(client.id);
    await page.getByLabel("案号").fill("2026-劳-0917");
    await page.getByLabel("案件名称").fill("陈思远诉某科技公司劳动争议仲裁");
    await pickOption(page, "业务领域", "劳动人事");
    await page.getByRole("button", { name: "创建案件" }).click();
    await expect.poll(() => page.getByTestId("matter-number").textContent()).toBe("2026-劳-0917");
    const matterId = /#\/matters\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    expect(matterId).toBeTruthy();
    expect(await page.getByTestId("matter-title").textContent()).toBe("陈思远诉某科技公司劳动争议仲裁");

    // The responsible partner is shown by name, marked as the reader.
    await expect.poll(() => page.getByTestId("matter-partner").innerText()).toMatch(new RegExp(`^${staffNameOf(partner)}\\s*本人$`));
    // Add the lawyer to the team, chosen by name from the staff directory (typed to filter).
    await page.getByLabel("成员", { exact: true }).fill(staffNameOf(lawyer));
    await option(page, `${staffNameOf(lawyer)} · 律师`);
    await page.getByRole("button", { name: "添加成员" }).click();
    await expect.poll(() => page.getByTestId("matter-team").locator(".ant-table-row").count()).toBe(2);
    const lawyerRow = page.getByTestId("matter-team").locator(`[data-staff-id="${lawyer.actor.userId}"]`);
    await expect.poll(() => lawyerRow.innerText()).toBe(staffNameOf(lawyer));
    const staffed = await apiGet<{ team: { userId: string; role: string }[]; practiceArea: string; responsiblePartnerId: string }>(
      page,
      suite.baseUrl,
      `/matters/${matterId}`,
    );
    expect(staffed.practiceArea).toBe("labour");
    expect(staffed.responsiblePartnerId).toBe(partner.actor.userId);
    expect(staffed.team).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: partner.actor.userId, role: "lead" }),
        expect.objectContaining({ userId: lawyer.actor.userId, role: "member" }),
      ]),
    );
    await page.locator(".ant-message-notice").first().waitFor({ state: "detached" });
    await page.screenshot({ path: `${SCREENSHOTS}matters-detail.png`, fullPage: true });

    // The lawyer, in a browser of their own, finds the matter in their list.
    const lawyerPage = await suite.newPage();
    await signIn(lawyerPage, suite.baseUrl, lawyer.email, undefined, suite.now);
    await declarePurpose(lawyerPage);
    await lawyerPage.goto(`${suite.baseUrl}/#/matters`);
    await expect.poll(() => lawyerPage.getByTestId("matter-list").innerText()).toContain("2026-劳-0917");
    expect(await lawyerPage.getByTestId("matter-list").innerText()).toContain("团队成员");

    // The partner raises a wall from the matter page: the matter comes prefilled, the lawyer is screened.
    await page.getByRole("button", { name: "设立隔离墙" }).click();
    await expect.poll(() => page.getByRole("dialog").isVisible()).toBe(true);
    await page.getByLabel("备案编号").fill("CONF-2026-017");
    await page.getByLabel("被隔离人员", { exact: true }).fill(staffNameOf(lawyer));
    await option(page, `${staffNameOf(lawyer)} · 律师`);
    await page.keyboard.press("Escape");
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /^设\s*立$/ })
      .click();
    await expect.poll(() => page.getByTestId("wall-screened").locator(`[data-staff-id="${lawyer.actor.userId}"]`).innerText()).toBe(staffNameOf(lawyer));
    const walls = await apiGet<{ items: { id: string; matterIds: string[]; screenedUserIds: string[]; reference: string }[] }>(page, suite.baseUrl, "/walls");
    expect(walls.items).toEqual([expect.objectContaining({ matterIds: [matterId], screenedUserIds: [lawyer.actor.userId], reference: "CONF-2026-017" })]);
    await page.goto(`${suite.baseUrl}/#/walls`);
    await expect.poll(() => page.getByTestId("wall-list").innerText()).toContain("CONF-2026-017");
    expect(await page.getByTestId("wall-list").innerText()).toContain("利益冲突");
    // Screened user and owner (the partner, by default) by name.
    await expect.poll(() => page.getByTestId("wall-list").innerText()).toContain(staffNameOf(lawyer));
    await expect
      .poll(() => page.getByTestId("wall-list").locator(`[data-staff-id="${partner.actor.userId}"]`).innerText())
      .toMatch(new RegExp(`^${staffNameOf(partner)}\\s*本人$`));
    await page.locator(".ant-message-notice").first().waitFor({ state: "detached" });
    await page.screenshot({ path: `${SCREENSHOTS}walls.png`, fullPage: true });

    // Behind the wall the matter is gone from the lawyer's list, and its page does not open.
    await lawyerPage.reload();
    await expect.poll(() => lawyerPage.getByTestId("matter-list").innerText()).toContain("暂无可查看的案件");
    await lawyerPage.goto(`${suite.baseUrl}/#/matters/${matterId}`);
    await expect.poll(() => lawyerPage.getByText("无法打开该案件").isVisible()).toBe(true);

    // The owner lifts the wall with a reason code; the lawyer sees the matter again.
    await page.goto(`${suite.baseUrl}/#/walls/${walls.items[0]!.id}`);
    await page.getByRole("button", { name: "撤除隔离墙" }).click();
    await page.getByRole("dialog").locator(".ant-select").first().click();
    await option(page, "案件已结束");
    await page.getByRole("dialog").getByRole("button", { name: "撤除隔离墙" }).click();
    await expect.poll(() => page.getByTestId("wall-lifted-at").isVisible()).toBe(true);
    expect((await apiGet<{ items: { liftedAt: string | null }[] }>(page, suite.baseUrl, "/walls")).items[0]!.liftedAt).not.toBeNull();
    await lawyerPage.reload();
    await expect.poll(() => lawyerPage.getByTestId("matter-team").isVisible()).toBe(true);

    // The partner removes the lawyer from the team and closes the matter.
    await page.goto(`${suite.baseUrl}/#/matters/${matterId}`);
    await expect.poll(() => page.getByTestId("matter-team").locator(".ant-table-row").count()).toBe(2);
    await page
      .getByTestId("matter-team")
      .locator(".ant-table-row")
      .filter({ hasText: staffNameOf(lawyer) })
      .getByRole("button", { name: "移出团队" })
      .click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm", { hasText: "确认将该成员移出团队？" }).getByRole("button", { name: /确\s*定|OK/ }));
    await expect.poll(() => page.getByTestId("matter-team").locator(".ant-table-row").count()).toBe(1);
    await page.getByRole("button", { name: /^结\s*案$/ }).click();
    // The popconfirm of this step, not the previous one still fading out under load.
    await confirmUntilSent(page, page.locator(".ant-popconfirm", { hasText: "确认结案？" }).getByRole("button", { name: /确\s*定|OK/ }));
    await expect.poll(() => page.getByText("案件已结案，团队不可再调整。").isVisible()).toBe(true);
    const closed = await apiGet<{ status: string; closedAt: string | null; team: { userId: string }[] }>(page, suite.baseUrl, `/matters/${matterId}`);
    expect(closed.status).toBe("closed");
    expect(closed.closedAt).not.toBeNull();
    expect(closed.team.map((m) => m.userId)).toEqual([partner.actor.userId]);
    expect(suite.problems).toEqual([]);
  });

  it("a lawyer asks for an export approval, cannot approve it themselves, compliance approves it and the grant's expiry shows; compliance reviews a break-glass access", async () => {
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const compliance = await buildUser(suite.services, "compliance");
    const client = await buildClient(suite.services, partner.actor, { name: "刘雨桐" });
    const matter = await buildMatter(suite.services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }]);

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await declarePurpose(page);
    await page.goto(`${suite.baseUrl}/#/matters/${matter.id}`);
    await page.getByRole("button", { name: "申请审批" }).click();
    await expect.poll(() => page.getByTestId("client-picker").innerText(), { timeout: 15_000 }).toContain("刘雨桐");
    await expect.poll(() => page.getByTestId("matter-picker").innerText(), { timeout: 15_000 }).toContain(matter.number);
    await page.getByLabel("关联单号").fill("TICKET-2026-0042");
    await pickOption(page, "授权时长", "4 小时");
    await page.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => page.getByTestId("approval-status").innerText()).toBe("待审批");
    const approvalId = /#\/approvals\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    expect(approvalId).toBeTruthy();

    // Four-eyes: the requester's own approval is refused with the API's message.
    await page.getByRole("button", { name: /^批\s*准$/ }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: /确\s*定|OK/ }));
    await expect.poll(() => page.getByTestId("approval-error").innerText()).toContain("不能批准或驳回本人提交的申请。");
    expect((await apiGet<{ status: string }>(page, suite.baseUrl, `/approvals/${approvalId}`)).status).toBe("pending");

    // Compliance finds it waiting for their decision (with the approval-compliance KPI) and approves it.
    const reviewer = await suite.newPage();
    await signIn(reviewer, suite.baseUrl, compliance.email, undefined, suite.now);
    await reviewer.goto(`${suite.baseUrl}/#/approvals`);
    await expect.poll(() => reviewer.getByTestId("approval-kpi").isVisible()).toBe(true);
    await reviewer.getByRole("tab", { name: "待我审批" }).click();
    await expect.poll(() => reviewer.getByTestId("approvals-to_decide").locator(".ant-table-row").count()).toBe(1);
    await expect
      .poll(() => reviewer.getByTestId("approvals-to_decide").locator(`[data-staff-id="${lawyer.actor.userId}"]`).innerText())
      .toBe(staffNameOf(lawyer));
    expect(await reviewer.getByTestId("approvals-to_decide").innerText()).toContain("4 小时");
    await reviewer.waitForTimeout(500); // the tab's fade-in, so the screenshot shows the row at full contrast
    await reviewer.screenshot({ path: `${SCREENSHOTS}approvals-inbox.png`, fullPage: true });
    await reviewer.getByTestId("approvals-to_decide").getByText("导出数据").click();
    await reviewer.getByRole("button", { name: /^批\s*准$/ }).click();
    await confirmUntilSent(reviewer, reviewer.locator(".ant-popconfirm").getByRole("button", { name: /确\s*定|OK/ }));
    await expect.poll(() => reviewer.getByTestId("approval-status").innerText()).toBe("已批准");
    const approved = await apiGet<{
      status: string;
      decisions: { approverId: string; slot: string }[];
      grant: { expiresAt: string; startsAt: string; current: boolean } | null;
    }>(reviewer, suite.baseUrl, `/approvals/${approvalId}`);
    expect(approved.status).toBe("approved");
    expect(approved.decisions).toEqual([expect.objectContaining({ approverId: compliance.actor.userId, slot: "approver" })]);
    expect(approved.grant?.current).toBe(true);
    expect(Date.parse(approved.grant!.expiresAt) - Date.parse(approved.grant!.startsAt)).toBe(4 * 3_600_000);
    expect(await reviewer.getByTestId("grant-expires").innerText()).toBe(shown(approved.grant!.expiresAt));
    await expect.poll(() => reviewer.getByTestId("grant-countdown").innerText()).toMatch(/0[34]:[0-5]\d:[0-5]\d/);

    // The requester sees the decision and the grant's expiry with a countdown.
    await page.reload();
    await expect.poll(() => page.getByTestId("approval-status").innerText()).toBe("已批准");
    expect(await page.getByTestId("grant-expires").innerText()).toBe(shown(approved.grant!.expiresAt));
    expect(await page.getByTestId("approval-decisions").innerText()).toContain("批准");
    await expect
      .poll(() => page.getByTestId("approval-decisions").locator(`[data-staff-id="${compliance.actor.userId}"]`).innerText())
      .toBe(staffNameOf(compliance));
    await page.goto(`${suite.baseUrl}/#/approvals`);
    await expect.poll(() => page.getByTestId("approvals-mine").innerText()).toContain(shown(approved.grant!.expiresAt));
    // A lawyer may not read the KPI: the card is simply absent.
    expect(await page.getByTestId("approval-kpi").count()).toBe(0);

    // Break-glass: the lawyer's emergency access waits in compliance's queue and is reviewed there.
    const access = await openBreakGlassAccess(suite.services, contextFor(lawyer.actor, null), client.id, {
      justification: "court_deadline",
      reference: "INC-2026-0007",
    });
    await reviewer.goto(`${suite.baseUrl}/#/break-glass`);
    await expect.poll(() => reviewer.getByTestId("break-glass-queue").innerText()).toContain("INC-2026-0007");
    expect(await reviewer.getByTestId("break-glass-queue").innerText()).toContain("法院期限迫近");
    await expect
      .poll(() => reviewer.getByTestId("break-glass-queue").locator(`[data-staff-id="${lawyer.actor.userId}"]`).innerText())
      .toBe(staffNameOf(lawyer));
    await reviewer
      .getByTestId("break-glass-queue")
      .getByRole("button", { name: /^复\s*核$/ })
      .click();
    await reviewer.getByRole("dialog").getByLabel("认可", { exact: true }).check();
    await reviewer.getByRole("button", { name: "提交复核" }).click();
    await expect.poll(() => reviewer.getByTestId("break-glass-queue").innerText()).toContain("暂无待复核的紧急访问");
    const queue = await apiGet<{ items: { id: string }[] }>(reviewer, suite.baseUrl, "/break-glass");
    expect(queue.items.map((i) => i.id)).not.toContain(access.id);
    expect(suite.problems).toEqual([]);
  });
});
