/**
 * Storage shapes, as Kysely sees them. Prefixed `Db…` to keep them apart from domain types.
 * Times are ISO-8601 UTC strings in both engines, so rows compare and hash identically.
 */
import type { DbAccessGrant, DbApprovalDecision, DbApprovalRequest, DbBreakGlassAccess, DbBreakGlassReview } from "../../access/approvals/tables.js";
export type {
  DbAccessGrant,
  DbApprovalDecision,
  DbApprovalRequest,
  DbBreakGlassAccess,
  DbBreakGlassReview,
} from "../../access/approvals/tables.js";
// Training and agreements (issue #14): they replace staff_agreements / staff_trainings (migration 0031).
import type { TrainingTables } from "../../governance/training/tables.js";
export type * from "../../governance/training/tables.js";
import type { RequestTables } from "../../rights/requests/tables.js";
export type * from "../../rights/requests/tables.js";
import type { DetectionTables } from "../../response/tables.js";
export type * from "../../response/tables.js";
import type { RetentionTables } from "../../governance/retention/tables.js";
export type * from "../../governance/retention/tables.js";
import type { NotificationTables } from "../../response/notifications/tables.js";
import type { ComplaintTables } from "../../rights/complaints/tables.js";
import type { AccountabilityTables } from "../../governance/accountability/tables.js";
import type { IncidentReviewTables } from "../../response/incidents/review-tables.js";
import type { PasskeyTables } from "../../identity/auth/passkey-tables.js";
import type { IncidentEvidenceTables } from "../../response/incidents/evidence-tables.js";
import type { StaffCalendarTables } from "../../response/detection/staff-calendar-tables.js";
export type * from "../../response/detection/staff-calendar-tables.js";
export type * from "../../response/notifications/tables.js";
export type * from "../../rights/complaints/tables.js";
export type * from "../../governance/accountability/tables.js";
export type * from "../../response/incidents/review-tables.js";
import type { AccessReviewTables } from "../../access/reviews/tables.js";
export type * from "../../access/reviews/tables.js";

import type { VaultTables } from "../../vault/keys/tables.js";
export type * from "../../vault/keys/tables.js";
import type { ClientTables } from "../../records/clients/tables.js";
export type * from "../../records/clients/tables.js";
import type { PurposeTables } from "../../records/purposes/tables.js";
export type * from "../../records/purposes/tables.js";
import type { UserTables } from "../../identity/users/tables.js";
import type { DisclosureProfileTables, DisclosureTables } from "../../records/disclosures/tables.js";
export type * from "../../records/disclosures/tables.js";
export type * from "../../identity/users/tables.js";
import type { AuditTables } from "../audit/tables.js";
import type { JobTables } from "../../governance/jobs/tables.js";
export type * from "../../governance/jobs/tables.js";
import type { SmsTables } from "../../response/notifications/sms/tables.js";
export type * from "../../response/notifications/sms/tables.js";
import type { PartnerTables } from "../../governance/partners/tables.js";
export type * from "../../governance/partners/tables.js";
// Self-assessments, compliance audits and findings (issue #14, GOV-3, GOV-4, AUD-3; migration 0035).
import type { AssessmentTables } from "../../governance/assessments/tables.js";
export type * from "../../governance/assessments/tables.js";
// Paper files (issue #14, PAP-1, PAP-2; migration 0032).
import type { PaperTables } from "../../records/paper/tables.js";
export type * from "../../records/paper/tables.js";
export type * from "../audit/tables.js";
import type { SignInTables } from "../../identity/auth/tables.js";
export type * from "../../identity/auth/tables.js";
import type { MatterTables } from "../../records/matters/tables.js";
export type * from "../../records/matters/tables.js";
import type { WallTables } from "../../access/walls/tables.js";
export type * from "../../access/walls/tables.js";
import type { AlertTables } from "../../response/detection/alert-tables.js";
export type * from "../../response/detection/alert-tables.js";
import type { NoticeTables } from "../../rights/notices/tables.js";
export type * from "../../rights/notices/tables.js";
import type { ConsentTables } from "../../rights/consent/tables.js";
export type * from "../../rights/consent/tables.js";
import type { BlobTables } from "../blobs/tables.js";
import type { DocumentTables } from "../../records/documents/tables.js";
export type * from "../../records/documents/tables.js";
import type { ShareTables } from "../../records/documents/share-tables.js";
export type * from "../../records/documents/share-tables.js";
export type * from "../blobs/tables.js";
// People and governance (issue #14): devices, privacy team, policies, investigations and awards.
import type { DeviceTables } from "../../governance/devices/tables.js";
export type * from "../../governance/devices/tables.js";
import type { PrivacyTeamTables } from "../../governance/privacy-team/tables.js";
export type * from "../../governance/privacy-team/tables.js";
import type { PolicyTables } from "../../governance/policies/tables.js";
export type * from "../../governance/policies/tables.js";
import type { AccountabilityCaseTables } from "../../governance/accountability/case-tables.js";
export type * from "../../governance/accountability/case-tables.js";
// KPI targets (issue #14, GOV-6; migration 0034).
import type { KpiTables } from "../../governance/kpis/tables.js";
export type * from "../../governance/kpis/tables.js";

export interface Database
  extends VaultTables,
    ClientTables,
    PurposeTables,
    UserTables,
    AuditTables,
    SignInTables,
    MatterTables,
    WallTables,
    AlertTables,
    NoticeTables,
    ConsentTables,
    RequestTables,
    DetectionTables,
    NotificationTables,
    ComplaintTables,
    AccountabilityTables,
    IncidentReviewTables,
    RetentionTables,
    PasskeyTables,
    AccessReviewTables,
    IncidentEvidenceTables,
    StaffCalendarTables,
    BlobTables,
    DocumentTables,
    ShareTables,
    JobTables,
    SmsTables,
    PartnerTables,
    AssessmentTables,
    DisclosureProfileTables,
    DisclosureTables,
    TrainingTables,
    PaperTables,
    DeviceTables,
    PrivacyTeamTables,
    PolicyTables,
    AccountabilityCaseTables,
    KpiTables {
  approval_requests: DbApprovalRequest;
  approval_decisions: DbApprovalDecision;
  access_grants: DbAccessGrant;
  break_glass_accesses: DbBreakGlassAccess;
  break_glass_reviews: DbBreakGlassReview;
}
