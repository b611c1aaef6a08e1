import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLogKey } from "../../src/platform/audit/tree-checkpoint.js";
import { readClient } from "../../src/records/clients/client-reader.js";
import { browserAvailable, browserSuite, SCREENSHOTS } from "../support/browser.js";
import { buildClient, buildUser, contextFor, residentId, type TestUser } from "../support/factories.js";

interface PackageJson {
  accessHistory: unknown[];
  accessHistoryProof: { vkey: string; events: { event: { purpose: string | null } }[] };
}

describe.skipIf(!browserAvailable)("browser: the client verifies their access history in the portal (issue #12)", () => {
  const suite = browserSuite();
  let partner!: TestUser, compliance!: TestUser;

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
  });

  /** A client files an access request, verifies with the code, and staff fulfil it: the page then offers the package. */
  async function fulfilledAccessRequest(page: Page) {
    const client = await buildClient(suite.services, partner.actor, { idNumber: residentId("19900704"), birthDate: "1990-07-04", phone: "13800138456" });
    // Staff read the record twice: the history then holds more than the creation.
    for (let i = 0; i < 2; i++) await readClient(suite.services, contextFor(partner.actor), client.id);
    await page.goto(`${suite.baseUrl}/portal/`);
    await page.getByRole("textbox", { name: "证件号码" }).fill(client.idNumber!);
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/portal/requests") && r.request().method() === "POST");
    await page.getByRole("button", { name: "提交申请" }).click();
    const requestId = ((await (await answered).json()) as { requestId: string }).requestId;
    await expect.poll(() => suite.codes.some((c) => c.requestId === requestId)).toBe(true);
    await page.getByRole("textbox", { name: "验证码" }).fill(suite.codes.find((c) => c.requestId === requestId)!.code);
    await page.getByRole("button", { name: /验\s*证/ }).click();
    await expect.poll(() => page.getByTestId("request-status").innerText()).toContain("身份已验证");
    expect((await staff("POST", `/requests/${requestId}/fulfil`, compliance.token)).json).toMatchObject({ status: "fulfilled" });
    await page.getByRole("button", { name: "我已保存" }).click();
    await page.getByRole("button", { name: "刷新" }).click();
    await expect.poll(() => page.getByTestId("request-status").innerText()).toContain("已办结");
  }

  /** Clicks the check and returns the package the page fetched for it. */
  async function verify(page: Page): Promise<PackageJson> {
    const fetched = page.waitForResponse((r) => /\/package\?.*format=json/.test(r.url()));
    await page.getByRole("button", { name: "核验访问记录" }).click();
    const pkg = (await (await fetched).json()) as PackageJson;
    await page.getByTestId("history-check-result").waitFor();
    return pkg;
  }

  it("shows the events proven and the firm's key to compare, and a failure once the package is tampered with", async () => {
    const page = await suite.newPage({ mobile: true });
    await fulfilledAccessRequest(page);

    const pkg = await verify(page);
    const count = pkg.accessHistoryProof.events.length;
    expect(count).toBe(pkg.accessHistory.length);
    expect(count).toBeGreaterThanOrEqual(3);
    const result = await page.getByTestId("history-check-result").innerText();
    expect(result).toContain("访问记录核验通过");
    expect(await page.getByTestId("history-check-summary").innerText()).toMatch(
      new RegExp(`^${count} 条访问记录均已在本所签名的审计日志（共 \\d+ 条记录）中得到证明`),
    );
    // The key shown is the one the firm publishes (`custodia audit key`), for the client to compare.
    const firmKey = auditLogKey(suite.services.vault.checkpointPublicKey).vkey;
    expect((await page.getByTestId("history-check-vkey").innerText()).trim()).toBe(firmKey);
    expect(result).toContain("请将此公钥与本所公开发布的公钥");
    await page.screenshot({ path: `${SCREENSHOTS}portal-history-verified.png`, fullPage: true });

    // The history itself in words: actions by label, times in the firm's zone, no code or ISO time.
    await page.getByTestId("portal-history-show").click();
    const history = page.getByTestId("portal-access-history");
    await expect.poll(() => history.locator(".ant-table-row").count()).toBeGreaterThanOrEqual(count);
    const shown = await history.innerText();
    expect(shown).toContain("查看客户");
    expect(shown).toContain("新建客户");
    expect(shown).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    expect(shown).not.toMatch(/client\.|T\d{2}:\d{2}|[a-z]+_[a-z]+/);

    // The same history in English: labels and times in words there too, then back to Chinese.
    await page.getByText("English", { exact: true }).click();
    await page.getByTestId("portal-history-show").click();
    await expect.poll(() => history.innerText()).toContain("Client viewed");
    const shownEn = await history.innerText();
    expect(shownEn).toContain("Client created");
    expect(shownEn).toMatch(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/);
    expect(shownEn).not.toMatch(/client\.|T\d{2}:\d{2}|[a-z]+_[a-z]+/);
    await page.getByText("中文", { exact: true }).click();

    // Someone alters the purpose of one access on the way: the page says so, in plain words.
    await page.route(/\/package\?.*format=json/, async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as PackageJson;
      json.accessHistoryProof.events[1]!.event.purpose = "marketing";
      await route.fulfill({ response, json });
    });
    const altered = await verify(page);
    expect(altered.accessHistoryProof.events[1]!.event.purpose).toBe("marketing");
    const failed = await page.getByTestId("history-check-result").innerText();
    expect(failed).toContain("访问记录核验未通过");
    expect(await page.getByTestId("history-check-problems").innerText()).toMatch(/^\d{4}\/\d{2}\/\d{2} .+ 的访问记录被改动，或不在本所签名的审计日志中。$/);
    expect(failed).not.toMatch(/event_not_in_tree|manifest|checkpoint/);
    await page.screenshot({ path: `${SCREENSHOTS}portal-history-tampered.png`, fullPage: true });

    // An access dropped from the file: the signed list shows it.
    await page.unroute(/\/package\?.*format=json/);
    await page.route(/\/package\?.*format=json/, async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as PackageJson;
      json.accessHistoryProof.events.splice(1, 1);
      await route.fulfill({ response, json });
    });
    await verify(page);
    expect(await page.getByTestId("history-check-problems").innerText()).toBe("访问记录与本所签名的清单不一致：有记录被删除或添加。");

    // The untouched package verifies again.
    await page.unroute(/\/package\?.*format=json/);
    await verify(page);
    expect(await page.getByTestId("history-check-result").innerText()).toContain("访问记录核验通过");
    expect(suite.problems).toEqual([]);
  });
});
