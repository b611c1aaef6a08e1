/**
 * Disclosures in the console (issue #13), in Chinese: compliance registers a partner with its
 * due diligence and NDA; a lawyer asks for disclose approvals that the supervisor and compliance
 * grant on the approvals screen; the lawyer is refused for a partner without an NDA (the reason in
 * words), then discloses two clients under the masked-ID, birth-year profile and downloads the
 * package, whose bytes hold no full ID number or birth date; the partner page lists the holding.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { decideApproval } from "../../src/access/approvals/approval-decider.js";
import { requestApproval } from "../../src/access/approvals/approval-requester.js";
import { assessPartner } from "../../src/governance/partners/partner-assessments.js";
import { AssessmentInput, PartnerCreateInput } from "../../src/governance/partners/partner-inputs.js";
import { createPartner } from "../../src/governance/partners/partner-register.js";
import { DEFAULT_QUESTIONNAIRE } from "../../src/governance/partners/questionnaire.js";
import { DISCLOSURE_LEGAL_BASES } from "../../src/records/disclosures/disclosure.js";
import { LEGAL_BASES } from "../../web/console/pages/disclosures/model.js";
import { browserAvailable, browserSuite, choosePurpose, openOption, pick, SCREENSHOTS, signIn, submitUntilSent, confirmUntilSent } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, contextFor, residentId } from "../support/factories.js";

const PURPOSE = "case-handling";
const WAIT = { timeout: 30_000 };
const zhPartners = JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/partners.json", import.meta.url), "utf8")) as { answer: Record<string, string> };
const zh = JSON.parse(readFileSync(new URL("../../web/locales/zh-CN/disclosures.json", import.meta.url), "utf8")) as {
  refusal: Record<string, string>;
  legalBasis: Record<string, string>;
};
const GOOD_ANSWERS: Record<string, string> = {
  security_measures: "yes",
  mlps_level: "level_3",
  iso27001: "yes",
  breach_history: "none",
  sub_processors: "none",
  data_location: "mainland_china",
  encryption_at_rest: "yes",
  encryption_in_transit: "yes",
  access_control: "yes",
  incident_notification: "within_24h",
  deletion_at_end: "yes",
};
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** antd puts a space between the two characters of a two-character Chinese button label. */
const button = (label: string) => new RegExp(`^${[...label].join("\\s*")}$`);

