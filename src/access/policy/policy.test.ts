import { describe, expect, it } from "vitest";
import { FIELD_LEVELS } from "../../records/clients/fields.js";
import {
  authorize,
  authorizeConflictCheck,
  authorizeMatter,
  authorizeMatterCreate,
  authorizeRecordRead,
  authorizeRecordWrite,
  checkPurpose,
} from "./policy.js";
import { isCreatorOfUnmatteredClient, isOnMatter, isScreenedBy, NO_RELATION, type ClientRelation } from "./predicates.js";
import { ACTIONS, ROLES, type Action, type Level, type Role } from "./roles.js";

const actor = (role: Role) => ({ userId: "u", role });
/** On an open matter of the client, not walled: the relation under which every role may read. */
const ON_MATTER: ClientRelation = { onOpenMatter: true, clientHasMatter: true, createdClient: false, screenedBy: [] };

// The expected matrix, written out by hand so a change to the role table must be deliberate.
const EXPECTED: Record<Role, { clearance: Level; actions: Action[] }> = {
  admin: {
    clearance: 2,
    actions: ["client.read", "client.search", "audit.read", "audit.verify", "inventory.read", "user.manage", "token.manage", "key.manage"],
  },
  partner: {
    clearance: 4,
    actions: [
      "client.create",
      "client.read",
      "client.search",
      "client.update",
      "client.erase",
      "audit.read",
      "inventory.read",
      "matter.create",
      "matter.read",
      "matter.manage",
      "wall.manage",
      "conflict.check",
    ],
  },
  lawyer: {
    clearance: 3,
    actions: ["client.create", "client.read", "client.search", "client.update", "inventory.read", "matter.create", "matter.read", "conflict.check"],
  },
  paralegal: { clearance: 2, actions: ["client.create", "client.read", "client.search", "client.update", "matter.read"] },
  compliance: {
    clearance: 3,
    actions: ["client.read", "client.search", "client.erase", "audit.read", "audit.verify", "inventory.read", "matter.read", "wall.manage", "conflict.check"],
  },
  auditor: { clearance: 1, actions: ["audit.read", "audit.verify", "inventory.read"] },
  "records-clerk": { clearance: 1, actions: ["client.read", "client.search", "inventory.read", "conflict.check"] },
};
// Privacy notices and consent (issue #4): compliance and admin manage notices; client workers and
// compliance record and withdraw consent.
for (const role of ["admin", "compliance"] as const) EXPECTED[role].actions.push("notice.manage");
for (const role of ["partner", "lawyer", "paralegal", "compliance"] as const) EXPECTED[role].actions.push("consent.manage");
// Approvals, break-glass and the approval-compliance KPI (issue #3).
for (const role of ["partner", "lawyer", "paralegal", "compliance"] as const) EXPECTED[role].actions.push("approval.request");
for (const role of ["partner", "lawyer", "paralegal"] as const) EXPECTED[role].actions.push("break_glass.open");
EXPECTED.compliance.actions.push("break_glass.review");
for (const role of ["partner", "compliance", "auditor"] as const) EXPECTED[role].actions.push("kpi.read");
// Detection and incidents (issue #6): alerts carry ids only; compliance runs the response.
for (const role of ["partner", "compliance", "auditor"] as const) EXPECTED[role].actions.push("alert.read");
for (const role of ["partner", "compliance"] as const) EXPECTED[role].actions.push("incident.read");
EXPECTED.compliance.actions.push("alert.manage", "incident.manage", "report.manage");
// Client requests and legal holds (issue #4): compliance and partners handle requests; compliance holds.
for (const role of ["partner", "compliance"] as const) EXPECTED[role].actions.push("request.manage");
EXPECTED.compliance.actions.push("hold.manage");
// Retention schedules, sweeps and destruction batches (issue #4): compliance only.
EXPECTED.compliance.actions.push("retention.manage");
// Notifications, complaints and accountability records (issue #6): compliance only.
EXPECTED.compliance.actions.push("notification.manage", "complaint.manage", "accountability.manage");
// Lifting a restriction of processing and editing deadline regimes (issue #4): compliance only.
EXPECTED.compliance.actions.push("restriction.lift", "regime.manage");
// Access reviews (issue #3, IAM-4): compliance runs campaigns; deciding an item needs only being its reviewer.
EXPECTED.compliance.actions.push("access_review.manage");
// A record's permitted purposes (issue #10, IAM-5): compliance, and partners for their own matters' clients.
for (const role of ["partner", "compliance"] as const) EXPECTED[role].actions.push("client.purposes");
// Client documents (issue #11): client workers read and add them; partners and lawyers share them
// (with a forward_document approval); compliance reads within its clearance and traces leaked copies.
for (const role of ["partner", "lawyer", "paralegal", "compliance"] as const) EXPECTED[role].actions.push("document.read");
for (const role of ["partner", "lawyer", "paralegal"] as const) EXPECTED[role].actions.push("document.write");
for (const role of ["partner", "lawyer"] as const) EXPECTED[role].actions.push("document.share");
EXPECTED.compliance.actions.push("document.trace");
// Scheduled jobs (issue #16): the admin lists and runs them.
EXPECTED.admin.actions.push("job.manage");
// The partner register (issue #13, VEN-1..4): compliance manages it; partners and lawyers, who
// choose co-counsel, experts and translators and ask for disclosures to them, read it.
for (const role of ["partner", "lawyer", "compliance"] as const) EXPECTED[role].actions.push("partner.read");
EXPECTED.compliance.actions.push("partner.manage");
// De-identification profiles (issue #13, VEN-3): compliance edits them; those who may ask for a disclosure read them.
EXPECTED.compliance.actions.push("profile.manage");
// Disclosures (issue #13, APR-2): partners and lawyers send client data to a partner, each client under an approved disclose grant.
for (const role of ["partner", "lawyer"] as const) EXPECTED[role].actions.push("client.disclose");
// KPI targets (issue #14, GOV-6): compliance only.
EXPECTED.compliance.actions.push("kpi.manage");

