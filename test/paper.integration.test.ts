/**
 * Paper files (issue #14, PAP-1, PAP-2) on both engines, through the API: the archive's places,
 * registering files with sealed titles and label codes, check-outs under need-to-know and walls,
 * four-eyes approval of L3+ loans and copies, the stocktake report (the done-when test: 50 files,
 * 3 out, 46 scanned → 3 out and 1 missing, nothing else), destruction under retention and legal
 * holds, control checks, the overdue job, and the audit events.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWall } from "../src/access/walls/wall-creator.js";
import type { JobContext } from "../src/governance/jobs/job.js";
import { jobNamed } from "../src/governance/jobs/job-registry.js";
import type { Services } from "../src/platform/services.js";
import { checkCharacter } from "../src/records/paper/label-code.js";
import { recordDestruction } from "../src/records/paper/paper-destruction.js";
import { placeHold } from "../src/rights/holds/legal-hold.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, contextFor, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";

const TITLE = "张三诉李四劳动合同纠纷 原件卷宗";
const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

for (const dialect of DIALECTS) {
  describe(`${dialect}: paper files`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let clerk: TestUser, clerk2: TestUser, partner: TestUser, lawyer: TestUser, walled: TestUser, compliance: TestUser, auditor: TestUser, paralegal: TestUser;
    let clientId: string, matterId: string, matterNumber: string;
    let roomId: string, otherRoomId: string, shelves: string[];

    const call = (method: "GET" | "POST", url: string, user: TestUser, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token), ...(payload ? { payload } : {}) });
    const ok = async (method: "GET" | "POST", url: string, user: TestUser, payload?: object) => {
      const res = await call(method, url, user, payload);
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    const place = async (kind: string, code: string, parentId?: string) =>
      (await ok("POST", "/paper/locations", clerk, { kind, code, label: `档案 ${code}`, ...(parentId ? { parentId } : {}) })).id as string;
    const register = (level = 2, shelf = shelves[0]!, extra: object = { matterId }) =>
      ok("POST", "/paper/files", clerk, { clientId, title: TITLE, level, homeShelfId: shelf, ...extra });
    const lastEvent = (actorId: string, action: string) =>
      services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("actor_id", "=", actorId)
        .where("action", "=", action)
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      clerk = await buildUser(services, "records-clerk");
      clerk2 = await buildUser(services, "records-clerk");
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      walled = await buildUser(services, "lawyer");
      compliance = await buildUser(services, "compliance");
      auditor = await buildUser(services, "auditor");
      paralegal = await buildUser(services, "paralegal");
      const client = await buildClient(services, partner.actor);
      clientId = client.id;
      const matter = await buildMatter(services, partner.actor, clientId, [
        { userId: lawyer.actor.userId, role: "member" },
        { userId: walled.actor.userId, role: "member" },
      ]);
      matterId = matter.id;
      matterNumber = matter.number;
      roomId = await place("room", "A");
      const cabinet = await place("cabinet", "A-01", roomId);
      shelves = [await place("shelf", "A-01-1", cabinet), await place("shelf", "A-01-2", cabinet)];
      otherRoomId = await place("room", "B");
      await place("shelf", "B-01-1", await place("cabinet", "B-01", otherRoomId));
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("keeps the places as a tree and refuses a shelf outside a cabinet", async () => {
      const bad = await call("POST", "/paper/locations", clerk, { kind: "shelf", code: "A-09", label: "x", parentId: roomId });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0]).toMatchObject({ field: "parentId", code: "wrong_parent" });
      expect((await call("POST", "/paper/locations", lawyer, { kind: "room", code: "Z", label: "x" })).statusCode).toBe(403);
      const { items } = await ok("GET", "/paper/locations", auditor);
      expect(items.find((l: { code: string }) => l.code === "A-01-2")).toMatchObject({ kind: "shelf", roomId });
    });

    it("registers a file with a label code and the matter number, its title sealed at rest and shown only to who needs to know", async () => {
      const file = await register(2);
      expect(file.code).toMatch(/^PF-[0-9A-HJKMNP-TV-Z]{7}$/);
      expect(file).toMatchObject({ reference: matterNumber, level: 2, homeLocationCode: "A-01-1", status: "active", checkout: null });
      const raw = await services.engine.db.selectFrom("paper_files").selectAll().where("id", "=", file.id).executeTakeFirstOrThrow();
      expect(Buffer.from(raw.title_ct!).toString("utf8")).not.toContain("张三");
      expect((await ok("GET", `/paper/files/${file.id}`, lawyer)).title).toBe(TITLE);
      // The clerk (clearance L1) and the auditor see the code and reference, not the title.
      expect((await ok("GET", `/paper/files/${file.id}`, clerk)).title).toBeNull();
      const event = await lastEvent(clerk.actor.userId, "paper.file.register");
      expect(JSON.stringify(event)).not.toContain("张三");
      // Without a matter an internal ASCII reference is required.
      const noRef = await call("POST", "/paper/files", clerk, { clientId, title: TITLE, level: 1, homeShelfId: shelves[0] });
      expect(noRef.json().error.fields[0]).toMatchObject({ field: "reference", code: "required" });
      const onCabinet = await call("POST", "/paper/files", clerk, { clientId, title: TITLE, level: 1, homeShelfId: roomId, reference: "INT-1" });
      expect(onCabinet.json().error.fields[0]).toMatchObject({ field: "homeShelfId", code: "not_a_shelf" });
    });

    it("prints a label sheet with the code and reference, never the client's name", async () => {
      const file = await register(1);
      const res = await call("GET", `/paper/labels?ids=${file.id}`, clerk);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/pdf");
      expect(res.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      expect(res.rawPayload.includes(Buffer.from("张三"))).toBe(false);
      expect((await call("GET", `/paper/labels?ids=${file.id}`, lawyer)).statusCode).toBe(403);
    });

    it("lends a file to a lawyer of the matter; a walled lawyer cannot take it out, and the refusal is audited", async () => {
      const file = await register(2);
      await createWall(services, contextFor(partner.actor, null), {
        reason: "conflict_of_interest",
        clientIds: [clientId],
        screenedUserIds: [walled.actor.userId],
      });
      const self = await call("POST", "/paper/checkouts", walled, { fileId: file.id, purpose: "case-handling", dueOn: dayAfter(7) });
      expect(self.statusCode).toBe(404);
      expect((await lastEvent(walled.actor.userId, "paper.checkout")).reason).toBe("screened_by_wall");
      const desk = await call("POST", "/paper/checkouts", clerk, {
        fileId: file.id,
        borrowerId: walled.actor.userId,
        purpose: "case-handling",
        dueOn: dayAfter(7),
      });
      expect(desk.statusCode).toBe(403);
      expect(desk.json().error.code).toBe("screened_by_wall");
      const denied = await lastEvent(clerk.actor.userId, "paper.checkout");
      expect(denied).toMatchObject({ outcome: "denied", reason: "screened_by_wall" });
      // The walled lawyer no longer sees the file in the register either.
      expect((await ok("GET", `/paper/files?clientId=${clientId}`, walled)).items).toHaveLength(0);
      // A paralegal's role does not borrow; an unregistered purpose is refused.
      expect(
        (await call("POST", "/paper/checkouts", clerk, { fileId: file.id, borrowerId: paralegal.actor.userId, purpose: "case-handling", dueOn: dayAfter(7) }))
          .statusCode,
      ).toBe(403);
      const badPurpose = await call("POST", "/paper/checkouts", lawyer, { fileId: file.id, purpose: "gossip", dueOn: dayAfter(7) });
      expect(badPurpose.json().error.fields[0]).toMatchObject({ field: "purpose", code: "unknown_purpose" });
      const loan = await ok("POST", "/paper/checkouts", lawyer, { fileId: file.id, purpose: "case-handling", dueOn: dayAfter(7) });
      expect(loan).toMatchObject({ status: "out", borrowerId: lawyer.actor.userId, fileCode: file.code });
      expect((await call("POST", "/paper/checkouts", partner, { fileId: file.id, purpose: "case-handling", dueOn: dayAfter(7) })).json().error.code).toBe(
        "file_checked_out",
      );
      expect((await call("POST", `/paper/checkouts/${loan.id}/return`, lawyer)).statusCode).toBe(403);
      expect(await ok("POST", `/paper/checkouts/${loan.id}/return`, clerk)).toMatchObject({ status: "returned" });
    });

    it("holds an L3+ check-out and copies for a second person: never the borrower or the recorder", async () => {
      const file = await register(3);
      const loan = await ok("POST", "/paper/checkouts", clerk, {
        fileId: file.id,
        borrowerId: partner.actor.userId,
        purpose: "case-handling",
        dueOn: dayAfter(3),
      });
      expect(loan.status).toBe("pending");
      expect((await call("POST", `/paper/checkouts/${loan.id}/decision`, clerk, { decision: "approve" })).json().error.code).toBe("self_approval_forbidden");
      expect((await call("POST", `/paper/checkouts/${loan.id}/decision`, partner, { decision: "approve" })).json().error.code).toBe("role_lacks_permission");
      expect(await ok("POST", `/paper/checkouts/${loan.id}/decision`, clerk2, { decision: "approve" })).toMatchObject({
        status: "out",
        decidedBy: clerk2.actor.userId,
      });
      const copy = await ok("POST", "/paper/copies", partner, { fileId: file.id, copies: 2, purpose: "case-handling" });
      expect(copy).toMatchObject({ status: "pending", madeBy: partner.actor.userId, copies: 2 });
      expect((await call("POST", `/paper/copies/${copy.id}/decision`, partner, { decision: "approve" })).statusCode).toBe(403);
      expect(await ok("POST", `/paper/copies/${copy.id}/decision`, compliance, { decision: "approve" })).toMatchObject({ status: "approved" });
      const low = await register(1);
      expect(await ok("POST", "/paper/copies", lawyer, { fileId: low.id, copies: 1, purpose: "case-handling" })).toMatchObject({ status: "approved" });
      const mine = await ok("GET", "/paper/checkouts", partner);
      expect(mine.items.every((c: { borrowerId: string }) => c.borrowerId === partner.actor.userId)).toBe(true);
      expect(mine.copies.map((c: { id: string }) => c.id)).toContain(copy.id);
      await ok("POST", `/paper/checkouts/${loan.id}/return`, clerk);
    });

    it("done when: 50 files registered, 3 checked out, 46 scanned → exactly the 3 out and the 1 missing", async () => {
      // A room of its own, so the files of the other tests stay outside the stocktake.
      const room = await place("room", "C");
      const cabinet = await place("cabinet", "C-01", room);
      const shelf = await place("shelf", "C-01-1", cabinet);
      const files: { id: string; code: string; reference: string }[] = [];
      for (let i = 0; i < 50; i++) files.push(await register(1 + (i % 2), shelf));
      const out = files.slice(0, 3);
      for (const f of out)
        await ok("POST", "/paper/checkouts", clerk, { fileId: f.id, borrowerId: lawyer.actor.userId, purpose: "case-handling", dueOn: dayAfter(14) });
      const missing = files[3]!;
      const session = await ok("POST", "/paper/stocktakes", clerk, { roomId: room });
      expect((await call("POST", "/paper/stocktakes", clerk, { roomId: room })).json().error.code).toBe("stocktake_open");
      for (const f of files.slice(4)) {
        // Scanners type codes in any case, with spaces; the scan carries the shelf it was read on.
        const typed = f.code.toLowerCase().replace("-", " ");
        expect(await ok("POST", `/paper/stocktakes/${session.id}/scans`, clerk, { code: typed, locationId: shelf })).toMatchObject({ verdict: "found" });
      }
      const closed = await ok("POST", `/paper/stocktakes/${session.id}/close`, clerk);
      expect(closed.status).toBe("closed");
      expect(closed.report).toMatchObject({ expected: 50, scanned: 46, found: 46, unexpected: [], misplaced: [] });
      expect(closed.report.out.map((o: { code: string }) => o.code).sort()).toEqual(out.map((f) => f.code).sort());
      expect(closed.report.out[0]).toMatchObject({ borrowerId: lawyer.actor.userId, homeLocationCode: "C-01-1" });
      expect(closed.report.missing).toEqual([{ fileId: missing.id, code: missing.code, reference: missing.reference, homeLocationCode: "C-01-1" }]);
      // The kept report does not change when the register does; auditors and compliance read it.
      await ok("POST", `/paper/checkouts/${(await ok("GET", `/paper/files/${out[0]!.id}`, clerk)).checkout.id}/return`, clerk);
      expect((await ok("GET", `/paper/stocktakes/${session.id}`, auditor)).report.out).toHaveLength(3);
      expect((await call("GET", `/paper/stocktakes/${session.id}`, lawyer)).statusCode).toBe(403);
      expect((await call("POST", `/paper/stocktakes/${session.id}/scans`, clerk, { code: files[5]!.code })).json().error.code).toBe("stocktake_closed");
      const event = await lastEvent(clerk.actor.userId, "paper.stocktake.close");
      expect(JSON.parse(String(event.details))).toMatchObject({ expected: 50, out: 3, missing: 1, unexpected: 0, misplaced: 0 });
    });

    it("reports unexpected codes and files scanned away from their home", async () => {
      const home = await register(1, shelves[0]);
      const away = await register(1, shelves[0]);
      const session = await ok("POST", "/paper/stocktakes", clerk, { roomId });
      const unknown = `PF-ZZZZZZ${checkCharacter("ZZZZZZ")}`;
      expect(await ok("POST", `/paper/stocktakes/${session.id}/scans`, clerk, { code: unknown })).toMatchObject({ verdict: "unexpected", reference: null });
      expect(await ok("POST", `/paper/stocktakes/${session.id}/scans`, clerk, { code: away.code, locationId: shelves[1] })).toMatchObject({
        verdict: "misplaced",
      });
      // Read in the file's own cabinet or room is not misplaced.
      expect(await ok("POST", `/paper/stocktakes/${session.id}/scans`, clerk, { code: home.code, locationId: roomId })).toMatchObject({ verdict: "found" });
      const bad = await call("POST", `/paper/stocktakes/${session.id}/scans`, clerk, { code: "PF-1234567" });
      expect(bad.statusCode).toBe(400);
      const report = (await ok("POST", `/paper/stocktakes/${session.id}/close`, clerk)).report;
      expect(report.unexpected).toEqual([{ code: unknown, fileId: null, reason: "not_registered" }]);
      expect(report.misplaced).toEqual([expect.objectContaining({ code: away.code, homeLocationCode: "A-01-1", scannedLocationCode: "A-01-2" })]);
    });

    it("destroys a file only when its retention has run out, never under a legal hold, and issues a certificate", async () => {
      const other = await buildClient(services, partner.actor);
      const file = await ok("POST", "/paper/files", clerk, { clientId: other.id, title: TITLE, level: 1, homeShelfId: shelves[0], reference: "INT-2026/007" });
      const input = { fileIds: [file.id], method: "shredding" as const, destroyedOn: dayAfter(0), witnesses: [clerk2.actor.userId] };
      const notDue = await call("POST", "/paper/destructions", compliance, input);
      expect(notDue.json().error.code).toBe("retention_not_due");
      const later = new Date(Date.now() + 4 * 366 * 86_400_000);
      const laterInput = { ...input, destroyedOn: later.toISOString().slice(0, 10) };
      const hold = await placeHold(services, contextFor(compliance.actor, null), {
        clientId: other.id,
        custodianId: compliance.actor.userId,
        reason: "litigation_pending",
        reviewDate: dayAfter(30),
      });
      await expect(recordDestruction(services, contextFor(compliance.actor, null), laterInput, later)).rejects.toMatchObject({ code: "legal_hold" });
      await services.engine.db
        .updateTable("legal_holds")
        .set({ lifted_at: new Date().toISOString(), lifted_by: compliance.actor.userId, lift_reason: "placed_in_error" })
        .where("id", "=", hold.id)
        .execute();
      await expect(
        recordDestruction(services, contextFor(compliance.actor, null), { ...laterInput, witnesses: [compliance.actor.userId] }, later),
      ).rejects.toMatchObject({ code: "validation_error" });
      const done = await recordDestruction(services, contextFor(compliance.actor, null), laterInput, later);
      expect(done.files).toEqual([{ id: file.id, code: file.code, reference: "INT-2026/007" }]);
      expect((await ok("GET", `/paper/files/${file.id}`, clerk)).status).toBe("destroyed");
      const cert = await call("GET", `/paper/destructions/${done.id}/certificate`, auditor);
      expect(cert.statusCode).toBe(200);
      expect(cert.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      expect((await call("POST", "/paper/checkouts", partner, { fileId: file.id, purpose: "case-handling", dueOn: dayAfter(1) })).json().error.code).toBe(
        "file_destroyed",
      );
    });

    it("records archive-room checks with sealed notes", async () => {
      const check = await ok("POST", "/paper/control-checks", clerk, {
        roomId,
        kind: "cctv",
        checkedOn: dayAfter(-1),
        result: "issues",
        notes: "王五的门卡在夜间刷卡",
      });
      expect(check).toMatchObject({ kind: "cctv", result: "issues", notes: "王五的门卡在夜间刷卡" });
      const raw = await services.engine.db.selectFrom("paper_control_checks").selectAll().where("id", "=", check.id).executeTakeFirstOrThrow();
      expect(raw.notes_ct).not.toContain("王五");
      expect((await ok("GET", `/paper/control-checks?roomId=${roomId}`, auditor)).items).toHaveLength(1);
      expect((await call("POST", "/paper/control-checks", lawyer, { roomId, kind: "cctv", checkedOn: dayAfter(-1), result: "pass" })).statusCode).toBe(403);
      expect(
        (await call("POST", "/paper/control-checks", clerk, { roomId: shelves[0], kind: "cctv", checkedOn: dayAfter(-1), result: "pass" })).statusCode,
      ).toBe(400);
    });

    it("tells the archive keepers of an overdue file once", async () => {
      const file = await register(1);
      const loan = await ok("POST", "/paper/checkouts", lawyer, { fileId: file.id, purpose: "case-handling", dueOn: dayAfter(1) });
      const run = (at: Date) => jobNamed("paper-overdue").run({ services, settings: { timeZone: "Asia/Shanghai" } } as unknown as JobContext, at);
      const future = new Date(Date.now() + 5 * 86_400_000);
      expect((await run(future)).outcome).toBe("ok");
      const notes = await services.engine.db
        .selectFrom("notifications")
        .selectAll()
        .where("event_kind", "=", "paper.overdue")
        .where("user_id", "=", clerk.actor.userId)
        .execute();
      expect(notes.some((n) => JSON.parse(n.payload).data.checkoutId === loan.id)).toBe(true);
      expect(notes.every((n) => !n.payload.includes("张三"))).toBe(true);
      expect((await run(future)).outcome).toBe("skipped");
      expect((await ok("GET", "/paper/checkouts?overdue=true", compliance)).items.length).toBe(0);
    });
  });
}
