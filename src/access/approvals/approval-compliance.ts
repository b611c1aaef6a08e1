import type { RequestContext } from "../policy/actor.js";
import { authorize } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbAuditEvent } from "../../platform/db/schema.js";
import type { Services } from "../../platform/services.js";

export interface ApprovalComplianceKpi {
  from: string;
  to: string;
  /** Sensitive operations attempted in the window (exports, reads beyond one's matters, disclosures). */
  sensitiveOperations: number;
  /** Of those, how many ran under a current grant. */
  withValidGrant: number;
  /** withValidGrant / sensitiveOperations; null when there were none. */
  value: number | null;
  byKind: Record<"export" | "read_sensitive" | "disclose", { total: number; withGrant: number }>;
  /** Reads under break-glass: sensitive, never approved beforehand (reviewed afterwards). */
  breakGlassReads: number;
}

type Kind = keyof ApprovalComplianceKpi["byKind"];

/**
 * How one audit event counts for the KPI, or null. Attempts count as well as successes: an export
 * refused for want of a grant, or a read refused as outside one's matters, is a sensitive operation
 * tried without approval.
 */
export function classify(
  e: Pick<DbAuditEvent, "action" | "outcome" | "reason" | "details" | "target_type">,
): { kind: Kind; granted: boolean; breakGlass: boolean } | null {
  const details = e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {};
  if (e.action === "client.export") {
    if (e.outcome === "success") return { kind: "export", granted: typeof details.grantId === "string", breakGlass: false };
    if (e.reason === "approval_required") return { kind: "export", granted: false, breakGlass: false };
    return null;
  }
  if (e.action === "client.read") {
    const via = details.grantedVia ?? (details.via === "grant" || details.via === "break_glass" ? details.via : null);
    if (e.outcome === "success" && via === "grant") return { kind: "read_sensitive", granted: true, breakGlass: false };
    if (e.outcome === "success" && via === "break_glass") return { kind: "read_sensitive", granted: false, breakGlass: true };
    if (e.outcome === "denied" && e.reason === "not_on_matter") return { kind: "read_sensitive", granted: false, breakGlass: false };
    return null;
  }
  // A disclosure to a partner: one `client.disclose` event per client (src/records/disclosures/).
  if (e.action === "client.disclose") {
    if (e.outcome === "success" && e.target_type === "client") return { kind: "disclose", granted: typeof details.grantId === "string", breakGlass: false };
    if (e.reason === "approval_required") return { kind: "disclose", granted: false, breakGlass: false };
    return null;
  }
  if (e.action.startsWith("disclosure.") && e.outcome !== "failure")
    return { kind: "disclose", granted: typeof details.grantId === "string", breakGlass: false };
  return null;
}

/**
 * Approval-compliance KPI (APR-1..3), computed from the audit log alone: the share of sensitive
 * operations in [from, to) that had a valid grant. The audit log is the evidence, so the KPI can be
 * recomputed by anyone who can verify the chain.
 */
export async function approvalComplianceKpi(services: Services, ctx: RequestContext, range: { from: string; to: string }): Promise<ApprovalComplianceKpi> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.approval_compliance", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    const kpi = await computeApprovalCompliance(w.tx, range);
    w.record({
      ...event,
      outcome: "success",
      details: { from: range.from, to: range.to, sensitiveOperations: kpi.sensitiveOperations, withValidGrant: kpi.withValidGrant },
    });
    return kpi;
  });
}

/** The KPI's figures over [from, to), in the caller's transaction (the dashboard reuses them). */
export async function computeApprovalCompliance(tx: Tx, range: { from: string; to: string }): Promise<ApprovalComplianceKpi> {
  const rows = await sensitiveOperationCandidates(tx, range);
  const byKind: ApprovalComplianceKpi["byKind"] = {
    export: { total: 0, withGrant: 0 },
    read_sensitive: { total: 0, withGrant: 0 },
    disclose: { total: 0, withGrant: 0 },
  };
  let breakGlassReads = 0;
  for (const r of rows) {
    const c = classify(r);
    if (!c) continue;
    byKind[c.kind].total++;
    if (c.granted) byKind[c.kind].withGrant++;
    if (c.breakGlass) breakGlassReads++;
  }
  const total = byKind.export.total + byKind.read_sensitive.total + byKind.disclose.total;
  const granted = byKind.export.withGrant + byKind.read_sensitive.withGrant + byKind.disclose.withGrant;
  return {
    from: range.from,
    to: range.to,
    sensitiveOperations: total,
    withValidGrant: granted,
    value: total ? granted / total : null,
    byKind,
    breakGlassReads,
  };
}

/**
 * The audit events in [from, to) that may be sensitive operations, oldest first: `classify` decides
 * which are. The KPI module (src/governance/kpis/) lists them as the records behind the figure.
 */
export function sensitiveOperationCandidates(tx: Tx, range: { from: string; to: string }) {
  return tx
    .selectFrom("audit_events")
    .select(["seq", "id", "at", "action", "outcome", "reason", "details", "target_type", "target_id"])
    .where("at", ">=", range.from)
    .where("at", "<", range.to)
    .where((eb) =>
      eb.or([
        eb("action", "=", "client.export"),
        eb.and([
          eb("action", "=", "client.read"),
          eb.or([
            eb("outcome", "=", "denied"),
            eb("details", "like", '%"via":"grant"%'),
            eb("details", "like", '%"via":"break_glass"%'),
            eb("details", "like", '%"grantedVia":%'),
          ]),
        ]),
        eb("action", "like", "disclosure.%"),
        eb("action", "=", "client.disclose"),
      ]),
    )
    .orderBy("seq")
    .execute();
}