// Training and agreements (issue #14, TRN-1, TRN-2): compliance only, not the admin (they unlock L3+ data).
EXPECTED.compliance.actions.push("training.manage", "agreement.manage");

// Self-assessments, audits, findings and PIAs (issue #14, GOV-3): compliance runs them; partners and the auditor read them; the inspection pack is compliance's.
for (const role of ["partner", "compliance", "auditor"] as const) EXPECTED[role].actions.push("assessment.read");
EXPECTED.compliance.actions.push("assessment.manage", "inspection.pack");

// Paper files (issue #14, PAP-1/2): the records clerk keeps the archive; partners and lawyers borrow;
// compliance approves L3+ loans, destroys and checks the room with the clerk; auditors oversee.
for (const role of ["partner", "lawyer", "compliance", "auditor", "records-clerk"] as const) EXPECTED[role].actions.push("paper.read");
EXPECTED["records-clerk"].actions.push("paper.manage");
for (const role of ["partner", "lawyer"] as const) EXPECTED[role].actions.push("paper.borrow");
for (const role of ["records-clerk", "compliance"] as const) EXPECTED[role].actions.push("paper.approve", "paper.destroy", "paper.control");
for (const role of ["compliance", "auditor", "records-clerk"] as const) EXPECTED[role].actions.push("paper.oversee");
// Devices and channels (CHN-1), the privacy team and policies (GOV-1/2), issue #14.
for (const role of ["compliance", "admin", "auditor"] as const) EXPECTED[role].actions.push("device.read");
for (const role of ["compliance", "admin"] as const) EXPECTED[role].actions.push("device.manage");
EXPECTED.compliance.actions.push("privacy_team.manage", "policy.manage");
for (const role of ["compliance", "auditor"] as const) EXPECTED[role].actions.push("policy.oversee");

describe("policy matrix: role × action", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = EXPECTED[role].actions.includes(action);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(authorize(actor(role), action)).toEqual(
          allowed ? { effect: "allow", reason: "permitted" } : { effect: "deny", reason: "role_lacks_permission" },
        );
      });
    }
  }
});

