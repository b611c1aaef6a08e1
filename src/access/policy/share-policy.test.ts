import { describe, expect, it } from "vitest";
import {
  authorizeDocumentShare,
  authorizeShareConfirmation,
  authorizeShareRegister,
  authorizeShareRevoke,
  type ShareConfirmationFacts,
  shareNeedsSecondPerson,
} from "./policy.js";
import { NO_RELATION, type ClientRelation } from "./predicates.js";
import type { Level, Role } from "./roles.js";

const actor = (role: Role, userId = "me") => ({ userId, role });
const record = { purposes: ["case-handling"], erased: false, fieldLevels: {} };
const forward = { id: "g-forward", kind: "forward_document" as const };
const onMatter: ClientRelation = { ...NO_RELATION, onOpenMatter: true, clientHasMatter: true, accessConditionsMet: true };
const share = (role: Role, relation: ClientRelation, level: Level = 3) => authorizeDocumentShare(actor(role), "case-handling", record, relation, { level });

describe("sharing a document outside the firm", () => {
  it("needs document.share, the reach of a download, and a forward_document grant at every level", () => {
    expect(share("lawyer", onMatter, 1)).toEqual({ effect: "deny", reason: "approval_required" });
    expect(share("lawyer", { ...onMatter, grants: [forward] })).toEqual({ effect: "allow", reason: "permitted", via: { kind: "grant", id: "g-forward" } });
    expect(share("paralegal", { ...onMatter, grants: [forward] }, 1).reason).toBe("role_lacks_permission");
    expect(share("compliance", { ...onMatter, grants: [forward] }).reason).toBe("role_lacks_permission");
    // A copy_document grant is no forwarding grant.
    expect(share("lawyer", { ...onMatter, grants: [{ id: "g-copy", kind: "copy_document" }] }).reason).toBe("approval_required");
  });

  it("refuses across a wall, off the matter, above clearance, without the access conditions, and under break-glass alone", () => {
    expect(share("lawyer", { ...onMatter, grants: [forward], screenedBy: ["w1"] }).reason).toBe("screened_by_wall");
    expect(share("lawyer", { ...NO_RELATION, accessConditionsMet: true, grants: [forward] }).reason).toBe("not_on_matter");
    expect(share("lawyer", { ...onMatter, grants: [forward] }, 4).reason).toBe("document_above_clearance");
    expect(share("partner", { ...onMatter, grants: [forward], accessConditionsMet: false }).reason).toBe("access_conditions_unmet");
    expect(share("lawyer", { ...NO_RELATION, accessConditionsMet: true, breakGlass: "bg", grants: [forward] }).reason).toBe("not_on_matter");
    expect(share("partner", { ...onMatter, grants: [forward] }, 4).effect).toBe("allow");
  });

  it("asks for a second person from L4 only", () => {
    expect(([1, 2, 3, 4] as Level[]).map(shareNeedsSecondPerson)).toEqual([false, false, false, true]);
  });
});

describe("the second person on an L4 share", () => {
  const facts: ShareConfirmationFacts = { sharedBy: "sharer", grantApproverIds: ["approver"], grantCurrent: true, screenedBy: [], erased: false };
  const confirm = (role: Role, userId: string, extra: Partial<ShareConfirmationFacts> = {}) =>
    authorizeShareConfirmation(actor(role, userId), { ...facts, ...extra });

  it("is a compliance officer or a partner who is neither the sharer nor an approver of the grant", () => {
    expect(confirm("compliance", "c2").effect).toBe("allow");
    expect(confirm("partner", "p2").effect).toBe("allow");
    expect(confirm("partner", "sharer").reason).toBe("self_approval_forbidden");
    expect(confirm("compliance", "approver").reason).toBe("same_approver_twice");
    expect(confirm("lawyer", "l2").reason).toBe("not_an_approver");
    expect(confirm("admin", "a1").reason).toBe("not_an_approver");
  });

  it("never across a wall, on an erased client, or on a grant that lapsed", () => {
    expect(confirm("partner", "p2", { screenedBy: ["w1"] }).reason).toBe("screened_by_wall");
    expect(confirm("partner", "p2", { erased: true }).reason).toBe("record_erased");
    expect(confirm("partner", "p2", { grantCurrent: false }).reason).toBe("approval_required");
  });
});

describe("revoking shares and reading the register", () => {
  it("lets the sharer, partners and compliance revoke, nobody across a wall", () => {
    const mine = { sharedBy: "me" };
    expect(authorizeShareRevoke(actor("lawyer"), mine, NO_RELATION).effect).toBe("allow");
    expect(authorizeShareRevoke(actor("lawyer"), { sharedBy: "other" }, NO_RELATION).reason).toBe("not_share_owner");
    expect(authorizeShareRevoke(actor("partner"), { sharedBy: "other" }, NO_RELATION).effect).toBe("allow");
    expect(authorizeShareRevoke(actor("compliance"), { sharedBy: "other" }, NO_RELATION).effect).toBe("allow");
    expect(authorizeShareRevoke(actor("paralegal"), mine, NO_RELATION).reason).toBe("role_lacks_permission");
    expect(authorizeShareRevoke(actor("partner"), mine, { screenedBy: ["w1"] }).reason).toBe("screened_by_wall");
  });

  it("opens the register to compliance and partners only", () => {
    expect((["partner", "compliance", "lawyer", "paralegal", "admin", "auditor"] as Role[]).map((r) => authorizeShareRegister(actor(r)).effect)).toEqual([
      "allow",
      "allow",
      "deny",
      "deny",
      "deny",
      "deny",
    ]);
  });
});
