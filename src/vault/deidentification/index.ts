/** De-identification applied by the vault (VEN-3, ENC-5): profiles, the transformation, packages. */
export * from "./profile.js";
export { DEFAULT_PROFILES } from "./default-profiles.js";
export { type Deidentified, type OutputRow, type SourceRecord, deidentify } from "./deidentify.js";
export { PSEUDONYM_KEY_PURPOSE, derivePseudonymKey, pseudonymFor } from "./pseudonym.js";
export { PackageIntegrityError, openPackage, sealPackage } from "./seal.js";
export { type DisclosurePackage, type DisclosureRecord, PACKAGE_FORMAT, type PackageInput, type PackageManifest, buildDisclosurePackage } from "./package.js";
