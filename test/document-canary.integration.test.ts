/**
 * Issue #11's canary test: DOCX, PDF, XLSX and image files holding canaries are uploaded, scanned,
 * previewed, redacted and downloaded; no canary appears in any file under the data directory, in
 * any table (blob chunks included on PostgreSQL) or in the logs, and the redacted copies hold none of
 * the detected canaries, in their bytes or their extracted text.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractText } from "../src/records/documents/content/index.js";
import { makeDocx, makePdf, makeXlsx, renderPng } from "../src/records/documents/content/fixtures.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, residentId, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { multipart } from "./support/multipart.js";

const CANARY = { residentId: residentId("19660606"), mobile: "13987650432", email: "canary.doc7q@example.org" };
const PURPOSE = "case-handling";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
const hits = (haystack: Buffer, label: string) =>
  Object.entries(CANARY)
    .filter(([, v]) => haystack.includes(Buffer.from(v, "utf8")))
    .map(([k]) => `${k} in ${label}`);

for (const dialect of DIALECTS) {
  describe(`${dialect}: client files leave no canary at rest or in logs`, () => {
    let db: TestDatabase;
    let services: Services;
    let logs: string[];
    const redacted: { name: string; bytes: Buffer; mediaType: string }[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      const server = await buildTestServer(services);
      logs = server.logs;
      const app = server.app;
      const partner: TestUser = await buildUser(services, "partner");
      const compliance: TestUser = await buildUser(services, "compliance");
      const clientId = (await buildClient(services, partner.actor)).id;
      const lines = [`身份证号 ${CANARY.residentId}`, `手机 ${CANARY.mobile}`, `邮箱 ${CANARY.email}`];
      const pdf = await makePdf([lines]);
      const files = [
        { name: "a.docx", content: await makeDocx({ paragraphs: lines, table: [["身份证", CANARY.residentId]] }) },
        { name: "b.pdf", content: pdf },
        {
          name: "c.xlsx",
          content: await makeXlsx({
            客户: [
              ["身份证", CANARY.residentId],
              ["手机", CANARY.mobile],
            ],
          }),
        },
        { name: "d.png", content: await renderPng(pdf) },
      ];
      const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object) =>
        app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, PURPOSE), ...(payload ? { payload } : {}) });
      const approval = await call("POST", "/approvals", partner, {
        kind: "copy_document",
        clientId,
        purpose: PURPOSE,
        justification: "court_filing",
        reference: "CAN-1",
        durationMinutes: 60,
      });
      expect((await call("POST", `/approvals/${approval.json().id}/approve`, compliance, {})).json()).toMatchObject({ status: "approved" });
      for (const file of files) {
        const body = multipart({ title: `金丝雀 ${file.name}`, category: "other" }, { filename: file.name, content: file.content });
        const up = await app.inject({
          method: "POST",
          url: `/api/v1/clients/${clientId}/documents`,
          headers: { ...auth(partner.token, PURPOSE), ...body.headers },
          payload: body.payload,
        });
        expect(up.statusCode, file.name).toBe(201);
        const doc = up.json();
        expect(doc.findings?.resident_id?.count ?? 0, file.name).toBeGreaterThan(0);
        expect((await call("GET", `/documents/${doc.id}/preview`, partner)).statusCode).toBe(200);
        expect((await call("GET", `/documents/${doc.id}/content`, partner)).statusCode).toBe(200);
        const copy = await call("POST", `/documents/${doc.id}/redacted-copy`, partner, {});
        expect(copy.statusCode, file.name).toBe(201);
        const got = await call("GET", `/documents/${copy.json().id}/content`, partner);
        expect(got.statusCode).toBe(200);
        redacted.push({ name: file.name, bytes: got.rawPayload, mediaType: copy.json().mediaType });
      }
      await app.close();
    }, 240_000);
    afterAll(async () => {
      await services?.close();
      await db?.cleanup();
    });

    it("keeps the canaries out of every log line", () => {
      expect(logs.length).toBeGreaterThan(10);
      expect(hits(Buffer.from(logs.join("")), "logs")).toEqual([]);
    });

    it("keeps the canaries out of every stored row, blob chunks included", async () => {
      const tables = (await services.engine.db.introspection.getTables())
        .filter((t) => !t.isView && (dialect === "sqlite" || t.schema === db.config.databaseSchema))
        .map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(["documents", "document_versions", "document_copies", "blob_chunks", "audit_events"]));
      for (const table of tables) {
        const rows = await services.engine.db
          .selectFrom(table as "documents")
          .selectAll()
          .execute();
        const dump = Buffer.concat(rows.flatMap((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), "utf8")))));
        expect(hits(dump, table)).toEqual([]);
      }
      if (dialect === "postgres") expect((await services.engine.db.selectFrom("blob_chunks").select("blob_key").execute()).length).toBeGreaterThan(0);
    });

    it("keeps the canaries out of every file under the data directory", () => {
      const files = filesUnder(db.config.dataDir);
      if (dialect === "sqlite") expect(files.some((f) => f.includes(`${join("blobs", "documents")}`))).toBe(true);
      for (const file of files) expect(hits(readFileSync(file), file)).toEqual([]);
    });

    it("leaves no detected canary in the redacted copies, in their bytes or their text", async () => {
      expect(redacted.map((r) => r.name)).toEqual(["a.docx", "b.pdf", "c.xlsx", "d.png"]);
      for (const copy of redacted) {
        expect(hits(copy.bytes, copy.name)).toEqual([]);
        const text = (await extractText(copy.bytes, copy.mediaType as Parameters<typeof extractText>[1], { ocr: true })).text;
        expect(hits(Buffer.from(text, "utf8"), `${copy.name} text`)).toEqual([]);
        // Text formats carry the redaction mark; images get black boxes over the findings instead.
        if (!copy.mediaType.startsWith("image/")) expect(text, copy.name).toContain("[已删除]");
        else expect(text.length, copy.name).toBeGreaterThan(0);
      }
    });
  });
}
