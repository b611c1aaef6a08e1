import { describe, expect, it } from "vitest";
import { type SourceRecord, deidentify } from "./deidentify.js";
import { DEFAULT_PROFILES } from "./default-profiles.js";
import { generalise } from "./generalise.js";
import { type DeidentificationProfileBody, DeidentificationProfileBodySchema, type FieldRule, identifyingFields } from "./profile.js";
import { base32, derivePseudonymKey, pseudonymFor } from "./pseudonym.js";

const KEY = Buffer.alloc(32, 7);
const ASOF = new Date("2026-03-01T00:00:00Z");
// 11010519850612001X-style: region 110105 (Beijing), born 1985-06-12, sequence 001 (odd: male).
const RID = "110105198506120019";

const client = (overrides: Partial<SourceRecord> = {}): SourceRecord => ({
  id: "0f9d7c62-0000-4000-8000-000000000001",
  kind: "person",
  name: "王小明",
  idType: "resident_id",
  idNumber: RID,
  phone: "13912345678",
  email: "wang.xiaoming@example.cn",
  address: "广东省深圳市南山区科技园路1号",
  birthDate: "1985-06-12",
  notes: "劳动合同纠纷咨询",
  ...overrides,
});

const one = (field: keyof DeidentificationProfileBody["fields"], rule: FieldRule, record = client()) =>
  deidentify([record], { fields: { [field]: rule } }, KEY, { asOf: ASOF }).rows[0]![field];

