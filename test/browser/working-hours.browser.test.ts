import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS, confirmUntilSent } from "../support/browser.js";
import { buildUser, staffNameOf } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: a user's working hours (off-hours rule calendar)", () => {
  const suite = browserSuite();

  it("an administrator sets a night-shift calendar with a leave day, then returns the user to the firm-wide hours", async () => {
    const admin = await buildUser(suite.services, "admin");
    const lawyer = await buildUser(suite.services, "lawyer");
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, admin.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/admin/users`);
    const row = page.getByTestId("users-table").locator(".ant-table-row", { hasText: lawyer.email });
    await row.getByTestId("user-working-hours").click();
    const card = page.getByTestId("working-hours-card");
    await card.getByTestId("working-hours-firm").waitFor();
    expect(await card.innerText()).toContain(`工作时间：${staffNameOf(lawyer)}`);

    await card.getByTestId("calendar-start").fill("20:00");
    await card.getByTestId("calendar-end").fill("23:00");
    await card.getByTestId("calendar-leave").locator("input").fill("2026-12-24");
    await card.getByTestId("calendar-leave").locator("input").press("Enter");
    await card.getByTestId("calendar-save").click();
    await card.getByTestId("working-hours-current").waitFor();
    const shown = await card.getByTestId("working-hours-current").innerText();
    expect(shown).toContain("周一 20:00–23:00");
    expect(shown).toContain("2026-12-24");

    const stored = await page.request.get(`${suite.baseUrl}/api/v1/users/${lawyer.actor.userId}/calendar`);
    expect((await stored.json()).calendar).toMatchObject({
      timeZone: "Asia/Shanghai",
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "20:00", end: "23:00" })),
      exceptions: [{ date: "2026-12-24", kind: "leave" }],
    });
    await page.screenshot({ path: `${SCREENSHOTS}admin-working-hours.png` });

    // An invalid time is refused in the form, before any request.
    await card.getByTestId("calendar-end").fill("25:00");
    await card.getByTestId("calendar-save").click();
    await card.getByText("格式 HH:MM，例如 09:00（结束可为 24:00）").waitFor();
    await card.getByTestId("calendar-end").fill("23:00");

    await card.getByRole("button", { name: "改用全所工作时间" }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm", { hasText: "删除此日历？" }).getByRole("button", { name: /确\s*定|OK/ }));
    await card.getByTestId("working-hours-firm").waitFor();
    expect((await (await page.request.get(`${suite.baseUrl}/api/v1/users/${lawyer.actor.userId}/calendar`)).json()).calendar).toBeNull();
    expect(suite.problems).toEqual([]);
  });
});
