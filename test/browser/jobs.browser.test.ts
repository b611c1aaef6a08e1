import { describe, expect, it } from "vitest";
import { claimRun, finishRun } from "../../src/governance/jobs/job-runs.js";
import { JobScheduler } from "../../src/governance/jobs/job-scheduler.js";
import { jobSettingsFromEnv } from "../../src/governance/jobs/job-settings.js";
import { FileKeyProvider } from "../../src/vault/key-provider.js";
import { browserAvailable, browserSuite, SCREENSHOTS, signIn, confirmUntilSent } from "../support/browser.js";
import { buildUser } from "../support/factories.js";

describe.skipIf(!browserAvailable)("browser: scheduled jobs console (issue #16)", () => {
  let scheduler: JobScheduler;
  const suite = browserSuite({
    server: (s) => {
      // Not started: the test runs jobs itself, so nothing fires on a timer mid-test.
      const keyProvider = new FileKeyProvider(s.db.config.masterKeyFile, { create: false });
      scheduler = new JobScheduler({ services: s.services, config: s.db.config, keyProvider, settings: jobSettingsFromEnv(s.db.config.dataDir, {}) });
      return { jobs: scheduler };
    },
  });

  /** A finished run recorded as the scheduler records one (its code goes in front of the summary). */
  async function recordRun(job: "backup-verify" | "restore-drill", code: string) {
    const at = new Date(suite.now());
    const claim = await claimRun(suite.services, job, at, "schedule", scheduler.serverId, at);
    await finishRun(suite.services, claim!, { outcome: "failed", code, summary: code }, { kind: "system" }, `job-${job}-${at.getTime()}`, at);
  }

  it("an admin sees the jobs as labels, runs the retention sweep now and sees its outcome; codes are labels, never raw", async () => {
    await recordRun("backup-verify", "ENOSPC");
    await recordRun("restore-drill", "a_code_from_a_newer_server");
    const admin = await buildUser(suite.services, "admin");
    const page = await suite.newPage();
    const secret = await signIn(page, suite.baseUrl, admin.email, undefined, suite.now);
    await page.getByRole("menuitem", { name: "定时任务" }).click();
    const table = page.getByTestId("jobs-table");
    await table.locator(".ant-table-row").first().waitFor();
    const names = await table.getByTestId("job-name").allInnerTexts();
    expect(names).toEqual([
      "备份",
      "备份校验",
      "恢复演练",
      "密钥轮换",
      "保留期清理",
      "请求提醒",
      "演练提醒",
      "合作方提醒",
      "制度复审提醒",
      "培训提醒",
      "纸质档案逾期提醒",
      "整改事项提醒",
    ]);

    const row = (label: string) => table.locator(".ant-table-row", { has: page.getByTestId("job-name").getByText(label, { exact: true }) });
    // Schedules in words, with the cron and the next run in the firm's time.
    expect(await row("备份").getByTestId("job-schedule").innerText()).toBe("每天 02:30");
    expect(await row("备份校验").getByTestId("job-schedule").innerText()).toBe("紧随「备份」之后");
    expect(await row("恢复演练").getByTestId("job-schedule").innerText()).toBe("每月 1 日 04:00");
    expect(await row("请求提醒").getByTestId("job-schedule").innerText()).toBe("每 15 分钟");
    expect(await row("备份").innerText()).toContain("30 2 * * *");
    expect(await row("备份").getByTestId("job-next-run").innerText()).toMatch(/^下次：\d{4}\/\d{2}\/\d{2} 02:30$/);

    // Earlier failures: a known error code and one this console does not know, both as labels.
    expect(await row("备份校验").getByTestId("job-outcome").innerText()).toBe("失败");
    expect(await row("备份校验").innerText()).toContain("磁盘空间不足");
    expect(await row("恢复演练").innerText()).toContain("其他原因");
    const before = await table.innerText();
    expect(before).not.toContain("ENOSPC");
    expect(before).not.toContain("a_code_from_a_newer_server");
    expect(await row("保留期清理").getByTestId("job-outcome").count()).toBe(0);
    expect(await row("保留期清理").innerText()).toContain("从未运行");

    await row("保留期清理").getByTestId("job-run-retention-sweep").click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm", { hasText: "立即运行「保留期清理」？" }).getByRole("button", { name: /确\s*定|OK/ }));
    const result = page.getByTestId("jobs-run-result");
    await result.waitFor();
    expect(await result.innerText()).toContain("「保留期清理」运行结果");
    expect(await result.getByTestId("job-outcome").innerText()).toBe("成功");
    const tag = row("保留期清理").getByTestId("job-outcome");
    await tag.waitFor();
    expect(await tag.innerText()).toBe("成功");
    expect(await tag.getAttribute("class")).toContain("green");
    expect(await row("保留期清理").innerText()).toContain("0 clients due for destruction, 0 held");
    // The expanded row lists the recent runs with their trigger.
    await row("保留期清理").locator(".ant-table-row-expand-icon").click();
    const recent = table.locator(".ant-table-expanded-row").first();
    await recent.getByTestId("job-outcome").waitFor();
    expect(await recent.innerText()).toContain("手动");
    await page.locator(".ant-popconfirm").waitFor({ state: "hidden" });
    await page.screenshot({ path: `${SCREENSHOTS}jobs.png`, fullPage: true });

    // The run is recorded as a manual one.
    const listed = await (await page.request.get(`${suite.baseUrl}/api/v1/jobs`)).json();
    const sweep = listed.items.find((j: { name: string }) => j.name === "retention-sweep");
    expect(sweep.lastRun).toMatchObject({ trigger: "manual", outcome: "ok" });

    // The same screen in English.
    suite.advance(30_000);
    const en = await suite.newPage({ lang: "en" });
    await signIn(en, suite.baseUrl, admin.email, secret, suite.now);
    await en.goto(`${suite.baseUrl}/#/jobs`);
    const enTable = en.getByTestId("jobs-table");
    await enTable.locator(".ant-table-row").first().waitFor();
    const enText = await enTable.innerText();
    for (const text of ["Backup", "Backup check", "Retention sweep", "Daily at 02:30", "Right after “Backup”", "Disk full", "Other reason", "Succeeded"])
      expect(enText).toContain(text);
    expect(suite.problems).toEqual([]);
  });

  it("a non-admin has no jobs menu entry and the API refuses them", async () => {
    const lawyer = await buildUser(suite.services, "lawyer");
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, lawyer.email, undefined, suite.now);
    await page.getByRole("menuitem").first().waitFor();
    expect(await page.getByRole("menuitem", { name: "定时任务" }).count()).toBe(0);
    const refused = await page.request.get(`${suite.baseUrl}/api/v1/jobs`);
    expect(refused.status()).toBe(403);
    expect(suite.problems).toEqual([]);
  });
});
