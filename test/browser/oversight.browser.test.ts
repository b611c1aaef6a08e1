import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openIncident } from "../../src/response/incidents/incident-commands.js";
import { csvCell, toCsv } from "../../web/console/pages/audit/csv.js";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS, confirmUntilSent } from "../support/browser.js";
import { buildClient, buildUser, contextFor, residentId, staffNameOf, TEST_PASSWORD } from "../support/factories.js";
import { signInWithSecondFactor } from "../support/mfa-session.js";

/** Reads a JSON API answer with the page's own session cookie. */
async function apiGet<T>(page: Page, baseUrl: string, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}/api/v1${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** Clicks an option of the open antd Select dropdown by its exact text. */
async function pickOption(page: Page, text: string) {
  await page
    .locator(".ant-select-dropdown:visible .ant-select-item-option")
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) })
    .click();
}

async function downloadCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^custodia-audit-.*\.csv$/);
  return readFileSync((await download.path())!, "utf8");
}

describe.skipIf(!browserAvailable)("browser: oversight (dashboard, audit log, inventory, administration)", () => {
  const suite = browserSuite();

  it("an administrator lands on a personal page, adds a user, issues a token shown once and rotates the keys", async () => {
    const admin = await buildUser(suite.services, "admin");
    await buildUser(suite.services, "partner");
    await buildUser(suite.services, "compliance");
    // Minting a token needs a second factor proven at sign-in: the admin has an authenticator.
    const enrolled = await signInWithSecondFactor(suite.app, admin.email, suite.now);
    suite.advance(30_000); // the enrolment code's step is spent
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, admin.email, enrolled.secret!, suite.now);

    // The administrator holds no kpi.read: a personal landing instead of an error, listing what they can open.
    await page.getByTestId("landing").waitFor();
    expect(await page.getByTestId("landing").innerText()).toContain("欢迎，");
    await page.getByTestId("landing").getByText("系统管理", { exact: true }).waitFor();
    await expect.poll(() => page.locator(".ant-alert-error").count()).toBe(0);

    // Users: add one; it appears in the list and through the API.
    await page.goto(`${suite.baseUrl}/#/admin/users`);
    await page.getByTestId("users-table").waitFor();
    const email = `zhao.lvshi.${Date.now()}@firm.test`;
    await page.getByTestId("user-create").click();
    await page.getByLabel("邮箱", { exact: true }).fill(email);
    await page.getByLabel("显示名称").fill("赵婧怡");
    await page.getByLabel("角色", { exact: true }).click();
    await pickOption(page, "律师");
    await page.getByLabel("初始密码").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: /新\s*建/ }).click();
    const row = page.getByTestId("users-table").locator(".ant-table-row", { hasText: email });
    await row.waitFor();
    expect(await row.innerText()).toContain("赵婧怡");
    expect(await row.innerText()).toContain("律师");
    // A lawyer (L3) waits, disabled, for a compliance officer or partner to approve the role.
    expect(await row.getByTestId("user-pending-role").innerText()).toContain("待审批");
    const users = await apiGet<{ items: { id: string; email: string; role: string; status: string }[] }>(page, suite.baseUrl, "/users");
    const created = users.items.find((u) => u.email === email);
    expect(created).toMatchObject({ role: "lawyer", status: "disabled", pendingRole: { role: "lawyer" } });
    await page.screenshot({ path: `${SCREENSHOTS}admin-users.png` });

    // A bad password comes back as the API's field message on the form.
    await page.getByTestId("user-create").click();
    await page.getByLabel("邮箱", { exact: true }).fill(`weak.${Date.now()}@firm.test`);
    await page.getByLabel("初始密码").fill("password1234");
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await expect.poll(() => page.locator(".ant-modal .ant-form-item-explain-error").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: /取\s*消/ }).click();

    // Tokens: only for oneself; the secret is shown once, in a modal, and never listed.
    await page.getByRole("tab", { name: "API 令牌" }).click();
    await page.getByTestId("tokens-table").waitFor();
    await page.getByTestId("token-create").click();
    await page.getByLabel("令牌名称").fill("dms-sync");
    await page.getByRole("button", { name: /新\s*建/ }).click();
    const secret = (await page.getByTestId("token-secret").innerText()).trim();
    expect(secret).toMatch(/^cst_[A-Za-z0-9_-]{12}\..+/);
    await page.getByTestId("token-secret-done").click();
    // Closed, the modal leaves the page: the secret is nowhere in the DOM any more.
    await expect.poll(() => page.getByTestId("token-secret").count()).toBe(0);
    const tokenRow = page.getByTestId("tokens-table").locator(".ant-table-row", { hasText: "dms-sync" });
    await tokenRow.waitFor();
    expect(await tokenRow.innerText()).toContain(admin.email);
    expect(await tokenRow.innerText()).toContain("本人"); // issued by its owner
    expect(await page.content()).not.toContain(secret.split(".")[1]);
    const tokens = await apiGet<{ items: { id: string; userId: string; name: string }[] }>(page, suite.baseUrl, "/tokens");
    expect(tokens.items.find((t) => t.name === "dms-sync")).toMatchObject({
      userId: admin.actor.userId,
      createdBy: admin.actor.userId,
      id: secret.slice(4, 16),
    });
    expect(JSON.stringify(tokens)).not.toContain(secret.split(".")[1]);

    // Keys: rotation behind a confirmation; the active version goes up by one.
    await page.getByRole("tab", { name: "加密密钥" }).click();
    await page.getByTestId("keys-active").waitFor();
    const before = Number(/v(\d+)/.exec(await page.getByTestId("keys-active").innerText())![1]);
    await page.getByTestId("keys-rotate").click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: /确\s*定|OK/ }));
    // Rotation re-wraps every data key in one transaction: slow when the machine is loaded.
    await expect.poll(() => page.getByTestId("keys-active").innerText(), { timeout: 120_000 }).toBe(`当前版本：v${before + 1}`);
    const keys = await apiGet<{ items: { version: number; status: string }[] }>(page, suite.baseUrl, "/keys");
    expect(keys.items.find((k) => k.status === "active")?.version).toBe(before + 1);
    expect(keys.items.find((k) => k.version === before)?.status).toBe("retired");

    // Settings: read-only, the firm's time zone and the API docs.
    await page.getByRole("tab", { name: "系统设置" }).click();
    await expect.poll(() => page.getByTestId("settings").innerText()).toContain("30 分钟");
    const settings = await page.getByTestId("settings").innerText();
    expect(settings).toContain("Asia/Shanghai");
    expect(settings).toContain("/api/docs");
    expect(settings).toContain("30 分钟");
    expect(settings).toContain("12 小时");
    expect(suite.problems).toEqual([]);
  });

  it("an auditor sees the dashboard as the API reports it, the inventory, and exports a filtered audit log without personal data", async () => {
    const partner = await buildUser(suite.services, "partner");
    const compliance = await buildUser(suite.services, "compliance");
    const idNumber = residentId("19790321");
    await buildClient(suite.services, partner.actor, { name: "欧阳明轩", idNumber, phone: "13800138000", email: "ouyang@example.cn", birthDate: "1979-03-21" });
    await openIncident(suite.services, contextFor(compliance.actor, null), {
      source: "staff_report",
      category: "loss",
      cause: "lost_device",
      measures: ["device_wiped"],
      peopleAffected: 3,
      l4Involved: false,
      leftFirm: false,
      euSubjects: false,
      contact: "合规部 王主任",
    });
    const auditor = await buildUser(suite.services, "auditor");
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, auditor.email, undefined, suite.now);

    // Dashboard: the figures on the page are the API's.
    await page.getByTestId("dashboard").waitFor();
    const api = await apiGet<{
      encryptionCoverage: { value: number | null };
      openRequests: number;
      overdueRequests: number;
      openAlerts: number;
      openIncidents: number;
    }>(page, suite.baseUrl, "/kpis/dashboard");
    expect(api.openIncidents).toBeGreaterThanOrEqual(1);
    for (const key of ["openRequests", "overdueRequests", "openAlerts", "openIncidents"] as const) {
      expect(await page.getByTestId(`kpi-${key}`).locator(".ant-statistic-content-value").innerText(), key).toBe(String(api[key]));
    }
    expect(api.encryptionCoverage.value).toBe(1);
    expect(await page.getByTestId("kpi-encryption").locator(".ant-progress-indicator").innerText()).toBe("100%");
    expect(await page.getByTestId("kpi-encryption").innerText()).toContain("7 个个人信息字段中 7 个已加密存储");
    await page.screenshot({ path: `${SCREENSHOTS}dashboard.png` });

    // Inventory: the resident ID number is L4, encrypted, searchable only through a blind index.
    await page.getByRole("menuitem", { name: "数据清单" }).click();
    const idRow = page.getByTestId("inventory-table").locator('tr[data-row-key="clients.idNumber"]');
    await idRow.waitFor();
    const idText = await idRow.innerText();
    expect(idText).toContain("证件号码");
    expect(idText).toContain("L4");
    expect(idText).toContain("已加密");
    expect(idText).toContain("盲索引");
    expect(idText).toContain("身份证件");
    expect(idText).toMatch(/完整：\s*合伙人/);
    await expect.poll(() => page.locator(".ant-spin-spinning").count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}inventory.png`, fullPage: true });

    // Audit: the chain verifies; an unfiltered export carries no client names or ID numbers.
    await page.getByRole("menuitem", { name: "审计日志" }).click();
    await expect.poll(() => page.getByTestId("verify-status").innerText()).toBe("完整");
    const checked = Number(
      await page
        .getByTestId("audit-verify")
        .locator(".ant-descriptions-item", { hasText: "已校验事件数" })
        .locator(".ant-descriptions-item-content")
        .innerText(),
    );
    // The first walk's own event is placed in the log by the sequencer within about a second; a
    // later walk checks it too.
    await expect
      .poll(
        async () => {
          await page.getByTestId("verify-now").click();
          await expect.poll(() => page.getByTestId("verify-status").innerText()).toBe("完整");
          return Number(
            await page
              .getByTestId("audit-verify")
              .locator(".ant-descriptions-item", { hasText: "已校验事件数" })
              .locator(".ant-descriptions-item-content")
              .innerText(),
          );
        },
        { timeout: 30_000, interval: 1500 },
      )
      .toBeGreaterThan(checked);
    await expect.poll(() => page.getByTestId("audit-table").locator(".ant-table-row", { hasText: "新建客户" }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator(".ant-spin-spinning").count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}audit-explorer.png` });
    const all = await downloadCsv(page);
    expect(all).toContain("client.create");
    for (const personal of ["欧阳明轩", idNumber, "13800138000", "ouyang@example.cn"]) expect(all).not.toContain(personal);

    // Filter by action and outcome: only the auditor's own inventory read, in the table and the CSV.
    // The action by its label; the code typed finds it too.
    await page.getByLabel("操作类型").fill("inventory.read");
    await pickOption(page, "查看数据清单");
    await page.getByLabel("结果", { exact: true }).click();
    await pickOption(page, "成功");
    await page.getByTestId("audit-search").click();
    await expect.poll(() => page.getByTestId("audit-count").innerText()).toBe("已加载 1 条事件");
    const rows = page.getByTestId("audit-table").locator(".ant-table-row");
    // The actor by name (the staff directory's), marked as the reader; the full id stays on the element for copying.
    await expect
      .poll(() => rows.first().locator(`[data-staff-id="${auditor.actor.userId}"]`).innerText())
      .toMatch(new RegExp(`^${staffNameOf(auditor)}\\s*本人$`));
    expect(await rows.first().innerText()).not.toContain(auditor.actor.userId);
    expect(await rows.first().innerText()).toContain("审计员");
    const csv = (await downloadCsv(page)).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("seq,at_utc,actor_role,actor,action,action_label,target_type,target_id,purpose,outcome,reason,reason_label,request_id");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,auditor,${staffNameOf(auditor)},inventory.read,查看数据清单,,,,success,`);
    expect(lines[1]).not.toContain(auditor.actor.userId);
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(suite.problems).toEqual([]);
  });

  it("a paralegal's landing lists what the role may do; the audit screen is not offered", async () => {
    const paralegal = await buildUser(suite.services, "paralegal");
    const page = await suite.newPage({ lang: "en" });
    await signIn(page, suite.baseUrl, paralegal.email, undefined, suite.now);
    await page.getByTestId("landing").waitFor();
    expect(await page.getByTestId("landing").innerText()).toContain("Welcome, Paralegal");
    expect(await page.getByRole("menuitem", { name: "Audit log" }).count()).toBe(0);
    await page.goto(`${suite.baseUrl}/#/audit`);
    await expect.poll(() => page.getByText("This page does not exist or you may not open it").isVisible()).toBe(true);
    expect(suite.problems).toEqual([]);
  });
});

describe("audit CSV export cells", () => {
  it("quotes separators and quotes, and defuses spreadsheet formulas", () => {
    expect(csvCell("client.read")).toBe("client.read");
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    for (const formula of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd"]) expect(csvCell(formula).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell("=1,2")).toBe(`"'=1,2"`);
    expect(toCsv(["a", "b"], [["=x", null]])).toBe("\uFEFFa,b\r\n'=x,\r\n");
  });
});
