import { describe, expect, it } from "vitest";
import { FIELD_LEVELS } from "../../records/clients/fields.js";
import {
  authorizeApprovalDecision,
  authorizeBreakGlassOpen,
  authorizeBreakGlassReview,
  authorizeExport,
  authorizeRecordRead,
  type ApprovalFacts,
} from "./policy.js";
import { accessConditionsUnmet, grantLiftsClearance, hasGrant, isCurrentGrant, isUnderBreakGlass, NO_RELATION, type ClientRelation } from "./predicates.js";
import type { Role } from "./roles.js";

const actor = (role: Role, userId = "me") => ({ userId, role });
const record = { purposes: ["case-handling"], erased: false, fieldLevels: FIELD_LEVELS };
const read = (role: Role, relation: ClientRelation) => authorizeRecordRead(actor(role), "client.read", "case-handling", record, relation);
const grant = (kind: "read_sensitive" | "export") => ({ id: `g-${kind}`, kind });

describe("grant predicates", () => {
  it("a grant is current from its start until its expiry, unless revoked", () => {
    const g = { starts_at: "2026-01-01T00:00:00.000Z", expires_at: "2026-01-01T01:00:00.000Z", revoked_at: null };
    expect(isCurrentGrant(g, new Date("2025-12-31T23:59:59.999Z"))).toBe(false);
    expect(isCurrentGrant(g, new Date("2026-01-01T00:30:00.000Z"))).toBe(true);
    expect(isCurrentGrant(g, new Date("2026-01-01T01:00:00.000Z"))).toBe(false);
    expect(isCurrentGrant({ ...g, revoked_at: "2026-01-01T00:10:00.000Z" }, new Date("2026-01-01T00:30:00.000Z"))).toBe(false);
  });
  it("hasGrant looks for the kind; break-glass and access conditions read the relation", () => {
    const r = { ...NO_RELATION, grants: [grant("export")] };
    expect(hasGrant(r, "export")).toBe(true);
    expect(hasGrant(r, "read_sensitive")).toBe(false);
    expect(isUnderBreakGlass({ ...NO_RELATION, breakGlass: "bg" })).toBe(true);
    expect(isUnderBreakGlass(NO_RELATION)).toBe(false);
    expect(accessConditionsUnmet({ ...NO_RELATION, accessConditionsMet: false })).toBe(true);
    expect(accessConditionsUnmet(NO_RELATION)).toBe(false);
    expect(grantLiftsClearance(actor("lawyer"))).toBe(true);
    expect(grantLiftsClearance(actor("paralegal"))).toBe(false);
  });
});

describe("reads with grants, walls, break-glass and access conditions", () => {
  it("a read_sensitive grant lifts need-to-know and shows L4 to an L3 role", () => {
    expect(read("lawyer", NO_RELATION)).toEqual({ effect: "deny", reason: "not_on_matter" });
    expect(read("lawyer", { ...NO_RELATION, grants: [grant("read_sensitive")] })).toEqual({
      effect: "allow",
      reason: "permitted",
      via: { kind: "grant", id: "g-read_sensitive" },
    });
    // An export grant does not open reading.
    expect(read("lawyer", { ...NO_RELATION, grants: [grant("export")] }).reason).toBe("not_on_matter");
  });
  it("a paralegal's clearance still caps what a grant shows", () => {
    const d = read("paralegal", { ...NO_RELATION, grants: [grant("read_sensitive")] });
    expect(d).toMatchObject({ effect: "mask", reason: "clearance_below_level", via: { kind: "grant" } });
    expect(d.effect === "mask" && d.maskedFields).toEqual(expect.arrayContaining(["idNumber", "phone"]));
  });
  it("walls win over grants; break-glass wins over walls and need-to-know, but not over clearance or purpose", () => {
    const walled = { ...NO_RELATION, screenedBy: ["w"], grants: [grant("read_sensitive")] };
    expect(read("lawyer", walled).reason).toBe("screened_by_wall");
    const glass = read("lawyer", { ...NO_RELATION, screenedBy: ["w"], breakGlass: "bg1" });
    expect(glass).toEqual({ effect: "mask", reason: "clearance_below_level", maskedFields: ["idNumber"], via: { kind: "break_glass", id: "bg1" } });
    expect(authorizeRecordRead(actor("lawyer"), "client.read", "marketing", record, { ...NO_RELATION, breakGlass: "bg1" }).reason).toBe(
      "purpose_not_permitted",
    );
    expect(read("partner", { ...NO_RELATION, screenedBy: ["w"], breakGlass: "bg1" })).toMatchObject({ effect: "allow", via: { kind: "break_glass" } });
  });
  it("without access conditions, L3+ fields are masked (not denied) with the reason", () => {
    const d = read("partner", { ...NO_RELATION, accessConditionsMet: false });
    expect(d).toMatchObject({ effect: "mask", reason: "access_conditions_unmet" });
    expect(d.effect === "mask" && [...d.maskedFields].sort()).toEqual(["address", "birthDate", "email", "idNumber", "notes", "phone"]);
    expect(read("partner", { ...NO_RELATION, accessConditionsMet: true })).toEqual({ effect: "allow", reason: "permitted" });
  });
  it("an export needs the read and a current export grant; break-glass never exports across a wall", () => {
    expect(authorizeExport(actor("partner"), "case-handling", record, NO_RELATION)).toEqual({ effect: "deny", reason: "approval_required" });
    expect(authorizeExport(actor("partner"), "case-handling", record, { ...NO_RELATION, grants: [grant("export")] })).toMatchObject({
      effect: "allow",
      via: { kind: "grant", id: "g-export" },
    });
    expect(authorizeExport(actor("lawyer"), "case-handling", record, { ...NO_RELATION, grants: [grant("export")] }).reason).toBe("not_on_matter");
    expect(
      authorizeExport(actor("partner"), "case-handling", record, { ...NO_RELATION, screenedBy: ["w"], breakGlass: "bg", grants: [grant("export")] }).reason,
    ).toBe("screened_by_wall");
  });
});

