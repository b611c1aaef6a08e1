import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { solveChallenge } from "../../src/rights/requests/portal-intake.js";
import { formatDate } from "../../web/shared/format.js";
import { browserAvailable, browserSuite, choosePurpose, openOption, pick, SCREENSHOTS, signIn, submitUntilSent, confirmUntilSent } from "../support/browser.js";
import { buildClient, buildMatter, buildUser, residentId, staffNameOf } from "../support/factories.js";
import { auth } from "../support/http.js";

const yearsAgo = (n: number) => new Date(Date.now() - n * 365.25 * 86_400_000).toISOString();
/** antd puts a space between the two characters of a two-character Chinese button label. */
const button = (label: string) => new RegExp(`^${[...label].join("\\s*")}$`);

describe.skipIf(!browserAvailable)("browser: privacy programme (requests, notices, retention, incidents)", () => {
  const suite = browserSuite();
  const api = (method: "GET" | "POST", url: string, token?: string, payload?: object) =>
    suite.app.inject({ method, url: `/api/v1${url}`, headers: token ? auth(token) : {}, ...(payload ? { payload } : {}) });

  it("compliance drafts and publishes a notice, shown side by side in both languages; a published version cannot be edited", async () => {
    const officer = await buildUser(suite.services, "compliance");
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/notices`);
    await page.getByRole("button", { name: "起草新版本" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("生效时间").fill("2026-11-01T09:00");
    await dialog.getByLabel("标题（中文）").fill("个人信息保护政策（2026年11月版）");
    await dialog.getByLabel("标题（英文）").fill("Privacy Notice (November 2026)");
    await dialog
      .getByLabel("正文（中文）")
      .fill(
        "一、我们收集的个人信息\n本所为办理委托事项收集您的姓名、证件号码和联系方式。\n二、您的权利\n您可以通过客户门户查阅、复制、更正或删除您的个人信息。",
      );
    await dialog
      .getByLabel("正文（英文）")
      .fill(
        "1. What we collect\nWe collect your name, ID number and contact details to handle your matter.\n2. Your rights\nYou may access, copy, correct or delete your data through the client portal.",
      );
    await dialog.getByRole("button", { name: button("保存") }).click();

    const row = page.getByTestId("notices-table").locator("tr", { hasText: "个人信息保护政策（2026年11月版）" });
    await expect.poll(() => row.innerText()).toContain("草稿");
    const drafted = (await api("GET", "/notices", officer.token)).json().items.find((n: { titleEn: string }) => n.titleEn === "Privacy Notice (November 2026)");
    expect(drafted).toMatchObject({ status: "draft", contentHash: null, effectiveFrom: "2026-11-01T01:00:00.000Z" });
    // Both texts next to each other.
    const texts = page.getByTestId("notice-texts");
    await expect.poll(() => texts.innerText()).toContain("您可以通过客户门户查阅");
    expect(await texts.innerText()).toContain("You may access, copy, correct or delete");

    await row.getByRole("button", { name: button("发布") }).click();
    await expect.poll(() => page.getByText("已发布的版本不可更改，之后的修改须另起新版本。").isVisible()).toBe(true);
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: button("发布") }));
    await expect.poll(() => row.innerText()).toContain("已发布");
    const current = (await api("GET", "/notices/current?lang=zh-CN")).json();
    expect(current).toMatchObject({ version: drafted.version, title: "个人信息保护政策（2026年11月版）" });
    await row.click();
    await expect.poll(() => page.getByTestId("notice-hash").innerText()).toBe(current.contentHash);

    // Editing the published version: the API refuses, and its message is shown.
    await row.getByRole("button", { name: button("编辑") }).click();
    await expect.poll(() => page.getByText("该版本已发布，不可更改，服务器将拒绝修改。请起草新版本。").isVisible()).toBe(true);
    await page.getByRole("dialog").getByLabel("标题（中文）").fill("个人信息保护政策（修改）");
    await page
      .getByRole("dialog")
      .getByRole("button", { name: button("保存") })
      .click();
    await expect.poll(() => page.getByTestId("notice-error").innerText()).toBe("该版本的隐私政策已发布，不可修改；请起草新版本。");
    expect((await api("GET", "/notices/current?lang=zh-CN")).json().title).toBe("个人信息保护政策（2026年11月版）");
    expect(suite.problems).toEqual([]);
  });

  it("a portal request shows in the staff list with its deadline, is verified by staff with evidence and fulfilled", async () => {
    const partner = await buildUser(suite.services, "partner");
    const officer = await buildUser(suite.services, "compliance");
    const submit = async (body: Record<string, unknown>) => {
      const challenge = (await api("GET", "/portal/challenge")).json() as { challenge: string; bits: number };
      const res = await api("POST", "/portal/requests", undefined, {
        language: "zh-CN",
        ...body,
        proof: { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.bits) },
      });
      expect(res.statusCode).toBe(202);
      return res.json().requestId as string;
    };
    const client = await buildClient(suite.services, partner.actor, {
      name: "林晓雯",
      idNumber: residentId("19900314"),
      birthDate: "1990-03-14",
      phone: "13911112222",
      email: "lin.xiaowen@example.cn",
    });
    const other = await buildClient(suite.services, partner.actor, {
      name: "周建国",
      idNumber: residentId("19721105"),
      birthDate: "1972-11-05",
      phone: "13833334444",
      email: "zhou.jianguo@example.cn",
    });
    const requestId = await submit({ type: "access", idType: "resident_id", idNumber: client.idNumber ?? undefined });
    await submit({ type: "deletion", idType: "resident_id", idNumber: other.idNumber ?? undefined });
    await submit({ type: "correction", idType: "resident_id", idNumber: residentId("19880101"), correction: { address: "上海市浦东新区世纪大道100号" } });
    const staffView = (await api("GET", `/requests/${requestId}`, officer.token)).json();
    expect(staffView).toMatchObject({ status: "received", match: "one", clientId: client.id });

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/requests`);
    const row = page.getByTestId("requests-table").locator("tr", { hasText: requestId.slice(-8) });
    await expect.poll(() => row.innerText()).toContain(formatDate(staffView.dueDate, "zh-CN"));
    expect(await row.innerText()).toMatch(/查阅[\s\S]*已受理[\s\S]*个人信息保护法（15个工作日，待核实）[\s\S]*匹配一名客户/);
    expect(await page.getByTestId("requests-table").locator("tbody tr").count()).toBe(3);
    await page.screenshot({ path: `${SCREENSHOTS}requests.png`, fullPage: true });

    // Deadline regimes: PIPL's figure is flagged UNVERIFIED; compliance confirms the GB/T one.
    await page.getByRole("tab", { name: "期限规则" }).click();
    await page.waitForURL(/#\/requests\/regimes$/);
    const regimes = page.getByTestId("regimes-table");
    await expect.poll(() => page.getByTestId("regime-unverified-pipl").innerText()).toBe("待核实");
    expect(await regimes.locator('tr[data-row-key="pipl"]').innerText()).toMatch(
      /个人信息保护法（15个工作日，待核实）[\s\S]*15 个工作日[\s\S]*不可延长[\s\S]*3 天[\s\S]*待核实/,
    );
    expect(await regimes.locator('tr[data-row-key="gdpr"]').innerText()).toMatch(/1 个月[\s\S]*2 个月[\s\S]*已核实/);
    expect(await page.getByTestId("regime-unverified-gbt35273_30d").count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}requests-regimes.png`, fullPage: true });
    await regimes
      .locator('tr[data-row-key="gbt35273_30d"]')
      .getByRole("button", { name: button("编辑") })
      .click();
    const edit = page.getByRole("dialog");
    await expect.poll(() => edit.getByLabel("数值").first().inputValue()).toBe("30");
    await edit.getByLabel("出处", { exact: true }).fill("GB/T 35273-2020 §8.7 c)，本所已核对原文。");
    await edit.getByText("已对照出处核实").click();
    await edit.getByRole("button", { name: button("保存") }).click();
    await expect.poll(() => regimes.locator('tr[data-row-key="gbt35273_30d"]').innerText()).toContain("已核实");
    expect(await page.getByTestId("regime-unverified-gbt35273_30d").count()).toBe(0);
    // The verifier's name comes from the staff directory, which may answer after the row does.
    await expect.poll(() => regimes.locator('tr[data-row-key="gbt35273_30d"]').innerText()).toContain(staffNameOf(officer));
    const stored = (await api("GET", "/request-regimes", officer.token)).json().items as {
      code: string;
      verified: boolean;
      source: string;
      amount: number;
      updatedBy: string;
    }[];
    expect(stored.find((r) => r.code === "gbt35273_30d")).toMatchObject({
      verified: true,
      amount: 30,
      source: "GB/T 35273-2020 §8.7 c)，本所已核对原文。",
      updatedBy: officer.actor.userId,
    });
    expect(stored.find((r) => r.code === "pipl")).toMatchObject({ verified: false });
    await page.getByRole("tab", { name: "请求" }).click();

    await row.click();
    await expect.poll(() => page.getByTestId("request-facts").innerText()).toContain(client.id);
    // The request runs under PIPL, whose figure is unverified: the warning stands next to the due date.
    await expect.poll(() => page.getByTestId("due-unverified").innerText()).toBe("待核实");

    // Assigned to the partner, chosen by name.
    await page.getByRole("button", { name: button("指派") }).click();
    const assign = page.getByRole("dialog");
    await assign.getByLabel("承办人").fill(staffNameOf(partner));
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: staffNameOf(partner) }).click();
    await assign.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => page.getByTestId("request-owner").innerText()).toBe(staffNameOf(partner));
    expect((await api("GET", `/requests/${requestId}`, officer.token)).json().ownerId).toBe(partner.actor.userId);
    await page.getByRole("button", { name: "核验身份" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByLabel("客户 ID").inputValue()).toBe(client.id);
    await pick(page, dialog, "核验凭证", "当面查验身份证件");
    await dialog.getByLabel("凭证编号").fill("FORM-2026-118");
    await dialog.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => page.getByTestId("request-token").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("request-facts").innerText()).toContain("工作人员核验 · 当面查验身份证件 FORM-2026-118");
    await expect.poll(() => page.getByTestId("request-history").innerText()).toMatch(/已受理[\s\S]*客户门户[\s\S]*身份已核验/);

    await page.getByRole("button", { name: button("办结") }).click();
    const fulfilled = await submitUntilSent(
      page,
      page.locator(".ant-popconfirm").getByRole("button", { name: /^(OK|确\s*定)$/ }),
      (r) => r.method() === "POST" && r.url().endsWith(`/requests/${requestId}/fulfil`),
    );
    expect(fulfilled.status()).toBe(200);
    await expect.poll(() => page.getByTestId("request-facts").innerText(), { timeout: 20_000 }).toContain("资料包可供下载");
    expect(await page.getByTestId("request-history").innerText()).toContain("已办结");
    const done = (await api("GET", `/requests/${requestId}`, officer.token)).json();
    expect(done).toMatchObject({
      status: "fulfilled",
      outcome: "package_ready",
      verificationMethod: "staff",
      verificationEvidence: "id_document_in_person:FORM-2026-118",
    });
    expect(suite.problems).toEqual([]);
  });

  it("a wall-breach alert is acknowledged and escalated; the incident shows its timeline, moves forward and takes a task", async () => {
    const officer = await buildUser(suite.services, "compliance");
    const lawyer = await buildUser(suite.services, "lawyer");
    // The detection path of the audit log: a read refused by an ethical wall raises a wall_breach alert.
    await suite.services.engine.db.transaction().execute((tx) =>
      suite.services.auditLog.append(tx, [
        {
          action: "client.read",
          outcome: "denied",
          reason: "screened_by_wall",
          actorId: lawyer.actor.userId,
          actorRole: "lawyer",
          targetType: "client",
          targetId: randomUUID(),
        },
      ]),
    );
    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officer.email, undefined, suite.now);
    await page.goto(`${suite.baseUrl}/#/incidents`);
    // On a weekend or at night the same read also raises an off-hours alert: pick the wall breach's row.
    const row = page
      .getByTestId("alerts-table")
      .locator("tr", { hasText: staffNameOf(lawyer) })
      .filter({ hasText: "试图越过信息隔离墙" });
    await expect.poll(() => row.innerText()).toMatch(/试图越过信息隔离墙[\s\S]*高[\s\S]*新告警/);
    await row.getByRole("button", { name: button("确认") }).click();
    await expect.poll(() => row.innerText()).toContain("已确认");

    await row.getByRole("button", { name: "升级为安全事件" }).click();
    const dialog = page.getByRole("dialog");
    await pick(page, dialog, "原因", "内部人员滥用");
    await dialog.getByLabel("受影响人数").fill("3");
    await dialog.getByLabel("信息已流出本所").click();
    await dialog.getByLabel("通知中的个人信息保护联系人").fill("privacy@firm.test / 010-88886666");
    await dialog.getByRole("button", { name: "升级为安全事件" }).click();
    await expect.poll(() => page.getByTestId("incident-detail").isVisible()).toBe(true);
    const incidentId = /#\/incidents\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await expect.poll(() => page.getByTestId("incident-timeline").innerText()).toContain("已立案");
    // Three people and data out of the firm: medium, which owes the PIPL Art. 57 duties.
    await expect.poll(() => page.getByTestId("incident-duties").innerText()).toContain("个人信息保护法第五十七条：报告主管部门");

    await page.locator(".ant-select", { hasText: "下一状态" }).click();
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: "已控制" }).click();
    await page.getByRole("button", { name: button("推进") }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: button("提交") }));
    await expect.poll(() => page.getByTestId("incident-timeline").innerText()).toMatch(/已立案[\s\S]*已控制/);

    await page.getByPlaceholder("任务", { exact: true }).fill("吊销涉事账户全部令牌并复核访问日志");
    await page.getByLabel("截止时间").fill("2026-12-02T18:00");
    await page.getByRole("button", { name: "添加任务" }).click();
    await expect.poll(() => page.getByTestId("incident-tasks").innerText()).toContain("吊销涉事账户全部令牌并复核访问日志");
    await page.screenshot({ path: `${SCREENSHOTS}incident-detail.png`, fullPage: true });

    const incident = (await api("GET", `/incidents/${incidentId}`, officer.token)).json();
    expect(incident).toMatchObject({
      source: "alert",
      status: "contained",
      severity: "medium",
      cause: "insider_misuse",
      impact: { peopleAffected: 3, leftFirm: true },
    });
    expect(incident.timeline.map((e: { status: string }) => e.status)).toEqual(["open", "contained"]);
    expect(incident.tasks).toMatchObject([{ title: "吊销涉事账户全部令牌并复核访问日志", ownerId: officer.actor.userId, status: "open" }]);
    const alerts = (await api("GET", `/alerts?userId=${lawyer.actor.userId}`, officer.token)).json().items as { ruleCode: string }[];
    expect(alerts.filter((a) => a.ruleCode !== "off_hours")).toMatchObject([{ ruleCode: "wall_breach", status: "escalated", incidentId }]);

    // The register (GET /incidents) lists it and leads back to it.
    await page.getByRole("button", { name: "返回列表" }).click();
    await page.getByRole("tab", { name: "安全事件登记簿" }).click();
    await expect.poll(() => page.getByTestId("incidents-table").innerText()).toMatch(/中[\s\S]*已控制[\s\S]*未经授权的访问[\s\S]*告警[\s\S]*3/);
    expect(suite.problems).toEqual([]);
  });

  it("runs the retention sweep with held clients apart, places a hold, and takes a batch through approval by another officer to its certificate", async () => {
    const partner = await buildUser(suite.services, "partner");
    const officerA = await buildUser(suite.services, "compliance");
    const officerB = await buildUser(suite.services, "compliance");
    const due = await buildClient(suite.services, partner.actor, { name: "欧阳明", idNumber: residentId("19600101"), birthDate: "1960-01-01" });
    const held = await buildClient(suite.services, partner.actor, { name: "司马婷", idNumber: residentId("19650202"), birthDate: "1965-02-02" });
    for (const c of [due, held]) {
      const matter = await buildMatter(suite.services, partner.actor, c.id);
      await sql`update matters set status = 'closed', closed_at = ${yearsAgo(11)} where id = ${matter.id}`.execute(suite.services.engine.db);
    }

    const page = await suite.newPage();
    await signIn(page, suite.baseUrl, officerA.email, undefined, suite.now);
    // Clients show by name, which is personal data: the officer declares why they look.
    await choosePurpose(page, /案件办理/);
    await page.goto(`${suite.baseUrl}/#/retention`);
    await expect.poll(() => page.getByTestId("schedules-table").innerText()).toMatch(/客户档案[\s\S]*自案件结案起算[\s\S]*10 年[\s\S]*默认值，尚未确认/);

    // A legal hold, placed through the console, keeps one of the two due clients.
    await page.getByRole("tab", { name: "诉讼保全" }).click();
    await page.getByRole("button", { name: "设置诉讼保全" }).click();
    const dialog = page.getByRole("dialog");
    // The client is chosen by name, never by id.
    await dialog.getByLabel("客户", { exact: true }).click();
    await dialog.getByLabel("客户", { exact: true }).pressSequentially("司马", { delay: 50 });
    await openOption(page, "司马婷").click();
    await pick(page, dialog, "保全事由", "诉讼进行中");
    await dialog.getByLabel("案号").fill("BJ-2026-MC-1234");
    await dialog.getByLabel("复核日期").fill("2027-01-15");
    await dialog.getByRole("button", { name: button("提交") }).click();
    await expect.poll(() => page.getByTestId("holds-table").innerText()).toContain("司马婷");
    expect(await page.getByTestId("holds-table").innerText()).not.toContain(held.id);
    expect(await page.getByTestId("holds-table").innerText()).toMatch(/诉讼进行中[\s\S]*BJ-2026-MC-1234/);
    // The custodian (the officer, by default) by name.
    await expect
      .poll(() => page.getByTestId("holds-table").locator(`[data-staff-id="${officerA.actor.userId}"]`).innerText())
      .toMatch(new RegExp(`^${staffNameOf(officerA)}\\s*本人$`));

    await page.getByRole("tab", { name: "到期清查与销毁" }).click();
    await page.getByRole("button", { name: "执行清查" }).click();
    // Clients by name; their ids stay in the chips' data-record-id.
    await expect.poll(() => page.getByTestId("sweep-due").innerText()).toContain("欧阳明");
    expect(await page.getByTestId("sweep-due").locator(`[data-record-id="${due.id}"]`).count()).toBe(1);
    expect(await page.getByTestId("sweep-due").locator(`[data-record-id="${held.id}"]`).count()).toBe(0);
    await expect.poll(() => page.getByTestId("sweep-held").innerText()).toContain("司马婷");
    await page.screenshot({ path: `${SCREENSHOTS}retention.png`, fullPage: true });

    await page.getByRole("button", { name: "申请销毁" }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: button("提交") }));
    await expect.poll(() => page.getByTestId("batch").innerText()).toContain("待批准");
    const { id: batchId } = await suite.services.engine.db
      .selectFrom("destruction_batches")
      .select("id")
      .where("requested_by", "=", officerA.actor.userId)
      .executeTakeFirstOrThrow();

    // The batch list is the server's (GET /retention/batches): after a reload the batch is still there.
    await page.reload();
    await page.getByRole("tab", { name: "到期清查与销毁" }).click();
    const batch = page.locator(`[data-testid="batch"][data-batch-id="${batchId}"]`);
    await expect.poll(() => batch.innerText()).toContain("待批准");
    expect(await batch.innerText()).toContain(batchId.slice(-8));
    await expect.poll(() => batch.locator(`[data-staff-id="${officerA.actor.userId}"]`).innerText()).toMatch(new RegExp(`^${staffNameOf(officerA)}\\s*本人$`));
    // Filtered by status: not among the rejected ones, among the pending ones.
    const batches = page.getByTestId("batches");
    await batches.locator(".ant-select").click();
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: "已驳回" }).click();
    await expect.poll(() => batches.getByTestId("batch").count()).toBe(0);
    await batches.locator(".ant-select").click();
    await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: "待批准" }).click();
    await expect.poll(() => batch.count()).toBe(1);
    // The requester cannot approve their own batch: the API says so.
    await batch.getByRole("button", { name: button("批准") }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: button("批准") }));
    await expect.poll(() => batch.innerText()).toContain("不能批准或驳回本人提交的申请。");

    await batches.locator(".ant-select").hover();
    await batches.locator(".ant-select-clear").click();
    await expect.poll(() => batches.getByTestId("batch").count()).toBe(1);

    // Another officer approves (through the API): the refreshed list shows it.
    expect((await api("POST", `/retention/batches/${batchId}/approve`, officerB.token)).statusCode).toBe(200);
    // Not anchored: while the list reloads, the button's name also holds antd's "loading" icon label.
    await batches.getByRole("button", { name: /刷\s*新/ }).click();
    await expect.poll(() => batch.innerText()).toContain("已批准");
    expect(await batch.locator(`[data-staff-id="${officerB.actor.userId}"]`).innerText()).toBe(staffNameOf(officerB));
    await batch.getByRole("button", { name: "执行销毁" }).click();
    await confirmUntilSent(page, page.locator(".ant-popconfirm").getByRole("button", { name: "执行销毁" }));
    await expect.poll(() => page.getByTestId("certificate").innerText()).toMatch(/已销毁客户数\s*1/);
    // The approver by name, once the staff directory has answered (the id tail shows until then).
    await expect.poll(() => page.getByTestId("certificate").innerText(), { timeout: 30_000 }).toContain(staffNameOf(officerB));
    const stored = (await api("GET", `/retention/batches/${batchId}`, officerA.token)).json();
    expect(stored).toMatchObject({ status: "executed", clientIds: [due.id], decidedBy: officerB.actor.userId });
    const certificate = (await api("GET", `/retention/certificates/${stored.certificateId}`, officerA.token)).json();
    expect(certificate.clientIds).toEqual([due.id]);
    expect(suite.problems).toEqual([]);
  });
});
