import { createHash, randomBytes } from "node:crypto";
import { rotateKeys } from "../src/vault/keys/key-rotator.js";
import { CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { deliverDue } from "../src/response/notifications/delivery.js";
import type { MailMessage } from "../src/response/notifications/email.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const MiB = 1024 * 1024;

/** Every column of a stored row, as bytes or text, for scanning. */
function cells(row: Record<string, unknown>): (Buffer | string)[] {
  return Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : String(v)));
}
const contains = (cell: Buffer | string, needle: string) => (Buffer.isBuffer(cell) ? cell.includes(Buffer.from(needle, "utf8")) : cell.includes(needle));

for (const dialect of DIALECTS) {
  describe(`${dialect}: incident evidence (sealed files) and client notices sent by email`, () => {
    const suite = httpSuite(dialect);
    const inject = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });
    const lastEvent = async (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    let compliance: TestUser;
    let partner: TestUser;
    let incidentId: string;
    const FILENAME = "欧阳娜娜-身份证复印件.pdf";
    const MARKER = "CONFIDENTIAL 欧阳娜娜 110101198506120011";
    const fileA = Buffer.concat([Buffer.from(`%PDF-1.7\n${MARKER}\n`, "utf8"), randomBytes(200_000)]);
    const fileB = Buffer.concat([Buffer.from("second file\n"), randomBytes(3000)]);
    let evidenceA: string;
    let evidenceB: string;

    const upload = (token: string, file: Buffer, filename = FILENAME, mediaType = "application/pdf") =>
      inject("POST", `/incidents/${incidentId}/evidence`, token, { filename, mediaType, content: file.toString("base64") });

    it("seals an uploaded file under its own key; the row holds neither the bytes nor the filename", async () => {
      compliance = await buildUser(suite.services, "compliance");
      partner = await buildUser(suite.services, "partner");
      const opened = await inject("POST", "/incidents", compliance.token, {
        source: "partner",
        category: "unauthorised_access",
        cause: "credential_compromise",
        measures: ["credentials_revoked"],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: false,
        euSubjects: false,
        contact: "privacy@firm.test / 010-88886666",
      });
      incidentId = opened.json().id;

      const res = await upload(compliance.token, fileA);
      expect(res.statusCode).toBe(201);
      evidenceA = res.json().id;
      expect(res.json()).toMatchObject({
        incidentId,
        filename: FILENAME,
        mediaType: "application/pdf",
        sizeBytes: fileA.length,
        sha256: sha256(fileA),
        uploadedBy: compliance.actor.userId,
      });
      evidenceB = (await upload(compliance.token, fileB, "notes.txt", "text/plain")).json().id;

      const row = await suite.services.engine.db.selectFrom("incident_evidence").selectAll().where("id", "=", evidenceA).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ incident_id: incidentId, size_bytes: fileA.length, sha256: sha256(fileA), media_type: "application/pdf" });
      for (const cell of cells(row)) {
        for (const needle of [MARKER, "欧阳娜娜", FILENAME, "%PDF-1.7"]) expect(contains(cell, needle)).toBe(false);
        if (Buffer.isBuffer(cell)) expect(cell.includes(fileA.subarray(40, 104))).toBe(false);
      }
      const event = await lastEvent("evidence.upload");
      expect(event).toMatchObject({ outcome: "success", target_id: incidentId, actor_id: compliance.actor.userId });
      expect(JSON.parse(event.details!)).toEqual({ evidenceId: evidenceB, sizeBytes: fileB.length, mediaType: "text/plain", sha256: sha256(fileB) });
    });

    it("lists metadata and gives the exact bytes back as an attachment, audited as evidence.read", async () => {
      const list = await inject("GET", `/incidents/${incidentId}/evidence`, compliance.token);
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((i: { id: string; filename: string }) => [i.id, i.filename])).toEqual([
        [evidenceA, FILENAME],
        [evidenceB, "notes.txt"],
      ]);
      expect(JSON.stringify(list.json())).not.toContain("content");

      const got = await inject("GET", `/incidents/${incidentId}/evidence/${evidenceA}/content`, compliance.token);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(fileA)).toBe(true);
      expect(got.headers["content-type"]).toBe("application/pdf");
      expect(got.headers["content-disposition"]).toBe(
        `attachment; filename="evidence-${evidenceA.slice(0, 8)}.pdf"; filename*=UTF-8''${encodeURIComponent(FILENAME)}`,
      );
      expect(got.headers["x-evidence-sha256"]).toBe(sha256(fileA));
      const event = await lastEvent("evidence.read");
      expect(event).toMatchObject({ outcome: "success", target_id: incidentId });
      expect(JSON.parse(event.details!)).toEqual({ evidenceId: evidenceA, sizeBytes: fileA.length, sha256: sha256(fileA) });
      // An evidence id under another incident is not found there.
      const other = (
        await inject("POST", "/incidents", compliance.token, {
          source: "partner",
          category: "loss",
          cause: "lost_device",
          measures: [],
          peopleAffected: 0,
          l4Involved: false,
          leftFirm: false,
          euSubjects: false,
          contact: "privacy@firm.test",
        })
      ).json().id;
      expect((await inject("GET", `/incidents/${other}/evidence/${evidenceA}/content`, compliance.token)).statusCode).toBe(404);
    });

    it("key rotation re-wraps each file's data key; the file still opens", async () => {
      const before = await suite.services.engine.db
        .selectFrom("incident_evidence")
        .select(["kek_version", "wrapped_key"])
        .where("id", "=", evidenceA)
        .executeTakeFirstOrThrow();
      const { version } = await rotateKeys(suite.services, { actor: CONSOLE_OPERATOR, requestId: "test-rotate", purpose: null });
      const after = await suite.services.engine.db
        .selectFrom("incident_evidence")
        .select(["kek_version", "wrapped_key"])
        .where("id", "=", evidenceA)
        .executeTakeFirstOrThrow();
      expect(after.kek_version).toBe(version);
      expect(version).toBeGreaterThan(before.kek_version);
      expect(Buffer.from(after.wrapped_key).equals(Buffer.from(before.wrapped_key))).toBe(false);
      const got = await inject("GET", `/incidents/${incidentId}/evidence/${evidenceA}/content`, compliance.token);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(fileA)).toBe(true);
    });

    it("takes exactly 5 MiB; one byte more is refused, and bad base64 too", async () => {
      const five = randomBytes(5 * MiB);
      const ok = await upload(compliance.token, five, "dump.bin", "application/octet-stream");
      expect(ok.statusCode).toBe(201);
      const back = await inject("GET", `/incidents/${incidentId}/evidence/${ok.json().id}/content`, compliance.token);
      expect(back.rawPayload.equals(five)).toBe(true);
      const over = await upload(compliance.token, Buffer.concat([five, Buffer.from([1])]), "dump.bin", "application/octet-stream");
      expect([over.statusCode, over.json().error.fields]).toEqual([400, [expect.objectContaining({ field: "content", code: "file_too_large" })]]);
      expect(await lastEvent("evidence.upload")).toMatchObject({ outcome: "failure", reason: "validation_error" });
      const junk = await inject("POST", `/incidents/${incidentId}/evidence`, compliance.token, {
        filename: "a.txt",
        mediaType: "text/plain",
        content: "not*base64!",
      });
      expect([junk.statusCode, junk.json().error.fields[0].code]).toEqual([400, "not_base64"]);
      // Elsewhere the API keeps its 64 KiB limit.
      const big = await inject("POST", `/incidents/${incidentId}/tasks`, compliance.token, {
        title: "x".repeat(70_000),
        ownerId: compliance.actor.userId,
        dueAt: new Date().toISOString(),
      });
      expect(big.statusCode).toBe(413);
    });

    it("refuses a ciphertext swapped between two evidence rows (bound to incident and evidence id), and a changed digest", async () => {
      const db = suite.services.engine.db;
      const rowA = await db.selectFrom("incident_evidence").selectAll().where("id", "=", evidenceA).executeTakeFirstOrThrow();
      const rowB = await db.selectFrom("incident_evidence").selectAll().where("id", "=", evidenceB).executeTakeFirstOrThrow();
      const read = () => inject("GET", `/incidents/${incidentId}/evidence/${evidenceA}/content`, compliance.token);

      await db.updateTable("incident_evidence").set({ content_ct: rowB.content_ct }).where("id", "=", evidenceA).execute();
      const swapped = await read();
      expect([swapped.statusCode, swapped.json().error.code]).toEqual([500, "integrity_error"]);
      expect(await lastEvent("evidence.read")).toMatchObject({ outcome: "failure", reason: "integrity_error" });
      // Even B's whole sealed row (its wrapped key, both ciphertexts, its digest) copied under A's id:
      // the key is bound to B's id and the ciphertexts to B's id and incident, so A's binding refuses it.
      await db
        .updateTable("incident_evidence")
        .set({ content_ct: rowB.content_ct, filename_ct: rowB.filename_ct, wrapped_key: rowB.wrapped_key, sha256: rowB.sha256, size_bytes: rowB.size_bytes })
        .where("id", "=", evidenceA)
        .execute();
      const copied = await read();
      expect([copied.statusCode, copied.json().error.code]).toEqual([500, "integrity_error"]);
      expect((await inject("GET", `/incidents/${incidentId}/evidence`, compliance.token)).statusCode).toBe(500);
      await db
        .updateTable("incident_evidence")
        .set({ content_ct: rowA.content_ct, filename_ct: rowA.filename_ct, wrapped_key: rowA.wrapped_key, size_bytes: rowA.size_bytes, sha256: "0".repeat(64) })
        .where("id", "=", evidenceA)
        .execute();
      const digest = await read();
      expect([digest.statusCode, digest.json().error.code]).toEqual([500, "integrity_error"]);
      expect(JSON.parse((await lastEvent("evidence.read")).details!)).toEqual({ evidenceId: evidenceA, reason: "digest_mismatch" });
      await db.updateTable("incident_evidence").set({ sha256: rowA.sha256 }).where("id", "=", evidenceA).execute();
      expect((await read()).rawPayload.equals(fileA)).toBe(true);
    });

    it("refuses anyone outside compliance and the response team (403 + denial audited); a member may", async () => {
      const lawyer = await buildUser(suite.services, "lawyer");
      for (const who of [lawyer, partner]) {
        const list = await inject("GET", `/incidents/${incidentId}/evidence`, who.token);
        expect([list.statusCode, list.json().error.code]).toEqual([403, "not_on_incident_team"]);
        expect(await lastEvent("evidence.list")).toMatchObject({
          outcome: "denied",
          reason: "not_on_incident_team",
          actor_id: who.actor.userId,
          target_id: incidentId,
        });
        expect((await inject("GET", `/incidents/${incidentId}/evidence/${evidenceA}/content`, who.token)).statusCode).toBe(403);
        expect(await lastEvent("evidence.read")).toMatchObject({ outcome: "denied", actor_id: who.actor.userId });
        expect((await upload(who.token, fileB)).statusCode).toBe(403);
        expect(await lastEvent("evidence.upload")).toMatchObject({ outcome: "denied", actor_id: who.actor.userId });
      }
      expect((await inject("POST", `/incidents/${incidentId}/members`, compliance.token, { userId: partner.actor.userId, role: "legal" })).statusCode).toBe(
        200,
      );
      const got = await inject("GET", `/incidents/${incidentId}/evidence/${evidenceA}/content`, partner.token);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(fileA)).toBe(true);
      expect((await upload(partner.token, fileB, "partner.txt", "text/plain")).statusCode).toBe(201);
      expect(suite.logs.join("")).not.toContain("身份证复印件");
    });

    describe("client notices", () => {
      const NAME_A = "欧阳娜娜";
      const NAME_B = "司马光";
      const EMAIL_A = "ouyang.nana@example.cn";
      const EMAIL_B = "sima.guang@example.org";
      const mails: MailMessage[] = [];
      const mail = { sendMail: async (m: MailMessage) => void mails.push(m) };
      let a: string;
      let b: string;
      let c: string;

      it("sends the personalised notice to each affected client with an email; the one without is listed as not sent", async () => {
        const reader = await buildUser(suite.services, "partner");
        a = (await buildClient(suite.services, reader.actor, { name: NAME_A, email: EMAIL_A })).id;
        b = (await buildClient(suite.services, reader.actor, { name: NAME_B, email: EMAIL_B, phone: "13700001111" })).id;
        c = (await buildClient(suite.services, reader.actor, { name: "诸葛亮", email: undefined })).id;
        expect(
          (await inject("POST", `/incidents/${incidentId}/notices/send`, compliance.token, { audience: "clients", channel: "email" })).json().error.code,
        ).toBe("no_affected_clients");
        await sleep(5);
        const from = new Date().toISOString();
        for (const id of [a, b, c])
          expect((await suite.app.inject({ method: "GET", url: `/api/v1/clients/${id}`, headers: auth(reader.token, "case-handling") })).statusCode).toBe(200);
        await sleep(5);
        const radius = await inject("POST", `/incidents/${incidentId}/blast-radius`, compliance.token, {
          userId: reader.actor.userId,
          from,
          to: new Date().toISOString(),
        });
        expect(radius.json().affectedClients).toHaveLength(3);

        const sent = await inject("POST", `/incidents/${incidentId}/notices/send`, compliance.token, { audience: "clients", channel: "email" });
        expect(sent.statusCode).toBe(200);
        const result = sent.json();
        expect(result.queued).toBe(2);
        expect(result.notSent).toEqual([{ clientId: c, reason: "no_contact" }]);
        const byClient = Object.fromEntries(result.sends.map((s: { clientId: string }) => [s.clientId, s]));
        expect(byClient[a]).toMatchObject({ channel: "email", language: "zh-CN", status: "queued", contact: "o***@example.cn", reason: null });
        expect(byClient[b]).toMatchObject({ status: "queued", contact: "s***@example.org" });
        expect(byClient[c]).toMatchObject({ status: "not_sent", reason: "no_contact", contact: null, messageId: null });

        const report = await deliverDue(suite.services, new Date(), { mail });
        expect(report.emails.sent).toBe(2);
        const toA = mails.find((m) => m.to === EMAIL_A)!;
        const toB = mails.find((m) => m.to === EMAIL_B)!;
        expect(toA.subject).toBe("关于您个人信息安全事件的告知");
        expect(toA.body).toContain(`尊敬的${NAME_A}：`);
        expect(toA.body).not.toContain(NAME_B);
        expect(toB.body).toContain(`尊敬的${NAME_B}：`);
        // PIPL Art. 57 elements, as in the draft: categories, cause, harm, measures, what to do, contact.
        const draft = (
          await inject("POST", `/incidents/${incidentId}/notices`, compliance.token, { audience: "client", language: "zh-CN", clientId: a })
        ).json();
        expect(toA.body).toBe(draft.body);
        for (const part of [
          "电话",
          "员工账户或访问令牌被他人盗用",
          "骚扰或诈骗电话",
          "已吊销相关账户的全部访问令牌",
          "不要向自称本所",
          "privacy@firm.test / 010-88886666",
          incidentId.slice(0, 8).toUpperCase(),
        ])
          expect(toA.body).toContain(part);

        const list = await inject("GET", `/incidents/${incidentId}/notices/sends`, compliance.token);
        expect(list.statusCode).toBe(200);
        const listed = Object.fromEntries(list.json().items.map((s: { clientId: string }) => [s.clientId, s]));
        expect(listed[a]).toMatchObject({ status: "sent", contact: "o***@example.cn", messageId: byClient[a].messageId });
        expect(listed[a].deliveredAt).not.toBeNull();
        expect(listed[c]).toMatchObject({ status: "not_sent", reason: "no_contact" });
      });

      it("skips clients already notified; an explicit list resends, in the language asked for", async () => {
        const again = (await inject("POST", `/incidents/${incidentId}/notices/send`, compliance.token, { audience: "clients", channel: "email" })).json();
        expect([again.queued, again.skipped.sort()]).toEqual([0, [a, b].sort()]);
        expect(again.notSent).toEqual([{ clientId: c, reason: "no_contact" }]);
        const en = (
          await inject("POST", `/incidents/${incidentId}/notices/send`, compliance.token, {
            audience: "clients",
            channel: "email",
            language: "en",
            clientIds: [a],
          })
        ).json();
        expect(en.sends).toEqual([expect.objectContaining({ clientId: a, language: "en", status: "queued" })]);
        await deliverDue(suite.services, new Date(), { mail });
        const last = mails.at(-1)!;
        expect([last.to, last.subject]).toEqual([EMAIL_A, "Notice of a security incident concerning your personal information"]);
        expect(last.body).toContain(`Dear ${NAME_A},`);
        for (const part of [
          "Phone",
          "a staff account or access token was used by someone else",
          "nuisance or fraudulent calls",
          "all access tokens of the account concerned were revoked",
          "privacy@firm.test",
        ])
          expect(last.body).toContain(part);
        const stranger = await inject("POST", `/incidents/${incidentId}/notices/send`, compliance.token, {
          audience: "clients",
          channel: "email",
          clientIds: [a, "00000000-0000-7000-8000-000000000000"],
        });
        expect([stranger.statusCode, stranger.json().error.fields]).toEqual([400, [expect.objectContaining({ field: "clientIds.1", code: "not_affected" })]]);
        expect((await inject("POST", `/incidents/${incidentId}/notices/send`, partner.token, { audience: "clients", channel: "email" })).statusCode).toBe(403);
        expect(await lastEvent("incident.notice.send")).toMatchObject({ outcome: "denied", actor_id: partner.actor.userId });
        expect((await inject("GET", `/incidents/${incidentId}/notices/sends`, (await buildUser(suite.services, "lawyer")).token)).statusCode).toBe(403);
      });

      it("keeps contacts and names out of the send records, audit events and logs", async () => {
        const db = suite.services.engine.db;
        const events = await db.selectFrom("audit_events").selectAll().where("action", "in", ["incident.notice.send", "incident.notice.list"]).execute();
        expect(events.filter((e) => e.target_type === "client" && e.outcome === "success")).toHaveLength(3);
        const perSend = events.find((e) => e.target_id === a)!;
        expect(Object.keys(JSON.parse(perSend.details!)).sort()).toEqual(["channel", "incidentId", "language", "messageId", "sendId", "status"]);
        expect(events.find((e) => e.target_id === c)).toMatchObject({ outcome: "failure", reason: "no_contact" });
        const rows = await db.selectFrom("incident_notice_sends").selectAll().execute();
        const outbox = await db.selectFrom("email_outbox").selectAll().where("purpose", "=", "incident_notice").execute();
        expect(outbox).toHaveLength(3);
        const stored = [...events.flatMap((e) => cells(e)), ...rows.flatMap(cells), ...outbox.flatMap(cells)];
        for (const cell of stored)
          for (const needle of [EMAIL_A, EMAIL_B, "o***@example.cn", "example.org", NAME_A, NAME_B, "尊敬的"]) expect(contains(cell, needle)).toBe(false);
        const logs = suite.logs.join("");
        for (const needle of [EMAIL_A, EMAIL_B, "example.org", NAME_A, NAME_B]) expect(logs).not.toContain(needle);
      });
    });

    it("documents the new routes in the OpenAPI document", async () => {
      const doc = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      for (const path of [
        "/api/v1/incidents/{id}/evidence",
        "/api/v1/incidents/{id}/evidence/{evidenceId}/content",
        "/api/v1/incidents/{id}/notices/send",
        "/api/v1/incidents/{id}/notices/sends",
      ])
        expect(doc.paths[path]).toBeDefined();
      expect(doc.paths["/api/v1/incidents/{id}/evidence"].post.requestBody.content["application/json"].schema.required).toEqual([
        "filename",
        "mediaType",
        "content",
      ]);
    });

    it("leaves the audit chain intact", async () => {
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
