import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, SCREENSHOTS } from "../support/browser.js";
import { buildClient, buildUser, residentId, type TestUser } from "../support/factories.js";

const NOTICE = {
  effectiveFrom: "2024-01-01T00:00:00.000Z",
  titleZh: "个人信息保护政策",
  titleEn: "Privacy notice",
  bodyZh:
    "北京明诚律师事务所（“本所”）为办理您委托的法律事务、进行利益冲突审查及计费结算处理您的个人信息。\n\n您有权查阅、复制、更正、删除您的个人信息，有权限制处理或撤回同意，并可要求本所解释个人信息处理规则。",
  bodyEn:
    'Mingcheng Law Firm ("the firm") processes your personal information to handle the legal matters you entrust to it, to check for conflicts of interest and to bill its fees.\n\nYou may access, copy, correct or delete your personal information, restrict its processing or withdraw consent, and ask the firm to explain its rules.',
};

describe.skipIf(!browserAvailable)("browser: client portal", () => {
  const suite = browserSuite();
  let partner!: TestUser, compliance!: TestUser;
  /** Kept between tests: the token a client saved after verifying, to come back with later. */
  const saved = { requestId: "", token: "", answer: "" };

  const staff = async (method: "GET" | "POST", path: string, token: string, body?: object) => {
    const res = await fetch(`${suite.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    partner = await buildUser(suite.services, "partner");
    compliance = await buildUser(suite.services, "compliance");
    const draft = await staff("POST", "/notices", compliance.token, NOTICE);
    expect(draft.status).toBe(201);
    expect((await staff("POST", `/notices/${draft.json.version as number}/publish`, compliance.token)).status).toBe(200);
  });

  /** Submits an access request by ID number and returns the on-screen answer and the request id. */
  async function submitAccess(page: Page, idNumber: string) {
    await page.getByRole("textbox", { name: "证件号码" }).fill(idNumber);
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/portal/requests") && r.request().method() === "POST");
    await page.getByRole("button", { name: "提交申请" }).click();
    const response = await answered;
    expect(response.status()).toBe(202);
    const requestId = ((await response.json()) as { requestId: string }).requestId;
    const answer = (await page.getByTestId("request-answer").innerText()).trim();
    return { requestId, answer };
  }

  const codeFor = async (requestId: string) => {
    await expect.poll(() => suite.codes.some((c) => c.requestId === requestId)).toBe(true);
    return suite.codes.find((c) => c.requestId === requestId)!.code;
  };

  it("a client submits an access request on a phone, verifies with the code, follows the deadline and downloads the package", async () => {
    const client = await buildClient(suite.services, partner.actor, {
      name: "林晓雯",
      idNumber: residentId("19880315"),
      birthDate: "1988-03-15",
      phone: "13800138123",
      email: "lin.xiaowen@example.cn",
      address: "上海市浦东新区世纪大道100号",
      notes: "房屋租赁合同纠纷",
    });
    const page = await suite.newPage({ mobile: true });
    await page.goto(`${suite.baseUrl}/portal/`);
    expect(await page.getByTestId("portal-title").innerText()).toBe("个人信息权利服务");
    // Access is the default choice; the identifier is the resident ID on file.
    expect(await page.getByRole("radio", { name: /查阅个人信息/ }).isChecked()).toBe(true);
    await page.getByRole("textbox", { name: "证件号码" }).fill(client.idNumber!);
    await page.getByRole("radio", { name: "短信" }).check();
    await page.waitForTimeout(300); // let the radio's click animation settle before the screenshot
    await page.screenshot({ path: `${SCREENSHOTS}portal-request.png`, fullPage: true });
    // At 390 px the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const { requestId, answer } = await submitAccess(page, client.idNumber!);
    expect(answer).toBe("申请已收到。如信息与本所记录相符，验证码已发送至本所登记的联系方式。");
    // Nothing on screen says whether the firm holds data on this person.
    expect(await page.locator("body").innerText()).not.toContain(client.name);
    const code = await codeFor(requestId);
    expect(suite.codes.find((c) => c.requestId === requestId)).toMatchObject({ channel: "phone", to: "13800138123", language: "zh-CN" });

    // A wrong code: the API's own message, in Chinese.
    await page.getByRole("textbox", { name: "验证码" }).fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: /验\s*证/ }).click();
    await expect.poll(() => page.getByTestId("verify-error").innerText()).toBe("验证码错误、已过期或已被使用。");

    // The right code: the token is shown once, with the status and the deadline.
    await page.getByRole("textbox", { name: "验证码" }).fill(code);
    await page.getByRole("button", { name: /验\s*证/ }).click();
    const token = (await page.getByTestId("portal-token").innerText()).trim();
    expect(token).toMatch(/^crt_[A-Za-z0-9_-]{20,}$/);
    expect((await page.getByTestId("portal-request-id").innerText()).trim()).toBe(requestId);
    await expect.poll(() => page.getByTestId("request-status").innerText()).toContain("身份已验证");
    const staffView = await staff("GET", `/requests/${requestId}`, compliance.token);
    expect(staffView.json).toMatchObject({ status: "verified", clientId: client.id });
    expect(await page.getByTestId("due-date").innerText()).toBe((staffView.json.dueDate as string).replaceAll("-", "/"));
    // The token lives only in the page's memory.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href + document.cookie);
    expect(stored).not.toContain(token);
    await page.screenshot({ path: `${SCREENSHOTS}portal-status.png`, fullPage: true });

    // Staff carry it out; the portal shows it completed and downloads the package.
    const fulfilled = await staff("POST", `/requests/${requestId}/fulfil`, compliance.token);
    expect(fulfilled.json).toMatchObject({ status: "fulfilled", outcome: "package_ready" });
    await page.getByRole("button", { name: "我已保存" }).click();
    expect(await page.getByTestId("portal-token").count()).toBe(0);
    await page.getByRole("button", { name: "刷新" }).click();
    await expect.poll(() => page.getByTestId("request-status").innerText()).toContain("已办结");
    expect(await page.getByTestId("request-status").innerText()).toContain("可下载您的个人信息");

    const jsonDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "下载 JSON" }).click();
    const json = await jsonDownload;
    expect(json.suggestedFilename()).toBe(`request-${requestId}.json`);
    const pkg = JSON.parse(readFileSync((await json.path())!, "utf8")) as { requestId: string; client: { fields: { key: string; value: string | null }[] } };
    expect(pkg.requestId).toBe(requestId);
    const field = (key: string) => pkg.client.fields.find((f) => f.key === key)?.value;
    expect([field("name"), field("idNumber"), field("phone"), field("email"), field("address")]).toEqual([
      client.name,
      client.idNumber,
      "13800138123",
      "lin.xiaowen@example.cn",
      "上海市浦东新区世纪大道100号",
    ]);

    const htmlDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "下载 HTML" }).click();
    const html = await htmlDownload;
    expect(html.suggestedFilename()).toBe(`request-${requestId}.html`);
    const htmlText = readFileSync((await html.path())!, "utf8");
    expect(htmlText).toContain("林晓雯");
    expect(htmlText).toContain("房屋租赁合同纠纷");

    Object.assign(saved, { requestId, token, answer });
    expect(suite.problems).toEqual([]);
  });

  it("a request for a person the firm does not hold gets the same answer on screen, and no code is sent", async () => {
    const page = await suite.newPage({ mobile: true });
    await page.goto(`${suite.baseUrl}/portal/`);
    const { requestId, answer } = await submitAccess(page, residentId("19700101"));
    expect(answer).toBe(saved.answer);
    expect(await page.getByRole("textbox", { name: "验证码" }).isVisible()).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(suite.codes.some((c) => c.requestId === requestId)).toBe(false);
    // Any code is refused exactly as a wrong one.
    await page.getByRole("textbox", { name: "验证码" }).fill("123456");
    await page.getByRole("button", { name: /验\s*证/ }).click();
    await expect.poll(() => page.getByTestId("verify-error").innerText()).toBe("验证码错误、已过期或已被使用。");
    expect(suite.problems).toEqual([]);
  });

  it("switches to English, shows the notice in that language, and continues with a saved token", async () => {
    const page = await suite.newPage();
    await page.goto(`${suite.baseUrl}/portal/`);
    await page.getByRole("tab", { name: "隐私政策" }).click();
    await expect.poll(() => page.getByTestId("notice").innerText()).toContain(NOTICE.titleZh);
    expect(await page.getByTestId("notice").innerText()).toContain("为办理您委托的法律事务");

    await page.getByText("English", { exact: true }).click();
    await expect.poll(() => page.getByTestId("portal-title").innerText()).toBe("Your personal data rights");
    await expect.poll(() => page.getByTestId("notice").innerText()).toContain(NOTICE.titleEn);
    expect(await page.getByTestId("notice").innerText()).toContain("Mingcheng Law Firm");
    expect(await page.getByTestId("notice").innerText()).toContain("Version 1");
    await page.waitForTimeout(400); // the tab underline follows the new label widths
    await page.screenshot({ path: `${SCREENSHOTS}portal-notice.png` });

    // Coming back later with the request number and the token kept from the first visit.
    await page.getByRole("tab", { name: "Follow a request" }).click();
    await page.getByLabel("Request number").fill(saved.requestId);
    await page.getByLabel("Request token").fill(`${saved.token}x`);
    await page.getByRole("button", { name: "Show request" }).click();
    await expect.poll(() => page.getByTestId("status-error").innerText()).toBe("The request token is missing, wrong or expired.");
    await page.getByRole("button", { name: "Clear this request token from this page" }).click();
    await page.getByLabel("Request number").fill(saved.requestId);
    await page.getByLabel("Request token").fill(saved.token);
    await page.getByRole("button", { name: "Show request" }).click();
    await expect.poll(() => page.getByTestId("request-status").innerText()).toContain("Completed");
    expect(await page.getByTestId("request-status").innerText()).toContain("Access my personal information");
    expect(await page.getByRole("button", { name: "Download JSON" }).isVisible()).toBe(true);
    expect(suite.problems).toEqual([]);
  });

  it("the withdraw-consent form lists the firm's active purposes from the public route", async () => {
    // A purpose the firm added (and one it retired): the form shows what the registry holds now.
    await suite.services.engine.db
      .insertInto("purposes")
      .values([
        {
          code: "seminars",
          name_zh: "法律讲座邀请",
          name_en: "Seminar invitations",
          description_en: "Invitations to the firm's seminars.",
          active: 1,
          legal_basis: "consent",
          requires_separate_consent_for_sensitive: 0,
        },
        {
          code: "old-newsletter",
          name_zh: "旧版通讯",
          name_en: "Old newsletter",
          description_en: "Retired.",
          active: 0,
          legal_basis: "consent",
          requires_separate_consent_for_sensitive: 0,
        },
      ])
      .execute();
    const page = await suite.newPage({ mobile: true });
    await page.goto(`${suite.baseUrl}/portal/`);
    const loaded = page.waitForResponse((r) => r.url().endsWith("/api/v1/portal/purposes"));
    await page.getByRole("radio", { name: /^撤回同意/ }).check();
    expect((await loaded).status()).toBe(200);
    await page.getByLabel("撤回同意的处理目的").click();
    const options = page.locator(".ant-select-item-option");
    await expect.poll(() => options.allInnerTexts()).toContain("法律讲座邀请");
    const shown = await options.allInnerTexts();
    expect(shown).toEqual(expect.arrayContaining(["市场营销", "案件办理", "法律主张处理"]));
    expect(shown).not.toContain("旧版通讯");
    expect(suite.problems).toEqual([]);
  });

  it("files a complaint from the portal; staff read it", async () => {
    const page = await suite.newPage({ lang: "en", mobile: true });
    await page.goto(`${suite.baseUrl}/portal/`);
    await page.getByRole("radio", { name: /^Complaint/ }).check();
    await page.getByLabel("Category").click();
    await page.locator(".ant-select-item-option", { hasText: "Handling of a rights request" }).click();
    await page.getByLabel("Your complaint").fill("I asked for a copy of my data three weeks ago and have heard nothing.");
    await page.getByRole("textbox", { name: "Email" }).fill("complainant@example.cn");
    const filed = page.waitForResponse((r) => r.url().endsWith("/api/v1/portal/complaints"));
    await page.getByRole("button", { name: "Send complaint" }).click();
    const receipt = (await (await filed).json()) as { complaintId: string };
    await expect.poll(() => page.getByTestId("complaint-answer").innerText()).toBe("Complaint received. We will answer by the date given.");
    const ticket = await staff("GET", `/complaints/${receipt.complaintId}`, compliance.token);
    expect(ticket.json).toMatchObject({
      category: "request_handling",
      channel: "portal",
      email: "complainant@example.cn",
      description: "I asked for a copy of my data three weeks ago and have heard nothing.",
    });
    expect(suite.problems).toEqual([]);
  });
});