describe("policy matrix: role × sensitivity level (reads)", () => {
  const levels: Level[] = [1, 2, 3, 4];
  for (const role of ROLES.filter((r) => EXPECTED[r].actions.includes("client.read"))) {
    for (const level of levels) {
      const masked = level > EXPECTED[role].clearance;
      it(`${role} reading an L${level} field gets it ${masked ? "masked" : "in clear"}`, () => {
        const d = authorizeRecordRead(actor(role), "client.read", "billing", { purposes: ["billing"], erased: false, fieldLevels: { f: level } }, ON_MATTER);
        expect(d.effect).toBe(masked ? "mask" : "allow");
        if (d.effect === "mask") expect(d.maskedFields).toEqual(["f"]);
      });
    }
  }

  it("masks exactly the client fields above a paralegal's clearance", () => {
    const d = authorizeRecordRead(actor("paralegal"), "client.read", "billing", { purposes: ["billing"], erased: false, fieldLevels: FIELD_LEVELS }, ON_MATTER);
    expect(d.effect === "mask" && [...d.maskedFields].sort()).toEqual(["address", "birthDate", "email", "idNumber", "notes", "phone"]);
  });

  it("keeps the admin at L2 for client data: administration is not a back door", () => {
    const d = authorizeRecordRead(actor("admin"), "client.read", "billing", { purposes: ["billing"], erased: false, fieldLevels: FIELD_LEVELS }, ON_MATTER);
    expect(d.effect === "mask" && d.maskedFields).toContain("idNumber");
  });
});

describe("purpose and record state", () => {
  const registry = new Set(["case-handling", "billing"]);
  it("requires a registered purpose", () => {
    expect(checkPurpose(null, registry)).toEqual({ effect: "deny", reason: "purpose_required" });
    expect(checkPurpose("fishing", registry)).toEqual({ effect: "deny", reason: "purpose_unknown" });
    expect(checkPurpose("billing", registry).effect).toBe("allow");
  });
  it("denies a purpose the record does not permit, whatever the role", () => {
    for (const role of ["partner", "lawyer"] as const) {
      expect(authorizeRecordRead(actor(role), "client.read", "marketing", { purposes: ["case-handling"], erased: false, fieldLevels: {} }, ON_MATTER)).toEqual({
        effect: "deny",
        reason: "purpose_not_permitted",
      });
    }
  });
  it("denies reads and writes of erased records", () => {
    expect(authorizeRecordRead(actor("partner"), "client.read", "billing", { purposes: ["billing"], erased: true, fieldLevels: {} }, ON_MATTER).reason).toBe(
      "record_erased",
    );
    expect(authorizeRecordWrite(actor("partner"), "client.erase", { erased: true }, ON_MATTER).reason).toBe("record_erased");
    expect(authorizeRecordWrite(actor("lawyer"), "client.erase", { erased: false }, ON_MATTER).reason).toBe("role_lacks_permission");
  });
});

