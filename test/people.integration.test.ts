/**
 * People and governance (issue #14: CHN-1, GOV-1, GOV-2, GOV-5, TRN-3, CON-4), on both engines,
 * through the API: the device register and a lost-device report that opens an incident; the privacy
 * team and the contact the portal shows; policies, attestations, the law-change log and the review
 * reminder; appraisal from its inputs; investigations, awards and the internal noticeboard; the CLI.
 */
import { Command } from "commander";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { addDeviceCommands } from "../src/governance/devices/devices-cli.js";
import { reportDeviceLost } from "../src/governance/devices/device-register.js";
import { jobNamed } from "../src/governance/jobs/job-registry.js";
import type { JobContext } from "../src/governance/jobs/job.js";
import { addPolicyCommands } from "../src/governance/policies/policies-cli.js";
import { uuidv7 } from "../src/platform/ids.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, contextFor, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const quarterOf = (d: Date) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: people and governance (issue #14)`, () => {
    const suite = httpSuite(dialect);
    let compliance: TestUser, compliance2: TestUser, admin: TestUser, auditor: TestUser, lawyer: TestUser, paralegal: TestUser;

    const call = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, user: TestUser | null, payload?: object) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: user ? auth(user.token) : {}, ...(payload ? { payload } : {}) });
    const ok = async (res: Awaited<ReturnType<typeof call>>, status = 200) => {
      expect(res.statusCode, res.body).toBe(status);
      return res.json();
    };
    const refused = (res: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
      expect([res.statusCode, res.json().error?.code], res.body).toEqual([status, code]);
    };
    const lastEvent = (actor: TestUser, action: string) =>
      suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("actor_id", "=", actor.actor.userId)
        .where("action", "=", action)
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      const s = suite.services;
      compliance = await buildUser(s, "compliance");
      compliance2 = await buildUser(s, "compliance");
      admin = await buildUser(s, "admin");
      auditor = await buildUser(s, "auditor");
      lawyer = await buildUser(s, "lawyer");
      paralegal = await buildUser(s, "paralegal");
    });

    it("devices: the register with overdue checks; the admin keeps it, the auditor reads it, a lawyer neither", async () => {
      const laptop = await ok(
        await call("POST", "/devices", admin, {
          kind: "laptop",
          label: "LT-0042",
          ownerId: lawyer.actor.userId,
          encryption: "full",
          remoteWipe: true,
          lastCheckedOn: daysAgo(200),
        }),
        201,
      );
      expect(laptop).toMatchObject({ status: "active", checkOverdue: true, nextCheckOn: daysAgo(110) });
      const mail = await ok(
        await call("POST", "/devices", compliance, {
          kind: "email",
          label: "Exchange mailbox",
          ownerId: lawyer.actor.userId,
          encryption: "partial",
          lastCheckedOn: daysAgo(3),
        }),
        201,
      );
      expect(mail.checkOverdue).toBe(false);
      refused(
        await call("POST", "/devices", lawyer, { kind: "phone", label: "x", ownerId: lawyer.actor.userId, encryption: "none" }),
        403,
        "role_lacks_permission",
      );
      expect(await lastEvent(lawyer, "device.register")).toMatchObject({ outcome: "denied", reason: "role_lacks_permission" });
      refused(await call("POST", "/devices", admin, { kind: "phone", label: "x", ownerId: "nobody", encryption: "none" }), 400, "validation_error");

      const overdue = await ok(await call("GET", "/devices?overdue=true", auditor));
      expect(overdue.items.map((d: { id: string }) => d.id)).toContain(laptop.id);
      expect(overdue.items.map((d: { id: string }) => d.id)).not.toContain(mail.id);
      refused(await call("GET", "/devices", lawyer), 403, "role_lacks_permission");
      refused(await call("PATCH", `/devices/${laptop.id}`, auditor, { label: "x" }), 403, "role_lacks_permission");

      // The owner sees their own, through /devices/mine and by id.
      const mine = await ok(await call("GET", "/devices/mine", lawyer));
      expect(mine.items.map((d: { id: string }) => d.id).sort()).toEqual([laptop.id, mail.id].sort());
      await ok(await call("GET", `/devices/${laptop.id}`, lawyer));
      refused(await call("GET", `/devices/${laptop.id}`, paralegal), 403, "role_lacks_permission");

      const checked = await ok(await call("POST", `/devices/${laptop.id}/checks`, admin, { encryption: "full", remoteWipe: true }));
      expect(checked).toMatchObject({ checkOverdue: false, lastCheckedOn: daysAgo(0) });
      refused(
        await call("POST", `/devices/${laptop.id}/checks`, admin, { encryption: "full", remoteWipe: true, checkedOn: "2999-01-01" }),
        400,
        "validation_error",
      );
    });

    it("a day entered is the firm's day: a loss on Beijing's today is taken while UTC is still on yesterday", async () => {
      const laptop = await ok(
        await call("POST", "/devices", compliance, { kind: "laptop", label: "LT-0900", ownerId: lawyer.actor.userId, encryption: "full", remoteWipe: true }),
        201,
      );
      // 17:00 UTC on the 7th is 01:00 on the 8th in Beijing: the 9th is tomorrow, the 8th is today.
      const lateEvening = new Date("2026-12-07T17:00:00.000Z");
      await expect(reportDeviceLost(suite.services, contextFor(lawyer.actor), laptop.id, { lostOn: "2026-12-09" }, lateEvening)).rejects.toMatchObject({
        status: 400,
        fields: [{ field: "lostOn", code: "in_future" }],
      });
      const today = await reportDeviceLost(suite.services, contextFor(lawyer.actor), laptop.id, { lostOn: "2026-12-08" }, lateEvening);
      expect(today).toMatchObject({ status: "lost", lostOn: "2026-12-08" });
    });

    it("a lost device: its owner reports it, an incident opens linked to it, the circumstances are sealed", async () => {
      const phone = await ok(
        await call("POST", "/devices", compliance, { kind: "phone", label: "PH-0007", ownerId: lawyer.actor.userId, encryption: "none", remoteWipe: false }),
        201,
      );
      // Someone else may not report it; the admin neither (it keeps the register but raises no incident).
      refused(await call("POST", `/devices/${phone.id}/lost`, paralegal, { lostOn: daysAgo(1) }), 403, "not_device_owner");
      refused(await call("POST", `/devices/${phone.id}/lost`, admin, { lostOn: daysAgo(1) }), 403, "not_device_owner");
      expect(await lastEvent(paralegal, "device.report_lost")).toMatchObject({ outcome: "denied", reason: "not_device_owner" });

      const circumstances = "在地铁10号线上遗失，车厢内";
      const lost = await ok(await call("POST", `/devices/${phone.id}/lost`, lawyer, { lostOn: daysAgo(1), circumstances }));
      expect(lost).toMatchObject({ status: "lost", lostOn: daysAgo(1), incidentId: expect.any(String) });
      const incident = await suite.services.engine.db.selectFrom("incidents").selectAll().where("id", "=", lost.incidentId).executeTakeFirstOrThrow();
      // Unencrypted: counted as data that left the firm.
      expect(incident).toMatchObject({
        source: "staff_report",
        category: "loss",
        cause: "lost_device",
        status: "open",
        opened_by: lawyer.actor.userId,
        left_firm: 1,
      });
      // The owner is not made the incident's lead (no privacy officer is named yet, so nobody is); compliance is told.
      expect(await suite.services.engine.db.selectFrom("incident_members").selectAll().where("incident_id", "=", lost.incidentId).execute()).toEqual([]);
      const told = await suite.services.engine.db
        .selectFrom("notifications")
        .select("payload")
        .where("user_id", "=", compliance.actor.userId)
        .where("event_kind", "=", "incident.opened")
        .execute();
      expect(told.some((n) => JSON.parse(n.payload).data.incidentId === lost.incidentId)).toBe(true);
      // Sealed at rest, and absent from the audit event.
      const row = await suite.services.engine.db.selectFrom("devices").selectAll().where("id", "=", phone.id).executeTakeFirstOrThrow();
      expect(row.lost_note_ct).not.toBeNull();
      expect(row.lost_note_ct).not.toContain("地铁");
      const event = await lastEvent(lawyer, "device.report_lost");
      expect(event.outcome).toBe("success");
      expect(JSON.stringify(event)).not.toContain("地铁");
      expect(JSON.parse(String(event.details))).toMatchObject({ incidentId: lost.incidentId, byOwner: true });
      expect(await lastEvent(lawyer, "incident.open")).toMatchObject({ target_id: lost.incidentId, outcome: "success" });

      // Twice is refused; a lost device cannot be made active again.
      refused(await call("POST", `/devices/${phone.id}/lost`, lawyer, { lostOn: daysAgo(1) }), 409, "device_not_active");
      refused(await call("PATCH", `/devices/${phone.id}`, compliance, { status: "active" }), 409, "device_lost");

      // Compliance may report for the owner; an encrypted laptop does not count as data that left.
      const laptop = await ok(
        await call("POST", "/devices", compliance, { kind: "laptop", label: "LT-0099", ownerId: paralegal.actor.userId, encryption: "full", remoteWipe: true }),
        201,
      );
      const byCompliance = await ok(await call("POST", `/devices/${laptop.id}/lost`, compliance, { lostOn: daysAgo(0) }));
      const second = await suite.services.engine.db.selectFrom("incidents").selectAll().where("id", "=", byCompliance.incidentId).executeTakeFirstOrThrow();
      expect(second.left_firm).toBe(0);
    });

    it("privacy team: compliance names it, everyone reads it, the portal shows the role's contact (with a fallback)", async () => {
      expect(await ok(await call("GET", "/privacy-contact", null))).toEqual({ published: false, email: null, phone: null });
      const officer = await ok(
        await call("POST", "/privacy-team", compliance, {
          code: "privacy_officer",
          holderId: compliance.actor.userId,
          deputyIds: [compliance2.actor.userId],
          dutiesZh: "统筹个人信息保护工作，受理投诉与监管联络。",
          dutiesEn: "Leads privacy protection; handles complaints and regulators.",
          contactEmail: "privacy@firm.example.cn",
          contactPhone: "010-8888 6666 转 801",
        }),
        201,
      );
      expect(officer).toMatchObject({ code: "privacy_officer", deputyIds: [compliance2.actor.userId] });
      refused(
        await call("POST", "/privacy-team", compliance, { code: "privacy_officer", holderId: compliance2.actor.userId, dutiesZh: "x", dutiesEn: "x" }),
        409,
        "privacy_officer_exists",
      );
      const bad = await call("POST", "/privacy-team", compliance, {
        code: "archive_keeper",
        holderId: paralegal.actor.userId,
        deputyIds: [paralegal.actor.userId],
        dutiesZh: "x",
        dutiesEn: "x",
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields).toEqual([expect.objectContaining({ field: "deputyIds.0", code: "deputy_is_holder" })]);
      refused(
        await call("POST", "/privacy-team", lawyer, { code: "archive_keeper", holderId: lawyer.actor.userId, dutiesZh: "x", dutiesEn: "x" }),
        403,
        "role_lacks_permission",
      );
      await ok(
        await call("POST", "/privacy-team", compliance, {
          code: "response_team_member",
          holderId: lawyer.actor.userId,
          dutiesZh: "参与事件响应。",
          dutiesEn: "Joins the incident response.",
        }),
        201,
      );
      const team = await ok(await call("GET", "/privacy-team", paralegal));
      expect(team.items.map((r: { code: string }) => r.code)).toEqual(["privacy_officer", "response_team_member"]);

      // Public, unauthenticated, and only the role's contact: no name, no staff id.
      const contact = await ok(await call("GET", "/privacy-contact", null));
      expect(contact).toEqual({ published: true, email: "privacy@firm.example.cn", phone: "010-8888 6666 转 801" });
      // A lost-device incident now carries the privacy officer's contact.
      const d = await ok(
        await call("POST", "/devices", compliance, { kind: "removable_media", label: "USB-3", ownerId: lawyer.actor.userId, encryption: "none" }),
        201,
      );
      const lost = await ok(await call("POST", `/devices/${d.id}/lost`, lawyer, { lostOn: daysAgo(0) }));
      const incident = await suite.services.engine.db.selectFrom("incidents").select("contact").where("id", "=", lost.incidentId).executeTakeFirstOrThrow();
      expect(incident.contact).toBe("privacy@firm.example.cn");
      // …and the privacy officer leads it.
      const members = await suite.services.engine.db
        .selectFrom("incident_members")
        .select(["user_id", "role"])
        .where("incident_id", "=", lost.incidentId)
        .execute();
      expect(members).toEqual([{ user_id: compliance.actor.userId, role: "lead" }]);

      const changed = await ok(await call("PATCH", `/privacy-team/${officer.id}`, compliance, { contactEmail: null }));
      expect(changed.contactEmail).toBeNull();
      expect(await ok(await call("GET", "/privacy-contact", null))).toMatchObject({ published: true, email: null });
    });

    it("policies: versions, attestation of the current one only, who has not attested, the law-change log", async () => {
      const created = await ok(
        await call("POST", "/policies", compliance, {
          code: "device_use",
          titleZh: "移动设备使用制度",
          titleEn: "Mobile device policy",
          ownerId: compliance.actor.userId,
          reviewMonths: 12,
          textZh: "第一条 所有设备须全盘加密。",
          textEn: "1. Every device is fully encrypted.",
        }),
        201,
      );
      const id = created.id as string;
      // A draft is invisible to staff.
      expect((await ok(await call("GET", "/policies", lawyer))).items.map((p: { id: string }) => p.id)).not.toContain(id);
      refused(await call("POST", `/policies/${id}/attest`, lawyer, { version: 1 }), 404, "not_found");
      refused(
        await call("POST", "/policies", lawyer, { code: "x_y", titleZh: "x", titleEn: "x", ownerId: lawyer.actor.userId, textZh: "x", textEn: "x" }),
        403,
        "role_lacks_permission",
      );

      const published = await ok(await call("POST", `/policies/${id}/publish`, compliance, { version: 1, on: "2026-01-31" }));
      expect(published).toMatchObject({ version: 1, nextReviewOn: "2027-01-31" });
      const listed = (await ok(await call("GET", "/policies", lawyer))).items.find((p: { id: string }) => p.id === id);
      expect(listed).toMatchObject({ currentVersion: 1, attested: false, status: "published" });

      const attested = await ok(await call("POST", `/policies/${id}/attest`, lawyer, { version: 1 }));
      expect(attested).toMatchObject({ policyId: id, version: 1, userId: lawyer.actor.userId });
      // Again: harmless, one row.
      await ok(await call("POST", `/policies/${id}/attest`, lawyer, { version: 1 }));
      expect(await suite.services.engine.db.selectFrom("policy_attestations").selectAll().where("policy_id", "=", id).execute()).toHaveLength(1);

      const register = await ok(await call("GET", `/policies/${id}/attestations`, auditor));
      expect(register.attested.map((a: { userId: string }) => a.userId)).toEqual([lawyer.actor.userId]);
      expect(register.notAttested.map((a: { userId: string }) => a.userId)).toContain(paralegal.actor.userId);
      refused(await call("GET", `/policies/${id}/attestations`, lawyer), 403, "role_lacks_permission");

      // A new version: one draft at a time; once published, the old attestation no longer counts.
      await ok(
        await call("POST", `/policies/${id}/versions`, compliance, { textZh: "第一条 修订。", textEn: "1. Revised.", changeNote: "PIPL audit measures" }),
        201,
      );
      refused(await call("POST", `/policies/${id}/versions`, compliance, { textZh: "x", textEn: "x" }), 409, "policy_draft_exists");
      await ok(await call("POST", `/policies/${id}/publish`, compliance, { version: 2 }));
      refused(await call("POST", `/policies/${id}/attest`, lawyer, { version: 1 }), 409, "policy_version_not_current");
      const after = await ok(await call("GET", `/policies/${id}/attestations`, compliance));
      expect(after.notAttested).toEqual(expect.arrayContaining([{ userId: lawyer.actor.userId, role: "lawyer", lastAttestedVersion: 1 }]));
      const detail = await ok(await call("GET", `/policies/${id}`, lawyer));
      expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(detail.myAttestation).toMatchObject({ version: 1 });

      // The law-change log.
      const entry = await ok(
        await call("POST", "/policies/law-changes", compliance, {
          reviewedOn: daysAgo(2),
          law: "个人信息保护合规审计管理办法",
          summary: "Periodic compliance audits become mandatory for large processors.",
          affectedPolicyIds: [id],
          decision: "amend",
        }),
        201,
      );
      expect(entry).toMatchObject({ decision: "amend", affectedPolicyIds: [id], reviewerId: compliance.actor.userId });
      const bad = await call("POST", "/policies/law-changes", compliance, {
        reviewedOn: daysAgo(1),
        law: "x",
        summary: "x",
        affectedPolicyIds: [uuidv7()],
        decision: "no_change",
      });
      expect(bad.json().error.fields[0]).toMatchObject({ field: "affectedPolicyIds.0", code: "unknown_policy" });
      expect((await ok(await call("GET", "/policies/law-changes", auditor))).items[0].id).toBe(entry.id);
      refused(await call("GET", "/policies/law-changes", lawyer), 403, "role_lacks_permission");
      refused(
        await call("POST", "/policies/law-changes", auditor, { reviewedOn: daysAgo(1), law: "x", summary: "x", decision: "no_change" }),
        403,
        "role_lacks_permission",
      );
    });

    it("the policy-review reminder tells compliance and the owner once per due date", async () => {
      const p = await ok(
        await call("POST", "/policies", compliance, {
          code: "clean_desk",
          titleZh: "清洁桌面制度",
          titleEn: "Clean desk policy",
          ownerId: compliance2.actor.userId,
          reviewMonths: 12,
          textZh: "下班前收好纸质文件。",
          textEn: "Put paper away before leaving.",
        }),
        201,
      );
      // Published 11 months and some days ago: due within 30 days.
      const on = new Date(Date.now() - 340 * 86_400_000).toISOString().slice(0, 10);
      const { nextReviewOn } = await ok(await call("POST", `/policies/${p.id}/publish`, compliance, { version: 1, on }));
      const remind = () => jobNamed("policy-reviews").run({ services: suite.services } as JobContext, new Date());
      expect(await remind()).toMatchObject({ outcome: "ok" });
      const inbox = async (user: TestUser) =>
        (
          await suite.services.engine.db
            .selectFrom("notifications")
            .select("payload")
            .where("user_id", "=", user.actor.userId)
            .where("event_kind", "=", "policy.review_due")
            .execute()
        )
          .map((n) => JSON.parse(n.payload).data)
          .filter((d) => d.policyId === p.id);
      expect(await inbox(compliance)).toEqual([{ policyId: p.id, dueOn: nextReviewOn, overdue: "false" }]);
      expect(await inbox(compliance2)).toHaveLength(1);
      expect(await inbox(lawyer)).toEqual([]);
      expect(await remind()).toMatchObject({ outcome: "skipped", code: "nothing_new" });
      // Reviewed without change: the next review moves a cycle on and leaves the window.
      await ok(await call("POST", `/policies/${p.id}/reviews`, compliance, {}));
      const listed = (await ok(await call("GET", "/policies", compliance))).items.find((x: { id: string }) => x.id === p.id);
      expect(listed.nextReviewOn > nextReviewOn).toBe(true);
    });

    it("investigations: opened → investigating → decided → published → closed; never decided by the subject; findings sealed", async () => {
      // A case about a compliance officer: they may not decide it, a colleague may.
      const c = await ok(await call("POST", "/accountability-cases", compliance2, { subjectId: compliance.actor.userId, ruleCode: "data_export" }), 201);
      expect(c).toMatchObject({ status: "opened", subjectRole: "compliance" });
      refused(await call("POST", `/accountability-cases/${c.id}/decide`, compliance2, { outcome: "warning" }), 409, "case_status_invalid");
      await ok(await call("POST", `/accountability-cases/${c.id}/investigate`, compliance2));
      refused(await call("POST", `/accountability-cases/${c.id}/decide`, compliance2, { outcome: "warning" }), 409, "findings_required");
      const findings = "导出了超出授权范围的客户名单（王某案卷）";
      await ok(await call("PUT", `/accountability-cases/${c.id}/findings`, compliance2, { findings }));
      const stored = await suite.services.engine.db.selectFrom("accountability_cases").select("findings_ct").where("id", "=", c.id).executeTakeFirstOrThrow();
      expect(stored.findings_ct).not.toContain("王某");
      expect((await ok(await call("GET", `/accountability-cases/${c.id}`, compliance2))).findings).toBe(findings);

      refused(await call("POST", `/accountability-cases/${c.id}/decide`, compliance, { outcome: "warning" }), 403, "decider_is_subject");
      expect(await lastEvent(compliance, "accountability.case.decide")).toMatchObject({ outcome: "denied", reason: "decider_is_subject" });
      refused(await call("POST", `/accountability-cases/${c.id}/decide`, lawyer, { outcome: "warning" }), 403, "role_lacks_permission");
      const decided = await ok(await call("POST", `/accountability-cases/${c.id}/decide`, compliance2, { outcome: "demotion" }));
      expect(decided).toMatchObject({ status: "decided", outcome: "demotion", decidedBy: compliance2.actor.userId, recordId: expect.any(String) });
      const record = await suite.services.engine.db
        .selectFrom("accountability_records")
        .selectAll()
        .where("id", "=", decided.recordId)
        .executeTakeFirstOrThrow();
      expect(record).toMatchObject({ user_id: compliance.actor.userId, sanction: "demotion", rule_code: "data_export" });

      const published = await ok(await call("POST", `/accountability-cases/${c.id}/publish`, compliance2));
      expect(published.status).toBe("published");
      // The noticeboard: everyone reads it; the sanction says role and rule, never who.
      const board = await ok(await call("GET", "/accountability-publications", paralegal));
      const notice = board.items.find((i: { id: string }) => i.id === published.publicationId);
      expect(notice).toEqual({
        id: published.publicationId,
        kind: "sanction",
        publishedOn: expect.any(String),
        subjectRole: "compliance",
        ruleCode: "data_export",
        sanction: "demotion",
      });
      expect(JSON.stringify(board)).not.toContain(compliance.actor.userId);
      await ok(await call("POST", `/accountability-cases/${c.id}/close`, compliance2));
      refused(await call("POST", `/accountability-cases/${c.id}/investigate`, compliance2), 409, "case_status_invalid");

      // No violation: nothing to publish; closes from decided.
      const c2 = await ok(await call("POST", "/accountability-cases", compliance, { subjectId: paralegal.actor.userId, ruleCode: "need_to_know" }), 201);
      await ok(await call("POST", `/accountability-cases/${c2.id}/investigate`, compliance));
      await ok(await call("PUT", `/accountability-cases/${c2.id}/findings`, compliance, { findings: "Access was within the matter." }));
      expect((await ok(await call("POST", `/accountability-cases/${c2.id}/decide`, compliance, { outcome: "no_violation" }))).recordId).toBeNull();
      refused(await call("POST", `/accountability-cases/${c2.id}/publish`, compliance), 409, "nothing_to_publish");
      await ok(await call("POST", `/accountability-cases/${c2.id}/close`, compliance));
      const list = await ok(await call("GET", "/accountability-cases", compliance));
      expect(list.items.every((i: { findings: string | null }) => i.findings === null)).toBe(true);
    });

    it("appraisal: a score with its inputs from attestations, alerts, sanctions and training; awards published by name", async () => {
      const period = quarterOf(new Date());
      const subject = await buildUser(suite.services, "paralegal");
      const now = new Date().toISOString();
      await suite.services.engine.db
        .insertInto("alerts")
        .values([
          {
            id: uuidv7(),
            kind: "rule",
            user_id: subject.actor.userId,
            wall_id: null,
            event_seq: null,
            created_at: now,
            status: "new",
            rule_code: "bulk_read",
            severity: "high",
          },
          {
            id: uuidv7(),
            kind: "rule",
            user_id: subject.actor.userId,
            wall_id: null,
            event_seq: null,
            created_at: now,
            status: "acknowledged",
            rule_code: "off_hours",
            severity: "low",
          },
          {
            id: uuidv7(),
            kind: "rule",
            user_id: subject.actor.userId,
            wall_id: null,
            event_seq: null,
            created_at: now,
            status: "dismissed",
            rule_code: "off_hours",
            severity: "low",
          },
        ])
        .execute();
      await ok(
        await call("POST", "/accountability-records", compliance, {
          userId: subject.actor.userId,
          ruleCode: "confidentiality",
          sanction: "warning",
          decidedOn: daysAgo(0),
        }),
        201,
      );
      const all = await ok(await call("GET", `/appraisals?period=${period}`, compliance));
      const mine = all.items.find((i: { userId: string }) => i.userId === subject.actor.userId);
      const required = mine.inputs.policiesRequired as number;
      expect(required).toBeGreaterThanOrEqual(2);
      expect(mine.inputs).toMatchObject({ policiesAttested: 0, alerts: 2, seriousAlerts: 1, sanctions: ["warning"] });
      const training = mine.inputs.trainingCurrent === false ? 20 : 0;
      // 10 per unattested policy (at most 30), 5 + 10 for the alerts, 20 for the warning.
      expect(mine.score).toBe(100 - training - Math.min(30, required * 10) - 15 - 20);
      expect(mine.deductions).toEqual(
        expect.arrayContaining([
          { input: "alerts", points: 15 },
          { input: "sanctions", points: 20 },
        ]),
      );

      // Each reads their own; only compliance reads everyone's.
      const own = await ok(await call("GET", `/appraisals/mine?period=${period}`, subject));
      expect(own.items).toHaveLength(1);
      expect(own.items[0].score).toBe(mine.score);
      refused(await call("GET", `/appraisals?period=${period}`, auditor), 403, "role_lacks_permission");
      refused(await call("GET", "/appraisals?period=2026-Q5", compliance), 400, "validation_error");

      const award = await ok(
        await call("POST", "/awards", compliance, { userId: lawyer.actor.userId, awardCode: "confidentiality_star", period, citation: "发现并报告了钓鱼邮件" }),
        201,
      );
      const row = await suite.services.engine.db.selectFrom("staff_awards").select("citation_ct").where("id", "=", award.id).executeTakeFirstOrThrow();
      expect(row.citation_ct).not.toContain("钓鱼");
      await ok(await call("POST", `/awards/${award.id}/publish`, compliance));
      refused(await call("POST", `/awards/${award.id}/publish`, compliance), 409, "already_published");
      refused(await call("POST", "/awards", lawyer, { userId: lawyer.actor.userId, awardCode: "confidentiality_star", period }), 403, "role_lacks_permission");
      const board = await ok(await call("GET", "/accountability-publications", paralegal));
      // The award names its winner (by id; the console shows the name), and carries no citation.
      expect(board.items.find((i: { kind: string; userId?: string }) => i.kind === "award" && i.userId === lawyer.actor.userId)).toEqual({
        id: expect.any(String),
        kind: "award",
        publishedOn: expect.any(String),
        userId: lawyer.actor.userId,
        awardCode: "confidentiality_star",
        period,
      });
      const lawyers = await ok(await call("GET", `/appraisals?period=${period}`, compliance));
      expect(lawyers.items.find((i: { userId: string }) => i.userId === lawyer.actor.userId).awards).toEqual(["confidentiality_star"]);
    });

    it("custodia devices list --overdue | add | check and policies list | unattested | due, as console compliance", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, suite.db.env);
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      const cli = (...args: string[]) => {
        const program = new Command("custodia").exitOverride();
        addDeviceCommands(program);
        addPolicyCommands(program);
        return program.parseAsync([...args, "--json"], { from: "user" });
      };
      try {
        await cli("devices", "add", "--kind", "tablet", "--label", "TB-1", "--owner", paralegal.actor.userId, "--encryption", "full", "--remote-wipe");
        const id = JSON.parse(out.at(-1)!).id as string;
        await cli("devices", "list", "--overdue");
        expect(JSON.parse(out.at(-1)!).items.map((d: { id: string }) => d.id)).toContain(id);
        await cli("devices", "check", id, "--encryption", "full", "--remote-wipe");
        expect(JSON.parse(out.at(-1)!)).toMatchObject({ id, checkOverdue: false });
        await cli("devices", "add", "--kind", "tablet", "--label", "TB-2", "--owner", paralegal.actor.userId, "--encryption", "full", "--interval", "1");
        expect(JSON.parse(out.at(-1)!).error).toMatchObject({ code: "validation_error" });
        expect(process.exitCode).toBe(1);
        process.exitCode = 0;
        await cli("policies", "list");
        const policy = JSON.parse(out.at(-1)!).items.find((p: { code: string }) => p.code === "device_use");
        await cli("policies", "unattested", policy.id);
        expect(JSON.parse(out.at(-1)!).notAttested.map((u: { userId: string }) => u.userId)).toContain(lawyer.actor.userId);
        await cli("policies", "due", "--within", "400");
        expect(JSON.parse(out.at(-1)!).items.map((p: { policyId: string }) => p.policyId)).toContain(policy.id);
      } finally {
        process.exitCode = 0;
        log.mockRestore();
        process.env = saved;
      }
      const events = await suite.services.engine.db.selectFrom("audit_events").select(["actor_id"]).where("action", "=", "device.check").execute();
      expect(events.some((e) => e.actor_id === "system:console")).toBe(true);
    });
  });
}
