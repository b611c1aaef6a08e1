import { Refusal, type AuditDraft, type AuditedWork } from "../../platform/audit/audited.js";
import type { AuditEventInput } from "../../platform/audit/audit-event.js";
import type { Services } from "../../platform/services.js";

/** The audit role of an unauthenticated person using the client portal: no staff actor. */
export const PORTAL_ROLE = "portal";

/**
 * runAudited for the public portal, where no staff member acts: the same one-transaction contract
 * (a refusal commits only its event, and whatever counters the work already wrote), with the actor
 * recorded as the portal rather than a user.
 */
export async function runPortalAudited<T>(services: Services, requestId: string, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> {
  const result = await services.engine.db.transaction().execute(async (tx) => {
    const events: AuditEventInput[] = [];
    const stamp = (e: AuditDraft): AuditEventInput => ({ purpose: null, ...e, actorId: null, actorRole: PORTAL_ROLE, requestId });
    const outcome = await work({
      tx,
      record: (e) => void events.push(stamp(e)),
      refuse: (error, e, outcome = "denied") => {
        events.length = 0;
        events.push(stamp({ ...e, outcome, reason: e.reason ?? error.code }));
        return new Refusal(error);
      },
    });
    await services.auditLog.append(tx, events);
    return outcome;
  });
  if (result instanceof Refusal) throw result.error;
  return result;
}
