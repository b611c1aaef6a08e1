/** Staffing a matter: adding and removing team members. Each takes effect on the next request. */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import { MatterClosedError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { MATTER_ROLES, type MatterRole } from "./matter.js";
import { accessibleMatter, presentMatterFor, refuseScreenedMembers, type PresentedMatterRecord } from "./matter-access.js";
import { activeUsers } from "./matter-store.js";

/** Adds a user to the team, or changes their matter role if already on it. */
export async function addMatterMember(
  services: Services,
  ctx: RequestContext,
  matterId: string,
  member: { userId: string; role: MatterRole },
): Promise<PresentedMatterRecord> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "matter.member.add", targetType: "matter", targetId: matterId };
    const row = await accessibleMatter(ctx, w, matterId, "matter.manage", event.action);
    if (!("id" in row)) return row;
    if (row.status !== "open") return w.refuse(MatterClosedError(), event, "failure");
    if (!(MATTER_ROLES as readonly string[]).includes(member.role))
      return w.refuse(ValidationError([{ field: "role", code: "invalid_value", message: "Not a matter role." }]), event, "failure");
    if (!(await activeUsers(w.tx, [member.userId])).has(member.userId)) {
      return w.refuse(ValidationError([{ field: "userId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    }
    const screened = await refuseScreenedMembers(w, row.client_id, [member.userId], event);
    if (screened) return screened;
    const now = new Date().toISOString();
    const existing = await w.tx
      .selectFrom("matter_members")
      .select("role")
      .where("matter_id", "=", matterId)
      .where("user_id", "=", member.userId)
      .executeTakeFirst();
    if (existing)
      await w.tx.updateTable("matter_members").set({ role: member.role }).where("matter_id", "=", matterId).where("user_id", "=", member.userId).execute();
    else await w.tx.insertInto("matter_members").values({ matter_id: matterId, user_id: member.userId, role: member.role, added_at: now }).execute();
    w.record({ ...event, outcome: "success", details: { userId: member.userId, role: member.role, previousRole: existing?.role ?? null } });
    return presentMatterFor(w.tx, services.keyRing, ctx.actor, row);
  });
}

/** Removes a user from the team; their access through this matter ends with this transaction. */
export async function removeMatterMember(services: Services, ctx: RequestContext, matterId: string, userId: string): Promise<PresentedMatterRecord> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "matter.member.remove", targetType: "matter", targetId: matterId };
    const row = await accessibleMatter(ctx, w, matterId, "matter.manage", event.action);
    if (!("id" in row)) return row;
    if (!(await takeOffTeam(w, matterId, userId))) return w.refuse(NotFoundError("Member"), { ...event, details: { userId } }, "failure");
    return presentMatterFor(w.tx, services.keyRing, ctx.actor, row);
  });
}

/**
 * Takes a user off a matter's team inside the caller's audited work, recording `matter.member.remove`
 * (with `details`, e.g. the access review that revoked it); false when they were not on it.
 * The caller has authorised the removal (a partner's matter.manage, or an access-review decision).
 */
export async function takeOffTeam(w: AuditedWork, matterId: string, userId: string, details: Record<string, string> = {}): Promise<boolean> {
  const result = await w.tx.deleteFrom("matter_members").where("matter_id", "=", matterId).where("user_id", "=", userId).executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) return false;
  w.record({ action: "matter.member.remove", targetType: "matter", targetId: matterId, outcome: "success", details: { userId, ...details } });
  return true;
}
