import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../src/response/notifications/delivery.js";
import type { MailMessage } from "../../src/response/notifications/email.js";
import { browserAvailable, browserSuite, signIn, SCREENSHOTS, confirmUntilSent } from "../support/browser.js";
import { buildClient, buildUser } from "../support/factories.js";
import { auth } from "../support/http.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** antd puts a space between the two characters of a two-character Chinese button label. */
const button = (label: string) => new RegExp(`^${[...label].join("\\s*")}$`);

describe.skipIf(!browserAvailable)("browser: incident evidence and client notices", () => {
  const suite = browserSuite();
  const api = (method: "GET" | "POST", url: string, token: string, payload?: object, purpose?: string) =>
    suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(token, purpose), ...(payload ? { payload } : {}) });

  it("compliance uploads evidence, downloads the same bytes, and emails the notice to the affected clients", async () => {
    const officer = await buildUser(suite.services, "compliance");
    const reader = await buildUser(suite.services, "partner");
    const withEmail = await buildClient(suite.services, reader.actor, { name: "林晓雯", email: "lin.xiaowen@example.cn" });
    const without = await buildClient(suite.services, reader.actor, { name: "周建国", email: undefined });
    await sleep(5);
    const from = new Date().toISOString();
    for (const c of [withEmail, without]) expect((await api("GET", `/clients/${c.id}`, reader.token, undefined, "case-handling")).statusCode).toBe(200);
    await sleep(5);
    const incident = (
      await api("POST", "/incidents", officer.token, {
        source: "partner",
        category: "unauthorised_access",
        cause: "credential_compromise",
        measures: ["credentials_revoked"],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: false,
        euSubjects: false,
        contact: "privacy@firm.test",
      })
    ).json();
    expect(
      (await api("POST", `/incidents/${incident.id}/blast-radius`, officer.token, { userId: reader.actor.userId, from, to: new Date().toISOString() })).json()
        .affectedClients,
    ).toHaveLength(2);

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/incidents/${incident.id}`);
    const evidence = page.getByTestId("incident-evidence");
    await expect.poll(() => evidence.innerText()).toContain("暂无证据");

    // Upload: file input → base64 JSON.
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(300_000)]);
    await page.getByTestId("evidence-file").setInputFiles({ name: "访问日志截图.pdf", mimeType: "application/pdf", buffer: bytes });
    await evidence.getByRole("button", { name: button("上传") }).click();
    const table = page.getByTestId("evidence-table");
    await expect.poll(() => table.innerText()).toContain("访问日志截图.pdf");
    expect(await table.innerText()).toContain(createHash("sha256").update(bytes).digest("hex").slice(0, 16));

    // Download through fetch + Blob: the same bytes come back.
    const downloading = page.waitForEvent("download");
    await table.getByRole("button", { name: button("下载") }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("访问日志截图.pdf");
    expect((await readFile((await download.path())!)).equals(bytes)).toBe(true);

    // Notify clients: one queued, one listed as not sent for follow-up.
    const sends = page.getByTestId("incident-notice-sends");
    await sends.getByRole("button", { name: "通知客户" }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: "通知客户" }));
    const sendTable = page.getByTestId("notice-sends-table");
    await expect.poll(() => sendTable.innerText()).toContain("l***@example.cn");
    expect(await sendTable.innerText()).toMatch(/排队中/);
    expect(await sendTable.innerText()).toMatch(/未发送[\s\S]*无联系方式，需跟进/);

    const mails: MailMessage[] = [];
    await deliverDue(suite.services, new Date(), { mail: { sendMail: async (m) => void mails.push(m) } });
    expect(mails.map((m) => m.to)).toEqual(["lin.xiaowen@example.cn"]);
    expect(mails[0]!.body).toContain("尊敬的林晓雯：");
    await page.reload();
    await expect.poll(() => page.getByTestId("notice-sends-table").innerText()).toContain("已发送");
    await page.getByTestId("incident-evidence").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}incident-evidence.png`, fullPage: true });
    expect(suite.problems).toEqual([]);
  });
});
