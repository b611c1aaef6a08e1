/**
 * The staff directory: who an id in a record is (a display name, a role, whether the account is
 * still active), so screens show names instead of ids. Staff identity is not client personal
 * data, and every signed-in staff member may read it; the read is still audited (directory.read).
 * Only the local part of the email stands in for a missing display name: the full address is
 * the sign-in identifier and stays with user administration.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";

export interface DirectoryEntry {
  id: string;
  displayName: string;
  role: string;
  status: "active" | "disabled";
}

/** Accounts made without a name carry the email as their display name: show its local part only. */
export function nameOf(displayName: string, email: string): string {
  const name = displayName.trim();
  return !name || name.includes("@") ? (email.split("@")[0] ?? "") : name;
}

/** Everyone, disabled accounts included: old records still name them. */
export async function readStaffDirectory(services: Services, ctx: RequestContext): Promise<DirectoryEntry[]> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const rows = await w.tx.selectFrom("users").select(["id", "email", "display_name", "role", "status"]).orderBy("id").execute();
    w.record({ action: "directory.read", outcome: "success", targetType: "user", targetId: null, details: { results: rows.length } });
    return rows.map((u) => ({
      id: u.id,
      displayName: nameOf(u.display_name, u.email),
      role: u.role,
      status: u.status === "active" ? ("active" as const) : ("disabled" as const),
    }));
  });
}
