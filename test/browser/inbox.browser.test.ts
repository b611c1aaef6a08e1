import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDate } from "../../web/shared/format.js";
import { browserAvailable, browserSuite, pick, SCREENSHOTS, signIn, confirmUntilSent } from "../support/browser.js";
import { buildUser, type TestUser } from "../support/factories.js";
import { auth } from "../support/http.js";

/** antd puts a space between the two characters of a two-character Chinese button label. */
const button = (label: string) => new RegExp(`^${[...label].join("\\s*")}$`);

const INCIDENT = {
  source: "staff_report",
  category: "unauthorised_access",
  cause: "insider_misuse",
  measures: ["access_restricted"],
  peopleAffected: 1,
  l4Involved: false,
  leftFirm: false,
  euSubjects: false,
  contact: "privacy@firm.test",
};

describe.skipIf(!browserAvailable)("browser: internal reports, complaints, notifications and channels", () => {
  const suite = browserSuite();
  const api = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
    suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });
  let officer: TestUser;
  let lawyer: TestUser;
  let reportId: string;
  let officerSecret: string | undefined;
  const signInOfficer = async (page: Page) => {
    // A TOTP code is accepted once: the next sign-in waits for the next time step.
    if (officerSecret) suite.advance(31_000);
    officerSecret = await signIn(page, suite.baseUrl, officer.email, officerSecret, suite.now);
  };

  it("a lawyer files a report; compliance finds it in triage, reads it and links it to an incident", async () => {
    officer = await buildUser(suite.services, "compliance");
    lawyer = await buildUser(suite.services, "lawyer");
    await suite.services.engine.db.updateTable("users").set({ display_name: "赵律师" }).where("id", "=", lawyer.actor.userId).execute();

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await page.getByRole("menuitem", { name: "违规举报" }).click();
    // A lawyer files; there is no triage tab for them.
    expect(await page.getByRole("tab", { name: "举报处理" }).count()).toBe(0);
    await pick(page, page, "违规类型", "信息被带出本所");
    await page.getByLabel("情况说明").fill("11月20日晚，看到同组同事把一位客户的整个卷宗拷到个人U盘带走。");
    await page.getByRole("button", { name: "提交举报" }).click();
    await expect.poll(() => page.getByTestId("report-filed").innerText()).toContain("合规部门将与您跟进");
    // And one anonymously.
    await pick(page, page, "违规类型", "共用账户凭证");
    await page.getByLabel("情况说明").fill("前台电脑上贴着一个共用账户的密码。");
    await page.getByLabel("匿名举报").click();
    await expect.poll(() => page.getByText("任何人都无法看到举报人").isVisible()).toBe(true);
    await page.getByRole("button", { name: "提交举报" }).click();
    await expect.poll(() => page.getByTestId("report-filed").innerText()).toContain("本举报不含举报人信息");

    const incident = (await api("POST", "/incidents", officer.token, INCIDENT)).json() as { id: string };
    const officerPage = await suite.newPage();
    await signInOfficer(officerPage);
    await officerPage.goto(`${suite.baseUrl}/#/report/triage`);
    const table = officerPage.getByTestId("reports-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(2);
    // Row by row: an anonymous report's time holds the hour only, so the two may sort either way.
    expect(await table.locator("tr", { hasText: "赵律师" }).innerText()).toMatch(/信息被带出本所[\s\S]*待处理/);
    expect(await table.locator("tr", { hasText: "匿名" }).innerText()).toMatch(/共用账户凭证[\s\S]*待处理/);
    await table.locator("tr", { hasText: "赵律师" }).click();
    await expect.poll(() => officerPage.getByTestId("report-description").innerText()).toContain("拷到个人U盘带走");
    reportId = /#\/report\/([0-9a-f-]{36})/.exec(officerPage.url())![1]!;

    await pick(officerPage, officerPage, "状态", "调查中");
    await pick(officerPage, officerPage, "关联安全事件", incident.id.slice(-8));
    await officerPage.getByLabel("添加调查备注").fill("已调取门禁与USB日志。");
    await officerPage.getByRole("button", { name: button("保存") }).click();
    await expect.poll(() => officerPage.getByTestId("report-incident").innerText()).toBe(`…${incident.id.slice(-8)}`);
    expect(await officerPage.getByTestId("report-notes").innerText()).toContain("已调取门禁与USB日志。");
    const stored = (await api("GET", `/reports/${reportId}`, officer.token)).json();
    expect(stored).toMatchObject({
      status: "investigating",
      incidentId: incident.id,
      reporterId: lawyer.actor.userId,
      notes: [{ authorId: officer.actor.userId, text: "已调取门禁与USB日志。" }],
    });
    expect(suite.problems).toEqual([]);
  });

  it("compliance records a complaint received by phone and answers it; the register shows the SLA date", async () => {
    const page = await suite.newPage();
    await signInOfficer(page);
    await page.goto(`${suite.baseUrl}/#/complaints`);
    await page.getByRole("button", { name: "登记投诉" }).click();
    const dialog = page.getByRole("dialog");
    await pick(page, dialog, "事项", "个人信息处理");
    await dialog.getByLabel("投诉内容").fill("来电称其离婚案件材料被寄到了单位地址。");
    await dialog.getByLabel("电子邮箱").fill("complainant.sun@example.cn");
    await dialog.getByLabel("电话").fill("13700001111");
    await dialog.getByRole("button", { name: button("提交") }).click();

    await expect.poll(() => page.getByTestId("complaint-detail").isVisible()).toBe(true);
    const complaintId = /#\/complaints\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const filed = (await api("GET", `/complaints/${complaintId}`, officer.token)).json();
    expect(filed).toMatchObject({
      channel: "staff",
      category: "data_handling",
      status: "open",
      email: "complainant.sun@example.cn",
      phone: "13700001111",
      filedBy: officer.actor.userId,
    });
    expect(await page.getByTestId("complaint-sla").innerText()).toContain(formatDate(filed.slaDueAt, "zh-CN"));
    expect(await page.getByTestId("complaint-detail").innerText()).toContain("complainant.sun@example.cn");

    await page.getByLabel("答复内容").fill("您好：经核查，本所已更正寄送地址，并对经办人员进行了提醒。");
    await page.getByRole("button", { name: "记录答复" }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: button("提交") }));
    await expect.poll(() => page.getByTestId("complaint-status").innerText()).toBe("已答复");
    expect(await page.getByTestId("complaint-response").innerText()).toMatch(/已发送邮件[\s\S]*本所已更正寄送地址/);
    const answered = (await api("GET", `/complaints/${complaintId}`, officer.token)).json();
    expect(answered).toMatchObject({
      status: "responded",
      response: { by: officer.actor.userId, emailed: true, text: "您好：经核查，本所已更正寄送地址，并对经办人员进行了提醒。" },
    });

    // A second, by letter without contact details; the register lists both, newest first, with SLA dates.
    await api("POST", "/complaints", officer.token, { category: "service", description: "来信反映律师长期未回复。", language: "zh-CN" });
    await page.getByRole("button", { name: "返回登记簿" }).click();
    const register = page.getByTestId("complaints-table");
    await expect.poll(() => register.locator("tbody tr").count()).toBe(2);
    expect(await register.innerText()).toMatch(/服务[\s\S]*待处理[\s\S]*个人信息处理[\s\S]*已答复/);
    expect(await register.innerText()).toContain(formatDate(filed.slaDueAt, "zh-CN"));
    expect(await register.innerText()).not.toContain("complainant.sun@example.cn");
    await expect.poll(() => page.locator(".ant-message-notice").count(), { timeout: 10_000 }).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}complaints.png`, fullPage: true });
    expect(suite.problems).toEqual([]);
  });

  it("a webhook is registered and its secret shown once; a subscription brings a notification to the bell, marked read there", async () => {
    const page = await suite.newPage();
    await signInOfficer(page);
    await page.goto(`${suite.baseUrl}/#/accountability/channels`);

    await page.getByLabel("地址").fill("https://siem.firm.test/custodia");
    await page.locator("#webhook_events").click();
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: "安全事件已立案" }).first().click();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: button("注册") }).click();
    const secret = (await page.getByTestId("webhook-secret").innerText()).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await page.getByText("签名密钥仅此一次显示").isVisible()).toBe(true);
    await page.getByRole("button", { name: "我已保存" }).click();
    await expect.poll(() => page.getByTestId("webhooks-table").innerText()).toContain("https://siem.firm.test/custodia");
    // Never again: not on the page, not in the list the API gives.
    await expect.poll(() => page.getByTestId("webhook-secret").count()).toBe(0);
    expect((await page.content()).includes(secret)).toBe(false);
    const hooks = await api("GET", "/webhooks", officer.token);
    expect(hooks.body).not.toContain(secret);
    expect(hooks.json().items).toMatchObject([{ url: "https://siem.firm.test/custodia", events: ["incident.opened"], active: true }]);

    // The officer subscribes themselves to new incidents.
    const subscriptions = page.getByTestId("subscriptions-table");
    await page.locator("#subscription_userId").click();
    await page
      .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: officer.email.split("@")[0]! })
      .first()
      .click();
    await page.locator("#subscription_event").click();
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: "安全事件已立案" }).first().click();
    await page.getByRole("button", { name: button("订阅") }).click();
    await expect.poll(() => subscriptions.innerText()).toContain("安全事件已立案");

    const bell = page.getByTestId("notification-bell");
    expect(await page.locator(".ant-badge", { has: bell }).locator(".ant-badge-count").count()).toBe(0);
    const incident = (await api("POST", "/incidents", officer.token, INCIDENT)).json() as { id: string };
    await page.reload();
    await expect.poll(() => page.locator(".ant-badge", { has: bell }).locator(".ant-badge-count").innerText()).toBe("1");
    await bell.click();
    const item = page.getByTestId("notification-item");
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toMatch(/安全事件已立案[\s\S]*低 · 未经授权的访问/);
    await page.waitForTimeout(500); // the drawer slides in
    await page.screenshot({ path: `${SCREENSHOTS}notifications.png` });
    await item.getByRole("button", { name: "标为已读" }).click();
    await expect.poll(() => page.locator(".ant-badge", { has: bell }).locator(".ant-badge-count").count()).toBe(0);
    const mine = (await api("GET", "/notifications", officer.token)).json().items;
    expect(mine).toMatchObject([{ kind: "incident.opened", readAt: expect.any(String), payload: { data: { incidentId: incident.id } } }]);
    // The record it names is one click away.
    await page.getByText(button("全部")).click();
    await item.getByRole("button", { name: "查看记录" }).click();
    await expect.poll(() => page.url()).toContain(`#/incidents/${incident.id}`);

    // The webhook queued a signed delivery for the same event: the delivery log shows it.
    await page.goto(`${suite.baseUrl}/#/accountability/channels`);
    await page.getByTestId("webhooks-table").getByRole("button", { name: "推送记录" }).click();
    await expect.poll(() => page.getByTestId("deliveries-table").innerText()).toMatch(/安全事件已立案[\s\S]*(重试中|已放弃|已送达)/);
    expect(suite.problems).toEqual([]);
  });

  it("compliance records a sanction linked to the report and a drill, choosing people by name", async () => {
    const page = await suite.newPage();
    await signInOfficer(page);
    await page.goto(`${suite.baseUrl}/#/accountability`);
    await page.getByRole("button", { name: "记录处理决定" }).click();
    const dialog = page.getByRole("dialog");
    await pick(page, dialog, "人员", "赵律师 · 律师");
    await pick(page, dialog, "违反的规定", "数据导出");
    await pick(page, dialog, "处理措施", "重新培训");
    await dialog.getByLabel("决定日期").fill("2026-11-24");
    // The report is chosen by what a person knows of it: its type and who filed it.
    await pick(page, dialog, "内部举报", /^信息被带出本所 · 赵律师 · /);
    await dialog.getByRole("button", { name: button("提交") }).click();
    await expect
      .poll(() => page.getByTestId("accountability-table").innerText())
      .toMatch(/2026-11-24[\s\S]*赵律师[\s\S]*数据导出[\s\S]*重新培训[\s\S]*信息被带出本所 · 赵律师/);
    expect(await page.getByTestId("accountability-table").innerText()).not.toContain(reportId);
    const records = (await api("GET", "/accountability-records", officer.token)).json().items;
    expect(records).toMatchObject([
      { userId: lawyer.actor.userId, ruleCode: "data_export", sanction: "training", decidedOn: "2026-11-24", reportId, recordedBy: officer.actor.userId },
    ]);

    await page.getByRole("tab", { name: "应急演练" }).click();
    await page.getByRole("button", { name: "记录演练" }).click();
    const drill = page.getByRole("dialog");
    await pick(page, drill, "演练场景", "内部人员批量导出");
    await drill.getByLabel("演练日期").fill("2026-11-18");
    await pick(page, drill, "参加人员", "赵律师");
    await drill.getByLabel("发现的问题").fill("导出审批链路未覆盖夜间时段，需补充告警规则。");
    await drill.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => page.getByTestId("drills-table").innerText()).toMatch(/2026-11-18[\s\S]*内部人员批量导出[\s\S]*赵律师[\s\S]*导出审批链路/);
    expect(suite.problems).toEqual([]);
  });
});
