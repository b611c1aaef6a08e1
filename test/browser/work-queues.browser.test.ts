import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS } from "../support/browser.js";
import { buildClient, buildUser, staffNameOf } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: home page work queues, menu counters, grouped menu, breadcrumbs", () => {
  const suite = browserSuite();

  it("a lawyer sees the approval awaiting them on the home page and in the menu, and opens it", async () => {
    const partner = await buildUser(suite.services, "partner");
    const lawyer = await buildUser(suite.services, "lawyer");
    const junior = await buildUser(suite.services, "lawyer");
    await suite.services.engine.db.updateTable("users").set({ supervisor_id: lawyer.actor.userId }).where("id", "=", junior.actor.userId).execute();
    const client = await buildClient(suite.services, partner.actor, { name: "沈佳怡" });
    const res = await fetch(`${suite.baseUrl}/api/v1/approvals`, {
      method: "POST",
      headers: { authorization: `Bearer ${junior.token}`, "content-type": "application/json" },
      body: JSON.stringify({ kind: "export", clientId: client.id, purpose: "case-handling", justification: "court_filing", durationMinutes: 60 }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const approvalId = ((await res.json()) as { id: string }).id;

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);

    // The home page: the approval by kind and requester, never by id.
    const card = page.getByTestId("work-approvalsToDecide");
    await expect.poll(() => card.innerText(), { timeout: 20_000 }).toContain("导出");
    await expect.poll(() => card.innerText()).toContain(staffNameOf(junior));
    expect(await card.innerText()).not.toContain(approvalId);
    expect(await page.getByTestId("work-myMatters").count()).toBe(1);
    expect(await page.getByTestId("work-newAlerts").count()).toBe(0); // compliance's queue, not a lawyer's

    // The menu: grouped, with the counter next to the approvals entry.
    const menu = page.getByTestId("side-menu");
    for (const group of ["业务", "合规", "监督"]) await expect.poll(() => menu.innerText()).toContain(group);
    await expect.poll(() => page.getByTestId("menu-badge-approvals").innerText()).toBe("1");

    // The user menu names who is signed in.
    await page.getByTestId("user-menu").hover();
    await expect.poll(() => page.getByTestId("user-menu-who").innerText()).toContain(lawyer.email);
    await page.screenshot({ path: `${SCREENSHOTS}home-lawyer.png`, fullPage: true });

    // Click the item: the approval opens, under its breadcrumb.
    await card.getByTestId("work-item").first().click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/approvals/${approvalId}`);
    const crumbs = page.getByTestId("breadcrumb");
    await expect.poll(() => crumbs.innerText()).toMatch(/业务\s*\/\s*审批\s*\/\s*详情/);
    expect(suite.problems).toEqual([]);
  });

  it("compliance: the firm's queues above the KPI cards, and a KPI card drills down", async () => {
    const compliance = await buildUser(suite.services, "compliance");
    const page = await suite.newPage({ lang: "en" });
    await signIn(page, suite.baseUrl, compliance.email, undefined, suite.now);
    await page.getByTestId("work-breakGlassToReview").waitFor({ timeout: 20_000 });
    for (const queue of ["requestsDue", "newAlerts", "incidentDuties"]) expect(await page.getByTestId(`work-${queue}`).count()).toBe(1);
    const myWork = await page.getByTestId("my-work").boundingBox();
    await page.getByTestId("kpi-overdueRequests").waitFor();
    const kpi = await page.getByTestId("kpi-overdueRequests").boundingBox();
    expect(myWork!.y).toBeLessThan(kpi!.y);
    await page.screenshot({ path: `${SCREENSHOTS}home-compliance.png`, fullPage: true });
    await page.getByTestId("kpi-overdueRequests").click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe("#/requests");
    await expect.poll(() => page.getByTestId("breadcrumb").innerText()).toMatch(/Compliance\s*\/\s*Client requests/i);
    expect(suite.problems).toEqual([]);
  });
});
