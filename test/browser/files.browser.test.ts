/**
 * Client files in the console (issue #11): a partner uploads a PDF holding a resident ID, sees the
 * finding and the raised level, previews it, makes a redacted copy, shares it, downloads a
 * watermarked copy; a compliance officer traces that copy on the trace screen to the partner.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "playwright-core";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { CATEGORY_LEVELS as SERVER_LEVELS, DOCUMENT_CATEGORIES } from "../../src/records/documents/document.js";
import { PII_TYPES as SERVER_PII } from "../../src/records/documents/pii/types.js";
import { CATEGORIES, CATEGORY_LEVELS, levelsFor, PII_TYPES } from "../../web/console/pages/files/model.js";
import { browserAvailable, browserSuite, choosePurpose, SCREENSHOTS, signIn } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, residentId, staffNameOf, type TestUser } from "../support/factories.js";
import { auth } from "../support/http.js";

const PURPOSE = "case-handling";
/** antd puts a space between the two characters of a two-character Chinese button label; an icon's name may come first. */
const button = (label: string) => new RegExp(`(^|\\s)${[...label].join("\\s*")}$`);
const zh = JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/files.json", import.meta.url), "utf8")) as { pii: Record<string, string> };

describe("files console: codes it labels", () => {
  it("has the server's categories, default levels and PII types, each with a label in both languages", () => {
    expect([...CATEGORIES]).toEqual([...DOCUMENT_CATEGORIES]);
    expect(CATEGORY_LEVELS).toEqual({ ...SERVER_LEVELS });
    expect([...PII_TYPES]).toEqual([...SERVER_PII]);
    for (const type of SERVER_PII) expect(zh.pii[type], type).toMatch(/[\u4e00-\u9fff]/);
    for (const c of DOCUMENT_CATEGORIES) {
      expect(levelsFor(c)[0]).toBe(SERVER_LEVELS[c]);
      expect(levelsFor(c).at(-1)).toBe(4);
    }
  });
});

