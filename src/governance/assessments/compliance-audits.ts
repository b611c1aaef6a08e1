/**
 * Compliance audits (PIPL Art 54, AUD-3): the record of each internal or external audit — who
 * audited (sealed: it may name a person), the period and scope, the report's reference or the
 * report itself in the document store, the conclusion — and the findings it raised.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { type AuditConclusion, type AuditKind, NOT_VERIFIED, refusedUnless } from "./assessment.js";
import type { AuditCreateInput } from "./assessment-inputs.js";
import { findingsIn, type PresentedFinding } from "./findings-view.js";
import type { DbComplianceAudit } from "./tables.js";
import { firmDay } from "../../platform/firm-time.js";

export interface PresentedAudit {
  id: string;
  kind: AuditKind;
  auditor: string;
  periodFrom: string;
  periodTo: string;
  scope: string;
  reportReference: string | null;
  reportDocumentId: string | null;
  conclusion: AuditConclusion;
  completedOn: string;
  createdBy: string;
  createdAt: string;
  findings: PresentedFinding[];
  openFindings: number;
}

async function present(services: Services, tx: Tx, r: DbComplianceAudit, now: Date): Promise<PresentedAudit> {
  const findings = await findingsIn(services, tx, { auditId: r.id }, now);
  return {
    id: r.id,
    kind: r.kind as AuditKind,
    auditor: openText(services.vault, "compliance_audits", r.id, "auditor", r.auditor_ct),
    periodFrom: r.period_from,
    periodTo: r.period_to,
    scope: openText(services.vault, "compliance_audits", r.id, "scope", r.scope_ct),
    reportReference: r.report_reference,
    reportDocumentId: r.report_document_id,
    conclusion: r.conclusion as AuditConclusion,
    completedOn: r.completed_on,
    createdBy: r.created_by,
    createdAt: r.created_at,
    findings,
    openFindings: findings.filter((f) => (NOT_VERIFIED as readonly string[]).includes(f.status)).length,
  };
}

export async function auditsIn(services: Services, tx: Tx, now: Date): Promise<PresentedAudit[]> {
  const rows = await tx.selectFrom("compliance_audits").selectAll().orderBy("completed_on", "desc").orderBy("id", "desc").execute();
  const out: PresentedAudit[] = [];
  for (const r of rows) out.push(await present(services, tx, r, now));
  return out;
}

export async function listAudits(services: Services, ctx: RequestContext, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.audit.list", targetType: "compliance_audit", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.read", event);
    if (refused) return refused;
    const items = await auditsIn(services, w.tx, now);
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

export async function recordAudit(services: Services, ctx: RequestContext, input: AuditCreateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.audit.record", targetType: "compliance_audit", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const issues = [];
    if (input.periodTo < input.periodFrom) issues.push({ field: "periodTo", code: "before_period_from", message: "Must not be before the start." });
    if (input.completedOn > firmDay(now)) issues.push({ field: "completedOn", code: "in_future", message: "Must not be in the future." });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    if (input.reportDocumentId && !(await w.tx.selectFrom("documents").select("id").where("id", "=", input.reportDocumentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Document"), event, "failure");
    const id = uuidv7();
    await w.tx
      .insertInto("compliance_audits")
      .values({
        id,
        kind: input.kind,
        auditor_ct: sealText(services.vault, "compliance_audits", id, "auditor", input.auditor),
        period_from: input.periodFrom,
        period_to: input.periodTo,
        scope_ct: sealText(services.vault, "compliance_audits", id, "scope", input.scope),
        report_reference: input.reportReference,
        report_document_id: input.reportDocumentId,
        conclusion: input.conclusion,
        completed_on: input.completedOn,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({
      ...event,
      targetId: id,
      outcome: "success",
      details: { kind: input.kind, periodFrom: input.periodFrom, periodTo: input.periodTo, conclusion: input.conclusion, completedOn: input.completedOn },
    });
    return present(services, w.tx, await w.tx.selectFrom("compliance_audits").selectAll().where("id", "=", id).executeTakeFirstOrThrow(), now);
  });
}
