import type { SearchableField } from "./fields.js";

/**
 * Blind-index normalisation: the same person must index the same however the value was typed.
 * Phones keep digits only (a mainland +86 prefix dropped), resident IDs upper-case X,
 * emails lower-case, names NFKC with folded whitespace.
 */
export function normaliseForIndex(field: SearchableField, value: string): string {
  switch (field) {
    case "phone": {
      const digits = value.replace(/\D+/g, "");
      if (digits.length === 13 && digits.startsWith("861")) return digits.slice(2);
      if (digits.length === 15 && digits.startsWith("00861")) return digits.slice(4);
      return digits;
    }
    case "idNumber":
      return value.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
    case "email":
      return value.normalize("NFKC").trim().toLowerCase();
    case "name":
      return value.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
  }
}