describe("disclosures console: codes it labels", () => {
  it("offers every legal basis the API takes, each with a Chinese label, and a sentence for each partner refusal", () => {
    expect([...LEGAL_BASES].sort()).toEqual([...DISCLOSURE_LEGAL_BASES].sort());
    for (const b of DISCLOSURE_LEGAL_BASES) expect(zh.legalBasis[b], b).toMatch(/[\u4e00-\u9fff]/);
    for (const code of ["partner_no_nda", "transfer_basis_missing", "recipient_consent_required", "approval_required", "partner_level_exceeded"])
      expect(zh.refusal[code], code).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe.skipIf(!browserAvailable)("browser: disclosures to partners", () => {
  const suite = browserSuite();

  it("compliance registers a partner; approvals are granted; a refusal reads as words; the lawyer discloses two clients, downloads a package without full IDs or birth dates; the partner page lists the holding", async () => {
    const { services } = suite;
    const owner = await buildUser(services, "partner");
    const lawyer = await buildUser(services, "lawyer");
    const officer = await buildUser(services, "compliance");
    // A disclosure needs the requester's supervisor as one of its two approvers (APR-2).
    await sql`update users set supervisor_id = ${owner.actor.userId} where id = ${lawyer.actor.userId}`.execute(services.engine.db);
    const people = [
      { name: "周海燕", birth: "19850612", birthDate: "1985-06-12" },
      { name: "孙立伟", birth: "19900304", birthDate: "1990-03-04" },
    ];
    const clients = [];
    for (const p of people) {
      const idNumber = residentId(p.birth);
      const c = await buildClient(services, owner.actor, { name: p.name, idNumber, birthDate: p.birthDate });
      const matter = await buildMatter(services, owner.actor, c.id, [{ userId: lawyer.actor.userId, role: "member" }]);
      clients.push({ ...p, id: c.id, idNumber, matterId: matter.id });
    }
    // A second partner, assessed and active but without an NDA: the refusal case.
    const ctx = contextFor(officer.actor, null);
    const noNda = await createPartner(
      services,
      ctx,
      PartnerCreateInput.parse({
        name: "未签约鉴定中心",
        kind: "expert",
        piplRole: "independent_handler",
        jurisdiction: "CN",
        maxLevel: 3,
        dataCategories: ["identity", "government_id", "processing"],
        status: "active",
      }),
    );
    await assessPartner(services, ctx, noNda.id, AssessmentInput.parse({ answers: GOOD_ANSWERS }));

    // 1. Compliance registers the partner, assesses it (low risk) and records its NDA — in the UI.
    const desk = await suite.newPage();
    await signIn(desk, suite.baseUrl, officer.email, undefined, suite.now);
    await desk.getByRole("menuitem", { name: "合作方" }).click();
    await desk.getByRole("button", { name: "登记合作方" }).first().click();
    const add = desk.locator(".ant-modal").filter({ hasText: "登记合作方" });
    await add.getByLabel("机构名称", { exact: true }).fill("华信司法鉴定所");
    await pick(desk, add, "类型", "专家");
    await pick(desk, add, "《个人信息保护法》下的角色", "独立处理者");
    await add.getByLabel("所在法域", { exact: true }).fill("CN");
    await add.getByLabel("可接收的最高级别", { exact: true }).fill("3");
    await pick(desk, add, "状态", "合作中");
    await add.getByLabel("可接收的数据类别", { exact: true }).click();
    for (const category of ["身份信息", "证件号码", "处理信息"]) await openOption(desk, new RegExp(`^${category}$`)).click();
    // Closes the dropdown without closing the dialog.
    await add.getByLabel("机构名称", { exact: true }).click();
    await add.getByRole("button", { name: button("提交") }).click();
    const detail = desk.getByTestId("partner-detail");
    await expect.poll(() => detail.innerText(), WAIT).toContain("华信司法鉴定所");
    const partnerId = /#\/partners\/([0-9a-f-]{36})/.exec(desk.url())?.[1];
    expect(partnerId).toBeTruthy();

    await desk.getByRole("button", { name: "新建评估" }).click();
    const assess = desk.locator(".ant-modal").filter({ hasText: "尽职调查评估" });
    for (const q of DEFAULT_QUESTIONNAIRE.filter((x) => GOOD_ANSWERS[x.code])) {
      await pick(desk, assess, q.textZh, new RegExp(`^${zhPartners.answer[GOOD_ANSWERS[q.code]!]}$`));
    }
    await assess.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => desk.getByTestId("partner-assessment").first().innerText(), WAIT).toContain("低风险");

    await desk.getByRole("button", { name: "添加合同" }).click();
    const contract = desk.locator(".ant-modal").filter({ hasText: "添加合同" });
    await pick(desk, contract, "类型", "保密协议");
    await contract.getByLabel("版本", { exact: true }).fill("2026-1");
    await contract.getByLabel("签订日期", { exact: true }).fill(day(-30));
    await contract.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => detail.innerText(), WAIT).toContain("可接收数据");

    // 2. The lawyer asks for a disclose approval for the first client on the approvals screen.
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await choosePurpose(page, /案件办理/);
    await page.goto(`${suite.baseUrl}/#/approvals/new/${clients[0]!.id}/${clients[0]!.matterId}`);
    await expect.poll(() => page.getByTestId("client-picker").innerText(), WAIT).toContain("周海燕");
    await pick(page, page, "审批事项", "对外披露（双人审批）");
    await pick(page, page, "申请理由", "向法院提交材料");
    await page.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => page.getByTestId("approval-status").innerText(), WAIT).toBe("待审批");
    const approvalId = /#\/approvals\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    expect(approvalId).toBeTruthy();
    // The second client's approval through the API, to keep the test short.
    const second = await requestApproval(services, contextFor(lawyer.actor, null), {
      kind: "disclose",
      clientId: clients[1]!.id,
      purpose: PURPOSE,
      justification: "court_filing",
      durationMinutes: 240,
    });
    await decideApproval(services, contextFor(owner.actor, null), second.id, "approve");
    await decideApproval(services, contextFor(officer.actor, null), second.id, "approve");

    // The supervisor and compliance approve the first on the approvals screen (four-eyes).
    const boss = await suite.newPage();
    await signIn(boss, suite.baseUrl, owner.email, undefined, suite.now);
    for (const approver of [boss, desk]) {
      await approver.goto(`${suite.baseUrl}/#/approvals/${approvalId}`);
      await approver.getByRole("button", { name: button("批准") }).click();
      await confirmUntilSent(approver, approver.locator(".ant-popconfirm").getByRole("button", { name: /确\s*定|OK/ }));
      await expect.poll(() => approver.getByTestId("approval-decisions").locator(".ant-table-row").count(), WAIT).toBe(approver === boss ? 1 : 2);
    }
    await expect.poll(() => desk.getByTestId("approval-status").innerText(), WAIT).toBe("已批准");

    // 3. The lawyer's new disclosure: partner, clients and profile chosen by name.
    await page.getByRole("menuitem", { name: /(^|\s)对外披露$/ }).click();
    await page.getByTestId("new-disclosure").click();
    const form = page.locator("form");
    for (const c of clients) {
      await form.getByLabel("客户", { exact: true }).click();
      await page.keyboard.type(c.name);
      await openOption(page, c.name).waitFor(WAIT);
      await openOption(page, c.name).click();
    }
    await page.keyboard.press("Escape");
    await pick(page, form, "去标识化方案", "证件号码脱敏、仅出生年份");
    expect(await form.innerText()).toContain(zh.legalBasis.contract);

    // A partner without an NDA: refused, the reason in words and never the code.
    await form.getByLabel("接收方", { exact: true }).click();
    await page.keyboard.type("未签约");
    await openOption(page, "未签约鉴定中心").click();
    await page.getByTestId("disclosure-submit").click();
    const refusal = page.getByTestId("disclosure-refusal");
    await expect.poll(() => refusal.innerText(), WAIT).toContain(zh.refusal.partner_no_nda!);
    expect(await refusal.innerText()).not.toContain("partner_no_nda");

    // The registered partner: the package, downloaded and scanned.
    await form.getByLabel("接收方", { exact: true }).click();
    await page.keyboard.type("华信");
    await openOption(page, "华信司法鉴定所").click();
    await page.getByTestId("disclosure-submit").click();
    const done = page.getByTestId("disclosure-done");
    await expect.poll(() => done.innerText(), WAIT).toContain("已向华信司法鉴定所披露 2 位客户的信息");
    const packages: string[] = [];
    for (const which of ["download-json", "download-csv"]) {
      const downloading = page.waitForEvent("download");
      await page.getByTestId(which).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(which === "download-json" ? /\.json$/ : /\.csv$/);
      packages.push(await readFile((await download.path())!, "utf8"));
    }
    const parsed = JSON.parse(packages[0]!) as { manifest: { recordCount: number }; records: Record<string, string | null>[] };
    expect(parsed.manifest.recordCount).toBe(2);
    expect(parsed.records.map((r) => r.birthDate).sort()).toEqual(["1985", "1990"]);
    for (const bytes of packages) {
      for (const c of clients) {
        const [y, m, d] = c.birthDate.split("-");
        for (const form of [c.idNumber, c.birthDate, `${y}${m}${d}`, `${y}/${m}/${d}`, `${y}年${Number(m)}月${Number(d)}日`])
          expect(bytes.includes(form), `package holds ${form}`).toBe(false);
        expect(bytes.includes(c.name)).toBe(false);
        expect(bytes).toContain(`${c.idNumber.slice(0, 6)}********`);
      }
    }

    // The disclosure's record: what left and in what form, to whom, under which approval.
    await done.getByRole("button", { name: "查看披露记录" }).click();
    const record = page.getByTestId("disclosure-detail");
    await expect.poll(() => record.innerText(), WAIT).toContain("证件号码：脱敏");
    const text = await record.innerText();
    expect(text).toContain("出生日期：出生年份");
    expect(text).toContain("华信司法鉴定所");
    expect(text).toContain("证件号码脱敏、仅出生年份（第 1 版）");
    expect(text).toContain(zh.legalBasis.contract);
    const holdings = page.getByTestId("disclosure-holdings");
    await expect.poll(() => holdings.innerText(), WAIT).toContain("周海燕");
    expect(await holdings.innerText()).toContain("孙立伟");
    expect(await holdings.innerText()).toContain("对方持有中");
    expect(await holdings.getByRole("link", { name: "查看审批" }).first().getAttribute("href")).toMatch(/^#\/approvals\/[0-9a-f-]{36}$/);
    // The requester may ask for the rows back; the codes never show.
    expect(await page.getByTestId("request-return").isVisible()).toBe(true);
    expect(text).not.toMatch(/masked_ids_birth_year|partner_|contract\b/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}disclosures.png`, fullPage: true });

    // The rows asked back, then one client's deletion confirmed by the partner.
    await page.getByTestId("request-return").click();
    const asked = await submitUntilSent(
      page,
      page.locator(".ant-popconfirm").getByRole("button", { name: /确\s*定|OK/ }),
      (r) => r.method() === "POST" && r.url().endsWith("/return-request"),
    );
    expect(asked.ok()).toBe(true);
    await expect.poll(() => holdings.getByText("已要求返还或删除").count(), WAIT).toBe(2);
    const first = holdings.locator("tr.ant-table-row").filter({ hasText: "周海燕" });
    await first.getByRole("button", { name: "登记确认" }).click();
    const confirm = page.locator(".ant-modal").filter({ hasText: "登记合作方的返还或删除确认" });
    await confirm.getByLabel("确认单号", { exact: true }).fill("DEL-2026-0042");
    await confirm.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => first.innerText(), WAIT).toContain("已确认删除");
    expect(await first.innerText()).toContain("DEL-2026-0042");

    // The list: partner, purpose, profile, number of clients and what the partner still holds.
    await page.getByRole("button", { name: "返回披露记录" }).click();
    const row = page.getByTestId("disclosures-table").locator("tr.ant-table-row").first();
    await expect.poll(() => row.innerText(), WAIT).toContain("华信司法鉴定所");
    expect(await row.innerText()).toMatch(/案件办理[\s\S]*证件号码脱敏、仅出生年份[\s\S]*2[\s\S]*已要求返还 1 \/ 2/);

    // 4. The partner register shows the holding.
    await page.goto(`${suite.baseUrl}/#/partners/${partnerId}`);
    const held = page.getByTestId("partner-holdings-card");
    await expect.poll(() => held.innerText(), WAIT).toContain("外部持有");
    await expect.poll(() => held.innerText(), WAIT).toContain("周海燕");
    expect(await held.innerText()).toMatch(/对方仍持有的客户数\s*1/);
    expect(await held.innerText()).toMatch(/孙立伟[\s\S]*已要求返还或删除/);
    expect(await held.innerText()).toMatch(/周海燕[\s\S]*已确认删除/);

    // The refused partner holds nothing.
    await page.goto(`${suite.baseUrl}/#/partners/${noNda.id}`);
    await expect.poll(() => page.getByTestId("partner-holdings-card").innerText(), WAIT).toContain("该合作方未持有本所客户的信息");
    expect(suite.problems).toEqual([]);
  });
});
