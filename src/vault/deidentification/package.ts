/**
 * The disclosure package (VEN-3, APR-2): what leaves the firm, as a JSON document and a CSV of the
 * same rows, with a manifest of exactly what was sent. The firm keeps the manifest and the digests
 * (`record`), never the data: the package is rebuilt from nothing and cannot be served again.
 */
import { createHash } from "node:crypto";
import { renderCsv } from "./csv.js";
import { type SourceRecord, deidentify } from "./deidentify.js";
import { type DeidentificationProfile, type Generalisation, PROFILE_FIELDS, type ProfileField, type RuleKind, identifyingFields } from "./profile.js";
import { sealPackage } from "./seal.js";

export const PACKAGE_FORMAT = "custodia-disclosure/v1";

export interface PackageInput {
  disclosureId: string;
  partner: { id: string; name: string };
  /** A purpose code from the purpose registry. */
  purpose: string;
  /** A legal basis code (src/rights/consent/legal-basis.ts). */
  legalBasis: string;
  profile: DeidentificationProfile;
  records: readonly SourceRecord[];
  /** ISO time of the disclosure; age bands are computed as of this moment. */
  createdAt: string;
  /** The disclosure's pseudonym key, derived by the vault (derivePseudonymKey). */
  pseudonymKey: Buffer;
}

export interface PackageManifest {
  format: typeof PACKAGE_FORMAT;
  disclosureId: string;
  createdAt: string;
  partner: { id: string; name: string };
  purpose: string;
  legalBasis: string;
  profile: { code: string; version: number; nameZh: string; nameEn: string; identifying: boolean; identifyingFields: ProfileField[]; sealed: boolean };
  /** Each field that left, in column order, and the form it left in. */
  fields: { field: ProfileField; rule: RuleKind; method: Generalisation | null }[];
  omitted: ProfileField[];
  recordCount: number;
  /** SHA-256 (hex) of JSON.stringify(records): the `records` array of the JSON document, compact. */
  recordsSha256: string;
}

/** What the firm stores about a disclosure: the manifest and the digests of the bytes handed over. */
export interface DisclosureRecord {
  manifest: PackageManifest;
  jsonSha256: string;
  csvSha256: string | null;
  sealedSha256: string | null;
}

export interface DisclosurePackage {
  manifest: PackageManifest;
  record: DisclosureRecord;
  /** The JSON document { manifest, records }; for a sealed profile, only inside `sealed`. */
  json: Buffer;
  /** The CSV of the rows; null for a sealed profile (what leaves is the sealed JSON alone). */
  csv: Buffer | null;
  /** ENC-5: the JSON document encrypted, and its one-time key for the recipient, out of band. */
  sealed: { bytes: Buffer; keyBase64: string } | null;
}

const sha256 = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");

export function buildDisclosurePackage(input: PackageInput): DisclosurePackage {
  const { profile } = input;
  const { columns, rows } = deidentify(input.records, profile, input.pseudonymKey, { asOf: new Date(input.createdAt) });
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    disclosureId: input.disclosureId,
    createdAt: input.createdAt,
    partner: { id: input.partner.id, name: input.partner.name },
    purpose: input.purpose,
    legalBasis: input.legalBasis,
    profile: {
      code: profile.code,
      version: profile.version,
      nameZh: profile.nameZh,
      nameEn: profile.nameEn,
      identifying: profile.identifying,
      identifyingFields: identifyingFields(profile),
      sealed: profile.sealed,
    },
    fields: columns.map((field) => {
      const rule = profile.fields[field]!;
      return { field, rule: rule.rule, method: rule.rule === "generalise" ? rule.method : null };
    }),
    omitted: PROFILE_FIELDS.filter((f) => !columns.includes(f)),
    recordCount: rows.length,
    recordsSha256: sha256(JSON.stringify(rows)),
  };
  const json = Buffer.from(`${JSON.stringify({ manifest, records: rows }, null, 2)}\n`, "utf8");
  if (profile.sealed) {
    const sealed = sealPackage(json);
    return {
      manifest,
      record: { manifest, jsonSha256: sha256(json), csvSha256: null, sealedSha256: sha256(sealed.sealed) },
      json,
      csv: null,
      sealed: { bytes: sealed.sealed, keyBase64: sealed.keyBase64 },
    };
  }
  const csv = renderCsv(columns, rows);
  return { manifest, record: { manifest, jsonSha256: sha256(json), csvSha256: sha256(csv), sealedSha256: null }, json, csv, sealed: null };
}
