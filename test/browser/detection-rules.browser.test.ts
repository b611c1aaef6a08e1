import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS } from "../support/browser.js";
import { buildUser, staffNameOf } from "../support/factories.js";
import { auth } from "../support/http.js";

/** antd puts a space between the two characters of a two-character Chinese button label. */
const button = (label: string) => new RegExp(`^${[...label].join("\\s*")}$`);
/** An audit action as the console names it (the shared code dictionary; the code itself while the dictionary lacks it). */
const actionLabel = (code: string): string =>
  (JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/codes.json", import.meta.url), "utf8")) as { action?: Record<string, string> }).action?.[code] ??
  code;
const option = (page: Page, text: string) =>
  page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: text }).first();

describe.skipIf(!browserAvailable)("browser: detection rules, incident impact and response team", () => {
  const suite = browserSuite();
  const api = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
    suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });

  it("compliance lowers the bulk-read threshold; an invalid value shows the API's message on the field", async () => {
    const officer = await buildUser(suite.services, "compliance");
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/incidents`);
    await page.getByRole("tab", { name: "检测规则" }).click();
    // Rows by their code (data-row-key): the screen shows the rule's name only.
    const row = page.getByTestId("rules-table").locator('tr[data-row-key="bulk_read"]');
    await expect.poll(() => row.innerText()).toMatch(/批量查阅[\s\S]*已启用[\s\S]*高[\s\S]*吊销全部会话和 API 令牌[\s\S]*不同客户数上限: 100/);

    await row.getByRole("button", { name: button("编辑") }).click();
    const dialog = page.getByRole("dialog");
    const threshold = dialog.getByLabel("不同客户数上限");
    expect(await threshold.inputValue()).toBe("100");
    // Every parameter of the rule has its field: the actions as tags, by name, the window in minutes.
    const form = await dialog.getByTestId("rule-form").innerText();
    expect(form).toMatch(/计入的操作[\s\S]*时间窗口/);
    expect(form).toContain(actionLabel("client.read"));

    // The OK button keeps its fading loading icon (aria-label "loading") in its accessible name after a
    // save, so the button is found by its text.
    // 0 is below the rule's minimum: the API refuses and its translated message sits under the field.
    await threshold.fill("0");
    await dialog.locator("button", { hasText: button("保存") }).click();
    const item = dialog.locator(".ant-form-item", { has: page.getByLabel("不同客户数上限") });
    await expect.poll(() => item.innerText()).toContain("内容过短或数值过小。");
    let bulk = (await api("GET", "/detection-rules", officer.token)).json().items.find((r: { code: string }) => r.code === "bulk_read");
    expect(bulk.params.maxDistinctClients).toBe(100);

    await threshold.fill("40");
    // On a loaded machine a click can land while the dropdown still opens: pick until the select shows it.
    const severity = dialog.locator(".ant-form-item", { has: page.getByLabel("严重程度") }).locator(".ant-select-content");
    await expect
      .poll(async () => {
        if ((await severity.innerText()).trim() !== "严重") {
          await dialog.getByLabel("严重程度").click();
          await option(page, "严重").click();
        }
        return (await severity.innerText()).trim();
      })
      .toBe("严重");
    await dialog.locator("button", { hasText: button("保存") }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => row.innerText()).toMatch(/严重[\s\S]*不同客户数上限: 40/);
    expect(await row.innerText()).toContain(staffNameOf(officer));

    bulk = (await api("GET", "/detection-rules", officer.token)).json().items.find((r: { code: string }) => r.code === "bulk_read");
    expect(bulk).toMatchObject({
      enabled: true,
      severity: "critical",
      containment: "suspend_sessions_and_tokens",
      params: { actions: ["client.read"], maxDistinctClients: 40, windowMinutes: 10 },
      updatedBy: officer.actor.userId,
    });

    // off_hours gets its time zone and weekday fields.
    await page
      .getByTestId("rules-table")
      .locator('tr[data-row-key="off_hours"]')
      .getByRole("button", { name: button("编辑") })
      .click();
    await expect.poll(() => dialog.getByTestId("rule-form").innerText()).toMatch(/时区[\s\S]*工作日[\s\S]*周一[\s\S]*上班时间[\s\S]*下班时间/);
    expect(await dialog.getByLabel("上班时间").inputValue()).toBe("08:00");
    await page.locator(".ant-zoom-appear, .ant-zoom-enter").first().waitFor({ state: "detached" }); // the dialog has finished opening
    await page.screenshot({ path: `${SCREENSHOTS}detection-rules.png`, fullPage: true });
    await dialog.getByRole("button", { name: button("取消") }).click();
    expect(suite.problems).toEqual([]);
  });

  it("compliance updates an incident's impact (regraded, duties added) and adds a team member by name", async () => {
    const officer = await buildUser(suite.services, "compliance");
    const partner = await buildUser(suite.services, "partner");
    const incident = (
      await api("POST", "/incidents", officer.token, {
        source: "partner",
        category: "unauthorised_access",
        cause: "under_investigation",
        measures: [],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: false,
        euSubjects: false,
        contact: "privacy@firm.test",
      })
    ).json();
    expect(incident).toMatchObject({ severity: "low", duties: [] });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/incidents/${incident.id}`);
    await page.getByTestId("impact-update").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("受影响人数").fill("150");
    await dialog.getByLabel("涉及高度敏感信息").click();
    await dialog.locator("button", { hasText: button("保存") }).click();

    // 150 people (3 points) + L4 (1 point): critical, and the duties a critical incident owes.
    const result = page.getByTestId("impact-result");
    await expect.poll(() => result.innerText()).toMatch(/低[\s\S]*→[\s\S]*严重/);
    const after = (await api("GET", `/incidents/${incident.id}`, officer.token)).json();
    expect(after).toMatchObject({ severity: "critical", impact: { peopleAffected: 150, l4Involved: true, leftFirm: false } });
    expect(after.duties.length).toBeGreaterThan(0);
    expect(await result.innerText()).toContain(`（${after.duties.length} 项）`);
    await expect.poll(() => page.getByTestId("incident-duties").innerText()).toContain("个人信息保护法第五十七条");
    expect(await page.getByTestId("incident-detail").locator(".ant-card-head").first().innerText()).toContain("严重");

    // A team member chosen by name, with a role.
    const members = page.getByTestId("member-form");
    // On a loaded machine a click can land while the dropdown still opens: pick until the form shows it.
    await expect
      .poll(
        async () => {
          if (!(await members.innerText()).includes(staffNameOf(partner))) {
            await members.getByLabel("成员").click();
            await members.getByLabel("成员").fill("");
            await members.getByLabel("成员").pressSequentially(staffNameOf(partner).slice(0, 12));
            await option(page, staffNameOf(partner))
              .click({ timeout: 5_000 })
              .catch(() => undefined);
          }
          return members.innerText();
        },
        { timeout: 40_000 },
      )
      .toContain(staffNameOf(partner));
    await expect
      .poll(
        async () => {
          if (!(await members.innerText()).includes("法务")) {
            await members.getByLabel("角色").click();
            await option(page, "法务")
              .click({ timeout: 5_000 })
              .catch(() => undefined);
          }
          return members.innerText();
        },
        { timeout: 40_000 },
      )
      .toContain("法务");
    await members.getByRole("button", { name: "加入响应小组" }).click();
    await expect.poll(() => page.getByTestId("incident-team").innerText()).toMatch(new RegExp(`法务\\s*${staffNameOf(partner)}`));
    const team = (await api("GET", `/incidents/${incident.id}`, officer.token)).json().team;
    expect(team).toContainEqual(expect.objectContaining({ userId: partner.actor.userId, role: "legal" }));
    // The creator appears by name too, not by id.
    expect(await page.getByTestId("incident-team").innerText()).toContain(staffNameOf(officer));
    expect(suite.problems).toEqual([]);
  });
});
