/**
 * Documents across the client's lifecycle (issue #11) on both engines and both blob stores: erasure
 * destroys them with the client and deletes their files, a legal hold keeps them, a destruction
 * batch destroys and certifies them, the access package lists them, a restore honours erasures for
 * files too, and the CLI puts, gets, scans and traces them as a named staff member.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup, restoreBackup, verifyBackup } from "../src/governance/backups/backup.js";
import { backupBlobDir } from "../src/governance/backups/backup-blobs.js";
import { addPeriod } from "../src/governance/retention/retention-schedule.js";
import type { Services } from "../src/platform/services.js";
import { eraseClient } from "../src/records/clients/client-eraser.js";
import { purgeDestroyedBlobs, sweepDocumentBlobs } from "../src/records/documents/document-blob-sweeper.js";
import { downloadDocument } from "../src/records/documents/document-downloader.js";
import { uploadDocument } from "../src/records/documents/document-uploader.js";
import { buildAccessPackage, renderPackageHtml } from "../src/rights/requests/access-package.js";
import { runCli } from "./support/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { multipart } from "./support/multipart.js";

const PURPOSE = "case-handling";
const yearsAgo = (n: number) => addPeriod(new Date().toISOString(), "years", -n);
const inDays = (n: number) => addPeriod(new Date().toISOString(), "days", n).slice(0, 10);

for (const dialect of DIALECTS) {
  describe(`${dialect}: documents across the client's lifecycle`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser, lawyer: TestUser, officerA: TestUser, officerB: TestUser;

    const db = () => suite.services.engine.db;
    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object, purpose: string | undefined = PURPOSE) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, purpose), ...(payload ? { payload } : {}) });
    async function upload(user: TestUser, clientId: string, fields: Record<string, string>, content: Buffer, filename = "note.txt") {
      const body = multipart(fields, { filename, content });
      const res = await suite.app.inject({
        method: "POST",
        url: `/api/v1/clients/${clientId}/documents`,
        headers: { ...auth(user.token, PURPOSE), ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode).toBe(201);
      return res.json() as { id: string; level: number; sizeBytes: number };
    }
    async function addVersion(user: TestUser, documentId: string, content: Buffer) {
      const body = multipart({}, { filename: "v.txt", content });
      const res = await suite.app.inject({
        method: "POST",
        url: `/api/v1/documents/${documentId}/versions`,
        headers: { ...auth(user.token, PURPOSE), ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode).toBe(201);
    }
    const versionsOf = (clientId: string) =>
      db()
        .selectFrom("document_versions as v")
        .innerJoin("documents as d", "d.id", "v.document_id")
        .selectAll("v")
        .where("d.client_id", "=", clientId)
        .execute();
    const documentsOf = (clientId: string) => db().selectFrom("documents").selectAll().where("client_id", "=", clientId).orderBy("created_at").execute();
    async function blobsExist(clientId: string): Promise<boolean[]> {
      const out: boolean[] = [];
      for (const v of await versionsOf(clientId)) out.push(await suite.services.blobs.exists(v.blob_key));
      return out;
    }
    const lastEvent = (action: string, targetId: string) =>
      db()
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", action)
        .where("target_id", "=", targetId)
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
    const hold = (clientId: string) =>
      call("POST", "/holds", officerA, { clientId, custodianId: officerA.actor.userId, reason: "litigation_pending", reviewDate: inDays(30) }, undefined);

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      lawyer = await buildUser(suite.services, "lawyer");
      officerA = await buildUser(suite.services, "compliance");
      officerB = await buildUser(suite.services, "compliance");
    });

    it("erasure destroys the client's documents with its key, deletes their files, and their downloads answer 404", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const secret = `委托人身份证号 ${residentId("19700101")}`;
      const idProof = await upload(partner, client.id, { title: "身份证复印件", category: "identity_proof" }, Buffer.from(secret, "utf8"));
      const memo = await upload(partner, client.id, { title: "会见记录", category: "other" }, Buffer.from("会见记录 第一稿", "utf8"));
      await addVersion(partner, memo.id, Buffer.from("会见记录 第二稿", "utf8"));
      expect((await call("GET", `/documents/${memo.id}/content`, partner)).statusCode).toBe(200);
      expect(await blobsExist(client.id)).toEqual([true, true, true]);

      const erased = await call("POST", `/clients/${client.id}/erase`, partner, { reason: "client_request" }, undefined);
      expect(erased.statusCode).toBe(200);

      const documents = await documentsOf(client.id);
      expect(documents.map((d) => [d.destroyed_reason, d.title_ct, d.filename_ct, d.wrapped_file_key, d.destroyed_at === null])).toEqual([
        ["client_erased", null, null, null, false],
        ["client_erased", null, null, null, false],
      ]);
      const versions = await versionsOf(client.id);
      expect(versions.map((v) => [v.findings_ct, v.content_mac, v.blob_purged_at === null])).toEqual([
        [null, "", false],
        [null, "", false],
        [null, "", false],
      ]);
      expect(await blobsExist(client.id)).toEqual([false, false, false]);
      // The register of copies handed out stays: who holds a copy of what was destroyed.
      expect(await db().selectFrom("document_copies").select("id").where("document_id", "=", memo.id).execute()).toHaveLength(1);
      const event = await lastEvent("client.erase", client.id);
      expect(JSON.parse(event.details!)).toMatchObject({ method: "crypto-shredding", documents: 2 });
      expect(event.details).not.toContain(secret);

      for (const url of [
        `/documents/${idProof.id}/content`,
        `/documents/${memo.id}/content?version=1`,
        `/documents/${memo.id}`,
        `/documents/${memo.id}/preview`,
      ]) {
        const res = await call("GET", url, partner);
        expect([res.statusCode, res.json().error.code], url).toEqual([404, "not_found"]);
      }
      // Purging again finds nothing left to do: each version was marked once.
      expect(await purgeDestroyedBlobs(suite.services)).toEqual({ purged: 0, failed: 0 });
    });

    it("a legal hold blocks erasure and keeps the documents and their files", async () => {
      const client = await buildClient(suite.services, partner.actor);
      await upload(partner, client.id, { title: "合同", category: "other" }, Buffer.from("合同正文", "utf8"));
      expect((await hold(client.id)).statusCode).toBe(201);
      const refused = await call("POST", `/clients/${client.id}/erase`, partner, { reason: "client_request" }, undefined);
      expect([refused.statusCode, refused.json().error.code]).toEqual([409, "legal_hold"]);
      const [document] = await documentsOf(client.id);
      expect([document!.destroyed_at, document!.wrapped_file_key === null]).toEqual([null, false]);
      expect(await blobsExist(client.id)).toEqual([true]);
    });

    it("a destruction batch destroys the documents of its clients and certifies how many, skipping a client held since approval", async () => {
      const due = await buildClient(suite.services, partner.actor);
      const heldLater = await buildClient(suite.services, partner.actor);
      const sizes: number[] = [];
      for (const [clientId, title, text] of [
        [due.id, "起诉状", "起诉状 正文"],
        [due.id, "证据目录", "证据目录 一二三"],
        [heldLater.id, "答辩状", "答辩状 正文"],
      ] as const) {
        const doc = await upload(partner, clientId, { title, category: "other" }, Buffer.from(text, "utf8"));
        if (clientId === due.id) sizes.push(doc.sizeBytes);
        if (title === "起诉状") {
          await addVersion(partner, doc.id, Buffer.from("起诉状 修改稿", "utf8"));
          sizes.push(Buffer.byteLength("起诉状 修改稿"));
        }
      }
      for (const clientId of [due.id, heldLater.id]) {
        const matter = await buildMatter(suite.services, partner.actor, clientId);
        await sql`update matters set status = 'closed', closed_at = ${yearsAgo(11)} where id = ${matter.id}`.execute(db());
      }
      const batch = await call("POST", "/retention/batches", officerA, { clientIds: [due.id, heldLater.id] }, undefined);
      expect(batch.statusCode).toBe(201);
      expect((await call("POST", `/retention/batches/${batch.json().id}/approve`, officerB, undefined, undefined)).statusCode).toBe(200);
      expect((await hold(heldLater.id)).statusCode).toBe(201);
      const executed = await call("POST", `/retention/batches/${batch.json().id}/execute`, officerA, undefined, undefined);
      expect(executed.statusCode).toBe(200);
      const certificate = executed.json();
      expect(certificate.clientIds).toEqual([due.id]);
      expect(certificate.skipped).toEqual([{ clientId: heldLater.id, reason: "legal_hold" }]);
      expect(certificate.recordCounts).toMatchObject({ client_file: 1, document: 2, document_version: 3, document_bytes: sizes.reduce((a, b) => a + b, 0) });
      expect(certificate.method).toMatch(/documents/);
      expect((await documentsOf(due.id)).map((d) => d.destroyed_reason)).toEqual(["retention_destroyed", "retention_destroyed"]);
      expect(await blobsExist(due.id)).toEqual([false, false, false]);
      expect((await documentsOf(heldLater.id)).map((d) => d.destroyed_at)).toEqual([null]);
      expect(await blobsExist(heldLater.id)).toEqual([true]);
      const destroyEvent = await lastEvent("retention.destroy", due.id);
      expect(JSON.parse(destroyEvent.details!)).toMatchObject({ documents: 2 });
    });

    it("the access package lists the documents, who received copies, and carries the client's own identity document", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const number = residentId("19881212");
      const idBytes = Buffer.from(`居民身份证 姓名：王小明 公民身份号码 ${number}`, "utf8");
      const idProof = await upload(partner, client.id, { title: "身份证正反面", category: "identity_proof" }, idBytes, "id.txt");
      const caseFile = await upload(partner, client.id, { title: "王小明诉李四借款纠纷", category: "other" }, Buffer.from("借款合同复印件", "utf8"));
      const got = await call("GET", `/documents/${caseFile.id}/content`, partner);
      expect(got.statusCode).toBe(200);

      const pkg = await db()
        .transaction()
        .execute((tx) => buildAccessPackage(suite.services, tx, "access", client.id, "req-1", "zh-CN", new Date()));
      expect(pkg.documents.map((d) => d.id)).toEqual([idProof.id, caseFile.id]);
      const [own, other] = pkg.documents;
      expect(own).toMatchObject({ category: "identity_proof", categoryLabel: "个人身份证明", level: 4, title: "身份证正反面", versions: 1, fileOmitted: null });
      expect(own!.findings).toEqual(expect.arrayContaining([{ type: "resident_id", label: "居民身份证号码", count: 1 }]));
      expect(Buffer.from(own!.file!.base64, "base64").equals(idBytes)).toBe(true);
      expect(own!.file).toMatchObject({ filename: "id.txt", mediaType: "text/plain" });
      // Other titles stay out (they can name other parties); copies name the staff member by role.
      expect(other).toMatchObject({ category: "other", title: null, file: null, copies: [expect.objectContaining({ kind: "download", recipient: "合伙人" })] });
      expect(JSON.stringify(pkg)).not.toContain("李四");
      const html = renderPackageHtml(pkg);
      expect(html).toContain("个人身份证明");
      expect(html).toContain("居民身份证号码 ×1");
      expect(html).not.toContain("李四");
      expect(html).not.toContain(number);

      const explanation = await db()
        .transaction()
        .execute((tx) => buildAccessPackage(suite.services, tx, "explanation", client.id, "req-2", "en", new Date()));
      expect(explanation.documents).toEqual([]);
    });

    it("a sweep deletes files no live version names once old enough, and keeps recent ones", async () => {
      const client = await buildClient(suite.services, partner.actor);
      const doc = await upload(partner, client.id, { title: "留存", category: "other" }, Buffer.from("留存文件", "utf8"));
      const stray = `documents/${doc.id}/v9-0123456789ab`;
      await suite.services.blobs.put(stray, Readable.from([Buffer.from("ciphertext left by a crashed upload")]));
      const dataDir = suite.db.config.dataDir;
      const recent = await sweepDocumentBlobs(suite.services, { dataDir, olderThan: new Date(Date.now() - 3_600_000) });
      expect(await suite.services.blobs.exists(stray)).toBe(true);
      expect(recent.unclaimed).toBeGreaterThanOrEqual(1);
      if (dialect === "sqlite") {
        // The file store knows each blob's age: past the cut-off, a blob no row names goes.
        const later = await sweepDocumentBlobs(suite.services, { dataDir, olderThan: new Date(Date.now() + 60_000) });
        expect(later.orphans).toBeGreaterThanOrEqual(1);
        expect(await suite.services.blobs.exists(stray)).toBe(false);
      }
      expect(await blobsExist(client.id)).toEqual([true]);
    });

    describe("CLI: custodia files put | get | scan | trace | sweep", () => {
      let work: string;
      let paralegal: TestUser;
      let clientId: string;
      // If this process's audit sequencer were mid-transaction when the command starts, it would hold
      // SQLite's write lock: so the sequencer is flushed first. (runCli no longer blocks this process,
      // so the sequencer could finish its transaction anyway; the flush is belt and braces.)
      const cli = async (args: string[], token?: string) => {
        await suite.services.auditSequencer.flush();
        return runCli([...args, "--data-dir", suite.db.config.dataDir], { ...suite.db.env, CUSTODIA_TOKEN: token ?? "" });
      };

      beforeAll(async () => {
        work = mkdtempSync(join(tmpdir(), "custodia-files-cli-"));
        paralegal = await buildUser(suite.services, "paralegal");
        clientId = (await buildClient(suite.services, partner.actor)).id;
        await buildMatter(suite.services, partner.actor, clientId, [
          { userId: lawyer.actor.userId, role: "lead" },
          { userId: paralegal.actor.userId, role: "member" },
        ]);
      });
      afterAll(() => rmSync(work, { recursive: true, force: true }));

      it("scan counts identifiers per type and page of a local file and gives the level, never a value", async () => {
        const number = residentId("19900303");
        const path = join(work, "scan.txt");
        writeFileSync(path, `当事人身份证号：${number}\n联系电话：13800138000\n`);
        const r = await runCli(["files", "scan", path, "--json"]);
        expect(r.status, r.stderr).toBe(0);
        const scan = JSON.parse(r.stdout);
        expect(scan).toMatchObject({ mediaType: "text/plain", status: "scanned", category: "other", detectedLevel: 4, level: 4 });
        expect(scan.findings).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ type: "resident_id", count: 1, pages: [1] }),
            expect.objectContaining({ type: "mobile", count: 1 }),
          ]),
        );
        const text = await runCli(["files", "scan", path, "--category", "contract"]);
        expect(text.stdout).toContain("resident_id: 1");
        expect(text.stdout).toContain("Level as contract: L4");
        for (const out of [r.stdout, text.stdout, r.stderr]) expect(out).not.toContain(number);
      });

      it("put uploads as the token's owner, and without a valid token is refused and audited", async () => {
        const path = join(work, "委托材料.txt");
        writeFileSync(path, "授权委托书 正文", "utf8");
        const put = await cli(
          ["files", "put", clientId, path, "--title", "授权委托书", "--category", "other", "--purpose", PURPOSE, "--json"],
          paralegal.token,
        );
        expect(put.status, put.stderr).toBe(0);
        const doc = JSON.parse(put.stdout);
        expect(doc).toMatchObject({ clientId, title: "授权委托书", filename: "委托材料.txt", level: 2, createdBy: paralegal.actor.userId });
        expect(JSON.parse((await lastEvent("document.upload", clientId)).details!)).toMatchObject({ documentId: doc.id });

        const anonymous = await cli(["files", "put", clientId, path, "--title", "x", "--category", "other", "--purpose", PURPOSE, "--json"]);
        expect([anonymous.status, JSON.parse(anonymous.stdout).error.code]).toEqual([1, "authentication_required"]);
        const forged = await cli(
          ["files", "put", clientId, path, "--title", "x", "--category", "other", "--purpose", PURPOSE, "--json"],
          `${paralegal.token}x`,
        );
        expect(JSON.parse(forged.stdout).error.code).toBe("authentication_required");
        const refusals = await db().selectFrom("audit_events").selectAll().where("action", "=", "auth.token").orderBy("seq", "desc").limit(2).execute();
        expect(refusals.map((e) => [e.outcome, e.reason, JSON.parse(e.details!).channel])).toEqual([
          ["failure", "invalid_token", "cli"],
          ["failure", "missing_token", "cli"],
        ]);
        // The paralegal's own need-to-know applies: a client off their matters is refused.
        const stranger = (await buildClient(suite.services, partner.actor)).id;
        const off = await cli(["files", "put", stranger, path, "--title", "x", "--category", "other", "--purpose", PURPOSE, "--json"], paralegal.token);
        expect([off.status, JSON.parse(off.stdout).error.code]).toEqual([1, "not_on_matter"]);
      });

      it("get writes a registered copy owner-only, refuses to overwrite, and follows the copy approval rule", async () => {
        const content = Buffer.from(`开庭通知 ${dialect} ${Date.now()}`, "utf8");
        const source = join(work, "notice.txt");
        writeFileSync(source, content);
        const doc = JSON.parse(
          (await cli(["files", "put", clientId, source, "--title", "开庭通知", "--category", "other", "--purpose", PURPOSE, "--json"], paralegal.token)).stdout,
        );
        const out = join(work, "copy.txt");
        const got = await cli(["files", "get", doc.id, "-o", out, "--purpose", PURPOSE, "--json"], paralegal.token);
        expect(got.status, got.stderr).toBe(0);
        const summary = JSON.parse(got.stdout);
        expect(readFileSync(out).equals(content)).toBe(true);
        expect(statSync(out).mode & 0o777).toBe(0o600);
        const copy = await db().selectFrom("document_copies").selectAll().where("id", "=", summary.copyId).executeTakeFirstOrThrow();
        expect(copy).toMatchObject({ document_id: doc.id, user_id: paralegal.actor.userId, kind: "download" });

        const again = await cli(["files", "get", doc.id, "-o", out, "--purpose", PURPOSE], paralegal.token);
        expect(again.status).toBe(1);
        expect(again.stderr).toContain("EEXIST");
        const piped = await cli(["files", "get", doc.id, "-o", "-", "--purpose", PURPOSE], paralegal.token);
        expect(piped.stdout).toBe(content.toString("utf8"));

        const contract = join(work, "contract.txt");
        writeFileSync(contract, "委托合同 条款", "utf8");
        const l3 = JSON.parse(
          (await cli(["files", "put", clientId, contract, "--title", "委托合同", "--category", "contract", "--purpose", PURPOSE, "--json"], lawyer.token))
            .stdout,
        );
        const refused = await cli(["files", "get", l3.id, "-o", join(work, "c.txt"), "--purpose", PURPOSE, "--json"], lawyer.token);
        expect([refused.status, JSON.parse(refused.stdout).error.code]).toEqual([1, "approval_required"]);
        expect(existsSync(join(work, "c.txt"))).toBe(false);
      });

      it("trace names the copy a leaked file came from, for compliance only", async () => {
        const content = Buffer.from(`调解笔录 ${dialect} ${Date.now()}`, "utf8");
        const source = join(work, "record.txt");
        writeFileSync(source, content);
        const doc = JSON.parse(
          (await cli(["files", "put", clientId, source, "--title", "调解笔录", "--category", "other", "--purpose", PURPOSE, "--json"], paralegal.token)).stdout,
        );
        const leaked = join(work, "leaked.txt");
        const copyId = JSON.parse((await cli(["files", "get", doc.id, "-o", leaked, "--purpose", PURPOSE, "--json"], paralegal.token)).stdout).copyId;

        const traced = await cli(["files", "trace", leaked, "--json"], officerA.token);
        expect(traced.status, traced.stderr).toBe(0);
        const result = JSON.parse(traced.stdout);
        expect(result.versions).toEqual([{ documentId: doc.id, clientId, version: 1 }]);
        expect(result.copies).toEqual([
          expect.objectContaining({ copyId, userId: paralegal.actor.userId, userEmail: paralegal.email, evidence: "exact_content" }),
        ]);
        const text = await cli(["files", "trace", leaked], officerA.token);
        expect(text.stdout).toContain(`copy ${copyId}: download of document ${doc.id} v1`);
        expect(text.stdout).toContain(paralegal.email);
        const byLawyer = await cli(["files", "trace", leaked, "--json"], lawyer.token);
        expect([byLawyer.status, JSON.parse(byLawyer.stdout).error.code]).toEqual([1, "role_lacks_permission"]);
      });

      it("sweep reports what it deleted and is audited", async () => {
        const r = await cli(["files", "sweep", "--json"]);
        expect(r.status, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ failed: 0 });
        const [event] = await db().selectFrom("audit_events").selectAll().where("action", "=", "document.blob_sweep").orderBy("seq", "desc").limit(1).execute();
        expect(event).toMatchObject({ outcome: "success" });
      });
    });
  });
}

// Backups run in-process on SQLite only (PostgreSQL: pg_dump), so this suite is SQLite's.
describe("sqlite: backups include document files and a restore honours erasures for them", () => {
  let db: TestDatabase;
  let services: Services;
  let partner: TestUser;
  const ids = {} as Record<"kept" | "erased", string>;
  const docs = {} as Record<"kept" | "erased" | "later", string>;
  const texts = { kept: "保留客户的合同 甲方乙方", erased: "被删除客户的起诉状", later: "备份之后上传的文件" };
  const file = (name: string) => join(db.config.dataDir, "..", `${db.config.dataDir.split("/").pop()}-docs-${name}.sqlite`);
  const made: string[] = [];

  const upload = async (clientId: string, text: string) =>
    (
      await uploadDocument(
        services,
        contextFor(partner.actor, PURPOSE),
        { clientId, category: "other", title: "文件", filename: "f.txt" },
        Readable.from([Buffer.from(text, "utf8")]),
      )
    ).id;
  const blobKeyOf = async (documentId: string) =>
    (await services.engine.db.selectFrom("document_versions").select("blob_key").where("document_id", "=", documentId).executeTakeFirstOrThrow()).blob_key;
  const blobFiles = () => {
    const root = join(db.config.dataDir, "blobs", "documents");
    return existsSync(root) ? readdirSync(root, { recursive: true }).filter((p) => String(p).includes("/")).length : 0;
  };

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    services = await db.open();
    partner = await buildUser(services, "partner");
    for (const k of ["kept", "erased"] as const) {
      ids[k] = (await buildClient(services, partner.actor)).id;
      docs[k] = await upload(ids[k], texts[k]);
    }
  });
  afterAll(async () => {
    await services?.close();
    for (const f of made) {
      rmSync(f, { force: true });
      rmSync(backupBlobDir(f), { recursive: true, force: true });
    }
    await db?.cleanup();
  });

  it("copies the data directory's files beside the snapshot and verifies them", async () => {
    const out = file("a");
    made.push(out);
    const report = await createBackup(services, contextFor(partner.actor, null), db.config, out);
    expect(report.files).toMatchObject({ blobs: 2, destroyedSince: 0 });
    const copied = join(backupBlobDir(out), await blobKeyOf(docs.kept));
    expect(statSync(copied).mode & 0o777).toBe(0o600);
    expect(readFileSync(copied).includes(Buffer.from(texts.kept, "utf8"))).toBe(false); // ciphertext only
    expect(await verifyBackup(services.vault, out)).toMatchObject({ ok: true, files: { expected: 2, present: 2, missing: 0 } });

    // A backup missing a file, or holding a cut one, fails verification.
    const broken = file("broken");
    made.push(broken);
    await createBackup(services, contextFor(partner.actor, null), db.config, broken);
    rmSync(join(backupBlobDir(broken), await blobKeyOf(docs.kept)));
    const cut = join(backupBlobDir(broken), await blobKeyOf(docs.erased));
    writeFileSync(cut, readFileSync(cut).subarray(0, 10));
    expect(await verifyBackup(services.vault, broken)).toMatchObject({ ok: false, files: { expected: 2, present: 0, missing: 2 } });
  });

  it("restores with a client erased since: its files stay gone, newer unrecorded files go, the others read back", async () => {
    await eraseClient(services, contextFor(partner.actor, null), ids.erased, { reason: "client_request" });
    const erasedKey = await blobKeyOf(docs.erased);
    expect(await services.blobs.exists(erasedKey)).toBe(false);
    docs.later = await upload(ids.kept, texts.later);
    const laterKey = await blobKeyOf(docs.later);
    await services.close();

    const report = await restoreBackup(db.config, contextFor(partner.actor, null), made[0]!, { force: true });
    expect(report.reshredded).toEqual([ids.erased]);
    expect(report.files).toMatchObject({ restored: 0, kept: 1, missing: 0, orphans: 1 });
    services = await db.open();
    expect(await services.blobs.exists(erasedKey)).toBe(false);
    expect(await services.blobs.exists(laterKey)).toBe(false);
    const erasedDoc = await services.engine.db.selectFrom("documents").selectAll().where("id", "=", docs.erased).executeTakeFirstOrThrow();
    expect([erasedDoc.destroyed_reason, erasedDoc.wrapped_file_key]).toEqual(["client_erased", null]);
    const kept = await downloadDocument(services, contextFor(partner.actor, PURPOSE), docs.kept);
    expect(kept.bytes!.toString("utf8")).toBe(texts.kept);
  });

  it("restores onto a lost data directory from the backup's files, never bringing an erased client's back", async () => {
    await services.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(join(db.config.dataDir, "custodia.db") + suffix, { force: true });
    rmSync(join(db.config.dataDir, "blobs"), { recursive: true, force: true });
    const report = await restoreBackup(db.config, contextFor(partner.actor, null), made[0]!);
    expect(report.reshredded).toEqual([ids.erased]);
    expect(report.files).toMatchObject({ restored: 1, kept: 0, missing: 0 });
    services = await db.open();
    expect(blobFiles()).toBe(1);
    expect(await services.blobs.exists(await blobKeyOf(docs.erased))).toBe(false);
    const kept = await downloadDocument(services, contextFor(partner.actor, PURPOSE), docs.kept);
    expect(kept.bytes!.toString("utf8")).toBe(texts.kept);
  });
});
