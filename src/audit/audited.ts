import type { RequestContext } from "../access/actor.js";
import type { Tx } from "../db/engine.js";
import type { AppError } from "../errors.js";
import type { Services } from "../services.js";
import type { AuditEventInput } from "./audit-event.js";

export type AuditDraft = Omit<AuditEventInput, "actorId" | "actorRole" | "requestId">;

/** A refusal whose audit event must commit even though the action does not happen. */
export class Refusal {
  constructor(readonly error: AppError) {}
}

export interface AuditedWork {
  readonly tx: Tx;
  /** Queue an event; it is appended in this transaction before commit. */
  record(event: AuditDraft): void;
  /**
   * Queue the refusal's event (a policy denial, or a failure such as invalid input) and end the
   * work: nothing else is written, and the error is thrown after the commit.
   */
  refuse(error: AppError, event: Omit<AuditDraft, "outcome" | "reason">, outcome?: "denied" | "failure"): Refusal;
}

/**
 * Runs one use case in one transaction with its audit events (AUD-1). A thrown error rolls back
 * both the action and its events; a Refusal commits only the denial event, then throws.
 */
export async function runAudited<T>(services: Services, ctx: RequestContext, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> {
  const result = await services.engine.db.transaction().execute(async (tx) => {
    const events: AuditEventInput[] = [];
    const stamp = (e: AuditDraft): AuditEventInput => ({
      purpose: ctx.purpose,
      ...e,
      actorId: ctx.actor.userId,
      actorRole: ctx.actor.role,
      requestId: ctx.requestId,
    });
    const outcome = await work({
      tx,
      record: (e) => events.push(stamp(e)),
      refuse: (error, e, outcome = "denied") => {
        events.length = 0; // nothing else happened
        events.push(stamp({ ...e, outcome, reason: error.code }));
        return new Refusal(error);
      },
    });
    await services.auditLog.append(tx, events);
    return outcome;
  });
  if (result instanceof Refusal) throw result.error;
  return result;
}
