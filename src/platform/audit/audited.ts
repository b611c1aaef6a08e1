import type { RequestContext } from "../../access/policy/actor.js";
import type { Tx } from "../db/engine.js";
import type { DbAuditEvent } from "../db/schema.js";
import type { AppError } from "../errors.js";
import type { Services } from "../services.js";
import type { AuditEventInput } from "./audit-event.js";

export type AuditDraft = Omit<AuditEventInput, "actorId" | "actorRole" | "requestId">;

/** Runs after the event is appended, in the same transaction, with its sequence number (e.g. an alert). */
export type AfterAppend = (event: DbAuditEvent) => Promise<void>;

/** A refusal whose audit event must commit even though the action does not happen. */
export class Refusal {
  constructor(readonly error: AppError) {}
}

export interface AuditedWork {
  readonly tx: Tx;
  /** Queue an event; it is appended in this transaction before commit. */
  record(event: AuditDraft, then?: AfterAppend): void;
  /**
   * Queue the refusal's event (a policy denial, or a failure such as invalid input) and end the
   * work: nothing else is written, and the error is thrown after the commit. The event's reason is
   * the error's code unless given: a wall answers 404 `not_found` but records `screened_by_wall`.
   */
  refuse(error: AppError, event: Omit<AuditDraft, "outcome">, outcome?: "denied" | "failure", then?: AfterAppend): Refusal;
}

/**
 * Runs one use case in one transaction with its audit events (AUD-1). A thrown error rolls back
 * both the action and its events; a Refusal commits only the denial event, then throws.
 */
export async function runAudited<T>(services: Services, ctx: RequestContext, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> {
  const result = await services.engine.db.transaction().execute(async (tx) => {
    const events: AuditEventInput[] = [];
    const hooks: { index: number; then: AfterAppend }[] = [];
    const stamp = (e: AuditDraft): AuditEventInput => ({
      purpose: ctx.purpose,
      ...e,
      actorId: ctx.actor.userId,
      actorRole: ctx.actor.role,
      requestId: ctx.requestId,
    });
    const outcome = await work({
      tx,
      record: (e, then) => {
        events.push(stamp(e));
        if (then) hooks.push({ index: events.length - 1, then });
      },
      refuse: (error, e, outcome = "denied", then) => {
        events.length = 0; // nothing else happened
        hooks.length = 0;
        events.push(stamp({ ...e, outcome, reason: e.reason ?? error.code }));
        if (then) hooks.push({ index: 0, then });
        return new Refusal(error);
      },
    });
    const appended = await services.auditLog.append(tx, events);
    for (const { index, then } of hooks) await then(appended[index]!);
    return outcome;
  });
  if (result instanceof Refusal) throw result.error;
  return result;
}
