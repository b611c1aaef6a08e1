/**
 * Forwarding documents outside the firm over HTTP on both engines (issue #11): the forward_document
 * approval, four-eyes at L4, the one-time code through the outbox, wrong codes locking the link,
 * the watermarked recipient copy and its trace, expiry, download counts, revocation, walls, the
 * recipient register, the per-address limit, and the many-addresses detection rule.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { openText } from "../src/vault/sealed-text.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { multipart } from "./support/multipart.js";

const PURPOSE = "case-handling";
const RECIPIENT = { kind: "court", name: "李审判员", organisation: "北京市朝阳区人民法院", email: "li.judge@court.example.cn" };

let addresses = 0;
/** Each test speaks from its own address: the per-address limit and the address rule stay apart. */
const newAddress = () => `10.9.${Math.floor(++addresses / 250)}.${(addresses % 250) + 1}`;

function pdftotext(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "custodia-share-"));
  try {
    writeFileSync(join(dir, "copy.pdf"), pdf);
    // The stamp is tiled at an angle, so the text comes out in pieces: joined, each tile reads whole.
    return execFileSync("pdftotext", ["-raw", join(dir, "copy.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: external shares of documents`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser;
    let partner2: TestUser;
    let lawyer: TestUser;
    let colleague: TestUser;
    let paralegal: TestUser;
    let compliance: TestUser;
    let clientId: string;
    let pdfBytes: Buffer;
    let contract: { id: string };

    const db = () => suite.services.engine.db;
    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: unknown) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, PURPOSE), ...(payload === undefined ? {} : { payload: payload as object }) });
    const pub = (method: "GET" | "POST", path: string, address: string, payload?: unknown) =>
      suite.app.inject({ method, url: `/api/v1${path}`, remoteAddress: address, ...(payload === undefined ? {} : { payload: payload as object }) });
    const events = (action: string) => db().selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").execute();
    const share = (user: TestUser, documentId: string, body: Record<string, unknown> = {}) =>
      call("POST", `/documents/${documentId}/shares`, user, { recipient: RECIPIENT, ...body });

    async function upload(user: TestUser, fields: Record<string, string>, content: Buffer, filename: string) {
      const body = multipart(fields, { filename, content });
      const res = await suite.app.inject({
        method: "POST",
        url: `/api/v1/clients/${clientId}/documents`,
        headers: { ...auth(user.token, PURPOSE), ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; level: number };
    }

    async function approveForwarding(user: TestUser, approver: TestUser) {
      const req = await call("POST", "/approvals", user, {
        kind: "forward_document",
        clientId,
        purpose: PURPOSE,
        justification: "court_filing",
        reference: "CASE-7",
        durationMinutes: 120,
      });
      expect(req.statusCode, req.body).toBe(201);
      const decided = await call("POST", `/approvals/${req.json().id}/approve`, approver, {});
      expect(decided.json()).toMatchObject({ status: "approved" });
    }

    /** The codes queued to the recipient, newest first, opened as the delivery worker would. */
    async function outboxCodes(): Promise<string[]> {
      const rows = await db()
        .selectFrom("email_outbox")
        .selectAll()
        .where("purpose", "=", "document_share")
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map((r) => {
        expect(openText(suite.services.vault, "email_outbox", r.id, "to", r.to_ct)).toBe(RECIPIENT.email);
        return /验证码：(\d{6})/.exec(openText(suite.services.vault, "email_outbox", r.id, "body", r.body_ct))![1]!;
      });
    }
    const latestCode = async () => (await outboxCodes())[0]!;
    const tokenOf = (link: string) => link.replace(/^\/shared\//, "");

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      partner2 = await buildUser(suite.services, "partner");
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
      const pdf = await PDFDocument.create();
      const font = await pdf.embedFont(StandardFonts.Helvetica);
      pdf.addPage().drawText("Settlement terms, strictly confidential", { x: 50, y: 700, size: 14, font });
      pdfBytes = Buffer.from(await pdf.save());
      contract = await upload(lawyer, { title: "和解协议", category: "contract" }, pdfBytes, "settlement.pdf");
    });

    it("refuses a share without a forward_document grant (403 approval_required, audited), and to roles without document.share", async () => {
      const refused = await share(lawyer, contract.id);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "approval_required"]);
      const [event] = await events("document.share");
      expect(event).toMatchObject({ outcome: "denied", reason: "approval_required", actor_id: lawyer.actor.userId, target_id: contract.id });
      const byParalegal = await share(paralegal, contract.id);
      expect([byParalegal.statusCode, byParalegal.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await db().selectFrom("document_shares").select("id").execute()).toEqual([]);
    });

    let linkA: string;
    let shareA: string;

    it("shares under a grant: the link once, the code to the recipient through the outbox, neither in the database, logs or audit", async () => {
      await approveForwarding(lawyer, compliance);
      await approveForwarding(colleague, compliance);
      const res = await share(lawyer, contract.id, { maxDownloads: 2, expiresInDays: 3 });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.link).toMatch(/^\/shared\/cds_[A-Za-z0-9_-]{43}$/);
      expect(body.share).toMatchObject({
        documentId: contract.id,
        clientId,
        level: 3,
        status: "active",
        maxDownloads: 2,
        downloads: 0,
        recipientKind: "court",
      });
      expect(body.share.recipient).toEqual({ name: RECIPIENT.name, organisation: RECIPIENT.organisation, email: RECIPIENT.email });
      expect(Date.parse(body.share.expiresAt) - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
      linkA = body.link;
      shareA = body.share.id;
      const code = await latestCode();
      expect(code).toMatch(/^\d{6}$/);

      const [event] = await events("document.share");
      expect(event).toMatchObject({ outcome: "success", actor_id: lawyer.actor.userId, target_id: contract.id });
      expect(JSON.parse(event!.details!)).toMatchObject({ shareId: shareA, via: "grant", status: "active", sizeBytes: pdfBytes.length });
      const audit = JSON.stringify(await db().selectFrom("audit_events").selectAll().execute());
      const stored = JSON.stringify(await db().selectFrom("document_shares").selectAll().execute());
      const secret = tokenOf(linkA).slice(4);
      for (const leak of [secret, RECIPIENT.name, RECIPIENT.email]) {
        expect(audit).not.toContain(leak);
        expect(suite.logs.join("")).not.toContain(leak);
      }
      // Six digits standing alone: hashes and timestamps hold digit runs of their own.
      const alone = new RegExp(`(^|\\D)${code}(\\D|$)`);
      expect(audit).not.toMatch(alone);
      expect(suite.logs.join("")).not.toMatch(alone);
      expect(stored).not.toContain(secret);
      const row = await db().selectFrom("document_shares").selectAll().where("id", "=", shareA).executeTakeFirstOrThrow();
      expect(Buffer.from(row.recipient_name_ct).includes(Buffer.from(RECIPIENT.name))).toBe(false);
      expect(row.code_mac).not.toContain(code);
    });

    it("shows a link's state before the code, never the document; an unknown link is a 404", async () => {
      const address = newAddress();
      const info = await pub("GET", `/shared/${tokenOf(linkA)}`, address);
      expect(info.statusCode).toBe(200);
      expect(info.json()).toMatchObject({ status: "active", downloadsLeft: 2, codeActive: true });
      expect(info.body).not.toContain("和解协议");
      expect(info.body).not.toContain("settlement");
      const unknown = await pub("GET", `/shared/cds_${"A".repeat(43)}`, address);
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, "not_found"]);
      const [opened] = await events("document.share_open");
      expect(opened).toMatchObject({ outcome: "failure", reason: "unknown_link", actor_id: null, actor_role: "portal" });
    });

    it("hands out a copy watermarked for the recipient, whose trace names the share and its audit event; the code is spent", async () => {
      const address = newAddress();
      const code = await latestCode();
      const res = await pub("POST", `/shared/${tokenOf(linkA)}/download`, address, { code });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toBe("application/pdf");
      expect(res.headers["content-disposition"]).toContain("settlement.pdf");
      expect(res.rawPayload.equals(pdfBytes)).toBe(false);
      const text = pdftotext(res.rawPayload);
      expect(text).toContain(RECIPIENT.name);
      expect(text).toContain(shareA);

      const [download] = await events("document.share_download");
      expect(download).toMatchObject({ outcome: "success", actor_id: null, actor_role: "portal", target_id: shareA, target_type: "document_share" });
      const copy = await db().selectFrom("document_copies").selectAll().where("share_id", "=", shareA).executeTakeFirstOrThrow();
      expect(copy).toMatchObject({ kind: "share", user_id: null, document_id: contract.id, request_id: download!.request_id, watermarked: 1 });

      const leaked = multipart({}, { filename: "leak.pdf", content: res.rawPayload });
      const traced = await suite.app.inject({
        method: "POST",
        url: "/api/v1/documents/trace",
        headers: { ...auth(compliance.token), ...leaked.headers },
        payload: leaked.payload,
      });
      expect(traced.statusCode).toBe(200);
      expect(traced.json().copies).toEqual([
        expect.objectContaining({ copyId: copy.id, documentId: contract.id, kind: "share", shareId: shareA, userId: null, auditEventId: download!.id }),
      ]);
      // The share the trace names is in the register, with the recipient who holds the copy.
      const held = (await call("GET", "/shares", compliance)).json().items.find((s: { id: string }) => s.id === traced.json().copies[0].shareId);
      expect(held).toMatchObject({ recipient: { name: RECIPIENT.name, organisation: RECIPIENT.organisation }, downloads: 1, sharedBy: lawyer.actor.userId });

      const again = await pub("POST", `/shared/${tokenOf(linkA)}/download`, address, { code });
      expect([again.statusCode, again.json().error.code]).toEqual([403, "share_code_invalid"]);
    });

    it("counts downloads: a new code at most once a minute, and an exhausted link refuses", async () => {
      const address = newAddress();
      const token = tokenOf(linkA);
      const soon = await pub("POST", `/shared/${token}/code`, address);
      expect([soon.statusCode, soon.json().error.code]).toEqual([429, "share_code_throttled"]);
      // As if the first code had been sent two minutes ago.
      await db()
        .updateTable("document_shares")
        .set({ code_sent_at: new Date(Date.now() - 120_000).toISOString() })
        .where("id", "=", shareA)
        .execute();
      const before = (await outboxCodes()).length;
      const fresh = await pub("POST", `/shared/${token}/code`, address);
      expect(fresh.statusCode).toBe(202);
      expect((await outboxCodes()).length).toBe(before + 1);
      const second = await pub("POST", `/shared/${token}/download`, address, { code: await latestCode() });
      expect(second.statusCode).toBe(200);
      const info = (await pub("GET", `/shared/${token}`, address)).json();
      expect(info).toMatchObject({ status: "exhausted", downloadsLeft: 0 });
      const third = await pub("POST", `/shared/${token}/download`, address, { code: await latestCode() });
      expect([third.statusCode, third.json().error.code]).toEqual([410, "share_exhausted"]);
      expect((await call("GET", `/documents/${contract.id}/shares`, lawyer)).json().items[0]).toMatchObject({ id: shareA, downloads: 2, status: "exhausted" });
    });

    it("locks the link after five wrong codes in a row, audited", async () => {
      const address = newAddress();
      const link = (await share(lawyer, contract.id)).json().link as string;
      const right = await latestCode();
      const wrong = right === "000000" ? "111111" : "000000";
      for (let i = 1; i <= 4; i++) {
        const res = await pub("POST", `${link}/download`, address, { code: wrong });
        expect([res.statusCode, res.json().error.code]).toEqual([403, "share_code_invalid"]);
      }
      const fifth = await pub("POST", `${link}/download`, address, { code: wrong });
      expect([fifth.statusCode, fifth.json().error.code]).toEqual([423, "share_locked"]);
      const withRight = await pub("POST", `${link}/download`, address, { code: right });
      expect([withRight.statusCode, withRight.json().error.code]).toEqual([423, "share_locked"]);
      const [lock] = await events("document.share_lock");
      expect(lock).toMatchObject({ outcome: "success", reason: "code_attempts_exhausted" });
      const failed = await events("document.share_download");
      expect(failed.slice(0, 6).map((e) => e.reason)).toEqual(["share_locked", "code_wrong", "code_wrong", "code_wrong", "code_wrong", "code_wrong"]);
      expect(JSON.stringify(failed)).not.toMatch(new RegExp(`(^|\\D)${right}(\\D|$)`));
    });

    it("refuses an expired link", async () => {
      const address = newAddress();
      const created = (await share(lawyer, contract.id)).json();
      await db()
        .updateTable("document_shares")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("id", "=", created.share.id)
        .execute();
      expect((await pub("GET", created.link, address)).json().status).toBe("expired");
      const res = await pub("POST", `${created.link}/download`, address, { code: await latestCode() });
      expect([res.statusCode, res.json().error.code]).toEqual([410, "share_expired"]);
    });

    it("revokes: the sharer (not a colleague) withdraws the link, and it stops working at once", async () => {
      const address = newAddress();
      const created = (await share(lawyer, contract.id)).json();
      const code = await latestCode();
      const byColleague = await call("POST", `/shares/${created.share.id}/revoke`, colleague);
      expect([byColleague.statusCode, byColleague.json().error.code]).toEqual([403, "not_share_owner"]);
      const revoked = await call("POST", `/shares/${created.share.id}/revoke`, lawyer);
      expect(revoked.json()).toMatchObject({ status: "revoked", revokedBy: lawyer.actor.userId });
      const res = await pub("POST", `${created.link}/download`, address, { code });
      expect([res.statusCode, res.json().error.code]).toEqual([410, "share_revoked"]);
      const twice = await call("POST", `/shares/${created.share.id}/revoke`, compliance);
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, "share_already_revoked"]);
    });

    it("needs a second person at L4: neither the sharer nor the grant's approver, and nothing is sent before", async () => {
      const address = newAddress();
      const id = await upload(partner, { title: "身份证复印件", category: "identity_proof" }, Buffer.from("身份证正反面扫描件", "utf8"), "id.txt");
      expect(id.level).toBe(4);
      const tooLow = await share(lawyer, id.id);
      expect([tooLow.statusCode, tooLow.json().error.code]).toEqual([403, "document_above_clearance"]);
      await approveForwarding(partner, compliance);
      const sent = (await outboxCodes()).length;
      const created = await share(partner, id.id);
      expect(created.statusCode).toBe(201);
      const { share: pending, link } = created.json();
      expect(pending.status).toBe("pending");
      expect((await outboxCodes()).length).toBe(sent);
      const early = await pub("POST", `${link}/download`, address, { code: "123456" });
      expect([early.statusCode, early.json().error.code]).toEqual([409, "share_pending"]);

      const confirm = (user: TestUser) => call("POST", `/shares/${pending.id}/confirm`, user);
      for (const [user, code] of [
        [partner, "self_approval_forbidden"],
        [compliance, "same_approver_twice"],
        [lawyer, "not_an_approver"],
      ] as const) {
        const res = await confirm(user);
        expect([res.statusCode, res.json().error.code]).toEqual([403, code]);
      }
      const confirmed = await confirm(partner2);
      expect(confirmed.json()).toMatchObject({ status: "active", confirmedBy: partner2.actor.userId });
      expect((await outboxCodes()).length).toBe(sent + 1);
      const again = await confirm(partner2);
      expect([again.statusCode, again.json().error.code]).toEqual([409, "share_not_pending"]);
      const res = await pub("POST", `${link}/download`, address, { code: await latestCode() });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe("身份证正反面扫描件");
    });

    it("keeps the recipient register for compliance and partners: who outside holds which document", async () => {
      const register = await call("GET", "/shares", compliance);
      expect(register.statusCode).toBe(200);
      const items = register.json().items as { id: string; recipient: { name: string }; status: string; downloads: number }[];
      expect(items.find((s) => s.id === shareA)).toMatchObject({ recipient: { name: RECIPIENT.name }, status: "exhausted", downloads: 2 });
      expect([...new Set(items.map((s) => s.status))]).toEqual(expect.arrayContaining(["exhausted", "locked", "expired", "revoked"]));
      const byEmail = await call("GET", `/shares?email=${encodeURIComponent(RECIPIENT.email.toUpperCase())}`, partner);
      expect(byEmail.json().items.length).toBe(items.length);
      expect((await call("GET", "/shares?email=nobody%40example.com", partner)).json().items).toEqual([]);
      const byLawyer = await call("GET", "/shares", lawyer);
      expect([byLawyer.statusCode, byLawyer.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const byAddress = (await events("document.share_register")).filter((e) => e.outcome === "success" && JSON.parse(e.details!).byRecipient);
      expect(byAddress).toHaveLength(2);
      expect(JSON.stringify(byAddress)).not.toContain("court.example");
    });

    it("alerts on a link used from more than three addresses, not from three", async () => {
      const created = (await share(colleague, contract.id)).json();
      for (let i = 0; i < 3; i++) expect((await pub("GET", created.link, newAddress())).statusCode).toBe(200);
      const alertsOf = () =>
        db().selectFrom("alerts").selectAll().where("rule_code", "=", "share_many_addresses").where("user_id", "=", colleague.actor.userId).execute();
      expect(await alertsOf()).toHaveLength(0);
      expect((await pub("GET", created.link, newAddress())).statusCode).toBe(200);
      const [alert] = await alertsOf();
      expect(alert).toMatchObject({ severity: "high", containment: null });
      expect(JSON.parse(alert!.facts!)).toEqual({ shareId: created.share.id, addresses: 4, threshold: 3, windowMinutes: 1440 });
    });

    it("lets nobody screened by a wall share, revoke or see the share", async () => {
      const created = (await share(colleague, contract.id)).json();
      const wall = await call("POST", "/walls", compliance, {
        reason: "conflict_of_interest",
        clientIds: [clientId],
        screenedUserIds: [colleague.actor.userId],
      });
      expect(wall.statusCode).toBe(201);
      const refused = await share(colleague, contract.id);
      expect(refused.statusCode).toBe(404);
      const [event] = await events("document.share");
      expect(event).toMatchObject({ outcome: "denied", reason: "screened_by_wall", actor_id: colleague.actor.userId });
      const revoke = await call("POST", `/shares/${created.share.id}/revoke`, colleague);
      expect(revoke.statusCode).toBe(404);
      const breach = await db()
        .selectFrom("alerts")
        .selectAll()
        .where("user_id", "=", colleague.actor.userId)
        .where("kind", "=", "wall_breach_attempt")
        .execute();
      expect(breach.length).toBeGreaterThan(0);
      await call("POST", `/walls/${wall.json().id}/lift`, compliance, { reason: "conflict_resolved" });
    });

    it("documents the API: staff routes behind sign-in, the recipient's routes public, all tagged shares", async () => {
      const doc = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      for (const [path, method] of [
        ["/api/v1/documents/{id}/shares", "post"],
        ["/api/v1/documents/{id}/shares", "get"],
        ["/api/v1/shares", "get"],
        ["/api/v1/shares/{id}/confirm", "post"],
        ["/api/v1/shares/{id}/revoke", "post"],
      ] as const) {
        expect(doc.paths[path][method]).toMatchObject({ tags: ["shares"], summary: expect.any(String) });
        expect(doc.paths[path][method].security).toBeUndefined();
      }
      for (const path of ["/api/v1/shared/{token}", "/api/v1/shared/{token}/code", "/api/v1/shared/{token}/download"]) {
        const op = doc.paths[path].get ?? doc.paths[path].post;
        expect(op).toMatchObject({ tags: ["shares"], security: [] });
      }
      const staffOnly = await suite.app.inject({ method: "GET", url: "/api/v1/shares" });
      expect(staffOnly.statusCode).toBe(401);
    });

    it("limits requests to share links per address", async () => {
      const address = newAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await pub("GET", `/shared/cds_${"B".repeat(43)}`, address)).statusCode);
      expect(statuses.every((s) => s === 404)).toBe(true);
      const last = await pub("GET", `/shared/cds_${"B".repeat(43)}`, address);
      expect([last.statusCode, last.json().error.code]).toEqual([429, "share_rate_limited"]);
      expect((await pub("GET", `/shared/cds_${"B".repeat(43)}`, newAddress())).statusCode).toBe(404);
    });
  });
}
