/**
 * The retention sweep (RET-2): which clients are due for destruction at `now`. A client with
 * matters is due once every matter is closed and the client-file and matter-file periods have run
 * from the latest close; a client without matters once the unengaged-client period has run from its
 * last activity. Clients under an active legal hold are never due: they are listed as held.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { addPeriod, loadSchedules, type RecordClass, type RetentionSchedule } from "./retention-schedule.js";

export interface DueClient {
  clientId: string;
  recordClasses: RecordClass[];
  /** When the governing trigger fired (latest matter close, or last activity). */
  triggeredAt: string;
  dueAt: string;
  matters: number;
}

export interface SweepResult {
  asOf: string;
  due: DueClient[];
  held: { clientId: string; holdId: string; dueAt: string }[];
}

interface ClientFacts {
  id: string;
  updatedAt: string;
  matters: number;
  openMatters: number;
  lastClosed: string | null;
}

const latest = (a: string, b: string | null) => (b !== null && b > a ? b : a);

function triggerDate(s: RetentionSchedule, c: ClientFacts): string | null {
  switch (s.trigger) {
    // The relationship ends with the last matter: there is no separate engagement-end record yet.
    case "matter_closed":
    case "relationship_ended":
      return c.matters > 0 && c.openMatters === 0 ? c.lastClosed : null;
    case "last_activity":
      return c.openMatters === 0 ? latest(c.updatedAt, c.lastClosed) : null;
  }
}

/** When the client becomes due, or null while something (an open matter, a missing schedule) keeps it. */
export function dueDate(
  schedules: ReadonlyMap<RecordClass, RetentionSchedule>,
  c: ClientFacts,
): { dueAt: string; triggeredAt: string; recordClasses: RecordClass[] } | null {
  const classes: RecordClass[] = c.matters > 0 ? ["client_file", "matter_file"] : ["unengaged_client"];
  let dueAt = "";
  let triggeredAt = "";
  for (const cls of classes) {
    const s = schedules.get(cls);
    const from = s ? triggerDate(s, c) : null;
    if (!s || !from) return null;
    const until = addPeriod(from, s.periodUnit, s.periodAmount);
    if (until > dueAt) [dueAt, triggeredAt] = [until, from];
  }
  return { dueAt, triggeredAt, recordClasses: classes };
}

/** The sweep itself, inside the caller's transaction (also used to re-check at execution). */
export async function sweepIn(tx: Tx, now: string, only?: readonly string[]): Promise<SweepResult> {
  const schedules = await loadSchedules(tx);
  let q = tx
    .selectFrom("clients as c")
    .leftJoin("matters as m", "m.client_id", "c.id")
    .select((eb) => [
      "c.id",
      "c.updated_at",
      eb.fn.count<number>("m.id").as("matters"),
      eb.fn.sum<number>(eb.case().when("m.status", "=", "open").then(1).else(0).end()).as("open_matters"),
      eb.fn.max("m.closed_at").as("last_closed"),
    ])
    .where("c.status", "!=", "erased")
    .groupBy(["c.id", "c.updated_at"]);
  if (only) q = q.where("c.id", "in", only.length ? [...only] : [""]);
  const rows = await q.execute();
  const holds = new Map(
    (await tx.selectFrom("legal_holds").select(["id", "client_id"]).where("lifted_at", "is", null).orderBy("placed_at").execute()).map((h) => [
      h.client_id,
      h.id,
    ]),
  );
  const result: SweepResult = { asOf: now, due: [], held: [] };
  for (const r of rows) {
    const facts: ClientFacts = {
      id: r.id,
      updatedAt: r.updated_at,
      matters: Number(r.matters),
      openMatters: Number(r.open_matters ?? 0),
      lastClosed: (r.last_closed as string | null) ?? null,
    };
    const due = dueDate(schedules, facts);
    if (!due || due.dueAt > now) continue;
    const holdId = holds.get(r.id);
    if (holdId) result.held.push({ clientId: r.id, holdId, dueAt: due.dueAt });
    else result.due.push({ clientId: r.id, recordClasses: due.recordClasses, triggeredAt: due.triggeredAt, dueAt: due.dueAt, matters: facts.matters });
  }
  result.due.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.clientId.localeCompare(b.clientId));
  return result;
}

/** Lists what is due at `now` (default: the present); read-only apart from its audit event. */
export async function retentionSweep(services: Services, ctx: RequestContext, now: string = new Date().toISOString()): Promise<SweepResult> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.sweep", targetType: null, targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const result = await sweepIn(w.tx, now);
    w.record({ ...event, outcome: "success", details: { asOf: now, due: result.due.length, held: result.held.length } });
    return result;
  });
}
