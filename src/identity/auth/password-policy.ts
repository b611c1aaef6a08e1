import { readFileSync } from "node:fs";
import type { FieldIssue } from "../../platform/errors.js";
import { MIN_PASSWORD_LENGTH } from "../users/passwords.js";

const normalise = (s: string) => s.normalize("NFKC").toLowerCase();

// Shipped with the code, read once: no network lookup ever sees a candidate password.
const COMMON = new Set(
  readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map(normalise),
);

/**
 * The password rule for every new or changed staff password: at least 12 characters (code points
 * after NFKC), not on the shipped common/breached list, not one character repeated, and not the
 * account's own email. Returns field issues; empty means acceptable.
 */
export function passwordIssues(password: string, context: { email?: string } = {}): FieldIssue[] {
  const value = normalise(password);
  if (Array.from(value).length < MIN_PASSWORD_LENGTH) {
    return [{ field: "password", code: "too_short", message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` }];
  }
  const email = context.email ? normalise(context.email.trim()) : null;
  const local = email?.split("@")[0] ?? "";
  if (COMMON.has(value) || COMMON.has(value.replace(/\s+/g, "")) || /^(.)\1*$/u.test(value)) {
    return [{ field: "password", code: "common_password", message: "This password is too common; choose another." }];
  }
  if (email && (value === email || (local.length >= 4 && value.includes(local)))) {
    return [{ field: "password", code: "contains_email", message: "Do not base the password on the email address." }];
  }
  return [];
}

export const commonPasswordCount = () => COMMON.size;
