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
  // Editing the KPI targets (issue #14, GOV-6): compliance sets what the firm measures itself against.
  "kpi.manage",
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
  // Paper files (issue #14, PAP-1, PAP-2): the register (codes, references, shelves; titles by need-to-know) …
  "paper.read",
  // … the archive keeper's desk: locations, registering files and labels, check-out and check-in, stocktakes …
  "paper.manage",
  // … borrowing a file of one's own matters (need-to-know and walls as for the client record) …
  "paper.borrow",
  // … approving an L3+ check-out or copy (four eyes: never the borrower or the one who asked) …
  "paper.approve",
  // … recording a destruction (retention schedules, never under a legal hold) …
  "paper.destroy",
  // … archive-room control checks (access control, CCTV) …
  "paper.control",
  // … and the reports: stocktakes, control checks, destructions, copies.
  "paper.oversee",
  // Devices and channels that carry client data (issue #14, CHN-1): read by compliance, the admin and the auditor; kept by compliance and the admin.
  "device.read",
  "device.manage",
  // The privacy team (issue #14, GOV-1): compliance names its members; everyone reads it.
  "privacy_team.manage",
  // Internal policies and the law-change log (issue #14, GOV-2): compliance writes; compliance and the auditor see who has attested.
  "policy.manage",
  "policy.oversee",
  // Training and agreements (issue #14, TRN-1, TRN-2): courses, quizzes, assignments, recorded completions; compliance only.
  "training.manage",
  // Agreement texts and versions, recorded acknowledgements, background checks (TRN-2); compliance only.
  "agreement.manage",
  // Self-assessments, compliance audits, findings and the PIA register (issue #14, GOV-3, AUD-3, PIPL Art 54–56): compliance runs them; partners and the auditor read them.
  "assessment.read",
  "assessment.manage",
  // The inspection pack for a regulator visit (issue #14, GOV-4): compliance only.
  "inspection.pack",
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
      // The admin hands out laptops and phones: it keeps the device register (CHN-1), never reports for others.
      "device.read",
      "device.manage",
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
      // Partners borrow paper files of the clients they reach (issue #14).
      "paper.read",
      "paper.borrow",
      // Partners see the firm's self-assessments and the findings they may own (GOV-3).
      "assessment.read",
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
      // Lawyers borrow paper files of their matters (issue #14).
      "paper.read",
      "paper.borrow",
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
      "kpi.manage",
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
      // Compliance approves L3+ paper check-outs and copies, records destructions and control checks, reads the reports (PAP-1, PAP-2).
      "paper.read",
      "paper.approve",
      "paper.destroy",
      "paper.control",
      "paper.oversee",
      // Compliance keeps the device register, the privacy team and the internal policies (CHN-1, GOV-1, GOV-2).
      "device.read",
      "device.manage",
      "privacy_team.manage",
      "policy.manage",
      "policy.oversee",
      // Compliance runs privacy training and keeps agreements and background checks (TRN-1, TRN-2); not the admin: they unlock L3+ data.
      "training.manage",
      "agreement.manage",
      // Compliance runs self-assessments, records compliance audits and PIAs, and prepares the inspection pack (GOV-3, GOV-4).
      "assessment.read",
      "assessment.manage",
      "inspection.pack",
    ]),
  },
  // The auditor also reads the device register and who has attested the policies (issue #14), never changes them.
  auditor: {
    clearance: 1,
    scope: "firm",
    permissions: new Set<Action>([
      "audit.read",
      "audit.verify",
      "inventory.read",
      "kpi.read",
      "alert.read",
      "device.read",
      "policy.oversee",
      "paper.read",
      "paper.oversee",
      "assessment.read",
    ]),
  },
  // The records clerk runs intake conflict checks; the answer carries ids and counts, never names.
  // As archive keeper (issue #14) it also keeps the paper archive: locations, files, the check-out desk,
  // stocktakes, L3+ approvals (never for itself), destruction records and the archive-room checks.
  "records-clerk": {
    clearance: 1,
    scope: "firm",
    permissions: new Set<Action>([
      "client.read",
      "client.search",
      "inventory.read",
      "conflict.check",
      "paper.read",
      "paper.manage",
      "paper.approve",
      "paper.destroy",
      "paper.control",
      "paper.oversee",
    ]),
  },
});

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
