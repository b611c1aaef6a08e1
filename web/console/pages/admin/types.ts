/** Shapes of the administration API (src/http/routes/admin/schema.ts). */
export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: "active" | "disabled";
  supervisorId: string | null;
  mfaEnrolled: boolean;
  createdAt: string;
  disabledAt: string | null;
  /** A role at L3+ awaiting a second approver; the user keeps `role` (a new account stays disabled) until then. */
  pendingRole: { approvalId: string; role: string } | null;
}
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  /** When it stops working (for an L3+ owner at most the configured days after issue). */
  expiresAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
  /** The owner, "system:console" (the CLI), another user (tokens from before issue #10), or null (unknown). */
  createdBy: string | null;
  lastUsedAt: string | null;
}
/** POST /users: 201 active, or 202 awaiting a second approver. */
export interface CreatedUser {
  id: string;
  status: "active" | "awaiting_approval";
  approvalId: string | null;
}
/** PUT /users/{id}/role: 200 applied, or 202 awaiting a second approver. */
export interface RoleChange {
  id: string;
  role: string;
  pendingApproval: { id: string; role: string } | null;
}
export interface IssuedToken {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  token: string;
}
export interface KeyVersion {
  version: number;
  status: "active" | "retired";
  createdAt: string;
  retiredAt: string | null;
  dataKeys: number;
}
export interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
  legalBasis: string;
}

/** The role enum of UserCreateSchema / UserRoleSchema (src/access/policy/roles.ts ROLES). */
export const ROLES = ["admin", "partner", "lawyer", "paralegal", "compliance", "auditor", "records-clerk"] as const;
