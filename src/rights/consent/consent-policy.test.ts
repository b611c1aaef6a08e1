import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authorizeRecordRead } from "../../access/policy/policy.js";
import { ROLES, type Level } from "../../access/policy/roles.js";
import { FIELD_LEVELS } from "../../records/clients/fields.js";
import type { ConsentState, ConsentTerms } from "./consent-predicates.js";
import { consentMissing, separateConsentNeeded } from "./consent-predicates.js";
import { LEGAL_BASES, LEGAL_BASIS_LABELS } from "./legal-basis.js";

// A firm-wide relation: walls and need-to-know are not what these tests are about.
const reach = { onOpenMatter: false, clientHasMatter: false, createdClient: false, screenedBy: [] as string[] };
const partner = { userId: "u", role: "partner" as const };
const terms = (legalBasis: ConsentTerms["legalBasis"], consent: ConsentState, separateForSensitive = legalBasis === "consent"): ConsentTerms => ({
  legalBasis,
  consent,
  separateForSensitive,
});
const read = (t: ConsentTerms | undefined, role: (typeof ROLES)[number] = "partner", levels: Record<string, Level> = FIELD_LEVELS) =>
  authorizeRecordRead({ userId: "u", role }, "client.read", "p", { purposes: ["p"], erased: false, fieldLevels: levels, ...(t ? { consent: t } : {}) }, reach);

describe("consent in the read policy", () => {
  it("refuses a consent-based purpose without a current consent", () => {
    expect(read(terms("consent", "none"))).toEqual({ effect: "deny", reason: "consent_required" });
  });

  it("masks L4 fields for want of a separate consent, and only those", () => {
    expect(read(terms("consent", "granted"))).toEqual({ effect: "mask", reason: "separate_consent_required", maskedFields: ["idNumber"] });
    expect(read(terms("consent", "separate"))).toEqual({ effect: "allow", reason: "permitted" });
  });

  it("leaves other legal bases alone unless the firm asks for separate consent", () => {
    for (const basis of LEGAL_BASES.filter((b) => b !== "consent")) {
      expect(read(terms(basis, "none", false)), basis).toEqual({ effect: "allow", reason: "permitted" });
      expect(read(terms(basis, "none", true)), basis).toMatchObject({ effect: "mask", reason: "separate_consent_required" });
    }
  });

  it("keeps clearance masking for fields above the reader's clearance", () => {
    // Compliance (L3) never sees L4 anyway: the separate-consent rule adds nothing for them.
    expect(read(terms("consent", "granted"), "compliance")).toEqual({ effect: "mask", reason: "clearance_below_level", maskedFields: ["idNumber"] });
  });

  it("has a label in both languages for every basis", () => {
    for (const basis of LEGAL_BASES) expect(LEGAL_BASIS_LABELS[basis].zh && LEGAL_BASIS_LABELS[basis].en).toBeTruthy();
  });

  const arbTerms = fc.record({
    legalBasis: fc.constantFrom(...LEGAL_BASES),
    separateForSensitive: fc.boolean(),
    consent: fc.constantFrom<ConsentState>("none", "granted", "separate"),
  });
  const arbLevels = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.constantFrom<Level>(1, 2, 3, 4));

  it("never shows a sensitive field in clear when a separate consent is needed and missing (property)", () => {
    fc.assert(
      fc.property(arbTerms, arbLevels, fc.constantFrom(...ROLES.filter((r) => r !== "auditor")), (t, levels, role) => {
        const d = read(t, role, levels);
        // Walls, need-to-know and the role come first; they are not under test here.
        if (d.effect === "deny" && (d.reason === "role_lacks_permission" || d.reason === "not_on_matter")) return true;
        if (consentMissing(t)) return d.effect === "deny" && d.reason === "consent_required";
        if (d.effect === "deny") return false;
        const masked = d.effect === "mask" ? d.maskedFields : [];
        return Object.entries(levels).every(([field, level]) => !(level >= 4 && separateConsentNeeded(t)) || masked.includes(field));
      }),
    );
  });

  it("changes nothing for a non-consent basis without the flag (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEGAL_BASES.filter((b) => b !== "consent")),
        fc.constantFrom<ConsentState>("none", "granted", "separate"),
        arbLevels,
        (basis, consent, levels) => {
          expect(read({ legalBasis: basis, separateForSensitive: false, consent }, "partner", levels)).toEqual(read(undefined, "partner", levels));
        },
      ),
    );
  });

  it("partner sanity: reaches the record at all", () => {
    expect(authorizeRecordRead(partner, "client.read", "p", { purposes: ["p"], erased: false, fieldLevels: {} }, reach).effect).toBe("allow");
  });
});
