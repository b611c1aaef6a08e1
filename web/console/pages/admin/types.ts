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
}
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
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
