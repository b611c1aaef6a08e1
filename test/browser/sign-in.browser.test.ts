import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS, submitUntilSent } from "../support/browser.js";
import { buildUser } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: sign-in, second factor, sessions", () => {
  const suite = browserSuite();

  it("enrols a partner's authenticator on first sign-in, then signs in with a code; sign-out everywhere ends the session", async () => {
    const partner = await buildUser(suite.services, "partner");
    const page = await suite.newPage();
    await page.goto(`${suite.baseUrl}/`);
    // The page carries a strict CSP with a per-response nonce.
    const response = await page.request.get(`${suite.baseUrl}/`);
    const csp = response.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    await page.screenshot({ path: `${SCREENSHOTS}sign-in.png` });

    const secret = await signIn(page, suite.baseUrl, partner.email, undefined, suite.now);
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByTestId("user-menu").click();
    await page.getByText("我的账户", { exact: true }).last().click();
    await expect.poll(() => page.getByText("登录会话", { exact: true }).isVisible()).toBe(true);
    // One live session (the page also lists the notification subscriptions a partner starts with).
    expect(await page.locator(".ant-card", { hasText: "登录会话" }).locator(".ant-table-row").count()).toBe(1);

    // Sign out everywhere: the console returns to the sign-in page and the cookie no longer works.
    await page.getByRole("button", { name: "在所有设备上退出" }).click();
    // Clicked again only while the request has not gone out (a click during the dialog's zoom-in is lost on a loaded machine).
    const ended = await submitUntilSent(
      page,
      page.getByRole("button", { name: /OK|确\s*定/ }),
      (r) => r.method() === "POST" && r.url().endsWith("/auth/logout-all"),
    );
    expect(ended.status()).toBe(200);
    await expect.poll(() => page.getByText("已在所有设备上退出。").isVisible(), { timeout: 20_000 }).toBe(true);
    const me = await page.request.get(`${suite.baseUrl}/api/v1/auth/me`);
    expect(me.status()).toBe(401);

    // A second sign-in asks for the code (enrolment done) and lands in the console.
    const page2 = await suite.newPage({ lang: "en" });
    suite.advance(31_000); // the enrolment code's time step is spent; the next one is not
    await signIn(page2, suite.baseUrl, partner.email, secret, suite.now);
    expect(await page2.getByTestId("user-menu").innerText()).toContain("Partner");
    expect(suite.problems).toEqual([]);
  });

  it("a wrong password shows the API's message in the chosen language, without saying which part was wrong", async () => {
    const page = await suite.newPage({ lang: "en" });
    await page.goto(`${suite.baseUrl}/`);
    await page.getByLabel("Email").fill("nobody@firm.test");
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByTestId("sign-in-error").innerText()).toBe("The email or password is wrong.");
    expect(suite.problems).toEqual([]);
  });
});
