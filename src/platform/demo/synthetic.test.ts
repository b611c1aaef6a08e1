import { describe, it, expect } from "vitest";
import { RESIDENT_ID_REGIONS, validateBirthDate, validateEmail, validatePhone, validateResidentId } from "../../records/clients/identifiers.js";
import { syntheticClients, type SyntheticClient } from "./synthetic.js";

const SEEDS = [1, 42, 20240601, 0xdeadbeef];
const PER_SEED = 5_000; // 20,000 clients in total

const take = (seed: number, n: number): SyntheticClient[] => {
  const gen = syntheticClients(seed);
  return Array.from({ length: n }, () => gen());
};

describe("syntheticClients", () => {
  const batches = SEEDS.map((seed) => take(seed, PER_SEED));
  const all = batches.flat();

  it("produces clients whose identifiers all validate", () => {
    for (const c of all) {
      expect(c.kind).toBe("person");
      expect(c.idType).toBe("resident_id");
      expect(validateResidentId(c.idNumber)).toEqual({ ok: true, value: c.idNumber });
      // Phones are already in canonical mobile form.
      expect(validatePhone(c.phone)).toEqual({ ok: true, value: c.phone });
      expect(c.phone).toMatch(/^1\d{10}$/);
      expect(validateEmail(c.email)).toEqual({ ok: true, value: c.email });
      expect(c.email).toMatch(/@example\.(com|cn|org)$/);
      expect(validateBirthDate(c.birthDate)).toEqual({ ok: true, value: c.birthDate });
    }
  });

  it("keeps birthDate equal to the date inside the ID, within 1940-2006", () => {
    for (const c of all) {
      expect(c.birthDate.replaceAll("-", "")).toBe(c.idNumber.slice(6, 14));
      expect(c.birthDate >= "1940-01-01" && c.birthDate <= "2006-12-31").toBe(true);
    }
  });

  it("uses known regions and an address aligned with them", () => {
    const seen = new Set<string>();
    for (const c of all) {
      const region = c.idNumber.slice(0, 6);
      expect(RESIDENT_ID_REGIONS).toContain(region);
      seen.add(region);
      expect(c.address).toMatch(/^\p{Script=Han}+\d+号.*室$/u);
    }
    expect(seen.size).toBe(RESIDENT_ID_REGIONS.length);
    // Spot-check the region -> address alignment on two well-known codes.
    const pudong = all.find((c) => c.idNumber.startsWith("310115"));
    const nanshan = all.find((c) => c.idNumber.startsWith("440305"));
    expect(pudong?.address.startsWith("上海市浦东新区")).toBe(true);
    expect(nanshan?.address.startsWith("广东省深圳市南山区")).toBe(true);
  });

  it("names are 2-4 Han characters", () => {
    for (const c of all) expect(c.name).toMatch(/^\p{Script=Han}{2,4}$/u);
    // The mix includes single- and double-character given names.
    const lengths = new Set(all.map((c) => c.name.length));
    expect(lengths.has(2) && lengths.has(3)).toBe(true);
  });

  it("has non-empty Chinese notes", () => {
    for (const c of all) expect(c.notes).toMatch(/^\p{Script=Han}.*。$/u);
  });

  it("is deterministic per seed", () => {
    expect(take(42, 1_000)).toEqual(batches[1]!.slice(0, 1_000));
  });

  it("differs between seeds", () => {
    const [a, b] = [batches[0]!, batches[1]!];
    const same = a.filter((c, i) => c.idNumber === b[i]!.idNumber).length;
    expect(same).toBe(0);
    expect(a.map((c) => c.name)).not.toEqual(b.map((c) => c.name));
  });

  it("never repeats an ID number or e-mail within one stream", () => {
    for (const batch of batches) {
      expect(new Set(batch.map((c) => c.idNumber)).size).toBe(batch.length);
      expect(new Set(batch.map((c) => c.email)).size).toBe(batch.length);
    }
    // 150k random draws from ~1.1e9 IDs would collide ~10 times; the permutation must not.
    const gen = syntheticClients(7);
    const ids = new Set<string>();
    for (let i = 0; i < 150_000; i++) ids.add(gen().idNumber);
    expect(ids.size).toBe(150_000);
  });
});
