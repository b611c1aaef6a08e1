/**
 * Canary (issue #13, Done-when): clients with a full resident ID (valid check digit) and a birth
 * date go through a profile that masks ID numbers and keeps the birth year only. The package's
 * bytes, JSON and CSV, must hold neither the ID number nor the birth date in any common format.
 */
import { describe, expect, it } from "vitest";
import { residentId } from "../../../test/support/factories.js";
import { validateResidentId } from "../../records/clients/identifiers.js";
import type { SourceRecord } from "./deidentify.js";
import { DEFAULT_PROFILES } from "./default-profiles.js";
import { buildDisclosurePackage } from "./package.js";

const people = [
  { birth: "19850612", iso: "1985-06-12" },
  { birth: "19910203", iso: "1991-02-03" },
].map(({ birth, iso }, i) => ({ id: `c-${i}`, idNumber: residentId(birth), birthDate: iso }));

const records: SourceRecord[] = people.map((p) => ({
  id: p.id,
  kind: "person",
  name: "王小明",
  idType: "resident_id",
  idNumber: p.idNumber,
  phone: "13912345678",
  email: "wang@example.cn",
  address: "北京市朝阳区建国路88号",
  birthDate: p.birthDate,
  notes: null,
}));

const dateForms = (iso: string) => {
  const [y, m, d] = iso.split("-");
  return [iso, `${y}${m}${d}`, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${Number(m)}月${Number(d)}日`];
};

describe("canary: masked ID numbers and birth year only", () => {
  const profile = DEFAULT_PROFILES.find((p) => p.code === "masked_ids_birth_year")!;
  const pkg = buildDisclosurePackage({
    disclosureId: "d-canary",
    partner: { id: "p-1", name: "Expert Ltd" },
    purpose: "case-handling",
    legalBasis: "contract",
    profile,
    records,
    createdAt: new Date().toISOString(),
    pseudonymKey: Buffer.alloc(32, 9),
  });

  it("the fixtures are real resident IDs", () => {
    for (const p of people) expect(validateResidentId(p.idNumber)).toEqual({ ok: true, value: p.idNumber });
  });

  for (const [kind, bytes] of [
    ["JSON", pkg.json],
    ["CSV", pkg.csv!],
  ] as const) {
    it(`${kind}: no full ID number, no birth date in any format`, () => {
      for (const p of people) {
        expect(bytes.includes(Buffer.from(p.idNumber)), "ID number").toBe(false);
        expect(bytes.includes(Buffer.from(p.idNumber.toLowerCase())), "ID number").toBe(false);
        for (const form of dateForms(p.birthDate)) expect(bytes.includes(Buffer.from(form)), form).toBe(false);
        // JSON escapes: a \u-escaped value would slip past a byte scan; none is used.
        expect(bytes.toString("utf8")).not.toMatch(/\\u00/);
      }
    });
  }

  it("what was sent is still useful: masked IDs and birth years", () => {
    const doc = JSON.parse(pkg.json.toString("utf8"));
    expect(doc.records.map((r: Record<string, string>) => [r.idNumber, r.birthDate])).toEqual(
      people.map((p) => [`${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`, p.birthDate.slice(0, 4)]),
    );
    expect(pkg.manifest.omitted).toEqual(expect.arrayContaining(["name", "phone", "email", "address", "notes"]));
  });
});
