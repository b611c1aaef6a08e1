/**
 * Generalisations: a coarser value in place of the exact one. Each returns null when it cannot be
 * computed, never the input: an unparseable address or ID number is suppressed, not passed on.
 */
import type { IdType } from "../../records/clients/client.js";
import type { Generalisation } from "./profile.js";
import { MUNICIPALITIES, provinceOfAddress, provinceOfRegionCode } from "./regions.js";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RESIDENT_ID = /^(\d{6})(\d{4})(\d{2})(\d{2})(\d{3})[\dX]$/i;

/** A birth date as [year, month, day], from an ISO date or, for a resident ID, its embedded date. */
function birthParts(value: string, source: "birthDate" | "idNumber", idType: IdType | null): [number, number, number] | null {
  if (source === "birthDate") {
    const m = ISO_DATE.exec(value.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  }
  if (idType !== "resident_id") return null;
  const m = RESIDENT_ID.exec(value.trim());
  return m ? [Number(m[2]), Number(m[3]), Number(m[4])] : null;
}

export const birthYear = (parts: [number, number, number]): string => String(parts[0]);
export const birthDecade = (parts: [number, number, number]): string => `${Math.floor(parts[0] / 10) * 10}s`;

/** Age bands as of a date: under 18 (minors are treated apart), then ten-year bands, and 80+. */
export function ageBand(parts: [number, number, number], asOf: Date): string | null {
  const [y, m, d] = parts;
  const ny = asOf.getUTCFullYear();
  const nm = asOf.getUTCMonth() + 1;
  const nd = asOf.getUTCDate();
  const age = ny - y - (nm < m || (nm === m && nd < d) ? 1 : 0);
  if (age < 0) return null;
  if (age < 18) return "0-17";
  if (age >= 80) return "80+";
  const low = age < 20 ? 18 : Math.floor(age / 10) * 10;
  return `${low}-${Math.floor(age / 10) * 10 + 9}`;
}

// A prefecture-level unit after the province: a name of 1-7 characters ending in 市, 州, 地区 or 盟.
const PREFECTURE = /^([\u4e00-\u9fff]{1,7}?(?:自治州|地区|盟|市))/u;

/** The province (and, for `city`, the prefecture-level city) an address starts with. */
function addressRegion(address: string, level: "province" | "city"): string | null {
  const province = provinceOfAddress(address);
  if (!province) return null;
  if (level === "province" || MUNICIPALITIES.has(province.name)) return province.name;
  const rest = address.trim().slice(province.length);
  const city = PREFECTURE.exec(rest);
  return city ? province.name + city[1] : null;
}

/** Male or female from a resident ID's sequence number (odd: male), or null for other identifiers. */
function genderFromId(value: string, idType: IdType | null): string | null {
  if (idType !== "resident_id") return null;
  const m = RESIDENT_ID.exec(value.trim());
  return m ? (Number(m[5]) % 2 === 1 ? "male" : "female") : null;
}

export interface GeneraliseInput {
  field: "birthDate" | "idNumber" | "address";
  value: string;
  idType: IdType | null;
  asOf: Date;
}

export function generalise(method: Generalisation, input: GeneraliseInput): string | null {
  const { field, value, idType, asOf } = input;
  switch (method) {
    case "birth_year":
    case "birth_decade":
    case "age_band": {
      if (field === "address") return null;
      const parts = birthParts(value, field, idType);
      if (!parts) return null;
      if (method === "birth_year") return birthYear(parts);
      if (method === "birth_decade") return birthDecade(parts);
      return ageBand(parts, asOf);
    }
    case "city":
    case "province":
      return field === "address" ? addressRegion(value, method) : null;
    case "region_from_id":
      return field === "idNumber" && idType === "resident_id" && RESIDENT_ID.test(value.trim()) ? provinceOfRegionCode(value.trim()) : null;
    case "gender_from_id":
      return field === "idNumber" ? genderFromId(value, idType) : null;
    case "id_type_only":
      return field === "idNumber" ? idType : null;
  }
}
