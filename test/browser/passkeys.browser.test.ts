import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS, confirmUntilSent } from "../support/browser.js";
import { buildUser, TEST_PASSWORD } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: passkeys", () => {
  const suite = browserSuite();

  it("a partner adds a passkey on the account page, signs out, and signs in with password and passkey", async () => {
    // WebAuthn needs a secure context and a host name as RP ID: http://localhost is both, while
    // 127.0.0.1 is secure but an IP address, which browsers refuse as an RP ID.
    const base = suite.baseUrl.replace("127.0.0.1", "localhost");
    const partner = await buildUser(suite.services, "partner");
    const page = await suite.newPage({ lang: "en" });
    // Chromium's virtual authenticator: a platform authenticator that always verifies the user.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    // First sign-in enrols TOTP (a partner must have a second factor before anything else).
    await signIn(page, base, partner.email, undefined, suite.now);
    await page.goto(`${base}/#/account`);
    const card = page.getByTestId("passkeys-card");
    await card.waitFor();
    await expect.poll(() => card.getByText("No passkeys yet.").isVisible()).toBe(true);
    await card.getByLabel("Name").fill("Office laptop");
    await page.getByTestId("passkey-add").click();
    await expect.poll(() => page.getByText("Passkey added.").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("passkeys-table").getByText("Office laptop").isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}account-passkeys.png`, fullPage: true });
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    const stored = await suite.services.engine.db.selectFrom("passkeys").selectAll().where("user_id", "=", partner.actor.userId).executeTakeFirstOrThrow();
    expect(stored.label).toBe("Office laptop");
    expect(Buffer.from(stored.credential_id, "base64url").equals(Buffer.from(credentials[0]!.credentialId, "base64"))).toBe(true);

    // Sign out, then password and passkey: no authenticator code typed.
    await page.getByTestId("user-menu").click();
    await page.getByText("Sign out", { exact: true }).click();
    await page.getByLabel("Email", { exact: true }).waitFor();
    await page.getByLabel("Email", { exact: true }).fill(partner.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    const usePasskey = page.getByTestId("passkey-sign-in");
    await usePasskey.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}sign-in-passkey.png` });
    await usePasskey.click();
    await page.getByTestId("user-menu").waitFor();
    expect(await page.getByTestId("user-menu").innerText()).toContain("Partner");

    const event = await suite.services.engine.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "auth.passkey")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_id: partner.actor.userId, outcome: "success" });
    expect(JSON.parse(event.details!)).toMatchObject({ passkeyId: stored.id });
    const used = await suite.services.engine.db
      .selectFrom("passkeys")
      .select(["last_used_at", "counter"])
      .where("id", "=", stored.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();

    // Removing it from the account page: the next sign-in offers the passkey but the server has none.
    await page.goto(`${base}/#/account`);
    await page.getByTestId("passkeys-table").getByRole("button", { name: "Remove" }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: /OK|Remove/ }));
    await expect.poll(() => page.getByText("Passkey removed.").isVisible()).toBe(true);
    expect(await suite.services.engine.db.selectFrom("passkeys").select("id").where("user_id", "=", partner.actor.userId).execute()).toEqual([]);
    expect(suite.problems).toEqual([]);
  });
});
