import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { SignInServices } from "./sign-in-services.js";

/** Ends the caller's own session. */
export async function signOut(kit: SignInServices, ctx: RequestContext, sessionId: string): Promise<void> {
  await runAudited(kit.services, ctx, async (w) => {
    await kit.sessions.revoke(w.tx, sessionId);
    w.record({ action: "auth.session.revoke", outcome: "success", targetType: "session", targetId: sessionId, reason: "sign_out" });
  });
}

/** "Sign out everywhere": every session of the caller ends, this one included. */
export async function signOutEverywhere(kit: SignInServices, ctx: RequestContext): Promise<number> {
  return runAudited(kit.services, ctx, async (w) => {
    const revoked = await kit.sessions.revokeAll(w.tx, ctx.actor.userId);
    w.record({ action: "auth.logout_all", outcome: "success", targetType: "user", targetId: ctx.actor.userId, details: { sessionsRevoked: revoked } });
    return revoked;
  });
}
