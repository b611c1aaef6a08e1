import type { RequestContext } from "../../access/policy/actor.js";
import type { Tx } from "../db/engine.js";
import type { DbAuditEvent } from "../db/schema.js";
import type { AppError } from "../errors.js";
import { AuthorizationError } from "../../access/policy/denial.js";
import type { DenyReason } from "../../access/policy/policy.js";
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
   * Queue an event that stands even if the work is then refused: what the refused attempt itself
   * caused, such as the lockout a failed sign-in triggered. It follows the refusal's event.
   */
  recordEvenIfRefused(event: AuditDraft): void;
  /**
   * Queue the refusal's event (a policy denial, or a failure such as invalid input) and end the
   * work: no other event is written (except those recorded even if refused), and the error is
   * thrown after the commit. The event's reason is the error's code unless given: a wall answers
   * 404 `not_found` but records `screened_by_wall`.
   */
  refuse(error: AppError, event: Omit<AuditDraft, "outcome">, outcome?: "denied" | "failure", then?: AfterAppend): Refusal;
  /** A policy denial: its audited refusal, answered 403 with the policy's reason as the code. */
  deny(decision: { readonly reason: DenyReason }, event: Omit<AuditDraft, "outcome">, then?: AfterAppend): Refusal;
}

/**
 * Who an audit event names as its actor. Staff act as themselves; someone `signing_in` (or
 * presenting a credential) is named by the account they claim, if it exists, before it is proven;
 * the client portal and the anonymous internal-report channel have no staff actor; `system` is
 * the server itself (sweeps, reminders), never a person.
 */
export type AuditActor =
  | { readonly kind: "staff"; readonly userId: string; readonly role: string }
  | { readonly kind: "signing_in"; readonly userId: string | null; readonly role: string | null }
  | { readonly kind: "portal" }
  | { readonly kind: "anonymous" }
  | { readonly kind: "system" };

/** An anonymous actor's events are timed to the hour: a precise time could be matched to a person. */
export const toTheHour = (at: Date): Date => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/** The audit role of an unauthenticated person using the client portal: no staff actor. */
export const PORTAL_ROLE = "portal";

export interface UnitOfWorkContext {
  readonly actor: AuditActor;
  /** Null where the request id itself could identify someone (anonymous reports). */
  readonly requestId: string | null;
  readonly purpose: string | null;
}

const actorColumns = (actor: AuditActor): { actorId: string | null; actorRole: string | null } => {
  switch (actor.kind) {
    case "staff":
    case "signing_in":
      return { actorId: actor.userId, actorRole: actor.role };
    case "portal":
      return { actorId: null, actorRole: PORTAL_ROLE };
    case "anonymous":
      return { actorId: null, actorRole: null };
    case "system":
      return { actorId: null, actorRole: "system" };
  }
};

/**
 * Runs one use case in one transaction with its audit events (AUD-1): the only place that opens a
 * transaction around audited work. A thrown error rolls back both the action and its events; a
 * Refusal commits only the denial event (with what the work wrote before it, such as counters, and
 * the events it recorded even if refused), then throws. `within` lets a command compose another inside the caller's transaction.
 */
export async function runUnitOfWork<T>(services: Services, ctx: UnitOfWorkContext, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> {
  const result = await services.engine.runTransaction(async (tx) => {
    const events: AuditEventInput[] = [];
    const hooks: { index: number; then: AfterAppend }[] = [];
    const kept = new Set<AuditEventInput>();
    const actor = actorColumns(ctx.actor);
    const stamp = (e: AuditDraft): AuditEventInput => ({ purpose: ctx.purpose, ...e, ...actor, requestId: ctx.requestId });
    const refuse: AuditedWork["refuse"] = (error, e, outcome = "denied", then) => {
      const consequences = events.filter((queued) => kept.has(queued));
      events.length = 0; // nothing else happened
      hooks.length = 0;
      events.push(stamp({ ...e, outcome, reason: e.reason ?? error.code }), ...consequences);
      if (then) hooks.push({ index: 0, then });
      return new Refusal(error);
    };
    const outcome = await work({
      tx,
      record: (e, then) => {
        events.push(stamp(e));
        if (then) hooks.push({ index: events.length - 1, then });
      },
      recordEvenIfRefused: (e) => {
        const event = stamp(e);
        kept.add(event);
        events.push(event);
      },
      refuse,
      deny: (decision, e, then) => refuse(AuthorizationError(decision.reason), e, "denied", then),
    });
    const appended = await services.auditLog.append(tx, events, ctx.actor.kind === "anonymous" ? toTheHour(new Date()).toISOString() : undefined);
    for (const { index, then } of hooks) await then(appended[index]!);
    return outcome;
  });
  if (result instanceof Refusal) throw result.error;
  return result;
}

/** A staff member's use case: the unit of work with the signed-in actor and the declared purpose. */
export const runAudited = <T>(services: Services, ctx: RequestContext, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> =>
  runUnitOfWork(services, { actor: { kind: "staff", userId: ctx.actor.userId, role: ctx.actor.role }, requestId: ctx.requestId, purpose: ctx.purpose }, work);
