import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { AuditVerificationUnavailableError } from "../errors.js";
import type { Services } from "../services.js";
import { runAudited } from "./audited.js";
import type { AuditChainVerifier, ChainVerification } from "./audit-verify-runner.js";
import type { ChainProblem } from "./audit-verifier.js";

export interface AuditVerification {
  ok: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  firstBad: { seq: number; problem: ChainProblem } | null;
  /** When the walk that produced this answer started (a shared or recent walk may predate the call). */
  verifiedAt: string;
}

/**
 * The check `custodia audit verify` runs, on request (`audit.verify`), audited. The walk runs on
 * another thread and outside this command's transaction: holding a transaction through it would
 * hold SQLite's only connection, and so every other request, for the whole walk. `maxAgeMs`
 * accepts a result that recent; 0 asks for a walk (or joins the one running).
 */
export async function verifyAuditLog(services: Services, ctx: RequestContext, verifier: AuditChainVerifier, maxAgeMs = 0): Promise<AuditVerification> {
  const event = { action: "audit.verify", targetType: null, targetId: null, purpose: null };
  const decision = authorize(ctx.actor, "audit.verify");
  let verified: ChainVerification | null = null;
  if (decision.effect !== "deny") verified = await verifier.verify(maxAgeMs).catch(() => null);
  return runAudited(services, ctx, async (w) => {
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!verified) return w.refuse(AuditVerificationUnavailableError(), event, "failure");
    const { report, verifiedAt } = verified;
    const result = { ok: report.ok, eventsChecked: report.events, checkpointsChecked: report.checkpoints, firstBad: report.firstBad, verifiedAt };
    w.record({
      ...event,
      outcome: "success",
      details: {
        ok: result.ok,
        eventsChecked: result.eventsChecked,
        checkpointsChecked: result.checkpointsChecked,
        firstBadSeq: result.firstBad?.seq ?? null,
        problem: result.firstBad?.problem ?? null,
        verifiedAt,
      },
    });
    return result;
  });
}
