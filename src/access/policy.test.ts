import { describe, expect, it } from "vitest";
import { FIELD_LEVELS } from "../clients/fields.js";
import { authorize, authorizeRecordRead, authorizeRecordWrite, checkPurpose } from "./policy.js";
import { ACTIONS, ROLES, type Action, type Level, type Role } from "./roles.js";

const actor = (role: Role) => ({ userId: "u", role });

// The expected matrix, written out by hand so a change to the role table must be deliberate.
const EXPECTED: Record<Role, { clearance: Level; actions: Action[] }> = {
  admin: { clearance: 2, actions: ["client.read", "client.search", "audit.read", "audit.verify", "inventory.read", "user.manage", "token.manage", "key.manage"] },
  partner: { clearance: 4, actions: ["client.create", "client.read", "client.search", "client.update", "client.erase", "audit.read", "inventory.read"] },
  lawyer: { clearance: 3, actions: ["client.create", "client.read", "client.search", "client.update", "inventory.read"] },
  paralegal: { clearance: 2, actions: ["client.create", "client.read", "client.search", "client.update"] },
  compliance: { clearance: 3, actions: ["client.read", "client.search", "client.erase", "audit.read", "audit.verify", "inventory.read"] },
  auditor: { clearance: 1, actions: ["audit.read", "audit.verify", "inventory.read"] },
  "records-clerk": { clearance: 1, actions: ["client.read", "client.search", "inventory.read"] },
};

describe("policy matrix: role × action", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = EXPECTED[role].actions.includes(action);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(authorize(actor(role), action)).toEqual(allowed ? { effect: "allow", reason: "permitted" } : { effect: "deny", reason: "role_lacks_permission" });
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
        const d = authorizeRecordRead(actor(role), "client.read", "billing", { purposes: ["billing"], erased: false, fieldLevels: { f: level } });
        expect(d.effect).toBe(masked ? "mask" : "allow");
        if (d.effect === "mask") expect(d.maskedFields).toEqual(["f"]);
      });
    }
  }

  it("masks exactly the client fields above a paralegal's clearance", () => {
    const d = authorizeRecordRead(actor("paralegal"), "client.read", "billing", { purposes: ["billing"], erased: false, fieldLevels: FIELD_LEVELS });
    expect(d.effect === "mask" && [...d.maskedFields].sort()).toEqual(["address", "birthDate", "email", "idNumber", "notes", "phone"]);
  });

  it("keeps the admin at L2 for client data: administration is not a back door", () => {
    const d = authorizeRecordRead(actor("admin"), "client.read", "billing", { purposes: ["billing"], erased: false, fieldLevels: FIELD_LEVELS });
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
      expect(authorizeRecordRead(actor(role), "client.read", "marketing", { purposes: ["case-handling"], erased: false, fieldLevels: {} })).toEqual({ effect: "deny", reason: "purpose_not_permitted" });
    }
  });
  it("denies reads and writes of erased records", () => {
    expect(authorizeRecordRead(actor("partner"), "client.read", "billing", { purposes: ["billing"], erased: true, fieldLevels: {} }).reason).toBe("record_erased");
    expect(authorizeRecordWrite(actor("partner"), "client.erase", { erased: true }).reason).toBe("record_erased");
    expect(authorizeRecordWrite(actor("lawyer"), "client.erase", { erased: false }).reason).toBe("role_lacks_permission");
  });
});
