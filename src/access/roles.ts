/** Sensitivity levels (CLS-1): L1 public … L4 highly sensitive (resident IDs, financial accounts). */
export type Level = 1 | 2 | 3 | 4;

export const ROLES = ["admin", "partner", "lawyer", "paralegal", "compliance", "auditor", "records-clerk"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "client.create", "client.read", "client.search", "client.update", "client.erase",
  "audit.read", "audit.verify", "inventory.read", "user.manage", "token.manage", "key.manage",
] as const;
export type Action = (typeof ACTIONS)[number];

export interface RoleDefinition {
  /** The highest sensitivity level the role reads unmasked. */
  clearance: Level;
  permissions: ReadonlySet<Action>;
}

const CLIENT_WORK: Action[] = ["client.create", "client.read", "client.search", "client.update"];

/**
 * Least privilege (IAM-1). The admin runs the system but reads client data only up to L2:
 * administration is not a back door. The auditor reads audit metadata, never client records.
 */
export const ROLE_DEFINITIONS: Readonly<Record<Role, RoleDefinition>> = Object.freeze({
  admin: { clearance: 2, permissions: new Set<Action>(["client.read", "client.search", "audit.read", "audit.verify", "inventory.read", "user.manage", "token.manage", "key.manage"]) },
  partner: { clearance: 4, permissions: new Set<Action>([...CLIENT_WORK, "client.erase", "audit.read", "inventory.read"]) },
  lawyer: { clearance: 3, permissions: new Set<Action>([...CLIENT_WORK, "inventory.read"]) },
  paralegal: { clearance: 2, permissions: new Set<Action>([...CLIENT_WORK]) },
  compliance: { clearance: 3, permissions: new Set<Action>(["client.read", "client.search", "client.erase", "audit.read", "audit.verify", "inventory.read"]) },
  auditor: { clearance: 1, permissions: new Set<Action>(["audit.read", "audit.verify", "inventory.read"]) },
  "records-clerk": { clearance: 1, permissions: new Set<Action>(["client.read", "client.search", "inventory.read"]) },
});

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