describe.skipIf(!browserAvailable)("browser: client files", () => {
  const suite = browserSuite();
  const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object) =>
    suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, PURPOSE), ...(payload ? { payload } : {}) });

  async function approve(kind: "copy_document" | "forward_document", requester: TestUser, clientId: string, approvers: TestUser[]) {
    const asked = await call("POST", "/approvals", requester, {
      kind,
      clientId,
      purpose: PURPOSE,
      justification: "court_filing",
      reference: "FILES-1",
      durationMinutes: 240,
    });
    expect(asked.statusCode).toBe(201);
    let status = "";
    for (const approver of approvers) status = (await call("POST", `/approvals/${asked.json().id}/approve`, approver, {})).json().status;
    expect(status).toBe("approved");
  }

  /** The row of the document list whose title cell shows exactly this title. */
  const row = (page: Page, title: string) =>
    page
      .getByTestId("document-list")
      .locator("tr.ant-table-row")
      .filter({ has: page.getByTestId("document-title").getByText(title, { exact: true }) });

  /** Picks an operation from a row's "更多" menu (the open dropdown is outside the row). */
  async function more(page: Page, row: Locator, action: string) {
    await row.getByRole("button", { name: button("更多") }).click();
    await page
      .locator(".ant-dropdown:not(.ant-dropdown-hidden)")
      .getByRole("menuitem", { name: new RegExp(`(^|\\s)${action}$`) })
      .click();
  }

  it("a partner uploads, previews, redacts, shares and downloads a file; compliance traces the downloaded copy to the partner", async () => {
    const partner = await buildUser(suite.services, "partner");
    const officer = await buildUser(suite.services, "compliance");
    const client = await buildClient(suite.services, partner.actor, { name: "赵文博" });
    const matter = await buildMatter(suite.services, partner.actor, client.id, [], { title: "赵文博劳动争议" });
    const canary = residentId("19791103");
    // The download's approval, granted beforehand through the API (the share's comes later).
    await approve("copy_document", partner, client.id, [officer]);

    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage().drawText(`Statement of claim. Claimant ID ${canary}. Hearing on 12 May.`, { x: 40, y: 700, size: 12, font });
    const original = Buffer.from(await pdf.save());

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, partner.email, undefined, suite.now);
    await choosePurpose(page, /案件办理/);
    await page.goto(`${suite.baseUrl}/#/clients/${client.id}`);
    await page.getByRole("tab", { name: "文件" }).click();
    const tab = page.getByTestId("files-tab");
    await expect.poll(() => tab.innerText()).toContain("该客户暂无文件");

    // Upload through the drop box's file input; the title follows the file name.
    await page.getByTestId("document-drop").locator('input[type="file"]').setInputFiles({ name: "起诉状.pdf", mimeType: "application/pdf", buffer: original });
    await expect.poll(() => page.getByTestId("document-drop-chosen").innerText()).toContain("起诉状.pdf");
    await expect.poll(() => page.getByLabel("标题", { exact: true }).inputValue()).toBe("起诉状");
    await page.getByLabel("案件", { exact: true }).click();
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter({ hasText: "赵文博劳动争议" }).click();
    await tab.getByRole("button", { name: button("上传") }).click();
    const uploaded = row(page, "起诉状");
    await expect.poll(() => uploaded.count()).toBe(1);
    const cells = await uploaded.innerText();
    expect(cells).toContain("居民身份证号 × 1");
    expect(cells).toContain("L4");
    expect(cells).toContain("案件文件");
    expect(cells).toContain("已扫描");
    expect(cells).not.toContain(canary);
    await page.screenshot({ path: `${SCREENSHOTS}files-tab.png`, fullPage: true });

    // Preview: the page text, in the console only.
    await uploaded.getByRole("button", { name: button("预览") }).click();
    const pages = page.getByTestId("preview-pages");
    await expect.poll(() => pages.innerText()).toContain("第 1 页");
    expect(await pages.innerText()).toContain("Statement of claim");
    expect(await pages.innerText()).toContain("PDF 文字层");
    await page.keyboard.press("Escape");
    await pages.waitFor({ state: "detached" });

    // Versions drawer: where the finding is, by page and type.
    await more(page, uploaded, "版本");
    await expect.poll(() => page.getByTestId("finding-places").innerText()).toContain("第 1 页 · 居民身份证号");
    await page.keyboard.press("Escape");
    await page.getByTestId("document-versions").waitFor({ state: "detached" });

    // A redacted copy: a new document without the identifier, at the category's level.
    await more(page, uploaded, "生成脱敏副本");
    await page
      .locator(".ant-modal")
      .getByRole("button", { name: button("生成") })
      .click();
    const redacted = row(page, "起诉状（脱敏副本）");
    // Redacting a PDF regenerates it and scans the copy (OCR included): slow on a loaded machine.
    await expect.poll(() => redacted.count(), { timeout: 90_000 }).toBe(1);
    expect(await redacted.innerText()).toContain("已脱敏");
    expect(await redacted.innerText()).toContain("L3");
    expect(await redacted.innerText()).not.toContain("居民身份证号");

    // Sharing the redacted copy: refused for want of a forward approval, with the way to ask;
    // once granted, the link to copy and the code sent to the recipient.
    await redacted.getByRole("button", { name: "对外分享" }).click();
    const dialog = page.locator(".ant-modal").filter({ hasText: "对外分享：起诉状（脱敏副本）" });
    await dialog.getByLabel("收件人姓名", { exact: true }).fill("钱立群");
    await dialog.getByLabel("所属机构", { exact: true }).fill("上海市第一中级人民法院");
    await dialog.getByLabel("收件人邮箱", { exact: true }).fill("qian.liqun@court.example.cn");
    await dialog.getByRole("button", { name: "生成分享链接" }).click();
    await expect.poll(() => page.getByTestId("share-error").innerText()).toContain("对外转发须先获得“转发文件”审批");
    expect(await page.getByTestId("share-request-approval").innerText()).toBe("申请转发审批");
    await approve("forward_document", partner, client.id, [officer]);
    await dialog.getByRole("button", { name: "生成分享链接" }).click();
    await expect.poll(() => dialog.innerText()).toContain("分享链接已生成");
    expect(await dialog.innerText()).toContain("提取码已发送至收件人邮箱");
    expect(await page.getByTestId("share-link").innerText()).toMatch(new RegExp(`^${suite.baseUrl}/shared/cds_`));
    await expect.poll(() => page.getByTestId("share-list").innerText()).toContain("钱立群");
    expect(await page.getByTestId("share-list").innerText()).toMatch(/法院[\s\S]*有效[\s\S]*0 \/ 1/);
    await page.screenshot({ path: `${SCREENSHOTS}files-share.png`, fullPage: true });
    await dialog.getByRole("button", { name: button("完成") }).click();
    await dialog.waitFor({ state: "detached" });

    // Download: a registered, watermarked copy, its number shown.
    const downloading = page.waitForEvent("download");
    await uploaded.getByRole("button", { name: button("下载") }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("起诉状.pdf");
    const copy = await readFile((await download.path())!);
    expect(copy.subarray(0, 5).toString()).toBe("%PDF-");
    expect(copy.equals(original)).toBe(false);
    const copyId = (await page.getByTestId("copy-id").innerText()).trim();
    expect(copyId).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.getByTestId("download-copy").innerText()).toContain("副本编号");

    // The matter's files: the upload filed under it, and the redacted copy made from it.
    await page.goto(`${suite.baseUrl}/#/matters/${matter.id}`);
    await expect.poll(() => page.getByTestId("document-list").locator("tr.ant-table-row").count()).toBe(2);
    expect(await row(page, "起诉状").innerText()).toContain("L4");
    await page.goto(`${suite.baseUrl}/#/clients/${client.id}`);
    await page.getByRole("tab", { name: "文件" }).click();

    // Compliance traces the leaked copy: the download, by the partner, with its evidence and audit event.
    const desk = await suite.newPage();
    await signIn(desk, suite.baseUrl, officer.email, undefined, suite.now);
    await desk.getByRole("menuitem", { name: "追查泄露文件" }).click();
    await desk.getByTestId("trace-drop").locator('input[type="file"]').setInputFiles({ name: "网上流出.pdf", mimeType: "application/pdf", buffer: copy });
    await desk.getByRole("button", { name: "开始追查" }).click();
    const copies = desk.getByTestId("trace-copies");
    await expect.poll(() => copies.innerText()).toContain(copyId);
    const traced = copies.locator("tr.ant-table-row").filter({ hasText: copyId });
    // The downloader by name, once the staff directory has answered.
    await expect.poll(() => traced.innerText()).toContain(staffNameOf(partner));
    const text = await traced.innerText();
    expect(text).toContain("下载");
    expect(text).toContain("第 1 版");
    expect(text).toMatch(/文档元数据指纹|隐藏文字指纹|版面几何指纹/);
    expect(text).not.toMatch(/invisible_text|metadata|geometry|download/);
    expect(await traced.getByRole("link", { name: "打开客户" }).getAttribute("href")).toBe(`#/clients/${client.id}`);
    await desk.screenshot({ path: `${SCREENSHOTS}files-trace.png`, fullPage: true });

    // The recipient register names the outside holder of the shared copy.
    await desk.getByRole("tab", { name: "外部收件人登记" }).click();
    await expect.poll(() => desk.getByTestId("share-register").innerText()).toContain("钱立群");
    expect(await desk.getByTestId("share-register").innerText()).toMatch(/L3[\s\S]*法院[\s\S]*有效/);

    // The partner has no trace screen; in English every code still reads as words.
    expect(await page.getByRole("menuitem", { name: "追查泄露文件" }).count()).toBe(0);
    await page.getByText("English", { exact: true }).click();
    await expect.poll(() => uploaded.innerText()).toContain("Resident ID × 1");
    expect(await uploaded.innerText()).toMatch(/Case file[\s\S]*L4[\s\S]*Scanned/);
    expect(suite.problems).toEqual([]);
  });
});
