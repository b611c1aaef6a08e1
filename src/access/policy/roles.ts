/** Sensitivity levels (CLS-1): L1 public … L4 highly sensitive (resident IDs, financial accounts). */
export type Level = 1 | 2 | 3 | 4;

export const ROLES = ["admin", "partner", "lawyer", "paralegal", "compliance", "auditor", "records-clerk"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "client.create",
  "client.read",
  "client.search",
  "client.update",
  "client.erase",
  // Changing what a record may be used for (IAM-5): compliance, or a responsible partner (policy.ts).
  "client.purposes",
  "audit.read",
  "audit.verify",
  "inventory.read",
  "user.manage",
  "token.manage",
  "key.manage",
  "matter.create",
  "matter.read",
  "matter.manage",
  "wall.manage",
  "conflict.check",
  "notice.manage",
  "consent.manage",
  "approval.request",
  "break_glass.open",
  "break_glass.review",
  "kpi.read",
  "alert.read",
  "alert.manage",
  "incident.read",
  "incident.manage",
  "report.manage",
  "request.manage",
  "hold.manage",
  "retention.manage",
  "notification.manage",
  "complaint.manage",
  "accountability.manage",
  "access_review.manage",
  "restriction.lift",
  "regime.manage",
  // Client documents (issue #11).
  "document.read",
  "document.write",
  "document.share",
  "document.trace",
  // Scheduled jobs: list them and run one now (issue #16): the admin, who runs the system.
  "job.manage",
  // The partner register (issue #13): due diligence, contracts, transfer bases, partner incidents.
  "partner.read",
  "partner.manage",
  // De-identification profiles (issue #13, VEN-3): what leaves the firm and in what form; compliance edits them.
  "profile.manage",
  // Disclosing client data to a partner (issue #13, APR-2): partners and lawyers, under an approved disclose grant.
  "client.disclose",
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Whose client records a role may reach (need-to-know, IAM-3): `firm` roles reach every client not
 * walled from them; `matters` roles only the clients of the open matters they are on.
 */
export type Scope = "firm" | "matters";

export interface RoleDefinition {
  /** The highest sensitivity level the role reads unmasked. */
  clearance: Level;
  scope: Scope;
  permissions: ReadonlySet<Action>;
}

// Recording and withdrawing a client's consent is part of client work (intake, engagement letters).
// Client workers may ask for approvals (APR-1) and open break-glass access in an emergency.
const CLIENT_WORK: Action[] = [
  "client.create",
  "client.read",
  "client.search",
  "client.update",
  "consent.manage",
  "approval.request",
  "break_glass.open",
  "document.read",
  "document.write",
];

/**
 * Least privilege (IAM-1). The admin runs the system but reads client data only up to L2:
 * administration is not a back door. The auditor reads audit metadata, never client records.
 */
export const ROLE_DEFINITIONS: Readonly<Record<Role, RoleDefinition>> = Object.freeze({
  admin: {
    clearance: 2,
    scope: "firm",
    permissions: new Set<Action>([
      "client.read",
      "client.search",
      "audit.read",
      "audit.verify",
      "inventory.read",
      "user.manage",
      "token.manage",
      "key.manage",
      "notice.manage",
      "job.manage",
    ]),
  },
  // Partners open matters, staff them and raise walls; they see every client not walled from them.
  partner: {
    clearance: 4,
    scope: "firm",
    permissions: new Set<Action>([
      ...CLIENT_WORK,
      "client.erase",
      "client.purposes",
      "audit.read",
      "inventory.read",
      "matter.create",
      "matter.read",
      "matter.manage",
      "wall.manage",
      "conflict.check",
      "document.share",
      "kpi.read",
      "alert.read",
      "incident.read",
      "request.manage",
      "partner.read",
      "client.disclose",
    ]),
  },
  // Lawyers read the partner register: they pick co-counsel, experts and translators and ask for disclosures to them.
  lawyer: {
    clearance: 3,
    scope: "matters",
    permissions: new Set<Action>([
      ...CLIENT_WORK,
      "inventory.read",
      "matter.create",
      "matter.read",
      "conflict.check",
      "document.share",
      "partner.read",
      "client.disclose",
    ]),
  },
  paralegal: { clearance: 2, scope: "matters", permissions: new Set<Action>([...CLIENT_WORK, "matter.read"]) },
  compliance: {
    clearance: 3,
    scope: "firm",
    permissions: new Set<Action>([
      "client.read",
      "client.search",
      "client.erase",
      "client.purposes",
      "audit.read",
      "audit.verify",
      "inventory.read",
      "matter.read",
      "wall.manage",
      "conflict.check",
      "notice.manage",
      "consent.manage",
      "approval.request",
      "break_glass.review",
      "kpi.read",
      "alert.read",
      "alert.manage",
      "incident.read",
      "incident.manage",
      "report.manage",
      "request.manage",
      "hold.manage",
      "retention.manage",
      "notification.manage",
      "complaint.manage",
      "accountability.manage",
      "access_review.manage",
      "restriction.lift",
      "regime.manage",
      // Compliance reads documents within its clearance (investigations) and traces leaked copies.
      "document.read",
      "document.trace",
      // Compliance keeps the partner register: due diligence, contracts, transfer bases (VEN-1..4).
      "partner.read",
      "partner.manage",
      // Compliance decides how data is de-identified before it leaves (VEN-3).
      "profile.manage",
    ]),
  },
  auditor: { clearance: 1, scope: "firm", permissions: new Set<Action>(["audit.read", "audit.verify", "inventory.read", "kpi.read", "alert.read"]) },
  // The records clerk runs intake conflict checks; the answer carries ids and counts, never names.
  "records-clerk": { clearance: 1, scope: "firm", permissions: new Set<Action>(["client.read", "client.search", "inventory.read", "conflict.check"]) },
});

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
