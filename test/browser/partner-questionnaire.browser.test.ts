/**
 * A partner answers the due-diligence questionnaire through its one-time link (issue #13), in a
 * real Chromium, in Chinese, without any sign-in: the portal bundle's questionnaire page under the
 * portal's CSP; the answers arrive as an assessment waiting for compliance's review; the link then
 * reads as closed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPartner } from "../../src/governance/partners/partner-register.js";
import { PartnerCreateInput } from "../../src/governance/partners/partner-inputs.js";
import { DEFAULT_QUESTIONNAIRE } from "../../src/governance/partners/questionnaire.js";
import { issueQuestionnaireLink } from "../../src/governance/partners/questionnaire-links.js";
import { browserAvailable, browserSuite, SCREENSHOTS } from "../support/browser.js";
import { buildUser, contextFor } from "../support/factories.js";
import { GOOD_ANSWERS } from "../support/partners.js";

const WAIT = { timeout: 30_000 };
const zh = JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/partners.json", import.meta.url), "utf8")) as {
  answer: Record<string, string>;
  questionnaire: Record<string, string>;
};

describe.skipIf(!browserAvailable)("browser: a partner answers the questionnaire through its link", () => {
  const suite = browserSuite();

  it("opens the link without signing in, answers every question, submits once; the answers wait for review", async () => {
    const { services } = suite;
    const compliance = await buildUser(services, "compliance");
    const ctx = contextFor(compliance.actor, null);
    const partner = await createPartner(
      services,
      ctx,
      PartnerCreateInput.parse({
        name: "信达翻译有限公司",
        kind: "translator",
        piplRole: "entrusted_processor",
        jurisdiction: "CN",
        maxLevel: 2,
        contacts: [{ name: "陈静怡", email: "chen.jingyi@translate.example.cn" }],
      }),
    );
    const issued = await issueQuestionnaireLink(services, ctx, partner.id, { contactId: partner.contacts[0]!.id });

    const page = await suite.newPage({ lang: "zh-CN" });
    await page.goto(`${suite.baseUrl}${issued.path}`);
    await expect.poll(() => page.getByTestId("questionnaire").isVisible(), WAIT).toBe(true);
    await expect.poll(() => page.getByText("信达翻译有限公司", { exact: false }).first().isVisible(), WAIT).toBe(true);
    // Submitting with nothing answered marks the questions, and sends nothing.
    await page.getByTestId("questionnaire-submit").click();
    await expect.poll(() => page.getByText("请回答此问题。").first().isVisible(), WAIT).toBe(true);

    for (const q of DEFAULT_QUESTIONNAIRE) {
      const item = page.locator(".ant-form-item").filter({ hasText: q.textZh });
      if (q.kind === "text") await item.locator("textarea").fill("服务器位于上海");
      else await item.getByText(zh.answer[GOOD_ANSWERS[q.code as keyof typeof GOOD_ANSWERS]]!, { exact: true }).click();
    }
    await page.screenshot({ path: `${SCREENSHOTS}partner-questionnaire.png`, fullPage: true });
    await page.getByTestId("questionnaire-submit").click();
    await expect.poll(() => page.getByTestId("questionnaire-done").isVisible(), WAIT).toBe(true);

    const rows = await services.engine.db.selectFrom("partner_assessments").selectAll().where("partner_id", "=", partner.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ answered_by: "partner", review_status: "pending_review", risk_level: "low", contact_id: partner.contacts[0]!.id });
    expect(JSON.parse(rows[0]!.answers)).toEqual({ ...GOOD_ANSWERS, notes: "服务器位于上海" });

    // The link is used up: opening it again says so.
    const again = await suite.newPage({ lang: "zh-CN" });
    await again.goto(`${suite.baseUrl}${issued.path}`);
    await expect.poll(() => again.getByTestId("questionnaire-failed").textContent(), WAIT).toContain(zh.questionnaire.closed!);
    expect(suite.problems).toEqual([]);
  });
});