describe("rules", () => {
  it("omit and unnamed fields leave nothing: the profile is an allow-list", () => {
    const out = deidentify([client()], { fields: { kind: { rule: "keep" }, name: { rule: "omit" } } }, KEY);
    expect(out.columns).toEqual(["kind"]);
    expect(out.rows).toEqual([{ kind: "person" }]);
  });

  it("keep passes the value as it is (and null as null)", () => {
    expect(one("name", { rule: "keep" })).toBe("王小明");
    expect(one("phone", { rule: "keep" }, client({ phone: null }))).toBeNull();
  });

  it("mask uses the console's masking", () => {
    expect(one("idNumber", { rule: "mask" })).toBe("110105********0019");
    expect(one("name", { rule: "mask" })).toBe("王*明");
    expect(one("phone", { rule: "mask" })).toBe("139****5678");
    expect(one("email", { rule: "mask" })).toBe("w***@example.cn");
    expect(one("birthDate", { rule: "mask" })).toBe("****-**-**");
    expect(one("notes", { rule: "mask" })).toBe("******");
  });

  it("pseudonym: stable for a client within a key, different across clients and keys", () => {
    const a = one("clientId", { rule: "pseudonym" });
    expect(a).toMatch(/^P-[A-Z2-7]{16}$/);
    expect(one("clientId", { rule: "pseudonym" })).toBe(a);
    expect(one("clientId", { rule: "pseudonym" }, client({ id: "other" }))).not.toBe(a);
    expect(pseudonymFor(Buffer.alloc(32, 8), client().id)).not.toBe(a);
    expect(() => pseudonymFor(Buffer.alloc(16), "x")).toThrow(RangeError);
  });

  it("base32 follows RFC 4648", () => {
    expect(base32(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32(Buffer.from("f"))).toBe("MY");
  });

  it("derives a different 32-byte pseudonym key per disclosure from the vault's MAC", () => {
    const seen: [string, string][] = [];
    const vault = { mac: (purpose: string, data: string) => (seen.push([purpose, data]), Buffer.alloc(32, data.length).toString("hex")) };
    const key = derivePseudonymKey(vault, "d-1");
    expect(key).toHaveLength(32);
    expect(seen).toEqual([["disclosure-pseudonym/v1", "d-1"]]);
  });
});

describe("generalisations", () => {
  const g = (rule: FieldRule, field: "birthDate" | "idNumber" | "address", record = client()) => one(field, rule, record);
  it("birth_year, birth_decade and age_band from a birth date", () => {
    expect(g({ rule: "generalise", method: "birth_year" }, "birthDate")).toBe("1985");
    expect(g({ rule: "generalise", method: "birth_decade" }, "birthDate")).toBe("1980s");
    expect(g({ rule: "generalise", method: "age_band" }, "birthDate")).toBe("40-49");
    expect(g({ rule: "generalise", method: "age_band" }, "birthDate", client({ birthDate: "2010-02-28" }))).toBe("0-17");
    expect(g({ rule: "generalise", method: "age_band" }, "birthDate", client({ birthDate: "2008-03-01" }))).toBe("18-19");
    expect(g({ rule: "generalise", method: "age_band" }, "birthDate", client({ birthDate: "2008-03-02" }))).toBe("0-17");
    expect(g({ rule: "generalise", method: "age_band" }, "birthDate", client({ birthDate: "1940-01-01" }))).toBe("80+");
    expect(g({ rule: "generalise", method: "birth_year" }, "birthDate", client({ birthDate: "not a date" }))).toBeNull();
  });

  it("the same from a resident ID's embedded date; nothing from other identifiers", () => {
    expect(g({ rule: "generalise", method: "birth_year" }, "idNumber")).toBe("1985");
    expect(g({ rule: "generalise", method: "birth_year" }, "idNumber", client({ idType: "passport", idNumber: "E12345678" }))).toBeNull();
  });

  it("province and city from an address; null when it names none", () => {
    expect(g({ rule: "generalise", method: "province" }, "address")).toBe("广东省");
    expect(g({ rule: "generalise", method: "city" }, "address")).toBe("广东省深圳市");
    expect(g({ rule: "generalise", method: "city" }, "address", client({ address: "北京市朝阳区建国路88号" }))).toBe("北京市");
    expect(g({ rule: "generalise", method: "city" }, "address", client({ address: "江苏南京市玄武区" }))).toBe("江苏省南京市");
    expect(g({ rule: "generalise", method: "city" }, "address", client({ address: "吉林省延边朝鲜族自治州延吉市" }))).toBe("吉林省延边朝鲜族自治州");
    expect(g({ rule: "generalise", method: "province" }, "address", client({ address: "Flat 3, 10 Downing Street" }))).toBeNull();
    expect(g({ rule: "generalise", method: "city" }, "address", client({ address: "广东省某某路1号" }))).toBeNull();
  });

  it("region, gender and identifier type from an ID number", () => {
    expect(g({ rule: "generalise", method: "region_from_id" }, "idNumber")).toBe("北京市");
    expect(g({ rule: "generalise", method: "region_from_id" }, "idNumber", client({ idNumber: "440305199001010028" }))).toBe("广东省");
    expect(g({ rule: "generalise", method: "gender_from_id" }, "idNumber")).toBe("male");
    expect(g({ rule: "generalise", method: "gender_from_id" }, "idNumber", client({ idNumber: "440305199001010028" }))).toBe("female");
    expect(g({ rule: "generalise", method: "id_type_only" }, "idNumber")).toBe("resident_id");
    expect(g({ rule: "generalise", method: "region_from_id" }, "idNumber", client({ idType: "uscc", idNumber: "91350100M000100Y43" }))).toBeNull();
    expect(g({ rule: "generalise", method: "gender_from_id" }, "idNumber", client({ idType: "passport", idNumber: "E12345678" }))).toBeNull();
  });

  it("a method on the wrong field gives nothing, never the input", () => {
    expect(generalise("city", { field: "birthDate", value: "1985-06-12", idType: null, asOf: ASOF })).toBeNull();
    expect(generalise("birth_year", { field: "address", value: "1985年", idType: null, asOf: ASOF })).toBeNull();
  });
});

describe("profile validation", () => {
  const body = (fields: DeidentificationProfileBody["fields"], identifying = false) => ({
    nameZh: "测试",
    nameEn: "Test",
    descriptionZh: "说明",
    descriptionEn: "Description",
    identifying,
    fields,
  });
  const codes = (input: unknown) => {
    const r = DeidentificationProfileBodySchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => (i as { params?: { code?: string } }).params?.code ?? i.code);
  };

  it("accepts every shipped default", () => {
    for (const { code, version: _, ...p } of DEFAULT_PROFILES) expect(codes(p), code).toEqual([]);
  });

  it("refuses a profile that keeps an identifier in full unless it is marked identifying", () => {
    expect(codes(body({ idNumber: { rule: "keep" } }))).toEqual(["identifying_not_acknowledged"]);
    expect(codes(body({ birthDate: { rule: "keep" } }))).toEqual(["identifying_not_acknowledged"]);
    expect(codes(body({ idNumber: { rule: "keep" } }, true))).toEqual([]);
    expect(identifyingFields({ fields: { idNumber: { rule: "keep" }, kind: { rule: "keep" }, name: { rule: "mask" } } })).toEqual(["idNumber"]);
  });

  it("refuses rules that do not fit the field", () => {
    expect(codes(body({ name: { rule: "pseudonym" } }))).toEqual(["pseudonym_client_id_only"]);
    expect(codes(body({ kind: { rule: "mask" } }))).toEqual(["not_maskable"]);
    expect(codes(body({ phone: { rule: "generalise", method: "birth_year" } }))).toEqual(["generalisation_not_applicable"]);
    expect(codes(body({ name: { rule: "omit" } }))).toEqual(["nothing_disclosed"]);
    expect(codes(body({ salary: { rule: "keep" } } as never))).not.toEqual([]);
    expect(codes(body({ name: { rule: "generalise", method: "nope" } } as never))).not.toEqual([]);
  });
});
