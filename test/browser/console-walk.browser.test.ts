/**
 * The console walk (issue #15): every screen and every tab the menu offers, in Chinese and in
 * English, opened by the role that works there, over a database with records of each kind. On
 * every view:
 * - no bare UUID is shown and no field asks for one where a name exists;
 * - no raw code (`client.read`, `snake_case`) reaches the rendered text;
 * - axe-core finds no serious or critical accessibility violation.
 * Findings are collected over the whole walk and reported together, by screen.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createWall } from "../../src/access/walls/wall-creator.js";
import { axeViolations } from "../support/axe.js";
import { browserAvailable, browserSuite, choosePurpose, signIn } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, contextFor, type TestUser } from "../support/factories.js";
import { auth } from "../support/http.js";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** A code as the API spells it: dotted (`client.read`) or snake_case (`screened_by_wall`). */
const RAW_CODE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+(?:\.[a-z_]+)+\b/g;
/**
 * Text that legitimately looks like a code: e-mail addresses, URLs, file names, host names, and an
 * API token's public part (`cst_<random id>`, which a lowercase random id makes look like snake_case).
 */
const NOT_CODE = /\S+@\S+|\bcst_[\w-]+|https?:\/\/\S+|\b[\w-]+\.(?:pdf|csv|xlsx|json|zip|png|jpe?g|docx?|txt|test|com|cn|org|local)\b/gi;
/** A field asking for a record's id (an identity document's number is a person's data, not a record id). */
const ID_LABEL = /UUID|\bID\b(?! (?:number|type|document))|完整 ?ID|客户 ?ID|标识符/;

interface Finding {
  view: string;
  kind: "uuid" | "raw-code" | "id-field" | "axe";
  detail: string;
}

/** What a person sees on the current view that breaks the rules above. */
async function inspect(page: Page, view: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const text = (await page.locator("body").innerText()).replace(NOT_CODE, " ");
  const uuid = UUID.exec(text);
  if (uuid) findings.push({ view, kind: "uuid", detail: text.slice(Math.max(0, uuid.index - 40), uuid.index + 40).replace(/\s+/g, " ") });
  for (const code of new Set(text.match(RAW_CODE) ?? [])) findings.push({ view, kind: "raw-code", detail: code });
  const labels = await page
    .locator("label, input[placeholder], textarea[placeholder]")
    .evaluateAll((nodes) => nodes.map((n) => (n instanceof HTMLLabelElement ? n.innerText : (n as HTMLInputElement).placeholder)));
  for (const label of labels) if (ID_LABEL.test(label)) findings.push({ view, kind: "id-field", detail: label });
  for (const v of await axeViolations(page)) findings.push({ view, kind: "axe", detail: v });
  return findings;
}

/** Lets the view settle: requests answered, skeletons and spinners gone. */
async function settle(page: Page) {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await expect
    .poll(() => page.locator(".ant-spin-spinning, .ant-skeleton-active").count(), { timeout: 15_000 })
    .toBe(0)
    .catch(() => undefined);
  await page.waitForTimeout(150);
}

/** The menu's screen keys (antd writes them at the end of each item's data-menu-id). */
async function menuKeys(page: Page): Promise<string[]> {
  const ids = await page.locator("li.ant-menu-item[data-menu-id]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-menu-id") ?? ""));
  return ids.map((id) => id.replace(/^rc-menu-uuid-.*?_-/, "")).filter(Boolean);
}

/** Opens a view, then each of its tabs, inspecting each. */
async function walkView(page: Page, url: string, view: string, findings: Finding[]) {
  await page.goto(url);
  await settle(page);
  findings.push(...(await inspect(page, view)));
  const tabs = page.locator(".ant-tabs-tab:not(.ant-tabs-tab-active):visible");
  const names = await tabs.allInnerTexts();
  for (const name of names) {
    const tab = page.getByRole("tab", { name, exact: true }).first();
    if (!(await tab.isVisible())) continue;
    await tab.click();
    await settle(page);
    findings.push(...(await inspect(page, `${view} › ${name}`)));
  }
}