describe("four-eyes approval decisions", () => {
  const facts = (over: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
    kind: "disclose",
    requesterId: "req",
    requesterSupervisorId: "sup",
    filled: [],
    screenedBy: [],
    ...over,
  });
  it("never lets the requester decide, nor the same person fill two slots", () => {
    expect(authorizeApprovalDecision(actor("compliance", "req"), facts()).reason).toBe("self_approval_forbidden");
    expect(authorizeApprovalDecision(actor("compliance", "sup"), facts({ filled: [{ slot: "supervisor", approverId: "sup" }] })).reason).toBe(
      "same_approver_twice",
    );
  });
  it("fills the supervisor slot only by the supervisor and the compliance slot only by compliance", () => {
    expect(authorizeApprovalDecision(actor("partner", "sup"), facts())).toMatchObject({ effect: "allow", slot: "supervisor" });
    expect(authorizeApprovalDecision(actor("compliance", "c1"), facts())).toMatchObject({ effect: "allow", slot: "compliance" });
    expect(authorizeApprovalDecision(actor("partner", "other"), facts()).reason).toBe("not_an_approver");
    expect(authorizeApprovalDecision(actor("compliance", "c2"), facts({ filled: [{ slot: "compliance", approverId: "c1" }] })).reason).toBe("not_an_approver");
    expect(authorizeApprovalDecision(actor("partner", "sup"), facts({ requesterSupervisorId: null })).reason).toBe("not_an_approver");
  });
  it("a single-approver request takes the supervisor or compliance; walls refuse the approver", () => {
    expect(authorizeApprovalDecision(actor("lawyer", "sup"), facts({ kind: "export" }))).toMatchObject({ slot: "approver" });
    expect(authorizeApprovalDecision(actor("compliance", "c1"), facts({ kind: "read_sensitive" }))).toMatchObject({ slot: "approver" });
    expect(authorizeApprovalDecision(actor("partner", "p"), facts({ kind: "export" })).reason).toBe("not_an_approver");
    expect(authorizeApprovalDecision(actor("compliance", "c1"), facts({ screenedBy: ["w"] })).reason).toBe("screened_by_wall");
  });
  it("break-glass: client workers open it; compliance reviews, never their own", () => {
    expect(authorizeBreakGlassOpen(actor("lawyer"), false).effect).toBe("allow");
    expect(authorizeBreakGlassOpen(actor("auditor"), false).reason).toBe("role_lacks_permission");
    expect(authorizeBreakGlassOpen(actor("partner"), true).reason).toBe("record_erased");
    expect(authorizeBreakGlassReview(actor("compliance", "c"), "u").effect).toBe("allow");
    expect(authorizeBreakGlassReview(actor("compliance", "c"), "c").reason).toBe("self_review_forbidden");
    expect(authorizeBreakGlassReview(actor("partner", "p"), "u").reason).toBe("role_lacks_permission");
  });
});
