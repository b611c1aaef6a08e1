import { describe, expect, it } from "vitest";
import { FIELD_LEVELS, SEARCHABLE_FIELDS } from "../../records/clients/fields.js";
import { authorizeSearchCriteria } from "./policy.js";
import { ROLES, type Role } from "./roles.js";

const actor = (role: Role) => ({ userId: "u", role });
// Written out by hand (CLS-1, IAM-3): the fields each role may search by, with access conditions met.
const SEARCHES_BY: Record<Role, readonly string[]> = {
  partner: ["name", "idNumber", "phone", "email"],
  lawyer: ["name", "phone", "email"],
  compliance: ["name", "phone", "email"],
  paralegal: ["name"],
  admin: ["name"],
  "records-clerk": [],
  auditor: [],
};

describe("authorizeSearchCriteria: search is no oracle for masked fields", () => {
  it("allows searching by a field only within the searcher's clearance", () => {
    for (const role of ROLES)
      for (const field of SEARCHABLE_FIELDS) {
        const decision = authorizeSearchCriteria(actor(role), [FIELD_LEVELS[field]], true);
        const expected = role === "auditor" ? "role_lacks_permission" : SEARCHES_BY[role].includes(field) ? "permitted" : "search_field_above_clearance";
        expect([role, field, decision.reason]).toEqual([role, field, expected]);
      }
  });

  it("refuses the whole search when one field is above clearance", () => {
    expect(authorizeSearchCriteria(actor("admin"), [FIELD_LEVELS.name, FIELD_LEVELS.idNumber], true)).toEqual({
      effect: "deny",
      reason: "search_field_above_clearance",
    });
  });

  it("needs current access conditions for L3 and above, not for the name", () => {
    expect(authorizeSearchCriteria(actor("lawyer"), [FIELD_LEVELS.phone], false)).toEqual({ effect: "deny", reason: "access_conditions_unmet" });
    expect(authorizeSearchCriteria(actor("partner"), [FIELD_LEVELS.idNumber], false)).toEqual({ effect: "deny", reason: "access_conditions_unmet" });
    expect(authorizeSearchCriteria(actor("lawyer"), [FIELD_LEVELS.name], false).effect).toBe("allow");
  });
});