describe.skipIf(!browserAvailable)("browser: the console walk", () => {
  const suite = browserSuite();

  it("shows names, labels and accessible screens, never ids or codes, in Chinese and in English", { timeout: 900_000 }, async () => {
    const users: Record<string, TestUser> = {};
    for (const role of ["compliance", "partner", "lawyer", "admin", "auditor", "records-clerk"] as const) users[role] = await buildUser(suite.services, role);
    const { partner, lawyer, compliance } = users as Record<"partner" | "lawyer" | "compliance", TestUser>;
    const api = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(token), "x-purpose": "case-handling" }, ...(payload ? { payload } : {}) });

    // Records of each kind the screens list: clients, a matter with its team, a wall, an approval,
    // an alert raised by a refused read, an incident, a complaint and a report.
    const chen = await buildClient(suite.services, partner.actor, { name: "陈晓明", phone: "13900001111" });
    const li = await buildClient(suite.services, partner.actor, { name: "李华", phone: "13900002222" });
    const matter = await buildMatter(suite.services, partner.actor, chen.id, [{ userId: lawyer.actor.userId, role: "member" }], {
      title: "陈晓明诉某公司劳动争议",
    });
    await createWall(suite.services, contextFor(compliance.actor, null), {
      reason: "conflict_of_interest",
      clientIds: [li.id],
      screenedUserIds: [lawyer.actor.userId],
    });
    await api("GET", `/clients/${li.id}`, lawyer.token);
    await api("POST", "/approvals", lawyer.token, { kind: "export", clientId: chen.id, matterId: matter.id, reason: "向法院提交证据材料" });
    await api("POST", "/incidents", compliance.token, {
      category: "unauthorised_access",
      cause: "under_investigation",
      measures: [],
      peopleAffected: 1,
      l4Involved: false,
      leftFirm: false,
      euSubjects: false,
      contact: "privacy@firm.test",
    });
    await api("POST", "/reports", lawyer.token, { category: "data_misuse", description: "发现同事将客户材料发到个人邮箱。", anonymous: false });

    const findings: Finding[] = [];
    for (const lang of ["zh-CN", "en"] as const) {
      const seen = new Set<string>();
      for (const role of ["compliance", "partner", "admin", "auditor", "records-clerk", "lawyer"]) {
        const user = users[role]!;
        const page = await suite.newPage({ lang });
        suite.advance(31_000); // a TOTP code is accepted once: each sign-in gets a fresh step
        const secret = await signIn(page, suite.baseUrl, user.email, (user as TestUser & { secret?: string }).secret, suite.now);
        (user as TestUser & { secret?: string }).secret = secret;
        await choosePurpose(page, /案件办理|Case handling/).catch(() => undefined);
        await settle(page);
        for (const key of await menuKeys(page)) {
          if (seen.has(key)) continue;
          seen.add(key);
          await walkView(page, `${suite.baseUrl}/#/${key}`, `${lang} ${role} ${key}`, findings);
        }
        if (role === "partner") {
          await walkView(page, `${suite.baseUrl}/#/clients/${chen.id}`, `${lang} partner client`, findings);
          await walkView(page, `${suite.baseUrl}/#/matters/${matter.id}`, `${lang} partner matter`, findings);
        }
        if (role === "compliance") await walkView(page, `${suite.baseUrl}/#/account`, `${lang} compliance account`, findings);
        await page.context().close();
      }
    }
    const report = findings.map((f) => `${f.view} [${f.kind}] ${f.detail}`);
    if (process.env.CUSTODIA_WALK_REPORT) (await import("node:fs")).writeFileSync(process.env.CUSTODIA_WALK_REPORT, `${report.join("\n")}\n`);
    expect(report).toEqual([]);
    expect(suite.problems).toEqual([]);
  });
});
