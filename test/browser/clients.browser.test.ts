import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { searchClients } from "../../src/records/clients/client-searcher.js";
import { usccCheckChar } from "../../src/records/clients/identifiers.js";
import { listConsents } from "../../src/rights/consent/consent-queries.js";
import { MESSAGES } from "../../src/platform/i18n/messages.js";
import { draftNotice, publishNotice } from "../../src/rights/notices/notice-commands.js";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, clientInput, contextFor, residentId, staffNameOf } from "../support/factories.js";

const ZH = MESSAGES["zh-CN"];
const PERSONAL = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;

interface ApiClient {
  id: string;
  name: string;
  access: { decision: string; reason: string; maskedFields: string[] };
  [field: string]: unknown;
}

/**
 * Clicks a visible option of the open antd Select dropdown. (antd 6 gives role="option" only to its
 * hidden accessibility list, so getByRole("option") resolves to an element that never shows.)
 */
const option = (page: Page, title: string) =>
  page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]`).click();

/** Picks options of the antd Select labelled `label` (the dropdown stays open for multi-selects). */
async function pick(page: Page, label: string, options: string[]) {
  await page.getByLabel(label, { exact: true }).click();
  for (const title of options) await option(page, title);
  await page.keyboard.press("Escape");
}

async function declarePurpose(page: Page) {
  await page.getByTestId("purpose-select").click();
  await option(page, "案件办理");
}

/** What the API returns for this reader, with the same purpose the page declared. */
async function apiRead(page: Page, baseUrl: string, id: string): Promise<ApiClient> {
  const response = await page.request.get(`${baseUrl}/api/v1/clients/${id}`, { headers: { "x-purpose": "case-handling", "accept-language": "zh-CN" } });
  expect(response.status()).toBe(200);
  return (await response.json()) as ApiClient;
}

/** Every personal field on the detail page shows exactly the API's value, tagged masked exactly when the API masked it. */
async function expectShownAsApi(page: Page, client: ApiClient) {
  for (const field of PERSONAL) {
    const value = client[field];
    await expect.poll(() => page.getByTestId(`value-${field}`).innerText()).toBe(value == null ? "—" : String(value));
    expect(await page.getByTestId(`masked-${field}`).count()).toBe(client.access.maskedFields.includes(field) ? 1 : 0);
  }
}

describe.skipIf(!browserAvailable)("browser: clients and conflict checks", () => {
  const suite = browserSuite();

  it("a partner creates a client (check digit refused on the field, API field errors shown), finds it by phone; need-to-know and masking as the API decides; access history; English", async () => {
    const partner = await buildUser(suite.services, "partner");
    // Some realistic neighbours in the list (synthetic data only).
    await buildClient(suite.services, partner.actor, {
      name: "李静",
      phone: "13800138001",
      email: "li.jing@example.cn",
      idNumber: residentId("19900304"),
      birthDate: "1990-03-04",
    });
    const orgCode = "91310115MA1K4" + "C2X1";
    await buildClient(suite.services, partner.actor, {
      kind: "organization",
      name: "上海明德贸易有限公司",
      idType: "uscc",
      idNumber: orgCode + usccCheckChar(orgCode),
      phone: "02161234567",
      email: "legal@mingde.example.cn",
      birthDate: null,
    });

    const input = clientInput({ name: "王小明", phone: "13912345678", idNumber: residentId("19850612"), birthDate: "1985-06-12" });
    const goodId = input.idNumber as string;
    const badId = goodId.slice(0, 17) + (goodId[17] === "1" ? "2" : "1");

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, partner.email, undefined, suite.now);
    await declarePurpose(page);
    await page.getByRole("menuitem", { name: "客户" }).click();
    await page.getByRole("button", { name: "新建客户" }).click();

    // A wrong resident-ID check character: the field says so at once, and nothing is created.
    await page.getByLabel("姓名/名称", { exact: true }).fill(input.name);
    await pick(page, "证件类型", ["居民身份证"]);
    await page.getByLabel("证件号码", { exact: true }).fill(badId);
    await page.getByLabel("电话", { exact: true }).fill(input.phone as string);
    await page.getByLabel("电子邮箱", { exact: true }).fill(input.email as string);
    await page.getByLabel("地址", { exact: true }).fill(input.address as string);
    await page.getByLabel("出生日期", { exact: true }).fill("1985-06-13"); // disagrees with the ID: only the API checks that
    await page.getByLabel("备注", { exact: true }).fill(input.notes as string);
    await pick(page, "允许的处理目的", ["案件办理", "利益冲突审查"]);
    await page.getByRole("button", { name: "创建客户" }).click();
    await expect.poll(() => page.getByText(ZH.fields.check_digit!).isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}clients-create-errors.png`, fullPage: true });
    expect(await searchClients(suite.services, contextFor(partner.actor), { phone: input.phone as string })).toEqual([]);

    // Fixed ID, but a birth date that disagrees with it: the API's field error lands on the field.
    await page.getByLabel("证件号码", { exact: true }).fill(goodId);
    await expect.poll(() => page.getByText(ZH.fields.check_digit!).count()).toBe(0);
    await page.getByRole("button", { name: "创建客户" }).click();
    await expect.poll(() => page.getByText(ZH.fields.mismatch!).isVisible()).toBe(true);
    expect(await page.getByTestId("client-form-error").innerText()).toContain(ZH.errors.validation_error);
    expect(await searchClients(suite.services, contextFor(partner.actor), { phone: input.phone as string })).toEqual([]);

    // Corrected: created, and the console opens its detail.
    await page.getByLabel("出生日期", { exact: true }).fill("1985-06-12");
    await page.getByRole("button", { name: "创建客户" }).click();
    await page.waitForURL(/#\/clients\/[0-9a-f-]{36}$/);
    const clientId = /#\/clients\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const saved = await searchClients(suite.services, contextFor(partner.actor), { phone: input.phone as string });
    expect(saved.map((c) => c.id)).toEqual([clientId]);
    expect(saved[0]).toMatchObject({ name: "王小明", idNumber: goodId, birthDate: "1985-06-12", purposes: ["case-handling", "conflict-check"] });
    await expectShownAsApi(page, await apiRead(page, suite.baseUrl, clientId));

    // Back to the list: found by an exact phone search (criteria in the body), listed below.
    await page.getByRole("button", { name: "返回客户列表" }).click();
    await expect.poll(() => page.getByTestId("client-list").getByText("王小明").isVisible()).toBe(true);
    expect(await page.getByTestId("client-list").getByText("上海明德贸易有限公司").isVisible()).toBe(true);
    const search = page.getByTestId("client-search");
    await search.getByLabel("电话", { exact: true }).fill("139 1234 5678");
    const searched = page.waitForRequest((r) => r.url().endsWith("/api/v1/clients/search") && r.method() === "POST");
    await search.getByRole("button", { name: /查\s*询/ }).click();
    const request = await searched;
    expect(request.postDataJSON()).toEqual({ phone: "139 1234 5678" });
    expect(request.url()).not.toContain("139");
    await expect.poll(() => page.getByTestId("search-results").locator(".ant-table-row").count()).toBe(1);
    expect(await page.getByTestId("search-results").innerText()).toContain("13912345678");
    await page.screenshot({ path: `${SCREENSHOTS}clients-list.png`, fullPage: true });
    await page.getByTestId("search-results").getByText("王小明").click();
    await page.waitForURL(new RegExp(`#/clients/${clientId}$`));

    // Edit: only the changed field is sent; the change is stored and shown.
    await page.getByRole("button", { name: /编\s*辑/ }).click();
    const patched = page.waitForRequest((r) => r.url().endsWith(`/api/v1/clients/${clientId}`) && r.method() === "PATCH");
    await page.getByLabel("地址", { exact: true }).fill("北京市海淀区中关村大街27号");
    await page.getByRole("button", { name: /保\s*存/ }).click();
    expect((await patched).postDataJSON()).toEqual({ address: "北京市海淀区中关村大街27号" });
    await expect.poll(() => page.getByTestId("value-address").innerText()).toBe("北京市海淀区中关村大街27号");
    expect((await apiRead(page, suite.baseUrl, clientId)).address).toBe("北京市海淀区中关村大街27号");

    // No export grant: the record's abilities offer no export, only the way to one (an approval
    // request for this client); the API would answer approval_required.
    expect(await page.getByRole("button", { name: /导\s*出$/ }).count()).toBe(0);
    await page.getByRole("button", { name: "申请导出审批" }).click();
    await page.waitForURL(new RegExp(`#/approvals/new/${clientId}$`));
    await page.goBack();
    await page.waitForURL(new RegExp(`#/clients/${clientId}$`));
    await expect.poll(() => page.getByTestId("client-name").isVisible()).toBe(true);

    // A matter with one lawyer on its team; another lawyer is on none of the client's matters.
    const lawyerOn = await buildUser(suite.services, "lawyer");
    const lawyerOff = await buildUser(suite.services, "lawyer");
    await buildMatter(suite.services, partner.actor, clientId, [{ userId: lawyerOn.actor.userId, role: "member" }]);

    const off = await suite.newPage();
    await signIn(off, suite.baseUrl, lawyerOff.email, undefined, suite.now);
    await declarePurpose(off);
    await off.getByRole("menuitem", { name: "客户" }).click();
    await expect.poll(() => off.getByTestId("client-list").getByText("暂无可显示的客户").isVisible()).toBe(true);
    expect(await off.getByTestId("client-list").innerText()).not.toContain("王小明");
    await off.goto(`${suite.baseUrl}/#/clients/${clientId}`);
    await expect.poll(() => off.getByTestId("client-error").innerText()).toBe(ZH.errors.not_on_matter);
    // Break-glass: a justification code and a ticket are mandatory; then the record opens, attributed to it.
    await off.getByRole("button", { name: "紧急访问（破窗）" }).click();
    await off.getByRole("button", { name: "开启访问并通知合规" }).click();
    await expect.poll(() => off.locator(".ant-modal .ant-form-item-explain-error").count()).toBe(2);
    await pick(off, "事由", ["法院期限"]);
    await off.getByLabel("工单或事件编号").fill("INC-2026-0042");
    await off.getByRole("button", { name: "开启访问并通知合规" }).click();
    await expect.poll(() => off.getByTestId("access-via").innerText()).toBe("经紧急访问（破窗）查看");
    expect(await off.getByTestId("client-name").innerText()).toBe("王小明");
    await expectShownAsApi(off, await apiRead(off, suite.baseUrl, clientId));

    const on = await suite.newPage();
    await signIn(on, suite.baseUrl, lawyerOn.email, undefined, suite.now);
    await declarePurpose(on);
    await on.getByRole("menuitem", { name: "客户" }).click();
    await on.getByTestId("client-list").getByText("王小明").click();
    await on.waitForURL(new RegExp(`#/clients/${clientId}$`));
    const asLawyer = await apiRead(on, suite.baseUrl, clientId);
    expect(asLawyer.access.decision).toBe("mask");
    expect(asLawyer.access.maskedFields).toContain("idNumber"); // L4 above a lawyer's L3 clearance
    expect(asLawyer.idNumber).not.toBe(goodId);
    await expectShownAsApi(on, asLawyer);
    expect(await on.getByTestId("access-decision").innerText()).toContain("证件号码");
    expect(await on.getByTestId("client-fields").innerText()).not.toContain(goodId);
    // A lawyer may not read the audit log: the API's refusal is shown.
    await expect.poll(() => on.getByTestId("history-error").innerText()).toBe(ZH.errors.role_lacks_permission);
    await on.getByRole("tab", { name: "案件" }).click();
    await expect.poll(() => on.getByTestId("client-matters").getByText("张三诉李四劳动合同纠纷").isVisible()).toBe(true);
    await on.getByRole("tab", { name: "访问记录" }).click();
    await on.screenshot({ path: `${SCREENSHOTS}clients-detail.png`, fullPage: true });

    // The partner's access history lists the reads, the lawyers' included (the refused one too).
    await page.reload();
    const history = page.getByTestId("access-history");
    await expect.poll(() => history.locator(".ant-table-row").count()).toBeGreaterThan(3);
    await expect.poll(() => history.innerText()).toContain(staffNameOf(lawyerOff)); // once the staff directory is in
    const text = await history.innerText();
    expect(text).toContain("查看客户");
    expect(text).toContain("新建客户");
    // Readers by name (the directory's), each name carrying its reader's id, the id's tail as tooltip.
    for (const reader of [lawyerOn, lawyerOff]) {
      expect(text).toContain(staffNameOf(reader));
      const shown = history.locator(`[data-staff-id="${reader.actor.userId}"]`);
      expect(await shown.count()).toBeGreaterThan(0);
      expect(await shown.first().innerText()).toBe(staffNameOf(reader));
      expect(
        await shown
          .first()
          .locator(`[title="…${reader.actor.userId.slice(-8)}"]`)
          .count(),
      ).toBe(1);
    }
    expect(text).not.toContain(lawyerOn.actor.userId);
    expect(text).toContain("律师");
    expect(text).toContain("被拒绝");
    expect(text).toContain("案件办理");
    expect(text).toContain("紧急访问开启");

    // English labels after the language switch.
    await page.getByText("English", { exact: true }).click();
    await expect.poll(() => page.getByRole("tab", { name: "Access history" }).isVisible()).toBe(true);
    const fields = await page.getByTestId("client-fields").innerText();
    expect(fields).toContain("Identifier number");
    expect(fields).toContain("Date of birth");
    expect(fields).toContain("Resident ID card");
    expect(await history.innerText()).toContain("Lawyer");
    expect(suite.problems).toEqual([]);
  });

  it("a records clerk runs a conflict check by name: the hit shows what matched, never names or numbers", async () => {
    const partner = await buildUser(suite.services, "partner");
    const clerk = await buildUser(suite.services, "records-clerk");
    const client = await buildClient(suite.services, partner.actor, {
      name: "赵建国",
      phone: "13700137000",
      idNumber: residentId("19720101"),
      birthDate: "1972-01-01",
    });
    await buildMatter(suite.services, partner.actor, client.id, [], { practiceArea: "corporate" });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, clerk.email, undefined, suite.now);
    await page.getByRole("menuitem", { name: "利益冲突审查" }).click();
    await page.getByRole("button", { name: "开始审查" }).click();
    await expect.poll(() => page.getByTestId("conflict-error").innerText()).toBe("请填写姓名/名称、证件号码或两者。");
    await page.getByTestId("conflict-form").getByLabel("姓名/名称").fill("赵建国");
    await page.getByRole("button", { name: "开始审查" }).click();
    const report = page.getByTestId("conflict-report");
    await expect.poll(() => report.getByText("发现 1 项潜在利益冲突，接受委托前请予核查。").isVisible()).toBe(true);
    const text = await report.innerText();
    expect(text).toContain(client.id);
    expect(text).toContain("公司");
    expect(text).not.toContain("赵建国");
    await page.getByTestId("conflict-form").getByLabel("姓名/名称").fill("不存在的公司");
    await page.getByRole("button", { name: "开始审查" }).click();
    await expect.poll(() => report.getByText("未发现潜在利益冲突。").first().isVisible()).toBe(true);
    expect(suite.problems).toEqual([]);
  });

  it("a paralegal on the matter sees L3 fields masked as the API says, records a client's marketing consent and withdraws it", async () => {
    const partner = await buildUser(suite.services, "partner");
    const compliance = await buildUser(suite.services, "compliance");
    const paralegal = await buildUser(suite.services, "paralegal");
    const notice = await draftNotice(suite.services, contextFor(compliance.actor, null), {
      effectiveFrom: "2024-01-01T00:00:00.000Z",
      titleZh: "个人信息保护政策",
      titleEn: "Privacy notice",
      bodyZh: "本所为办理您委托的法律事务处理您的个人信息。",
      bodyEn: "The firm processes your personal information to handle your matters.",
    });
    await publishNotice(suite.services, contextFor(compliance.actor, null), notice.version);
    const client = await buildClient(suite.services, partner.actor, {
      name: "孙丽华",
      phone: "13600136000",
      idNumber: residentId("19880808"),
      birthDate: "1988-08-08",
      purposes: ["case-handling", "marketing"],
    });
    await buildMatter(suite.services, partner.actor, client.id, [{ userId: paralegal.actor.userId, role: "member" }]);

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, paralegal.email, undefined, suite.now);
    await declarePurpose(page);
    await page.goto(`${suite.baseUrl}/#/clients/${client.id}`);
    const asParalegal = await apiRead(page, suite.baseUrl, client.id);
    expect(asParalegal.access.maskedFields).toEqual(expect.arrayContaining(["idNumber", "phone", "email", "address", "birthDate", "notes"]));
    await expectShownAsApi(page, asParalegal);

    await page.getByRole("tab", { name: "同意记录" }).click();
    const current = page.getByTestId("consents-current");
    const marketing = current.locator(".ant-table-row").filter({ hasText: "市场营销" });
    await expect.poll(() => marketing.innerText()).toContain("未同意");
    await marketing.getByRole("button", { name: "登记同意" }).click();
    await pick(page, "渠道", ["纸质表格"]);
    await pick(page, "凭证类型", ["签字表格"]);
    await page.getByLabel("凭证编号").fill("FORM-2026-0017");
    await page
      .locator(".ant-modal")
      .getByRole("button", { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => marketing.innerText()).toContain("已同意");
    let stored = await listConsents(suite.services, contextFor(paralegal.actor), client.id);
    expect(stored.items.find((i) => i.purpose === "marketing")).toMatchObject({
      status: "granted",
      channel: "paper",
      acknowledgement: { kind: "signed_form", reference: "FORM-2026-0017" },
    });

    await marketing.getByRole("button", { name: /撤\s*回/ }).click();
    await pick(page, "渠道", ["电子邮件"]);
    await pick(page, "凭证类型", ["邮件原文"]);
    await page.getByLabel("凭证编号").fill("MSG-88213");
    await page
      .locator(".ant-modal")
      .getByRole("button", { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => marketing.innerText()).toContain("未同意");
    stored = await listConsents(suite.services, contextFor(paralegal.actor), client.id);
    expect(
      stored.items
        .filter((i) => i.purpose === "marketing")
        .map((i) => i.status)
        .sort(),
    ).toEqual(["granted", "withdrawn"]);
    expect(suite.problems).toEqual([]);
  });
});
