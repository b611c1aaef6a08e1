import type { Migration } from "kysely";
import * as m0001 from "./0001-vault-core.js";
import * as m0002 from "./0002-staff-sign-in.js";
import * as m0003 from "./0003-matters-and-walls.js";
import * as m0004 from "./0004-notices-and-consent.js";
import * as m0005 from "./0005-approvals-and-grants.js";
import * as m0006 from "./0006-detection-and-incidents.js";
import * as m0007 from "./0007-client-requests-and-holds.js";
import * as m0008 from "./0008-retention-and-backups.js";
import * as m0009 from "./0009-notifications-and-complaints.js";
import * as m0010 from "./0010-access-reviews.js";
import * as m0011 from "./0011-passkeys.js";
import * as m0012 from "./0012-rights.js";
import * as m0013 from "./0013-incidents-evidence.js";
import * as m0014 from "./0014-staff-calendars.js";
import * as m0015 from "./0015-sign-in-throttles-keyed.js";
import * as m0016 from "./0016-admin-separation-of-duties.js";
import * as m0017 from "./0017-request-notifications-to-outbox.js";
import * as m0018 from "./0018-search-enumeration-rule.js";
import * as m0019 from "./0019-blob-chunks.js";
import * as m0020 from "./0020-client-documents.js";
import * as m0021 from "./0021-document-shares.js";
import * as m0022 from "./0022-document-blob-purges.js";
import * as m0023 from "./0023-audit-tree.js";
import * as m0024 from "./0024-vault-root.js";
import * as m0025 from "./0025-job-runs.js";
import * as m0026 from "./0026-sms-rate-limits.js";
import * as m0027 from "./0027-audit-sequencer.js";
import * as m0028 from "./0028-partners.js";
import * as m0029 from "./0029-deidentification-profiles.js";
import * as m0030 from "./0030-disclosures.js";
import * as m0031 from "./0031-training.js";
import * as m0032 from "./0032-paper-files.js";
import * as m0033 from "./0033-people.js";
import * as m0034 from "./0034-kpi-targets.js";
import * as m0035 from "./0035-assessments.js";
import * as m0036 from "./0036-partner-links-and-notices.js";
import * as m0037 from "./0037-client-search-tokens.js";
import * as m0038 from "./0038-detection-target-marks.js";
import * as m0039 from "./0039-totp-replacement.js";
import * as m0040 from "./0040-default-notification-subscriptions.js";
import * as m0041 from "./0041-audit-seq-rowid.js";

/** The engine's type for binary columns: one migration text serves both dialects. */
export type BinaryType = "blob" | "bytea";

interface MigrationModule {
  readonly name: string;
  readonly migration: (bin: BinaryType) => Migration;
}

/**
 * Every migration, in order: one file each, numbered. A new migration is the next file, added here;
 * its `name` is what the database records, so an applied migration is never renamed.
 */
const ORDERED: readonly MigrationModule[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
  m0021,
  m0022,
  m0023,
  m0024,
  m0025,
  m0026,
  m0027,
  m0028,
  m0029,
  m0030,
  m0031,
  m0032,
  m0033,
  m0034,
  m0035,
  m0036,
  m0037,
  m0038,
  m0039,
  m0040,
  m0041,
];

export function allMigrations(bin: BinaryType): Record<string, Migration> {
  return Object.fromEntries(ORDERED.map((m) => [m.name, m.migration(bin)]));
}
