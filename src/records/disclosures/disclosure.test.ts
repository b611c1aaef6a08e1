import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILES } from "../../vault/deidentification/index.js";
import { isGdprClient, recipientConsentNeeded, sentFields, sentLevel, sharingRequestOf } from "./disclosure.js";

const profile = (code: string) => DEFAULT_PROFILES.find((p) => p.code === code)!;

describe("what a profile sends, as the sharing rule sees it", () => {
  it("rates each form: full at the registry level, masked one less, generalised L2, pseudonym L1", () => {
    expect(sentLevel("idNumber", { rule: "keep" })).toBe(4);
    expect(sentLevel("idNumber", { rule: "mask" })).toBe(3);
    expect(sentLevel("birthDate", { rule: "generalise", method: "birth_year" })).toBe(2);
    expect(sentLevel("clientId", { rule: "pseudonym" })).toBe(1);
    expect(sentLevel("name", { rule: "mask" })).toBe(1);
  });

  it("masked_ids_birth_year leaves at L3 without sensitive data; court_filing sends L4", () => {
    expect(sharingRequestOf(sentFields(profile("masked_ids_birth_year")))).toEqual({
      level: 3,
      categories: ["government_id", "identity", "processing"],
      sensitive: false,
    });
    expect(sharingRequestOf(sentFields(profile("court_filing")))).toMatchObject({ level: 4, sensitive: true });
    // A pseudonym carries no category: it is the disclosure's own number.
    expect(sentFields(profile("translator_minimal")).find((f) => f.field === "clientId")?.category).toBeNull();
  });
});

describe("consent to the recipient (PIPL Art 23, 29)", () => {
  it("is needed under consent, and for sensitive data under a contract; never for legal claims or a legal duty", () => {
    expect(recipientConsentNeeded("consent", false)).toBe(true);
    expect(recipientConsentNeeded("contract", false)).toBe(false);
    expect(recipientConsentNeeded("contract", true)).toBe(true);
    expect(recipientConsentNeeded("legal_claims", true)).toBe(false);
    expect(recipientConsentNeeded("legal_duty", true)).toBe(false);
  });

  it("treats a passport holder as a GDPR client (the stricter reading)", () => {
    expect(isGdprClient({ idType: "passport" })).toBe(true);
    expect(isGdprClient({ idType: "resident_id" })).toBe(false);
    expect(isGdprClient({ idType: null })).toBe(false);
  });
});
