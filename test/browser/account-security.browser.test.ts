import { describe, expect, it } from "vitest";
import { timeStep, totpCode } from "../../src/identity/auth/totp.js";
import { browserAvailable, browserSuite, choosePurpose, pick, SCREENSHOTS, signIn } from "../support/browser.js";
import { buildClient, buildUser, TEST_PASSWORD } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: account security and break-glass notices", () => {
  const suite = browserSuite();

  it("a paralegal turns the authenticator on, is asked for it at sign-in, and issues new recovery codes", async () => {
    const paralegal = await buildUser(suite.services, "paralegal");
    const page = await suite.newPage({ lang: "en" });
    expect(await signIn(page, suite.baseUrl, paralegal.email, undefined, suite.now)).toBeUndefined(); // no second factor yet
    await page.goto(`${suite.baseUrl}/#/account`);
    const card = page.getByTestId("totp-card");
    await expect.poll(() => card.getByTestId("totp-status").innerText()).toBe("Off");
    expect(await card.innerText()).toContain("Optional for your role");

    // Opt in: scan (read) the secret, confirm with a code from it, keep the recovery codes.
    await card.getByTestId("totp-enable").click();
    await page.getByTestId("totp-start").click();
    const secret = (await page.getByTestId("totp-new-secret").innerText()).trim();
    await page.getByTestId("totp-new-code").fill(totpCode(secret, timeStep(suite.now())));
    await page.getByTestId("totp-submit").click();
    await expect.poll(() => page.getByTestId("recovery-codes").locator("code").count()).toBe(10);
    const firstCodes = await page.getByTestId("recovery-codes").locator("code").allInnerTexts();
    await page.getByTestId("recovery-codes-saved").click();
    await expect.poll(() => card.getByTestId("totp-status").innerText()).toBe("On");
    expect(await card.getByTestId("recovery-codes-left").innerText()).toBe("10");
    await expect.poll(() => card.getByTestId("totp-remove").isVisible()).toBe(true); // optional for the role: may be turned off

    // Sign out and in again: the password is no longer enough.
    suite.advance(30_000); // the enrolment code's step is spent
    await page.getByTestId("user-menu").click();
    await page.getByText("Sign out", { exact: true }).click();
    await page.getByLabel("Email").waitFor();
    await page.getByLabel("Email").fill(paralegal.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByLabel(/^Code$/).waitFor();
    await page.getByLabel(/^Code$/).fill(totpCode(secret, timeStep(suite.now())));
    await page.getByRole("button", { name: /Verify/ }).click();
    await page.getByTestId("user-menu").waitFor();

    // New recovery codes, confirmed with the password; shown once, the old ones gone.
    await page.goto(`${suite.baseUrl}/#/account`);
    await page.getByTestId("recovery-regenerate").click();
    await page.getByLabel("Your password").fill("not the password at all");
    await page.getByTestId("totp-submit").click();
    await expect.poll(() => page.getByText("The current password is wrong.").isVisible()).toBe(true);
    await page.getByLabel("Your password").fill(TEST_PASSWORD);
    await page.getByTestId("totp-submit").click();
    await expect.poll(() => page.getByTestId("recovery-codes").locator("code").count()).toBe(10);
    const newCodes = await page.getByTestId("recovery-codes").locator("code").allInnerTexts();
    expect(newCodes.filter((c) => firstCodes.includes(c))).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}account-recovery-codes.png` });
    await page.getByTestId("recovery-codes-saved").click();
    const events = await suite.services.engine.db
      .selectFrom("audit_events")
      .select(["action", "outcome", "reason", "details"])
      .where("actor_id", "=", paralegal.actor.userId)
      .where("action", "in", ["auth.totp.confirm", "auth.totp", "auth.recovery_codes.issue"])
      .orderBy("seq")
      .execute();
    expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ["auth.totp.confirm", "success", null],
      ["auth.totp", "success", null],
      ["auth.recovery_codes.issue", "failure", "wrong_password"],
      ["auth.recovery_codes.issue", "success", null],
    ]);
    expect(JSON.stringify(events)).not.toContain(newCodes[0]!);
    expect(suite.problems).toEqual([]);
  });

  it("break-glass says for whom, until when and who was told, and a banner counts down while it is open", async () => {
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const client = await buildClient(suite.services, partner.actor, { name: "欧阳锋" });
    const page = await suite.newPage({ lang: "en" });
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await choosePurpose(page, /Case handling/);
    await expect.poll(() => page.getByTestId("break-glass-banner").count()).toBe(0);
    await page.goto(`${suite.baseUrl}/#/clients/${client.id}`);
    await page.getByRole("button", { name: "Break-glass access" }).click();
    const dialog = page.getByRole("dialog");
    await pick(page, dialog, "Justification", "Court deadline");
    await dialog.getByLabel("Ticket or incident number").fill("INC-2026-0151");
    await dialog.getByRole("button", { name: "Open access and alert compliance" }).click();

    const toast = page.getByTestId("break-glass-opened");
    await toast.waitFor();
    const said = await toast.innerText();
    expect(said).toContain("欧阳锋");
    expect(said).toMatch(/open until \d{2}\/\d{2}\/\d{4}/);
    expect(said).toContain("Compliance has been alerted");

    const banner = page.getByTestId("break-glass-banner");
    await banner.waitFor();
    expect(await banner.innerText()).toContain("欧阳锋");
    const first = await banner.getByTestId("break-glass-countdown").innerText();
    expect(first).toMatch(/^(29|30):\d{2} left$/);
    await expect.poll(() => banner.getByTestId("break-glass-countdown").innerText(), { timeout: 5000 }).not.toBe(first);
    await page.screenshot({ path: `${SCREENSHOTS}break-glass-banner.png` });
    // Another screen: the banner stays.
    await page.goto(`${suite.baseUrl}/#/account`);
    await page.getByTestId("totp-card").waitFor();
    expect(await page.getByTestId("break-glass-banner").isVisible()).toBe(true);
    expect(suite.problems).toEqual([]);
  });
});
