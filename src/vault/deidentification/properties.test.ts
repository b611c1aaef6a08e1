/** Property tests (fast-check): what a profile promises holds for any record. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { residentIdCheckChar } from "../../records/clients/identifiers.js";
import { renderCsv } from "./csv.js";
import { type SourceRecord, deidentify } from "./deidentify.js";
import { generalise } from "./generalise.js";
import { type FieldRule, GENERALISATIONS_BY_FIELD, PROFILE_FIELDS, type ProfileField, profileIssues } from "./profile.js";
import { pseudonymFor } from "./pseudonym.js";
import { PackageIntegrityError, openPackage, sealPackage } from "./seal.js";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const date = fc.record({ y: fc.integer({ min: 1900, max: 2025 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) });
const isoOf = ({ y, m, d }: { y: number; m: number; d: number }) => `${y}-${pad(m)}-${pad(d)}`;
const residentIdOf = (birth: { y: number; m: number; d: number }, seq: number) => {
  const body = `110105${birth.y}${pad(birth.m)}${pad(birth.d)}${pad(seq, 3)}`;
  return body + residentIdCheckChar(body);
};

/** A random person whose every value carries a unique marker, so a leak is unambiguous. */
const record: fc.Arbitrary<SourceRecord> = fc
  .record({ id: fc.uuid(), birth: date, seq: fc.integer({ min: 0, max: 999 }), marks: fc.array(fc.uuid(), { minLength: 5, maxLength: 5 }) })
  .map(({ id, birth, seq, marks }) => ({
    id,
    kind: "person" as const,
    name: `名${marks[0]}`,
    idType: "resident_id" as const,
    idNumber: residentIdOf(birth, seq),
    phone: `+86 ${marks[1]}`,
    email: `${marks[2]}@example.cn`,
    address: `广东省深圳市${marks[3]}`,
    birthDate: isoOf(birth),
    notes: `备注${marks[4]}`,
  }));

/** Any valid rule for a field, omit included. */
const ruleFor = (field: ProfileField): fc.Arbitrary<FieldRule> => {
  const options: fc.Arbitrary<FieldRule>[] = [fc.constant({ rule: "omit" }), fc.constant({ rule: "keep" })];
  if (field === "clientId") options.push(fc.constant({ rule: "pseudonym" }));
  if (!["clientId", "kind", "idType"].includes(field)) options.push(fc.constant({ rule: "mask" }));
  const methods = GENERALISATIONS_BY_FIELD[field];
  if (methods) options.push(fc.constantFrom(...methods).map((method) => ({ rule: "generalise" as const, method })));
  return fc.oneof(...options);
};
const fieldsArb = fc.record(Object.fromEntries(PROFILE_FIELDS.map((f) => [f, ruleFor(f)])) as Record<ProfileField, fc.Arbitrary<FieldRule>>);

const KEY = Buffer.alloc(32, 1);
const ASOF = new Date("2026-01-01T00:00:00Z");

describe("properties", () => {
  it("no value of an omitted field, and no full value of a masked or generalised one, appears in the output", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 5 }), fieldsArb, (records, fields) => {
        const out = deidentify(records, { fields }, KEY, { asOf: ASOF });
        const text = JSON.stringify(out.rows) + renderCsv(out.columns, out.rows).toString("utf8");
        for (const field of PROFILE_FIELDS) {
          const rule = fields[field].rule;
          if (rule === "keep" || field === "kind" || field === "idType") continue;
          for (const r of records) {
            const value = field === "clientId" ? r.id : r[field];
            if (value) expect(text.includes(value), `${field} (${rule}) leaked`).toBe(false);
          }
        }
        // Each row has exactly the disclosed columns, nothing else.
        const disclosed = PROFILE_FIELDS.filter((f) => fields[f].rule !== "omit");
        for (const row of out.rows) expect(Object.keys(row)).toEqual(disclosed);
      }),
      { numRuns: 300 },
    );
  });

  it("birth_year never outputs a full date, in any format", () => {
    fc.assert(
      fc.property(date, (d) => {
        const iso = isoOf(d);
        const year = generalise("birth_year", { field: "birthDate", value: iso, idType: null, asOf: ASOF });
        expect(year).toBe(String(d.y));
        expect(year).toMatch(/^\d{4}$/);
        for (const form of [iso, iso.replace(/-/g, ""), iso.replace(/-/g, "/")]) expect(year!.includes(form)).toBe(false);
        const fromId = generalise("birth_year", { field: "idNumber", value: residentIdOf(d, 1), idType: "resident_id", asOf: ASOF });
        expect(fromId).toBe(year);
      }),
    );
  });

  it("pseudonyms are stable within a key and differ across keys and clients", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uuid(), fc.uuid(), (k1, k2, a, b) => {
        const key1 = Buffer.from(k1);
        const key2 = Buffer.from(k2);
        expect(pseudonymFor(key1, a)).toBe(pseudonymFor(Buffer.from(k1), a));
        if (!key1.equals(key2)) expect(pseudonymFor(key1, a)).not.toBe(pseudonymFor(key2, a));
        if (a !== b) expect(pseudonymFor(key1, a)).not.toBe(pseudonymFor(key1, b));
      }),
    );
  });

  it("every generated profile either validates or names its issue; identifying ones must say so", () => {
    fc.assert(
      fc.property(fieldsArb, fc.boolean(), (fields, identifying) => {
        const issues = profileIssues({ identifying, fields }).map((i) => i.code);
        const keepsIdentifier = (["clientId", "name", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const).some(
          (f) => fields[f].rule === "keep",
        );
        expect(issues.includes("identifying_not_acknowledged")).toBe(keepsIdentifier && !identifying);
      }),
    );
  });
});

describe("sealed packages (ENC-5)", () => {
  it("round trip: opens to the same bytes with its key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const { sealed, keyBase64 } = sealPackage(Buffer.from(bytes));
        expect(openPackage(sealed, keyBase64).equals(Buffer.from(bytes))).toBe(true);
        expect(Buffer.from(keyBase64, "base64")).toHaveLength(32);
      }),
    );
  });

  it("any single-bit flip anywhere in the sealed bytes fails to open", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
        const { sealed, keyBase64 } = sealPackage(Buffer.from(bytes));
        const tampered = Buffer.from(sealed);
        const i = at % tampered.length;
        tampered[i] = tampered[i]! ^ (1 << bit);
        expect(() => openPackage(tampered, keyBase64)).toThrow(PackageIntegrityError);
      }),
      { numRuns: 500 },
    );
  });

  it("another key, a truncated package or a malformed key fails", () => {
    const { sealed } = sealPackage(Buffer.from("x"));
    expect(() => openPackage(sealed, sealPackage(Buffer.from("y")).keyBase64)).toThrow(PackageIntegrityError);
    expect(() => openPackage(sealed.subarray(0, 20), sealPackage(Buffer.from("y")).keyBase64)).toThrow(PackageIntegrityError);
    expect(() => openPackage(sealed, "c2hvcnQ=")).toThrow(PackageIntegrityError);
    // One-time keys: two seals of the same bytes share neither key nor ciphertext.
    const a = sealPackage(Buffer.from("same"));
    const b = sealPackage(Buffer.from("same"));
    expect(a.keyBase64).not.toBe(b.keyBase64);
    expect(a.sealed.equals(b.sealed)).toBe(false);
  });
});
