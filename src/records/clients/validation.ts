/**
 * Domain validation of client data (CLS-3, CLS-4): identifiers by their published algorithms,
 * cross-field consistency, registered purposes. Pure; returns per-field issues, never throws.
 */
import type { FieldIssue } from "../../platform/errors.js";
import type { ClientData, IdType } from "./client.js";
import { freeTextIssues } from "./free-text-identifiers.js";
import {
  validateBirthDate,
  validateEmail,
  validatePassport,
  validatePhone,
  validateResidentId,
  validateUscc,
  type IdentifierCheck,
  type IdentifierIssue,
} from "./identifiers.js";

const ID_VALIDATORS: Record<IdType, (raw: string) => IdentifierCheck> = {
  resident_id: validateResidentId,
  passport: validatePassport,
  uscc: validateUscc,
};

const ISSUE_MESSAGES: Record<IdentifierIssue, string> = {
  format: "The value does not have the expected format.",
  check_digit: "The check character is wrong; the number was probably mistyped.",
  birth_date: "The date is not a real past date.",
  region: "The region code is not valid.",
};

/** Fields of a create or a patch, as they arrive (already structurally checked). */
export type ClientDraft = Partial<{ [K in keyof ClientData]: ClientData[K] | null }>;

export type Validated = { ok: true; value: ClientDraft } | { ok: false; issues: FieldIssue[] };

/**
 * Validates the fields present in `draft`. `current` is the stored record for a patch, so
 * cross-field rules (idType with idNumber, birth date against the resident ID) see the result.
 */
export function validateClientDraft(draft: ClientDraft, registeredPurposes: ReadonlySet<string>, current?: ClientData): Validated {
  const issues: FieldIssue[] = [];
  const out: ClientDraft = { ...draft };
  const issue = (field: string, code: string, message: string) => issues.push({ field, code, message });
  const check = (field: keyof ClientData, result: IdentifierCheck) => {
    if (result.ok) (out as Record<string, unknown>)[field] = result.value;
    else issue(field, result.issue, ISSUE_MESSAGES[result.issue]);
  };

  if ("name" in draft) {
    const name = draft.name?.normalize("NFC").replace(/\s+/g, " ").trim() ?? "";
    if (!name) issue("name", "required", "A name is required.");
    else out.name = name;
  }
  const idType = "idType" in draft ? (draft.idType ?? null) : (current?.idType ?? null);
  const idNumber = "idNumber" in draft ? (draft.idNumber ?? null) : (current?.idNumber ?? null);
  if (idNumber && !idType) issue("idType", "required", "Give the identifier type with the identifier number.");
  if (idType && !idNumber) issue("idNumber", "required", "Give the identifier number with the identifier type.");
  if (idType && idNumber && ("idNumber" in draft || "idType" in draft)) check("idNumber", ID_VALIDATORS[idType](idNumber));
  if (draft.phone) check("phone", validatePhone(draft.phone));
  if (draft.email) check("email", validateEmail(draft.email));
  if (draft.birthDate) check("birthDate", validateBirthDate(draft.birthDate));
  if (draft.address !== undefined && draft.address !== null) out.address = draft.address.trim() || null;
  if (draft.notes !== undefined && draft.notes !== null) out.notes = draft.notes.trim() || null;
  // Notes are L3 and a name L2 whatever they say: an identifier typed there would escape the
  // masking its own field gets (CLS-1), so it is refused; the issue names its kind, never its value.
  if ("name" in draft) issues.push(...freeTextIssues("name", draft.name));
  if ("notes" in draft) issues.push(...freeTextIssues("notes", draft.notes));

  const kind = draft.kind ?? current?.kind;
  if (kind === "organization" && idType && idType !== "uscc")
    issue("idType", "kind_mismatch", "An organisation is identified by its unified social credit code.");
  if (kind === "person" && idType === "uscc") issue("idType", "kind_mismatch", "A natural person cannot have a unified social credit code.");

  // Data quality (CLS-4): the birth date inside a resident ID must agree with the stated one.
  const finalId = (out.idNumber ?? idNumber) || null;
  const finalBirth = ("birthDate" in out ? out.birthDate : current?.birthDate) ?? null;
  if (idType === "resident_id" && finalId && finalBirth && !issues.some((i) => i.field === "idNumber" || i.field === "birthDate")) {
    const fromId = `${finalId.slice(6, 10)}-${finalId.slice(10, 12)}-${finalId.slice(12, 14)}`;
    if (fromId !== finalBirth) issue("birthDate", "mismatch", "The date of birth does not match the resident ID number.");
  }

  if (draft.purposes) {
    const unknown = draft.purposes.filter((p) => !registeredPurposes.has(p));
    if (unknown.length) issue("purposes", "unknown_purpose", "Every purpose must be a registered purpose code.");
    if (draft.purposes.length === 0) issue("purposes", "required", "At least one purpose is required.");
    out.purposes = [...new Set(draft.purposes)];
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: out };
}
