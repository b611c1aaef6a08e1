/**
 * The console dashboard: one read that composes figures each domain computes itself. It holds
 * counts and shares only, no ids and no personal data, and is read by those who read the
 * approval-compliance KPI (`kpi.read`: partners, compliance, auditors).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { computeApprovalCompliance, type ApprovalComplianceKpi } from "../../access/approvals/approval-compliance.js";
import { runAudited } from "../../platform/audit/audited.js";
import { countOpenAlerts } from "../../response/detection/alert-commands.js";
import { countOpenIncidents } from "../../response/incidents/incident-commands.js";
import { measureEncryptionCoverage, type EncryptionCoverage } from "../../records/inventory/encryption-coverage.js";
import { localDate } from "../../rights/requests/deadlines.js";
import type { RequestSettings } from "../../rights/requests/request.js";
import { countOpenRequests, firmTimeZone } from "../../rights/requests/request-store.js";
import type { Services } from "../../platform/services.js";

export interface Dashboard {
  encryptionCoverage: EncryptionCoverage;
  /** The approval-compliance KPI over the last APPROVAL_WINDOW_DAYS days, up to and including now. */
  approvalCompliance: ApprovalComplianceKpi;
  openRequests: number;
  overdueRequests: number;
  /** Alerts not yet acknowledged, dismissed or escalated. */
  openAlerts: number;
  /** Incidents not yet closed. */
  openIncidents: number;
  generatedAt: string;
}

export const APPROVAL_WINDOW_DAYS = 30;

export async function readDashboard(services: Services, settings: Pick<RequestSettings, "now">, ctx: RequestContext): Promise<Dashboard> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.dashboard", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    // The request clock decides what is overdue, as for the request list (tests move it).
    const now = settings.now();
    // [now − 30 days, now]: the KPI's upper bound is exclusive, and an event of this very millisecond counts.
    const range = { from: new Date(now.getTime() - APPROVAL_WINDOW_DAYS * 86_400_000).toISOString(), to: new Date(now.getTime() + 1).toISOString() };
    const requests = await countOpenRequests(w.tx, localDate(now, await firmTimeZone(w.tx)));
    const dashboard: Dashboard = {
      encryptionCoverage: await measureEncryptionCoverage(w.tx),
      approvalCompliance: await computeApprovalCompliance(w.tx, range),
      openRequests: requests.open,
      overdueRequests: requests.overdue,
      openAlerts: await countOpenAlerts(w.tx),
      openIncidents: await countOpenIncidents(w.tx),
      generatedAt: now.toISOString(),
    };
    w.record({
      ...event,
      outcome: "success",
      details: {
        encryptionCoverage: dashboard.encryptionCoverage.value,
        approvalCompliance: dashboard.approvalCompliance.value,
        openRequests: dashboard.openRequests,
        overdueRequests: dashboard.overdueRequests,
        openAlerts: dashboard.openAlerts,
        openIncidents: dashboard.openIncidents,
      },
    });
    return dashboard;
  });
}
