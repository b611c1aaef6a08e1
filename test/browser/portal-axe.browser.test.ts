/**
 * The client portal passes axe-core (issue #15): no serious or critical violation on the request
 * form (each request type's fields), the code step, the status view with the access package and
 * its history check, the notice and the "follow a request" form, in Chinese and in English.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.js";
import { browserAvailable, browserSuite } from "../support/browser.js";
import { buildClient, buildUser, residentId, type TestUser } from "../support/factories.js";

const BIRTH = { "zh-CN": "19910212", en: "19920324" } as const;
/** The portal's own labels, to find buttons by their name in either language. */
const labels = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../web/locales/${lang}/portal.json`, import.meta.url), "utf8")) as {
    token: { saved: string };
    status: { refresh: string; forget: string };
    historyCheck: { button: string };
  };

describe.skipIf(!browserAvailable)("browser: the client portal is accessible", () => {
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
    const draft = await staff("POST", "/notices", compliance.token, {
      effectiveFrom: "2024-01-01T00:00:00.000Z",
      titleZh: "个人信息保护政策",
      titleEn: "Privacy notice",
      bodyZh: "本所为办理您委托的法律事务处理您的个人信息。",
      bodyEn: "The firm processes your personal information to handle the matters you entrust to it.",
    });
    expect((await staff("POST", `/notices/${draft.json.version as number}/publish`, compliance.token)).status).toBe(200);
  });

  for (const lang of ["zh-CN", "en"] as const) {
    it(`has no serious or critical violation on any view (${lang})`, async () => {
      const client = await buildClient(suite.services, partner.actor, {
        idNumber: residentId(BIRTH[lang]),
        birthDate: BIRTH[lang].replace(/(\d{4})(\d{2})(\d{2})/, "$1-$2-$3"),
      });
      const page = await suite.newPage({ lang });
      const l = labels(lang);
      const findings: string[] = [];
      const check = async (view: string) => {
        await page.waitForTimeout(300); // tab and radio animations settle
        for (const v of await axeViolations(page)) findings.push(`${view}: ${v}`);
      };
      const chooseType = async (type: string) => {
        await page.locator(`input[type="radio"][value="${type}"]`).check({ force: true });
        await check(`request form (${type})`);
      };

      await page.goto(`${suite.baseUrl}/portal/`);
      await page.getByTestId("portal-title").waitFor();
      await check("request form (access)");
      for (const type of ["correction", "withdraw_consent", "complaint"]) await chooseType(type);
      await page.locator('input[type="radio"][value="access"]').check({ force: true });

      await page.locator("#idNumber").fill(client.idNumber!);
      const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/portal/requests") && r.request().method() === "POST");
      await page.locator('form button[type="submit"]').click();
      const requestId = ((await (await answered).json()) as { requestId: string }).requestId;
      await page.getByTestId("request-answer").waitFor();
      await check("code step");

      await expect.poll(() => suite.codes.some((c) => c.requestId === requestId)).toBe(true);
      await page.locator("#code").fill(suite.codes.find((c) => c.requestId === requestId)!.code);
      await page.locator('form button[type="submit"]').click();
      await page.getByTestId("portal-token").waitFor();
      await page.getByTestId("request-status").waitFor();
      await check("status with the one-time token");

      expect((await staff("POST", `/requests/${requestId}/fulfil`, compliance.token)).json).toMatchObject({ status: "fulfilled" });
      await page.getByRole("button", { name: l.token.saved }).click();
      await page.getByRole("button", { name: l.status.refresh }).click();
      await page.getByTestId("portal-history-show").click();
      await page.getByTestId("portal-access-history").waitFor();
      await page.getByRole("button", { name: l.historyCheck.button }).click();
      await page.getByTestId("history-check-result").waitFor();
      await check("access package, its history and the history check");

      await openTab(page, 2);
      await page.getByTestId("notice").waitFor();
      await check("notice");
      await openTab(page, 1);
      await page.getByRole("button", { name: l.status.forget }).click();
      await check("follow a request");

      expect(findings).toEqual([]);
      expect(suite.problems).toEqual([]);
    });
  }
});

/** The portal's tabs by position: request, follow, notice (names differ by language). */
async function openTab(page: Page, index: number) {
  await page.locator(".ant-tabs-tab").nth(index).click();
}
