import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, staffNameOf, TEST_PASSWORD } from "../support/factories.js";

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const NEW_PASSWORD = "saffron ferry past 3 lighthouses";

describe.skipIf(!browserAvailable)("browser: access reviews and password change", () => {
  const suite = browserSuite();

  it("compliance starts a campaign, the partner revokes a member, the lawyer loses the client; the partner changes their password", async () => {
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const compliance = await buildUser(suite.services, "compliance");
    const client = await buildClient(suite.services, partner.actor, { name: "周明轩" });
    const matter = await buildMatter(suite.services, partner.actor, client.id, [{ userId: lawyer.actor.userId, role: "member" }]);
    const readAsLawyer = async () => {
      const res = await fetch(`${suite.baseUrl}/api/v1/clients/${client.id}`, {
        headers: { authorization: `Bearer ${lawyer.token}`, "x-purpose": "case-handling" },
      });
      return { status: res.status, code: res.ok ? null : ((await res.json()) as { error: { code: string } }).error.code };
    };
    expect((await readAsLawyer()).status).toBe(200);

    // Compliance starts a campaign from the console.
    const officer = await suite.newPage();
    await signIn(officer, suite.baseUrl, compliance.email, undefined, suite.now);
    await officer.goto(`${suite.baseUrl}/#/access-reviews`);
    await officer.getByRole("button", { name: "发起复核" }).click();
    await officer.getByLabel("名称", { exact: true }).fill("2026 年第二季度权限复核");
    await officer.getByLabel("截止日期", { exact: true }).fill(inDays(14));
    await officer
      .getByRole("dialog")
      .getByRole("button", { name: /^发\s*起$/ })
      .click();
    await expect.poll(() => officer.getByTestId("review-campaigns").innerText()).toContain("2026 年第二季度权限复核");
    expect(await officer.getByTestId("review-progress").first().innerText()).toMatch(/^已决 0\/\d+/);
    // The partner's own lead membership went to compliance (four-eyes); the officer's own role is not in their list.
    const ownLead = officer
      .getByTestId("review-items")
      .locator(".ant-table-row")
      .filter({ has: officer.locator(`[data-staff-id="${partner.actor.userId}"]`) })
      .filter({ hasText: matter.number });
    await expect.poll(() => ownLead.count()).toBe(1);
    expect(await ownLead.innerText()).toContain("合规");
    await expect.poll(() => ownLead.innerText()).toContain(staffNameOf(partner)); // the subject by name
    expect(await officer.getByTestId("review-items").locator(`[data-staff-id="${compliance.actor.userId}"]`).count()).toBe(0);

    // The responsible partner finds the lawyer's membership in their items and revokes it.
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, partner.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/access-reviews`);
    const row = page
      .getByTestId("review-items")
      .locator(".ant-table-row")
      .filter({ has: page.locator(`[data-staff-id="${lawyer.actor.userId}"]`) })
      .filter({ hasText: matter.number });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain("案件团队");
    await expect.poll(() => row.innerText()).toContain(staffNameOf(lawyer));
    // Partners do not run campaigns: the campaign card is absent for them.
    expect(await page.getByTestId("review-campaigns").count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}access-reviews-items.png`, fullPage: true });
    await row.getByRole("button", { name: /^撤\s*销$/ }).click();
    await page.getByRole("dialog").getByText("该人员将立即移出案件团队").waitFor();
    const submit = page.getByRole("dialog").getByRole("button", { name: "提交决定" });
    await submit.click();
    // The dialog closes once the API recorded the decision; an API error would stay on it and show here.
    const dialogState = async () =>
      (await page.getByTestId("review-error").isVisible())
        ? await page.getByTestId("review-error").innerText()
        : (await page.getByRole("dialog").isVisible())
          ? "dialog open"
          : "closed";
    // On a loaded machine the first click can land while the dialog is still zooming in, and the
    // form never submits. A click that did submit shows the button loading until the answer, so a
    // dialog still open, with no error and no loading button seconds later, is clicked again.
    let clickedAt = Date.now();
    await expect
      .poll(
        async () => {
          const state = await dialogState();
          const loading = await submit.evaluate((b) => b.classList.contains("ant-btn-loading")).catch(() => true);
          if (state === "dialog open" && !loading && Date.now() - clickedAt > 4_000) {
            clickedAt = Date.now();
            await submit.click({ timeout: 2_000 }).catch(() => undefined);
          }
          return state;
        },
        { timeout: 40_000, interval: 1_000 },
      )
      .toBe("closed");
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0);

    // The revoke took effect at once: the lawyer can no longer read the client.
    const after = await readAsLawyer();
    expect([403, 404]).toContain(after.status);
    expect(after.code).toBe("not_on_matter");

    // Compliance sees the progress move.
    await officer
      .getByRole("button", { name: /^刷\s*新$/ })
      .first()
      .click();
    await expect.poll(() => officer.getByTestId("review-progress").first().innerText()).toMatch(/^已决 1\/\d+ · 撤销 1/);
    await officer.locator(".ant-message-notice").first().waitFor({ state: "detached" });
    await officer.screenshot({ path: `${SCREENSHOTS}access-reviews-campaigns.png`, fullPage: true });

    // The partner changes their password on the account page; this session stays signed in.
    await page.goto(`${suite.baseUrl}/#/account`);
    await page.getByLabel("当前密码", { exact: true }).fill("not the password at all");
    await page.getByLabel("新密码", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("再次输入新密码", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "修改密码" }).click();
    await expect.poll(() => page.getByText("当前密码不正确。").isVisible()).toBe(true);
    await page.getByLabel("当前密码", { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "修改密码" }).click();
    await expect.poll(() => page.getByText(/密码已修改/).isVisible()).toBe(true);
    await page.reload();
    await page.getByTestId("user-menu").waitFor();
    const login = (password: string) =>
      fetch(`${suite.baseUrl}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: partner.email, password }),
      });
    expect((await login(TEST_PASSWORD)).status).toBe(401);
    expect((await login(NEW_PASSWORD)).status).toBe(200);
    expect(suite.problems).toEqual([]);
  });
});
