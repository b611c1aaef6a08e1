/**
 * The code dictionary (web/locales/<lang>/codes.json, issue #15) labels every code the server can
 * write into the audit log, in Chinese and in English. The codes are read from src/ itself, so a new
 * action, reason or target type without labels fails here rather than showing raw on a screen.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIONS, ROLES } from "../src/access/policy/roles.js";

const SRC = join(import.meta.dirname, "..", "src");
const LOCALES = join(import.meta.dirname, "..", "web", "locales");

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [{ path, text: readFileSync(path, "utf8") }] : [];
  });
}

const all = (text: string, pattern: RegExp, group = 1) => [...text.matchAll(pattern)].map((m) => m[group]!);
/** `"a" | "b"` → [a, b]. */
const literals = (union: string) => all(union, /"([a-z][a-z0-9_]*)"/g);

/**
 * Codes built at run time from a template or a variable, which no literal in src/ spells out:
 * sign-in lockouts (`${scope}_locked`), witness refusals (`witness_${reason}`), passkey failures
 * (passkeys.ts reasonOf) and destruction decisions (`retention.destruction_${verdict}`).
 */
const DYNAMIC = {
  action: ["retention.destruction_approve", "retention.destruction_reject"],
  reason: [
    "account_locked",
    "ip_locked",
    "witness_witness_ahead",
    "witness_inconsistent",
    "witness_bad_cosignature",
    "witness_rejected",
    "challenge_mismatch",
    "origin_mismatch",
    "rp_id_mismatch",
    "invalid_token",
    "missing_token",
  ],
};

/** Every code of each kind that src/ can write into an audit event. */
function serverCodes(): Record<"action" | "outcome" | "reason" | "targetType" | "role", Set<string>> {
  const files = sources(SRC);
  const text = files.map((f) => f.text).join("\n");
  const action = new Set<string>(DYNAMIC.action);
  // Every dotted literal on a line that sets an action (`action: "x"`, `const ACTION = "x"`, a ternary).
  for (const line of text.split("\n").filter((l) => /\baction\b|ACTION/.test(l))) for (const code of all(line, /"([a-z_]+(?:\.[a-z_]+)+)"/g)) action.add(code);
  // Actions chosen by a ternary or held in a constant are dotted literals of a namespace the
  // literals above use (`device.list_own`, `document.check_out`): table aliases ("u.id") and file
  // names are not, nor are the permissions of roles.ts (labelled too, for the role screens).
  const namespaces = new Set([...action].map((a) => a.split(".")[0]!));
  for (const code of all(text, /"([a-z_]+(?:\.[a-z_]+)+)"/g)) {
    if (namespaces.has(code.split(".")[0]!) && !/\.(txt|json|html|db)$/.test(code)) action.add(code);
  }
  for (const a of ACTIONS) action.add(a);

  const reason = new Set<string>(DYNAMIC.reason);
  const policy = files.find((f) => f.path.endsWith(join("access", "policy", "policy.ts")))!.text;
  for (const type of ["DenyReason", "MaskReason"]) {
    const block = new RegExp(`export type ${type} =([^;]+);`).exec(policy)?.[1] ?? "";
    for (const code of literals(block)) reason.add(code);
  }
  // `reason: "a"` and `reason: "a" | "b"`, in events and in the types that feed them.
  for (const union of all(text, /\b(?:reason|failure): ("[a-z_]+"(?:\s*\|\s*"[a-z_]+")*)/g)) for (const code of literals(union)) reason.add(code);
  // A refusal's reason is its error's code unless the event names one (audited.ts).
  for (const code of all(text, /\b(?:AppError\(\d+,|ConflictError\() ?"([a-z_]+)"/g)) reason.add(code);
  // A job run's reason is its result's code (job-runs.ts); sign-in answers are success reasons.
  for (const f of files.filter((file) => file.path.includes(join("governance", "jobs"))))
    for (const code of all(f.text, /\b(?:code: |export const [A-Z_]+ = )"([a-z_]+)"/g)) reason.add(code);
  const signIn = /export type SignInStatus =([^;]+);/.exec(text)?.[1] ?? "";
  for (const code of literals(signIn)) reason.add(code);
  reason.add("permitted");
  reason.add("break_glass");

  // `targetType: "x"`, a ternary's literals, or a module's `const TARGET = "x"`.
  const targetType = new Set([...all(text, /\btargetType: ([^,\n}]+)/g).flatMap(literals), ...all(text, /\bconst TARGET\w* = "([a-z_]+)"/g)]);
  return { action, outcome: new Set(["success", "denied", "failure"]), reason, targetType, role: new Set(ROLES) };
}

function dictionary(lang: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(join(LOCALES, lang, "codes.json"), "utf8"));
}

describe("the code dictionary", () => {
  const codes = serverCodes();

  it("finds the codes it checks (the scan itself works)", () => {
    expect(codes.action.size).toBeGreaterThan(250);
    expect(codes.action).toContain("client.read");
    expect(codes.action).toContain("client.list_item");
    expect(codes.action).toContain("device.list_own");
    expect(codes.reason).toContain("screened_by_wall");
    expect(codes.reason).toContain("clearance_below_level");
    expect(codes.reason).toContain("signed_in");
    expect(codes.targetType).toContain("destruction_batch");
    expect(codes.targetType).toContain("deidentification_profile");
  });

  for (const lang of ["zh-CN", "en"]) {
    it(`labels every action, outcome, reason, target type and role in ${lang}`, () => {
      const dict = dictionary(lang);
      const missing: string[] = [];
      for (const [kind, set] of Object.entries(codes)) {
        for (const code of set) {
          const label = dict[kind]?.[code];
          if (!label?.trim() || label === code) missing.push(`${kind}: ${code}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it("holds the same codes in both languages", () => {
    const zh = dictionary("zh-CN");
    const en = dictionary("en");
    for (const kind of Object.keys(zh)) expect(Object.keys(en[kind] ?? {}).sort(), kind).toEqual(Object.keys(zh[kind] ?? {}).sort());
  });
});