describe("need-to-know and walls: role × on-matter × walled × clearance", () => {
  const record = { purposes: ["case-handling"], erased: false, fieldLevels: FIELD_LEVELS };
  const readers = ROLES.filter((r) => EXPECTED[r].actions.includes("client.read"));
  const FIRM_WIDE: Role[] = ["partner", "compliance", "admin", "records-clerk"];
  for (const role of readers) {
    for (const onMatter of [true, false]) {
      for (const walled of [false, true]) {
        const relation: ClientRelation = { onOpenMatter: onMatter, clientHasMatter: true, createdClient: false, screenedBy: walled ? ["w1"] : [] };
        const expected = walled
          ? "screened_by_wall"
          : !onMatter && !FIRM_WIDE.includes(role)
            ? "not_on_matter"
            : EXPECTED[role].clearance >= 4
              ? "permitted"
              : "clearance_below_level";
        it(`${role}, ${onMatter ? "on" : "off"} the matter, ${walled ? "walled" : "not walled"} → ${expected}`, () => {
          const d = authorizeRecordRead(actor(role), "client.read", "case-handling", record, relation);
          expect(d.reason).toBe(expected);
          expect(d.effect).toBe(expected === "permitted" ? "allow" : expected === "clearance_below_level" ? "mask" : "deny");
          if (d.effect === "mask") expect(d.maskedFields.every((f) => FIELD_LEVELS[f as keyof typeof FIELD_LEVELS] > EXPECTED[role].clearance)).toBe(true);
          // Search follows the same rule as reading.
          expect(authorizeRecordRead(actor(role), "client.search", "case-handling", record, relation).reason).toBe(expected);
        });
      }
    }
  }

  it("answers walls before erasure, so a screened user cannot tell an erased record from a live one", () => {
    expect(authorizeRecordRead(actor("partner"), "client.read", "case-handling", { ...record, erased: true }, { ...ON_MATTER, screenedBy: ["w"] }).reason).toBe(
      "screened_by_wall",
    );
    expect(authorizeRecordWrite(actor("partner"), "client.erase", { erased: true }, { ...ON_MATTER, screenedBy: ["w"] }).reason).toBe("screened_by_wall");
    expect(authorizeRecordWrite(actor("compliance"), "client.erase", { erased: false }, { ...NO_RELATION, screenedBy: ["w"] }).reason).toBe("screened_by_wall");
  });

  it("lets the creator reach a client until its first matter, and not after", () => {
    const created: ClientRelation = { ...NO_RELATION, createdClient: true };
    expect(isCreatorOfUnmatteredClient(created)).toBe(true);
    expect(authorizeRecordRead(actor("lawyer"), "client.read", "case-handling", record, created).effect).toBe("mask");
    expect(authorizeRecordRead(actor("lawyer"), "client.read", "case-handling", record, { ...created, clientHasMatter: true }).reason).toBe("not_on_matter");
    expect(authorizeRecordRead(actor("paralegal"), "client.read", "case-handling", record, NO_RELATION).reason).toBe("not_on_matter");
  });

  it("checks the purpose only after need-to-know", () => {
    expect(authorizeRecordRead(actor("lawyer"), "client.read", "marketing", record, NO_RELATION).reason).toBe("not_on_matter");
    expect(authorizeRecordRead(actor("lawyer"), "client.read", "marketing", record, ON_MATTER).reason).toBe("purpose_not_permitted");
  });

  it("exposes the predicates", () => {
    expect(isOnMatter(ON_MATTER)).toBe(true);
    expect(isOnMatter(NO_RELATION)).toBe(false);
    expect(isScreenedBy({ screenedBy: ["w"] })).toBe(true);
    expect(isScreenedBy(NO_RELATION)).toBe(false);
  });

  it("opens matters only on clients one already reaches", () => {
    expect(authorizeMatterCreate(actor("lawyer"), { erased: false }, NO_RELATION).reason).toBe("not_on_matter");
    expect(authorizeMatterCreate(actor("lawyer"), { erased: false }, { ...NO_RELATION, createdClient: true }).effect).toBe("allow");
    expect(authorizeMatterCreate(actor("partner"), { erased: false }, NO_RELATION).effect).toBe("allow");
    expect(authorizeMatterCreate(actor("partner"), { erased: false }, { ...NO_RELATION, screenedBy: ["w"] }).reason).toBe("screened_by_wall");
    expect(authorizeMatterCreate(actor("paralegal"), { erased: false }, ON_MATTER).reason).toBe("role_lacks_permission");
  });

  it("shows matters to their team and firm-wide roles, manages them as a partner, never across a wall", () => {
    const member = { isMember: true, screenedBy: [] };
    const outsider = { isMember: false, screenedBy: [] };
    expect(authorizeMatter(actor("lawyer"), "matter.read", member).effect).toBe("allow");
    expect(authorizeMatter(actor("lawyer"), "matter.read", outsider).reason).toBe("not_on_matter");
    expect(authorizeMatter(actor("compliance"), "matter.read", outsider).effect).toBe("allow");
    expect(authorizeMatter(actor("lawyer"), "matter.manage", member).reason).toBe("role_lacks_permission");
    expect(authorizeMatter(actor("partner"), "matter.manage", outsider).effect).toBe("allow");
    expect(authorizeMatter(actor("partner"), "matter.read", { isMember: true, screenedBy: ["w"] }).reason).toBe("screened_by_wall");
  });

  it("runs conflict checks only under the conflict-check purpose", () => {
    expect(authorizeConflictCheck(actor("records-clerk"), "conflict-check").effect).toBe("allow");
    expect(authorizeConflictCheck(actor("lawyer"), "case-handling").reason).toBe("purpose_not_permitted");
    expect(authorizeConflictCheck(actor("paralegal"), "conflict-check").reason).toBe("role_lacks_permission");
  });
});
