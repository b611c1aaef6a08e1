import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { csvCell, renderCsv } from "./csv.js";
import type { SourceRecord } from "./deidentify.js";
import { DEFAULT_PROFILES } from "./default-profiles.js";
import { buildDisclosurePackage, PACKAGE_FORMAT } from "./package.js";
import { openPackage } from "./seal.js";

const profile = (code: string) => DEFAULT_PROFILES.find((p) => p.code === code)!;
const records: SourceRecord[] = [
  {
    id: "c-1",
    kind: "person",
    name: "王小明",
    idType: "resident_id",
    idNumber: "110105198506120019",
    phone: "13912345678",
    email: "w@example.cn",
    address: "广东省深圳市南山区科技园路1号",
    birthDate: "1985-06-12",
    notes: '=HYPERLINK("http://evil")',
  },
  { id: "c-2", kind: "organization", name: "某某公司", idType: null, idNumber: null, phone: null, email: null, address: null, birthDate: null, notes: null },
];
const input = (code: string) => ({
  disclosureId: "d-1",
  partner: { id: "p-1", name: "某某鉴定所" },
  purpose: "case-handling",
  legalBasis: "contract",
  profile: profile(code),
  records,
  createdAt: "2026-03-01T08:00:00.000Z",
  pseudonymKey: Buffer.alloc(32, 3),
});
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("disclosure package", () => {
  it("carries a manifest of exactly what was sent, and a digest of the records", () => {
    const pkg = buildDisclosurePackage(input("expert_anonymised"));
    const doc = JSON.parse(pkg.json.toString("utf8"));
    expect(doc.manifest).toEqual(pkg.manifest);
    expect(pkg.manifest).toMatchObject({
      format: PACKAGE_FORMAT,
      disclosureId: "d-1",
      partner: { id: "p-1", name: "某某鉴定所" },
      profile: { code: "expert_anonymised", version: 1, identifying: false, identifyingFields: [], sealed: false },
      fields: [
        { field: "clientId", rule: "pseudonym", method: null },
        { field: "kind", rule: "keep", method: null },
        { field: "idNumber", rule: "generalise", method: "gender_from_id" },
        { field: "address", rule: "generalise", method: "province" },
        { field: "birthDate", rule: "generalise", method: "birth_year" },
      ],
      omitted: ["name", "idType", "phone", "email", "notes"],
      recordCount: 2,
    });
    expect(doc.records[0]).toEqual({ clientId: expect.stringMatching(/^P-/), kind: "person", idNumber: "male", address: "广东省", birthDate: "1985" });
    // The digest is over the records as the recipient reads them back from the document.
    expect(pkg.manifest.recordsSha256).toBe(sha256(JSON.stringify(doc.records)));
    expect(pkg.record).toEqual({ manifest: pkg.manifest, jsonSha256: sha256(pkg.json), csvSha256: sha256(pkg.csv!), sealedSha256: null });
    // The record the firm keeps holds no record values.
    expect(JSON.stringify(pkg.record)).not.toContain(doc.records[0].clientId);
  });

  it("renders the same rows as CSV, formulas defused", () => {
    const pkg = buildDisclosurePackage({ ...input("cloud_encrypted"), profile: { ...profile("cloud_encrypted"), sealed: false } });
    const csv = pkg.csv!.toString("utf8");
    expect(csv.startsWith("\ufeffclientId,kind,name,idType,idNumber,phone,email,address,birthDate,notes\r\n")).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(renderCsv(["a"], [{ a: null }]).toString("utf8")).toBe("\ufeffa\r\n\r\n");
  });

  it("seals a cloud provider's package whole: no CSV, the JSON opens only with the one-time key", () => {
    const pkg = buildDisclosurePackage(input("cloud_encrypted"));
    expect(pkg.csv).toBeNull();
    expect(pkg.sealed).not.toBeNull();
    expect(pkg.sealed!.bytes.includes(Buffer.from("110105198506120019"))).toBe(false);
    expect(openPackage(pkg.sealed!.bytes, pkg.sealed!.keyBase64).equals(pkg.json)).toBe(true);
    expect(pkg.record.sealedSha256).toBe(sha256(pkg.sealed!.bytes));
    expect(pkg.manifest.profile).toMatchObject({ identifying: true, sealed: true });
    expect(JSON.stringify(pkg.record)).not.toContain(pkg.sealed!.keyBase64);
  });

  it("pseudonyms differ between two disclosures of the same client (different keys)", () => {
    const a = JSON.parse(buildDisclosurePackage(input("translator_minimal")).json.toString()).records[0].clientId;
    const b = JSON.parse(buildDisclosurePackage({ ...input("translator_minimal"), pseudonymKey: Buffer.alloc(32, 4) }).json.toString()).records[0].clientId;
    expect(a).not.toBe(b);
  });
});
