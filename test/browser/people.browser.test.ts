import { describe, expect, it } from "vitest";
import { assignPrivacyRole } from "../../src/governance/privacy-team/privacy-team.js";
import { registerDevice } from "../../src/governance/devices/device-register.js";
import { createPolicy, publishPolicyVersion } from "../../src/governance/policies/policy-register.js";
import { browserAvailable, browserSuite, SCREENSHOTS, signIn, submitUntilSent } from "../support/browser.js";
import { buildUser, contextFor } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: devices, privacy team and policies, appraisal (issue #14)", () => {
  const suite = browserSuite();

  it("a lawyer reports their laptop lost and attests a policy; compliance sees the appraisal; the portal shows the privacy contact", async () => {
    const s = suite.services;
    const compliance = await buildUser(s, "compliance");
    const lawyer = await buildUser(s, "lawyer");
    const ctx = contextFor(compliance.actor, null);
    await registerDevice(s, ctx, {
      kind: "laptop",
      label: "LT-0042",
      ownerId: lawyer.actor.userId,
      encryption: "full",
      remoteWipe: true,
      checkIntervalDays: 90,
    });
    await assignPrivacyRole(s, ctx, {
      code: "privacy_officer",
      holderId: compliance.actor.userId,
      deputyIds: [],
      dutiesZh: "统筹个人信息保护工作。",
      dutiesEn: "Leads privacy protection.",
      contactEmail: "privacy@firm.example.cn",
    });
    const { id } = await createPolicy(s, ctx, {
      code: "device_use",
      titleZh: "移动设备使用制度",
      titleEn: "Mobile device policy",
      ownerId: compliance.actor.userId,
      reviewMonths: 12,
      textZh: "第一条 所有设备须全盘加密。",
      textEn: "1. Every device is fully encrypted.",
    });
    await publishPolicyVersion(s, ctx, id, { version: 1 });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await page.getByRole("menuitem", { name: "设备与渠道" }).click();
    const mine = page.getByTestId("my-devices-table");
    await expect.poll(() => mine.innerText(), { timeout: 20_000 }).toContain("LT-0042");
    expect(await mine.innerText()).toContain("全盘加密");
    await mine.getByRole("button", { name: "报告丢失" }).click();
    const reported = await submitUntilSent(
      page,
      page.locator(".ant-modal-footer").getByRole("button", { name: "报告丢失" }),
      (r) => r.method() === "POST" && r.url().endsWith("/lost"),
    );
    expect(reported.status()).toBe(200);
    await expect.poll(() => mine.innerText(), { timeout: 20_000 }).toContain("已丢失");

    await page.getByRole("menuitem", { name: "隐私团队与制度" }).click();
    const team = page.getByTestId("privacy-team-table");
    await expect.poll(() => team.innerText(), { timeout: 20_000 }).toContain("个人信息保护负责人");
    expect(await team.innerText()).toContain("privacy@firm.example.cn");
    await page.getByRole("tab", { name: "内部制度" }).click();
    const policies = page.getByTestId("policies-table");
    await expect.poll(() => policies.innerText(), { timeout: 20_000 }).toContain("未确认");
    await policies.getByText("移动设备使用制度").click();
    await page.getByTestId("policy-attest").click();
    await expect.poll(() => policies.innerText(), { timeout: 20_000 }).toContain("已确认");
    await page.screenshot({ path: `${SCREENSHOTS}/people-policies.png` });

    const desk = await suite.newPage();
    await signIn(desk, suite.baseUrl, compliance.email, undefined, suite.now);
    await desk.goto(`${suite.baseUrl}/#/accountability/appraisal`);
    const table = desk.getByTestId("appraisal-table");
    await expect.poll(() => table.innerText(), { timeout: 20_000 }).toContain("律师");
    expect(await table.innerText()).not.toMatch(/needs_improvement|unsatisfactory|excellent/);

    const portal = await suite.newPage();
    await portal.goto(`${suite.baseUrl}/portal/`);
    await expect.poll(() => portal.getByTestId("privacy-contact").innerText(), { timeout: 20_000 }).toContain("privacy@firm.example.cn");
    expect(suite.problems).toEqual([]);
  });
});
