/**
 * Paper-file label codes (PAP-1): `PF-` and seven Crockford base-32 characters, the last a check
 * character, e.g. `PF-7K3M9QX`. The check is Luhn mod 32 over the Crockford alphabet: it catches
 * every single mistyped character and every swap of two adjacent different characters except 0↔Z
 * (the one pair Luhn mod 32 cannot tell apart), which is what a hand-typed stocktake gets wrong. Parsing forgives what Crockford forgives (case, O for 0,
 * I and L for 1, spaces and hyphens), so a code read aloud or typed on a phone still matches.
 */
import { randomInt } from "node:crypto";

export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const LABEL_PREFIX = "PF";
/** Random characters before the check character: 32^6 ≈ 1.07 billion codes. */
export const LABEL_DATA_LENGTH = 6;

const symbolValue = (c: string): number => CROCKFORD.indexOf(c);

/** Luhn mod N (N = 32): from the right, every second value is doubled and folded back into base 32. */
export function checkCharacter(data: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    const v = symbolValue(data[i]!);
    if (v < 0) throw new Error("not a Crockford character");
    const addend = factor * v;
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return CROCKFORD[(32 - (sum % 32)) % 32]!;
}

/** A fresh random label code. */
export function newLabelCode(random: (max: number) => number = randomInt): string {
  let data = "";
  for (let i = 0; i < LABEL_DATA_LENGTH; i++) data += CROCKFORD[random(32)];
  return `${LABEL_PREFIX}-${data}${checkCharacter(data)}`;
}

/**
 * The canonical code (`PF-XXXXXXX`) of what someone typed or a scanner read, or null when it is
 * not one: wrong length, a character outside the alphabet (U included), or a failed check.
 */
export function parseLabelCode(input: string): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  let s = input.toUpperCase().replace(/[\s-]/g, "");
  if (s.startsWith(LABEL_PREFIX)) s = s.slice(LABEL_PREFIX.length);
  else return null;
  s = s.replace(/O/g, "0").replace(/[IL]/g, "1");
  if (s.length !== LABEL_DATA_LENGTH + 1) return null;
  for (const c of s) if (symbolValue(c) < 0) return null;
  const data = s.slice(0, LABEL_DATA_LENGTH);
  return checkCharacter(data) === s[LABEL_DATA_LENGTH] ? `${LABEL_PREFIX}-${s}` : null;
}

export const isLabelCode = (input: string): boolean => parseLabelCode(input) !== null;
