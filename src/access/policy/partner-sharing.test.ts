import { describe, expect, it } from "vitest";
import { PARTNER_SHARING_REASONS, partnerSharingDecision, type PartnerSharingFacts, type PartnerSharingRequest } from "./partner-sharing.js";

const AT = new Date("2026-06-01T08:00:00Z");

/** A mainland vendor cleared for everything: each test breaks one fact. */
const READY: PartnerSharingFacts = {
  status: "active",
  piplRole: "independent_handler",
  jurisdiction: "CN",
  withinGdprArea: false,
  maxLevel: 3,
  categories: ["identity", "contact", "case_file"],
  assessment: { riskLevel: "low", reassessmentDueOn: "2027-01-01" },
  contracts: [{ kind: "nda", signedOn: "2026-01-01", expiresOn: "2027-01-01", terminatedOn: null }],
  transferBases: [],
  pias: [],
};
const REQUEST: PartnerSharingRequest = { level: 3, categories: ["identity", "contact"], gdprClient: false };
const ABROAD: PartnerSharingFacts = {
  ...READY,
  jurisdiction: "SG",
  transferBases: [{ destination: "SG", regime: "pipl", validFrom: "2026-01-01", validUntil: null, verified: true }],
  pias: [{ conductedOn: "2025-12-01", conclusion: "acceptable" }],
};

const decide = (facts: Partial<PartnerSharingFacts>, request: Partial<PartnerSharingRequest> = {}) =>
  partnerSharingDecision({ ...READY, ...facts }, { ...REQUEST, ...request }, AT);
const reason = (facts: Partial<PartnerSharingFacts>, request: Partial<PartnerSharingRequest> = {}) => {
  const d = decide(facts, request);
  return d.effect === "deny" ? d.reason : "allow";
};

describe("partner sharing rule", () => {
  it("allows a ready mainland partner with no warnings", () => {
    expect(decide({})).toEqual({ effect: "allow", warnings: [] });
  });

  it("refuses for each missing condition, with its reason code", () => {
    const seen = new Set<string>();
    const check = (expected: string, facts: Partial<PartnerSharingFacts>, request: Partial<PartnerSharingRequest> = {}) => {
      expect(reason(facts, request)).toBe(expected);
      seen.add(expected);
    };
    for (const status of ["prospective", "suspended", "ended"]) check("partner_not_active", { status });
    check("partner_not_assessed", { assessment: null });
    check("partner_assessment_overdue", { assessment: { riskLevel: "low", reassessmentDueOn: "2026-05-31" } });
    check("partner_high_risk", { assessment: { riskLevel: "high", reassessmentDueOn: "2026-09-01" } });
    check("partner_no_nda", { contracts: [] });
    check("partner_no_nda", { contracts: [{ kind: "nda", signedOn: "2026-07-01", expiresOn: null, terminatedOn: null }] });
    check("partner_no_nda", { contracts: [{ kind: "nda", signedOn: "2026-01-01", expiresOn: null, terminatedOn: "2026-05-01" }] });
    check("partner_contract_expired", { contracts: [{ kind: "nda", signedOn: "2025-01-01", expiresOn: "2026-05-31", terminatedOn: null }] });
    check("partner_level_exceeded", {}, { level: 4 });
    check("partner_category_not_allowed", {}, { categories: ["government_id"] });
    check("transfer_basis_missing", { ...ABROAD, transferBases: [] });
    check("pia_missing", { ...ABROAD, pias: [] });
    expect([...seen].sort()).toEqual([...PARTNER_SHARING_REASONS].sort());
  });

  it("an entrusted processor needs a DPA or entrusted-processing agreement, not only an NDA (PIPL Art 21)", () => {
    expect(reason({ piplRole: "entrusted_processor" })).toBe("partner_no_nda");
    const dpa = { kind: "entrusted_processing", signedOn: "2026-01-01", expiresOn: null, terminatedOn: null };
    expect(reason({ piplRole: "entrusted_processor", contracts: [dpa] })).toBe("allow");
  });

  it("a standard contract alone is no NDA", () => {
    expect(reason({ contracts: [{ kind: "standard_contract", signedOn: "2026-01-01", expiresOn: null, terminatedOn: null }] })).toBe("partner_no_nda");
  });

  it("the contract expiring today still counts; medium risk is allowed", () => {
    expect(reason({ contracts: [{ kind: "dpa", signedOn: "2026-01-01", expiresOn: "2026-06-01", terminatedOn: null }] })).toBe("allow");
    expect(reason({ assessment: { riskLevel: "medium", reassessmentDueOn: "2026-06-01" } })).toBe("allow");
  });

  it("cross-border: a basis for the partner's country, current, and a PIA from the last three years", () => {
    expect(decide(ABROAD)).toEqual({ effect: "allow", warnings: [] });
    const basis = ABROAD.transferBases[0]!;
    expect(reason({ ...ABROAD, transferBases: [{ ...basis, destination: "US" }] })).toBe("transfer_basis_missing");
    expect(reason({ ...ABROAD, transferBases: [{ ...basis, validUntil: "2026-05-31" }] })).toBe("transfer_basis_missing");
    expect(reason({ ...ABROAD, transferBases: [{ ...basis, regime: "gdpr" }] })).toBe("transfer_basis_missing");
    expect(reason({ ...ABROAD, pias: [{ conductedOn: "2023-05-31", conclusion: "acceptable" }] })).toBe("pia_missing");
    expect(reason({ ...ABROAD, pias: [{ conductedOn: "2023-06-01", conclusion: "acceptable" }] })).toBe("allow");
    expect(reason({ ...ABROAD, pias: [{ conductedOn: "2026-01-01", conclusion: "not_acceptable" }] })).toBe("pia_missing");
  });

  it("an unverified basis suffices but is flagged", () => {
    expect(decide({ ...ABROAD, transferBases: [{ ...ABROAD.transferBases[0]!, verified: false }] })).toEqual({
      effect: "allow",
      warnings: ["transfer_basis_unverified"],
    });
  });

  it("an EU client's data needs a GDPR basis outside the EU/EEA and adequacy list, even to a mainland partner", () => {
    expect(reason({}, { gdprClient: true })).toBe("transfer_basis_missing");
    const sccs = { destination: "CN", regime: "gdpr" as const, validFrom: "2026-01-01", validUntil: null, verified: true };
    const pia = [{ conductedOn: "2026-01-01", conclusion: "acceptable_with_measures" }];
    expect(reason({ transferBases: [sccs], pias: pia }, { gdprClient: true })).toBe("allow");
    // A German partner of an EU client: only the PIPL side needs a basis.
    const de = { ...ABROAD, jurisdiction: "DE", withinGdprArea: true, transferBases: [{ ...ABROAD.transferBases[0]!, destination: "DE" }] };
    expect(reason(de, { gdprClient: true })).toBe("allow");
  });
});
