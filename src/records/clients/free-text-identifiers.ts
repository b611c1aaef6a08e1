/**
 * Identifiers typed into free text (CLS-1). A client's notes are L3 whatever they say, so a resident
 * ID written there reaches every L3 reader in clear while the `idNumber` field shows it masked. Free
 * text that holds one is refused: PRC resident IDs (and residence permits) and unified social credit
 * codes with valid check characters, mainland mobile numbers, and bank cards passing Luhn.
 *
 * Detection is the documents' PII detector (documents/pii), so notes and files are read alike: a
 * number inside a longer number is not an identifier, full-width digits count as digits, invisible
 * characters are ignored. Free text is stricter than documents: any 13-19 digit number passing Luhn
 * and any code passing the GB 32100 check is refused, whatever its issuer or authority prefix.
 */
import type { FieldIssue } from "../../platform/errors.js";
import { detectPii, type PiiType } from "../documents/pii/index.js";

export const FREE_TEXT_IDENTIFIER_KINDS = ["resident_id", "uscc", "mobile", "bank_card"] as const;
export type FreeTextIdentifierKind = (typeof FREE_TEXT_IDENTIFIER_KINDS)[number];

// Only validated findings are refused (an old 15-digit ID or a UnionPay number failing Luhn is not).
const KIND_OF: Partial<Record<PiiType, FreeTextIdentifierKind>> = {
  resident_id: "resident_id",
  residence_permit: "resident_id",
  uscc: "uscc",
  mobile: "mobile",
  bank_card: "bank_card",
};

/** The kinds of identifier found in `text`, each once, in FREE_TEXT_IDENTIFIER_KINDS order. */
export function identifiersIn(text: string): FreeTextIdentifierKind[] {
  const found = new Set<FreeTextIdentifierKind>();
  for (const f of detectPii(text, { plausibility: "checksum-only" }).findings) {
    const kind = KIND_OF[f.type];
    if (kind && (f.validated || kind === "mobile")) found.add(kind);
  }
  return FREE_TEXT_IDENTIFIER_KINDS.filter((k) => found.has(k));
}

const MESSAGES: Record<FreeTextIdentifierKind, string> = {
  resident_id: "This text contains a resident ID number. Put it in the identifier field, which is protected as such.",
  uscc: "This text contains a unified social credit code. Put it in the identifier field, which is protected as such.",
  mobile: "This text contains a mobile phone number. Put it in the phone field, which is protected as such.",
  bank_card: "This text contains a bank card number. Bank card numbers do not belong in free text.",
};

/** The field code of an identifier found in free text: the kind is named, never the value. */
export const freeTextIssueCode = (kind: FreeTextIdentifierKind) => `${kind}_in_free_text` as const;

/** One validation issue per kind of identifier found in the field's text. */
export function freeTextIssues(field: string, text: string | null | undefined): FieldIssue[] {
  if (!text) return [];
  return identifiersIn(text).map((kind) => ({ field, code: freeTextIssueCode(kind), message: MESSAGES[kind] }));
}
