/** SQL for client requests: regimes, the working calendar, firm settings and the status history. */
import type { Tx } from "../../platform/db/engine.js";
import type { DbClientRequest, DbRequestRegime } from "../../platform/db/schema.js";
import { deadlineFlags, type DeadlineUnit, type Regime, type WorkCalendar } from "./deadlines.js";
import { CLOSED, type AccessHistoryActors, type RequestStatus } from "./request.js";

export const regimeFromRow = (r: DbRequestRegime): Regime => ({
  code: r.code,
  unit: r.unit as DeadlineUnit,
  amount: r.amount,
  extension: r.extension_unit && r.extension_amount ? { unit: r.extension_unit as DeadlineUnit, amount: r.extension_amount } : null,
  reminderDays: r.reminder_days,
  verified: r.verified === 1,
});

export async function findRegime(tx: Tx, code: string): Promise<Regime | null> {
  const row = await tx.selectFrom("request_regimes").selectAll().where("code", "=", code).executeTakeFirst();
  return row ? regimeFromRow(row) : null;
}

export async function workCalendar(tx: Tx): Promise<WorkCalendar> {
  const rows = await tx.selectFrom("request_calendar_days").selectAll().execute();
  return {
    holidays: new Set(rows.filter((r) => r.kind === "holiday").map((r) => r.date)),
    workdays: new Set(rows.filter((r) => r.kind === "workday").map((r) => r.date)),
  };
}

export async function firmSetting(tx: Tx, key: string, fallback: string): Promise<string> {
  return (await tx.selectFrom("firm_settings").select("value").where("key", "=", key).executeTakeFirst())?.value ?? fallback;
}

export const defaultRegimeCode = (tx: Tx) => firmSetting(tx, "requests.default_regime", "pipl");
export const firmTimeZone = (tx: Tx) => firmSetting(tx, "requests.timezone", "Asia/Shanghai");
export const accessHistoryActors = async (tx: Tx): Promise<AccessHistoryActors> =>
  (await firmSetting(tx, "requests.access_history_actors", "roles")) === "names" ? "names" : "roles";

/** What a request knows when it arrives; an identifier, code or details not given are null. */
export type RequestArrival = Pick<
  DbClientRequest,
  "id" | "type" | "regime" | "language" | "client_id" | "match" | "received_at" | "received_date" | "due_date"
> &
  Partial<Pick<DbClientRequest, "id_type" | "id_number_bidx" | "phone_bidx" | "email_bidx" | "code_channel" | "code_hash" | "code_expires_at" | "details_ct">>;

/** A new request row: everything later in its life (token, verification, extension, owner, outcome) starts empty. */
export const newRequestRow = (arrival: RequestArrival): DbClientRequest => ({
  id_type: null,
  id_number_bidx: null,
  phone_bidx: null,
  email_bidx: null,
  code_channel: null,
  code_hash: null,
  code_expires_at: null,
  details_ct: null,
  ...arrival,
  status: "received",
  code_attempts: 0,
  code_used_at: null,
  token_hash: null,
  token_expires_at: null,
  verified_at: null,
  verified_by: null,
  verification_method: null,
  verification_evidence: null,
  extended_due_date: null,
  extension_reason: null,
  owner_id: null,
  outcome: null,
  outcome_details: null,
  closed_at: null,
  updated_at: arrival.received_at,
});

export const findRequestRow = (tx: Tx, id: string) => tx.selectFrom("client_requests").selectAll().where("id", "=", id).executeTakeFirst();

export async function appendHistory(
  tx: Tx,
  requestId: string,
  status: RequestStatus,
  at: string,
  actorId: string | null,
  reason: string | null = null,
): Promise<void> {
  const last = await tx
    .selectFrom("client_request_history")
    .select("seq")
    .where("request_id", "=", requestId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  await tx
    .insertInto("client_request_history")
    .values({ request_id: requestId, seq: (last?.seq ?? 0) + 1, status, at, actor_id: actorId, reason })
    .execute();
}

/** Moves a request to `to` and records it; the caller has checked the transition. */
export async function setStatus(
  tx: Tx,
  row: DbClientRequest,
  to: RequestStatus,
  at: string,
  actorId: string | null,
  changes: Partial<DbClientRequest> = {},
  reason: string | null = null,
): Promise<void> {
  await tx
    .updateTable("client_requests")
    .set({ ...changes, status: to, updated_at: at })
    .where("id", "=", row.id)
    .execute();
  await appendHistory(tx, row.id, to, at, actorId, reason);
}

/** Open requests, and those of them past their deadline (the extended one, if any) on the firm's `today`. */
export async function countOpenRequests(tx: Tx, today: string): Promise<{ open: number; overdue: number }> {
  const rows = await tx
    .selectFrom("client_requests")
    .select(["due_date", "extended_due_date"])
    .where("status", "not in", [...CLOSED])
    .execute();
  return { open: rows.length, overdue: rows.filter((r) => deadlineFlags(r.extended_due_date ?? r.due_date, today, 0, false).overdue).length };
}
