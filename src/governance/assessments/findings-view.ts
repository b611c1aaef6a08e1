/** Presenting findings: sealed texts opened, overdue judged by the firm's calendar day. */
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { localDate } from "../../rights/requests/deadlines.js";
import { firmTimeZone } from "../../rights/requests/request-store.js";
import { openText } from "../../vault/sealed-text.js";
import type { DbAssessmentFinding } from "./tables.js";
import { type FindingStatus, type Severity, UNFINISHED } from "./assessment.js";

export interface PresentedFinding {
  id: string;
  runId: string | null;
  auditId: string | null;
  controlCode: string | null;
  summary: string;
  severity: Severity;
  ownerId: string;
  dueOn: string;
  status: FindingStatus;
  overdue: boolean;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  createdBy: string;
  createdAt: string;
}

/** The firm's calendar day (Asia/Shanghai unless set): deadlines are days there. */
export const firmToday = async (tx: Tx, now: Date): Promise<string> => localDate(now, await firmTimeZone(tx));

export const isFindingOverdue = (row: Pick<DbAssessmentFinding, "status" | "due_on">, today: string): boolean =>
  (UNFINISHED as readonly string[]).includes(row.status) && row.due_on < today;

export const presentFinding = (services: Services, row: DbAssessmentFinding, today: string): PresentedFinding => ({
  id: row.id,
  runId: row.run_id,
  auditId: row.audit_id,
  controlCode: row.control_code,
  summary: openText(services.vault, "assessment_findings", row.id, "summary", row.summary_ct),
  severity: row.severity as Severity,
  ownerId: row.owner_id,
  dueOn: row.due_on,
  status: row.status as FindingStatus,
  overdue: isFindingOverdue(row, today),
  resolution: row.resolution_ct ? openText(services.vault, "assessment_findings", row.id, "resolution", row.resolution_ct) : null,
  resolvedBy: row.resolved_by,
  resolvedAt: row.resolved_at,
  verifiedBy: row.verified_by,
  verifiedAt: row.verified_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export interface FindingFilter {
  runId?: string;
  auditId?: string;
  status?: FindingStatus;
  ownerId?: string;
  overdue?: boolean;
}

/** Findings by deadline, then age; `overdue` keeps those past their deadline and unfinished. */
export async function findingsIn(services: Services, tx: Tx, filter: FindingFilter, now: Date): Promise<PresentedFinding[]> {
  const today = await firmToday(tx, now);
  let q = tx.selectFrom("assessment_findings").selectAll().orderBy("due_on").orderBy("id");
  if (filter.runId) q = q.where("run_id", "=", filter.runId);
  if (filter.auditId) q = q.where("audit_id", "=", filter.auditId);
  if (filter.status) q = q.where("status", "=", filter.status);
  if (filter.ownerId) q = q.where("owner_id", "=", filter.ownerId);
  if (filter.overdue) q = q.where("status", "in", [...UNFINISHED]).where("due_on", "<", today);
  return (await q.execute()).map((r) => presentFinding(services, r, today));
}
