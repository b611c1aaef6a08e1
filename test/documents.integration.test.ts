/**
 * Client documents over HTTP on both engines and both blob stores (issue #11): upload with PII scan
 * and level raise, masking, the copy approval, the check-out lock, walls, tampering, and tracing.
 */
import { Readable } from "node:stream";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { multipart } from "./support/multipart.js";

const PURPOSE = "case-handling";
const HEADER = 24;
const SEGMENT = 64 * 1024 + 16;

for (const dialect of DIALECTS) {
  describe(`${dialect}: client documents`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser;
    let lawyer: TestUser;
    let colleague: TestUser;
    let paralegal: TestUser;
    let compliance: TestUser;
    let clientId: string;

    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: unknown) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, PURPOSE), ...(payload === undefined ? {} : { payload: payload as object }) });

    async function upload(user: TestUser, fields: Record<string, string>, content: Buffer, filename = "note.txt", target = `/clients/${clientId}/documents`) {
      const body = multipart(fields, { filename, content });
      return suite.app.inject({ method: "POST", url: `/api/v1${target}`, headers: { ...auth(user.token, PURPOSE), ...body.headers }, payload: body.payload });
    }

    const events = (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").execute();

    async function approveCopy(user: TestUser) {
      const req = await call("POST", "/approvals", user, {
        kind: "copy_document",
        clientId,
        purpose: PURPOSE,
        justification: "court_filing",
        reference: "DOC-1",
        durationMinutes: 60,
      });
      expect(req.statusCode).toBe(201);
      const decided = await call("POST", `/approvals/${req.json().id}/approve`, compliance, {});
      expect(decided.json()).toMatchObject({ status: "approved" });
    }

    it("sets up a client with a matter team", async () => {
      partner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      colleague = await buildUser(suite.services, "lawyer");
      paralegal = await buildUser(suite.services, "paralegal");
      compliance = await buildUser(suite.services, "compliance");
      clientId = (await buildClient(suite.services, partner.actor)).id;
      await buildMatter(suite.services, partner.actor, clientId, [
        { userId: lawyer.actor.userId, role: "lead" },
        { userId: colleague.actor.userId, role: "member" },
        { userId: paralegal.actor.userId, role: "member" },
      ]);
    });

    it("stores an upload encrypted, sniffs its type, finds the resident ID and raises the level to L4", async () => {
      const id = residentId("19800101");
      const text = Buffer.from(`委托人身份证号：${id}\n联系电话 13800138000\n案情摘要……`, "utf8");
      const res = await upload(partner, { title: "委托材料", category: "other" }, text, "scan.pdf");
      expect(res.statusCode).toBe(201);
      const doc = res.json();
      expect(doc).toMatchObject({
        category: "other",
        level: 4,
        mediaType: "text/plain",
        title: "委托材料",
        filename: "scan.pdf",
        scanStatus: "scanned",
        currentVersion: 1,
      });
      expect(doc.findings.resident_id.count).toBe(1);
      expect(doc.findings.mobile.count).toBe(1);
      const [event] = await events("document.upload");
      expect(event).toMatchObject({ outcome: "success", actor_id: partner.actor.userId, target_id: clientId });
      expect(JSON.stringify(event)).not.toContain(id);
      // The lawyer (L3) sees that the document exists, never its title.
      const seen = (await call("GET", `/clients/${clientId}/documents`, lawyer)).json().items.find((d: { id: string }) => d.id === doc.id);
      expect(seen).toMatchObject({ masked: true, title: null, level: 4 });
      const stored = await suite.services.engine.db.selectFrom("documents").selectAll().where("id", "=", doc.id).executeTakeFirstOrThrow();
      expect(Buffer.from(stored.title_ct!).includes(Buffer.from("委托材料"))).toBe(false);
    });

    it("refuses a level below the category's default and a missing file, with per-field errors and nothing written", async () => {
      const before = (await suite.services.engine.db.selectFrom("documents").select("id").execute()).length;
      const low = await upload(lawyer, { title: "身份证", category: "identity_proof", level: "2" }, Buffer.from("x"));
      expect(low.statusCode).toBe(400);
      expect(low.json().error.fields).toEqual([expect.objectContaining({ field: "level", code: "below_category" })]);
      const none = multipart({ title: "t", category: "other" }, null);
      const missing = await suite.app.inject({
        method: "POST",
        url: `/api/v1/clients/${clientId}/documents`,
        headers: { ...auth(lawyer.token, PURPOSE), ...none.headers },
        payload: none.payload,
      });
      expect(missing.statusCode).toBe(400);
      expect((await suite.services.engine.db.selectFrom("documents").select("id").execute()).length).toBe(before);
    });

    it("masks titles the reader could not open and refuses them the content", async () => {
      const list = await call("GET", `/clients/${clientId}/documents`, paralegal);
      expect(list.statusCode).toBe(200);
      const l4 = list.json().items.find((d: { level: number }) => d.level === 4);
      expect(l4).toMatchObject({ masked: true, title: null, filename: null, findings: null, abilities: { preview: false, download: false } });
      const preview = await call("GET", `/documents/${l4.id}/preview`, paralegal);
      expect([preview.statusCode, preview.json().error.code]).toEqual([403, "document_above_clearance"]);
      const [denied] = await events("document.preview");
      expect(denied).toMatchObject({ outcome: "denied", reason: "document_above_clearance", actor_id: paralegal.actor.userId });
    });

    it("lets a low-level document be downloaded without approval, and an L3+ one only with a copy_document grant", async () => {
      const plain = Buffer.from("会议纪要：下周二开庭准备。", "utf8");
      const open = (await upload(paralegal, { title: "会议纪要", category: "other" }, plain)).json();
      expect(open.level).toBe(2);
      const got = await call("GET", `/documents/${open.id}/content`, paralegal);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(plain)).toBe(true);
      expect(got.headers["x-copy-id"]).toMatch(/^[0-9a-f]{32}$/);
      const contract = (await upload(lawyer, { title: "委托合同", category: "contract" }, Buffer.from("合同条款 第一条", "utf8"))).json();
      expect(contract.abilities).toMatchObject({
        preview: true,
        download: false,
        downloadNeedsApproval: true,
        redact: true,
        share: true,
        shareNeedsApproval: true,
      });
      const asParalegal = (await call("GET", `/clients/${clientId}/documents`, paralegal)).json().items.find((d: { id: string }) => d.id === contract.id);
      expect(asParalegal.abilities).toMatchObject({ preview: false, redact: false, share: false });
      const refused = await call("GET", `/documents/${contract.id}/content`, lawyer);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "approval_required"]);
      await approveCopy(lawyer);
      const allowed = await call("GET", `/documents/${contract.id}/content`, lawyer);
      expect(allowed.statusCode).toBe(200);
      expect(allowed.body).toBe("合同条款 第一条");
      const [event] = await events("document.download");
      expect(event).toMatchObject({ outcome: "success", actor_id: lawyer.actor.userId, target_id: contract.id });
      expect(JSON.parse(event!.details!)).toMatchObject({ copy: allowed.headers["x-copy-id"], via: "grant" });
    });

    it("keeps versions, and lets only the check-out holder add one until it is checked in", async () => {
      const doc = (await upload(lawyer, { title: "起诉状", category: "case_file" }, Buffer.from("草稿一", "utf8"))).json();
      expect((await call("POST", `/documents/${doc.id}/check-out`, lawyer)).json()).toMatchObject({ checkedOutBy: lawyer.actor.userId });
      const blocked = await upload(colleague, {}, Buffer.from("同事的修改", "utf8"), "v.txt", `/documents/${doc.id}/versions`);
      expect([blocked.statusCode, blocked.json().error.code]).toEqual([409, "document_checked_out"]);
      const notHolder = await call("POST", `/documents/${doc.id}/check-in`, colleague);
      expect([notHolder.statusCode, notHolder.json().error.code]).toEqual([403, "not_lock_holder"]);
      const v2 = await upload(lawyer, {}, Buffer.from("草稿二", "utf8"), "v.txt", `/documents/${doc.id}/versions`);
      expect(v2.statusCode).toBe(201);
      expect(v2.json().currentVersion).toBe(2);
      const cleared = await call("POST", `/documents/${doc.id}/check-in`, partner);
      expect(cleared.json().checkedOutBy).toBeNull();
      const [event] = await events("document.check_in");
      expect(JSON.parse(event!.details!)).toMatchObject({ holder: lawyer.actor.userId });
      const detail = (await call("GET", `/documents/${doc.id}`, lawyer)).json();
      expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const first = await call("GET", `/documents/${doc.id}/preview?version=1`, lawyer);
      expect(first.json().pages[0].text).toBe("草稿一");
    });

    it("hides a walled client's documents as if they did not exist, and raises the wall-breach alert", async () => {
      const wall = await call("POST", "/walls", compliance, {
        reason: "conflict_of_interest",
        clientIds: [clientId],
        screenedUserIds: [colleague.actor.userId],
      });
      expect(wall.statusCode).toBe(201);
      const list = await call("GET", `/clients/${clientId}/documents`, colleague);
      expect(list.statusCode).toBe(404);
      const [event] = await events("document.list");
      expect(event).toMatchObject({ outcome: "denied", reason: "screened_by_wall" });
      const put = await upload(colleague, { title: "x", category: "other" }, Buffer.from("x"));
      expect(put.statusCode).toBe(404);
      await call("POST", `/walls/${wall.json().id}/lift`, compliance, { reason: "conflict_resolved" });
    });

    describe("tampering", () => {
      let a: { id: string };
      let b: { id: string };
      const big = (fill: string) => Buffer.from(fill.repeat(200 * 1024), "utf8"); // 200 KiB: four segments

      async function blobOf(documentId: string) {
        const v = await suite.services.engine.db.selectFrom("document_versions").selectAll().where("document_id", "=", documentId).executeTakeFirstOrThrow();
        const chunks: Buffer[] = [];
        for await (const c of suite.services.blobs.get(v.blob_key)) chunks.push(c as Buffer);
        return { key: v.blob_key, bytes: Buffer.concat(chunks) };
      }
      async function replaceBlob(key: string, bytes: Buffer) {
        await suite.services.blobs.delete(key);
        await suite.services.blobs.put(key, Readable.from([bytes]));
      }
      async function expectIntegrityFailure(documentId: string, integrity: string | string[]) {
        const res = await call("GET", `/documents/${documentId}/content`, paralegal);
        expect([res.statusCode, res.json().error.code]).toEqual([500, "file_integrity"]);
        const [event] = await events("document.download");
        expect(event).toMatchObject({ outcome: "failure", reason: "file_integrity", target_id: documentId });
        expect([integrity].flat()).toContain(JSON.parse(event!.details!).integrity);
      }

      it("stores two multi-segment files", async () => {
        a = (await upload(paralegal, { title: "A", category: "other" }, big("a"))).json();
        b = (await upload(paralegal, { title: "B", category: "other" }, big("b"))).json();
        expect((await call("GET", `/documents/${a.id}/content`, paralegal)).rawPayload.equals(big("a"))).toBe(true);
      });

      it("fails a truncated file", async () => {
        const { key, bytes } = await blobOf(a.id);
        await replaceBlob(key, bytes.subarray(0, HEADER + 2 * SEGMENT));
        // The last segment left is not marked last: it fails as a segment or as a cut-off file.
        await expectIntegrityFailure(a.id, ["truncated", "segment"]);
        await replaceBlob(key, bytes);
      });

      it("fails reordered segments", async () => {
        const { key, bytes } = await blobOf(a.id);
        const s = (i: number) => bytes.subarray(HEADER + i * SEGMENT, HEADER + (i + 1) * SEGMENT);
        await replaceBlob(key, Buffer.concat([bytes.subarray(0, HEADER), s(1), s(0), bytes.subarray(HEADER + 2 * SEGMENT)]));
        await expectIntegrityFailure(a.id, "segment");
        await replaceBlob(key, bytes);
      });

      it("fails a segment swapped in from another file", async () => {
        const one = await blobOf(a.id);
        const other = await blobOf(b.id);
        const mixed = Buffer.concat([
          one.bytes.subarray(0, HEADER + SEGMENT),
          other.bytes.subarray(HEADER + SEGMENT, HEADER + 2 * SEGMENT),
          one.bytes.subarray(HEADER + 2 * SEGMENT),
        ]);
        await replaceBlob(one.key, mixed);
        await expectIntegrityFailure(a.id, "segment");
        await replaceBlob(one.key, other.bytes); // the whole other file under this document
        await expectIntegrityFailure(a.id, "segment");
        await replaceBlob(one.key, one.bytes);
        expect((await call("GET", `/documents/${a.id}/content`, paralegal)).statusCode).toBe(200);
      });
    });

    describe("watermarks and leak tracing", () => {
      it("watermarks a downloaded PDF, and traces the leaked copy to its download and audit event", async () => {
        const pdf = await PDFDocument.create();
        const font = await pdf.embedFont(StandardFonts.Helvetica);
        pdf.addPage().drawText("Settlement terms, strictly confidential", { x: 50, y: 700, size: 14, font });
        const bytes = Buffer.from(await pdf.save());
        const doc = (await upload(lawyer, { title: "和解协议", category: "contract" }, bytes, "settlement.pdf")).json();
        expect(doc.mediaType).toBe("application/pdf");
        const res = await call("GET", `/documents/${doc.id}/content`, lawyer); // the copy grant from before is current
        expect(res.statusCode).toBe(200);
        expect(res.rawPayload.equals(bytes)).toBe(false);
        const copyId = res.headers["x-copy-id"];
        const [download] = await events("document.download");
        expect(JSON.parse(download!.details!)).toMatchObject({ watermarked: true, copy: copyId });

        const leaked = multipart({}, { filename: "leak.pdf", content: res.rawPayload });
        const traced = await suite.app.inject({
          method: "POST",
          url: "/api/v1/documents/trace",
          headers: { ...auth(compliance.token), ...leaked.headers },
          payload: leaked.payload,
        });
        expect(traced.statusCode).toBe(200);
        expect(traced.json().copies).toEqual([
          expect.objectContaining({ copyId, documentId: doc.id, clientId, userId: lawyer.actor.userId, kind: "download", auditEventId: download!.id }),
        ]);
        const byLawyer = await suite.app.inject({
          method: "POST",
          url: "/api/v1/documents/trace",
          headers: { ...auth(lawyer.token), ...leaked.headers },
          payload: leaked.payload,
        });
        expect([byLawyer.statusCode, byLawyer.json().error.code]).toEqual([403, "role_lacks_permission"]);
      });

      it("traces an unmarked copy by its exact content to the version and its downloads", async () => {
        const plain = Buffer.from("庭审笔录副本", "utf8");
        const doc = (await upload(paralegal, { title: "笔录", category: "other" }, plain)).json();
        const res = await call("GET", `/documents/${doc.id}/content`, paralegal);
        const leaked = multipart({}, { filename: "leak.txt", content: res.rawPayload });
        const traced = (
          await suite.app.inject({
            method: "POST",
            url: "/api/v1/documents/trace",
            headers: { ...auth(compliance.token), ...leaked.headers },
            payload: leaked.payload,
          })
        ).json();
        expect(traced.versions).toEqual([{ documentId: doc.id, clientId, version: 1 }]);
        expect(traced.copies).toEqual([
          expect.objectContaining({ copyId: res.headers["x-copy-id"], evidence: "exact_content", userId: paralegal.actor.userId }),
        ]);
      });
    });
  });
}
