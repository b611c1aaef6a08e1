/**
 * What makes a fulfilment run once and all or nothing, inside the one audited transaction of
 * request-fulfiller.ts: a claim on the request row, and a savepoint around the composed steps.
 */
import { sql } from "kysely";
import { Refusal, type AuditDraft, type AuditedWork } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { AppError, FulfilmentFailedError, IntegrityError } from "../../platform/errors.js";
import { REQUEST_STATUSES, TRANSITIONS } from "./request.js";

/** The open states a request may be fulfilled from. */
const FULFILLABLE = REQUEST_STATUSES.filter((s) => TRANSITIONS[s].includes("fulfilled"));

/**
 * Claims the request for this transaction if it may still be fulfilled; false otherwise. The update
 * changes nothing but takes the row's write lock: on PostgreSQL a concurrent fulfilment waits here
 * until this transaction ends, then finds the request closed (read committed re-checks the WHERE);
 * SQLite runs one write transaction at a time, so the second sees the first's outcome.
 */
export async function claimFulfillable(tx: Tx, requestId: string): Promise<boolean> {
  const claimed = await tx
    .updateTable("client_requests")
    .set((eb) => ({ status: eb.ref("status") }))
    .where("id", "=", requestId)
    .where("status", "in", FULFILLABLE)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

const SAVEPOINT = sql.raw("request_fulfilment");

/**
 * Runs the composed steps of a fulfilment so that either all of their writes stay or none do. A
 * refusal by any step (a denial, a conflict) rolls back to the savepoint, so what earlier steps wrote
 * goes too and only the refusal's event commits. A thrown error is undone the same way and audited
 * as a failure of `event` (its class only: a driver's message could quote a value), so a request
 * that could not be fulfilled leaves a trace and stays open.
 */
export async function allOrNothing<T>(w: AuditedWork, event: Omit<AuditDraft, "outcome">, steps: () => Promise<T | Refusal>): Promise<T | Refusal> {
  await sql`savepoint ${SAVEPOINT}`.execute(w.tx);
  let outcome: T | Refusal;
  try {
    outcome = await steps();
  } catch (error) {
    await sql`rollback to savepoint ${SAVEPOINT}`.execute(w.tx);
    // A known error keeps its code (as the HTTP error handler would); anything else is a bare failure.
    const known = error instanceof AppError ? error : (error as Error)?.name === "DecryptionError" ? IntegrityError() : FulfilmentFailedError();
    return w.refuse(known, { ...event, details: { errorClass: (error as Error)?.constructor?.name ?? "unknown" } }, "failure");
  }
  if (outcome instanceof Refusal) await sql`rollback to savepoint ${SAVEPOINT}`.execute(w.tx);
  else await sql`release savepoint ${SAVEPOINT}`.execute(w.tx);
  return outcome;
}
