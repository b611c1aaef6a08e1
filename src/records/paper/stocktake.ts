/**
 * Stocktakes (PAP-2: 定期盘点): the archive keeper opens a session for a room (or the whole
 * archive), scans label codes (typed, read by a phone camera, or imported from a scanner's list),
 * and closes it. The report, kept with the session, names by code and reference: files out
 * (checked out, expected absent), missing (expected on a shelf, not scanned), unexpected (scanned
 * but not registered, or destroyed) and misplaced (scanned somewhere other than their home).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { can } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPaperStocktake } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { loadLocations, type PresentedLocation, presentLocations, withinPlace } from "./archive-locations.js";
import { parseLabelCode } from "./label-code.js";
import { type PaperEvent, refusedUnless } from "./paper-access.js";
import type { ScanInput, StocktakeOpenInput } from "./paper.js";

export interface StocktakeReport {
  expected: number;
  scanned: number;
  found: number;
  out: { fileId: string; code: string; reference: string; homeLocationCode: string; borrowerId: string; dueOn: string }[];
  missing: { fileId: string; code: string; reference: string; homeLocationCode: string }[];
  unexpected: { code: string; fileId: string | null; reason: "not_registered" | "destroyed" }[];
  misplaced: { fileId: string; code: string; reference: string; homeLocationCode: string; scannedLocationCode: string | null }[];
}

export interface PresentedStocktake {
  id: string;
  roomId: string | null;
  roomCode: string | null;
  status: "open" | "closed";
  openedBy: string;
  openedAt: string;
  closedBy: string | null;
  closedAt: string | null;
  scans: number;
  /** Kept at closing; while open, what closing now would say. */
  report: StocktakeReport;
}

export type ScanVerdict = "found" | "out" | "misplaced" | "unexpected";

/** Is the place scanned the file's home, or a place that holds it (its cabinet or room)? */
const holdsHome = (locations: readonly PresentedLocation[], scannedAt: string, homeId: string): boolean => withinPlace(locations, scannedAt).has(homeId);

/** What closing the session would report, from its scans and the register as it is now. */
export async function computeReport(tx: Tx, session: DbPaperStocktake): Promise<StocktakeReport> {
  const locations = presentLocations(await loadLocations(tx));
  const codeOf = new Map(locations.map((l) => [l.id, l.code]));
  const scope = session.location_id ? withinPlace(locations, session.location_id) : null;
  const scans = await tx.selectFrom("paper_stocktake_scans").select(["code", "location_id"]).where("stocktake_id", "=", session.id).orderBy("id").execute();
  const codes = [...new Set(scans.map((s) => s.code))];
  const files = await tx.selectFrom("paper_files").select(["id", "code", "reference", "home_location_id", "status"]).execute();
  const byCode = new Map(files.map((f) => [f.code, f]));
  const loans = new Map(
    (await tx.selectFrom("paper_checkouts").select(["file_id", "borrower_id", "due_on"]).where("status", "=", "out").execute()).map((c) => [c.file_id, c]),
  );
  const inScope = (homeId: string) => scope === null || scope.has(homeId);
  const expected = files.filter((f) => f.status === "active" && inScope(f.home_location_id));
  const scannedCodes = new Set(codes);
  const report: StocktakeReport = { expected: expected.length, scanned: codes.length, found: 0, out: [], missing: [], unexpected: [], misplaced: [] };
  for (const f of expected) {
    if (scannedCodes.has(f.code)) continue;
    const loan = loans.get(f.id);
    const home = codeOf.get(f.home_location_id) ?? "";
    if (loan) report.out.push({ fileId: f.id, code: f.code, reference: f.reference, homeLocationCode: home, borrowerId: loan.borrower_id, dueOn: loan.due_on });
    else report.missing.push({ fileId: f.id, code: f.code, reference: f.reference, homeLocationCode: home });
  }
  // The last place a code was scanned is where it is.
  const lastPlace = new Map<string, string | null>();
  for (const s of scans) lastPlace.set(s.code, s.location_id ?? lastPlace.get(s.code) ?? null);
  for (const code of codes) {
    const f = byCode.get(code);
    if (f?.status !== "active") {
      report.unexpected.push({ code, fileId: f?.id ?? null, reason: f ? "destroyed" : "not_registered" });
      continue;
    }
    const at = lastPlace.get(code) ?? null;
    const away = !inScope(f.home_location_id) || (at !== null && !holdsHome(locations, at, f.home_location_id));
    if (away)
      report.misplaced.push({
        fileId: f.id,
        code,
        reference: f.reference,
        homeLocationCode: codeOf.get(f.home_location_id) ?? "",
        scannedLocationCode: at ? (codeOf.get(at) ?? null) : null,
      });
    else report.found++;
  }
  return report;
}

