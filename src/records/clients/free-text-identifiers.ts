/**
 * Identifiers typed into free text (CLS-1). A client's notes are L3 whatever they say, so a resident
 * ID written there reaches every L3 reader in clear while the `idNumber` field shows it masked. Until
 * documents bring full detection, free text that holds one is refused: PRC resident IDs and unified
 * social credit codes with valid check characters, mainland mobile numbers, and bank cards passing
 * Luhn, each confirmed by the same validators the fields use (identifiers.ts).
 *
 * An identifier counts only as its own token: digits glued to more digits (or to a trailing X, the
 * resident ID's check character) are a longer number, so a 20-digit reference number never yields a
 * "card" found inside it. Pure; linear-time regexes only.
 */
import type { FieldIssue } from "../../platform/errors.js";
import { validateBankCard, validatePhone, validateResidentId, validateUscc } from "./identifiers.js";

export const FREE_TEXT_IDENTIFIER_KINDS = ["resident_id", "uscc", "mobile", "bank_card"] as const;
export type FreeTextIdentifierKind = (typeof FREE_TEXT_IDENTIFIER_KINDS)[number];

const MOBILE = /^1[3-9]\d{9}$/;
const strip = (candidate: string) => candidate.replace(/[ -]/g, "");

interface Pattern {
  readonly kind: FreeTextIdentifierKind;
  /** Global; a candidate may carry the spaces or dashes people group digits with. */
  readonly pattern: RegExp;
  readonly valid: (candidate: string) => boolean;
}

// Earlier kinds win a span: a resident ID that also passes Luhn is reported once, as a resident ID.
const PATTERNS: readonly Pattern[] = [
  // 18 characters, or grouped 6-8-4 as on a copied ID card.
  { kind: "resident_id", pattern: /(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dX](?![\dX])/gi, valid: (c) => validateResidentId(strip(c)).ok },
  // GB 32100 layout: authority and type, six-digit region code, organisation code, check character.
  // The region digits keep arbitrary 18-letter words from being tried at all.
  { kind: "uscc", pattern: /(?<![0-9A-Z])[0-9A-Z]{2}\d{6}[0-9A-Z]{10}(?![0-9A-Z])/gi, valid: (c) => validateUscc(c).ok },
  // 11 digits, grouped 3-4-4 or not, optionally after +86, 0086 or 86.
  {
    kind: "mobile",
    pattern: /(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![\dX])/gi,
    valid: (c) => {
      const phone = validatePhone(c);
      return phone.ok && MOBILE.test(phone.value);
    },
  },
  // 13-19 digits at once, in groups of four (the last shorter), or 4-6-5.
  {
    kind: "bank_card",
    pattern: /(?<!\d)(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}[ -]\d{1,4}|\d{4}[ -]\d{6}[ -]\d{5})(?![\dX])/gi,
    valid: (c) => validateBankCard(c).ok,
  },
];

/**
 * The kinds of identifier found in `text`, each once, in FREE_TEXT_IDENTIFIER_KINDS order. Full-width
 * digits count as digits (NFKC) and invisible format characters are ignored, as a reader would.
 */
export function identifiersIn(text: string): FreeTextIdentifierKind[] {
  const s = text.normalize("NFKC").replace(/\p{Cf}/gu, "");
  const taken: [number, number][] = [];
  const found = new Set<FreeTextIdentifierKind>();
  for (const { kind, pattern, valid } of PATTERNS) {
    const re = new RegExp(pattern.source, pattern.flags);
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!taken.some(([a, b]) => start < b && a < end) && valid(m[0])) {
        taken.push([start, end]);
        found.add(kind);
      } else {
        // A rejected candidate may overlap a real one starting later (after a separator).
        re.lastIndex = start + 1;
      }
    }
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
