/**
 * Training and agreements in the console (issue #14), in Chinese: compliance creates a course with
 * a one-question quiz and assigns it to lawyers; a lawyer signs in, takes the course, fails once,
 * passes, and the completion shows; compliance publishes a new staff NDA version and the lawyer
 * sees the prompt to acknowledge it, acknowledges, and the prompt goes.
 */
import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, pick, SCREENSHOTS, signIn } from "../support/browser.js";
import { buildUser } from "../support/factories.js";

const WAIT = { timeout: 30_000 };
/** antd puts a space between the two characters of a two-character Chinese button label. */
const button = (label: string) => new RegExp(`^${[...label].join("\\s*")}$`);

describe.skipIf(!browserAvailable)("browser: training and agreements", () => {
  const suite = browserSuite();

  it("compliance creates and assigns a course; a lawyer fails, then passes; a new NDA version prompts the lawyer to acknowledge", async () => {
    const { services } = suite;
    const officer = await buildUser(services, "compliance");
    const lawyer = await buildUser(services, "lawyer");
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

    // 1. Compliance creates the course with its quiz and assigns it to the lawyer role.
    const desk = await suite.newPage();
    await signIn(desk, suite.baseUrl, officer.email, undefined, suite.now);
    await desk.getByRole("menuitem", { name: "培训与协议" }).click();
    await desk.getByRole("tab", { name: "课程与指派" }).click();
    await desk.getByRole("button", { name: "新建课程" }).click();
    const form = desk.locator(".ant-modal").filter({ hasText: "新建课程" });
    await form.getByLabel("标题（中文）", { exact: true }).fill("电子证据保全须知");
    await form.getByLabel("标题（英文）", { exact: true }).fill("Preserving electronic evidence");
    await form.getByLabel("课程内容（中文，Markdown）", { exact: true }).fill("# 须知\n证据文件只能存放在系统内。");
    await form.getByLabel("题目（中文）", { exact: true }).fill("证据文件应存放在哪里？");
    await form.getByLabel("选项", { exact: true }).fill("个人网盘 | Personal cloud\n本所系统内 | Inside the firm's system");
    await pick(desk, form, "正确选项", "第 2 项");
    await form.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => form.isVisible(), WAIT).toBe(false);
    const row = desk.getByTestId("courses-table").locator("tr").filter({ hasText: "电子证据保全须知" });
    await row.getByRole("button", { name: button("指派") }).click();
    const assign = desk.locator(".ant-modal").filter({ hasText: "指派课程" });
    await pick(desk, assign, "角色", /^律师$/);
    await assign.getByLabel("截止日期", { exact: true }).click();
    await assign.getByLabel("截止日期", { exact: true }).fill(due);
    await desk.keyboard.press("Enter");
    await assign.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => assign.isVisible(), WAIT).toBe(false);

    // 2. The lawyer takes it: a wrong answer fails, the right one passes and the completion shows.
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await page.getByRole("menuitem", { name: "培训与协议" }).click();
    const mine = page.getByTestId("my-training").locator("tr").filter({ hasText: "电子证据保全须知" });
    await expect.poll(() => mine.innerText(), WAIT).toContain(due);
    await mine.getByRole("button", { name: "参加培训" }).click();
    const quiz = page.locator(".ant-modal").filter({ hasText: "电子证据保全须知" });
    await expect.poll(() => quiz.getByTestId("course-content").innerText(), WAIT).toContain("证据文件只能存放在系统内");
    await quiz.getByLabel("个人网盘").check();
    await quiz.getByRole("button", { name: "提交答案" }).click();
    await expect.poll(() => quiz.getByTestId("quiz-result").innerText(), WAIT).toContain("未通过");
    await quiz.getByRole("button", { name: "重新作答" }).click();
    await quiz.getByLabel("本所系统内").check();
    await quiz.getByRole("button", { name: "提交答案" }).click();
    await expect.poll(() => quiz.getByTestId("quiz-result").innerText(), WAIT).toContain("测验通过");
    await quiz.getByRole("button", { name: button("完成") }).click();
    await expect.poll(() => mine.innerText(), WAIT).toContain("有效至");
    await expect.poll(() => mine.innerText(), WAIT).toContain("按时完成");
    await page.screenshot({ path: `${SCREENSHOTS}training-mine.png` });

    // 3. Compliance publishes a new staff NDA version; the lawyer is prompted to acknowledge it.
    await desk.getByRole("tab", { name: "协议版本" }).click();
    await desk.getByRole("button", { name: "发布新版本" }).click();
    const publish = desk.locator(".ant-modal").filter({ hasText: "发布新版本" });
    await publish.getByLabel("标题（中文）", { exact: true }).fill("员工保密协议（2027 年修订）");
    await publish.getByLabel("标题（英文）", { exact: true }).fill("Staff confidentiality agreement (2027)");
    await publish.getByLabel("协议正文（中文）", { exact: true }).fill("本人承诺对委托人信息严格保密。");
    await publish.getByLabel("协议正文（英文）", { exact: true }).fill("I keep client information strictly confidential.");
    await publish.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => publish.isVisible(), WAIT).toBe(false);
    await expect.poll(() => desk.getByTestId("agreements-table").innerText(), WAIT).toContain("第 2 版");

    await page.reload();
    const prompt = page.getByTestId("agreement-prompt");
    await expect.poll(() => prompt.innerText(), WAIT).toContain("员工保密协议（2027 年修订）");
    await page.screenshot({ path: `${SCREENSHOTS}training-agreement-prompt.png` });
    await prompt.getByRole("button", { name: "阅读并确认" }).click();
    const reading = page.locator(".ant-modal").filter({ hasText: "本人承诺对委托人信息严格保密" });
    await reading.getByRole("button", { name: "我已阅读并同意" }).click();
    await expect.poll(() => prompt.count(), WAIT).toBe(0);
    const ack = await services.engine.db
      .selectFrom("agreement_acknowledgements")
      .select(["version", "source"])
      .where("user_id", "=", lawyer.actor.userId)
      .orderBy("version", "desc")
      .executeTakeFirstOrThrow();
    expect(ack).toEqual({ version: 2, source: "electronic" });
    expect(suite.problems).toEqual([]);
  }, 240_000);
});