async function present(tx: Tx, row: DbPaperStocktake): Promise<PresentedStocktake> {
  const room = row.location_id ? await tx.selectFrom("paper_locations").select("code").where("id", "=", row.location_id).executeTakeFirst() : undefined;
  const scans = await tx
    .selectFrom("paper_stocktake_scans")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("stocktake_id", "=", row.id)
    .executeTakeFirst();
  return {
    id: row.id,
    roomId: row.location_id,
    roomCode: room?.code ?? null,
    status: row.status as PresentedStocktake["status"],
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    scans: Number(scans?.n ?? 0),
    report: row.report ? (JSON.parse(row.report) as StocktakeReport) : await computeReport(tx, row),
  };
}

const findSession = (tx: Tx, id: string) => tx.selectFrom("paper_stocktakes").selectAll().where("id", "=", id).executeTakeFirst();

export async function openStocktake(services: Services, ctx: RequestContext, input: StocktakeOpenInput, now = new Date()): Promise<PresentedStocktake> {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.stocktake.open", targetType: "paper_stocktake", targetId: id, details: { roomId: input.roomId ?? null } };
    const refused = refusedUnless(w, ctx, "paper.manage", event);
    if (refused) return refused;
    if (input.roomId) {
      const room = await w.tx.selectFrom("paper_locations").select("kind").where("id", "=", input.roomId).executeTakeFirst();
      if (room?.kind !== "room")
        return w.refuse(
          ValidationError([{ field: "roomId", code: "not_a_room", message: "A stocktake covers a room or the whole archive." }]),
          event,
          "failure",
        );
    }
    let open = w.tx.selectFrom("paper_stocktakes").select("id").where("status", "=", "open");
    open = input.roomId ? open.where("location_id", "=", input.roomId) : open.where("location_id", "is", null);
    if (await open.executeTakeFirst()) return w.refuse(ConflictError("stocktake_open", "A stocktake of this place is already open."), event, "failure");
    const row: DbPaperStocktake = {
      id,
      location_id: input.roomId ?? null,
      status: "open",
      opened_by: ctx.actor.userId,
      opened_at: now.toISOString(),
      closed_by: null,
      closed_at: null,
      report: null,
    };
    await w.tx.insertInto("paper_stocktakes").values(row).execute();
    w.record({ ...event, outcome: "success" });
    return present(w.tx, row);
  });
}

/**
 * One scan: the code (canonical, so `pf 7k3m…` typed on a phone matches), and where it was read
 * when the scanner says. The answer tells the scanner at once what the code is.
 */
export async function scanCode(
  services: Services,
  ctx: RequestContext,
  stocktakeId: string,
  input: ScanInput,
  now = new Date(),
): Promise<{ code: string; verdict: ScanVerdict; reference: string | null; scans: number }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.stocktake.scan", targetType: "paper_stocktake", targetId: stocktakeId };
    const refused = refusedUnless(w, ctx, "paper.manage", event);
    if (refused) return refused;
    const session = await findSession(w.tx, stocktakeId);
    if (!session) return w.refuse(NotFoundError("Stocktake"), event, "failure");
    if (session.status !== "open") return w.refuse(ConflictError("stocktake_closed", "This stocktake is closed."), event, "failure");
    const code = parseLabelCode(input.code);
    if (!code) return w.refuse(ValidationError([{ field: "code", code: "invalid_label_code", message: "Not a paper label code." }]), event, "failure");
    const locations = presentLocations(await loadLocations(w.tx));
    if (input.locationId && !locations.some((l) => l.id === input.locationId))
      return w.refuse(ValidationError([{ field: "locationId", code: "unknown_record", message: "No such place." }]), event, "failure");
    await w.tx
      .insertInto("paper_stocktake_scans")
      .values({
        id: uuidv7(),
        stocktake_id: stocktakeId,
        code,
        location_id: input.locationId ?? null,
        scanned_by: ctx.actor.userId,
        scanned_at: now.toISOString(),
      })
      .execute();
    const file = await w.tx.selectFrom("paper_files").select(["id", "reference", "home_location_id", "status"]).where("code", "=", code).executeTakeFirst();
    let verdict: ScanVerdict = "found";
    if (file?.status !== "active") verdict = "unexpected";
    else {
      const scope = session.location_id ? withinPlace(locations, session.location_id) : null;
      const away =
        (scope !== null && !scope.has(file.home_location_id)) ||
        (input.locationId !== undefined && !holdsHome(locations, input.locationId, file.home_location_id));
      const out = await w.tx.selectFrom("paper_checkouts").select("id").where("file_id", "=", file.id).where("status", "=", "out").executeTakeFirst();
      verdict = away ? "misplaced" : out ? "out" : "found";
    }
    const count = await w.tx
      .selectFrom("paper_stocktake_scans")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("stocktake_id", "=", stocktakeId)
      .executeTakeFirst();
    w.record({ ...event, outcome: "success", details: { code, verdict, locationId: input.locationId ?? null } });
    return { code, verdict, reference: file && verdict !== "unexpected" ? file.reference : null, scans: Number(count?.n ?? 0) };
  });
}

/** Closing keeps the report with the session: what was found that day, whatever changes later. */
export async function closeStocktake(services: Services, ctx: RequestContext, stocktakeId: string, now = new Date()): Promise<PresentedStocktake> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.stocktake.close", targetType: "paper_stocktake", targetId: stocktakeId };
    const refused = refusedUnless(w, ctx, "paper.manage", event);
    if (refused) return refused;
    const session = await findSession(w.tx, stocktakeId);
    if (!session) return w.refuse(NotFoundError("Stocktake"), event, "failure");
    if (session.status !== "open") return w.refuse(ConflictError("stocktake_closed", "This stocktake is closed."), event, "failure");
    const report = await computeReport(w.tx, session);
    const closed = { ...session, status: "closed", closed_by: ctx.actor.userId, closed_at: now.toISOString(), report: JSON.stringify(report) };
    await w.tx
      .updateTable("paper_stocktakes")
      .set({ status: "closed", closed_by: closed.closed_by, closed_at: closed.closed_at, report: closed.report })
      .where("id", "=", stocktakeId)
      .execute();
    w.record({
      ...event,
      outcome: "success",
      details: {
        expected: report.expected,
        scanned: report.scanned,
        out: report.out.length,
        missing: report.missing.length,
        unexpected: report.unexpected.length,
        misplaced: report.misplaced.length,
      },
    });
    return present(w.tx, closed);
  });
}

const mayReadStocktakes = (ctx: RequestContext) => can(ctx.actor, "paper.manage") || can(ctx.actor, "paper.oversee");

export async function readStocktake(services: Services, ctx: RequestContext, stocktakeId: string): Promise<PresentedStocktake> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.stocktake.read", targetType: "paper_stocktake", targetId: stocktakeId };
    if (!mayReadStocktakes(ctx)) return w.deny({ reason: "role_lacks_permission" }, event);
    const session = await findSession(w.tx, stocktakeId);
    if (!session) return w.refuse(NotFoundError("Stocktake"), event, "failure");
    w.record({ ...event, outcome: "success" });
    return present(w.tx, session);
  });
}

export async function listStocktakes(services: Services, ctx: RequestContext): Promise<{ items: Omit<PresentedStocktake, "report">[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event: PaperEvent = { action: "paper.stocktake.list", targetType: "paper_stocktake", targetId: null };
    if (!mayReadStocktakes(ctx)) return w.deny({ reason: "role_lacks_permission" }, event);
    const rows = await w.tx.selectFrom("paper_stocktakes").selectAll().orderBy("id", "desc").limit(200).execute();
    const items = [];
    for (const r of rows) {
      const { report: _report, ...rest } = await present(w.tx, { ...r, report: r.report ?? JSON.stringify(emptyReport) });
      items.push(rest);
    }
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return { items };
  });
}

const emptyReport: StocktakeReport = { expected: 0, scanned: 0, found: 0, out: [], missing: [], unexpected: [], misplaced: [] };
