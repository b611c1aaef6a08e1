/**
 * The alert lifecycle: new → acknowledged | dismissed (reason code) | escalated (to an incident).
 * Anyone with alert.read lists alerts; only compliance (alert.manage) moves them. Every change is
 * audited; alerts and their events hold ids and codes only.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited, type AuditDraft, type AuditedWork, type Refusal } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbAlert } from "../../platform/db/schema.js";
import { AppError, NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { AlertStatus, DismissReason } from "./rules.js";

export interface Alert {
  id: string;
  kind: string;
  ruleCode: string | null;
  severity: string | null;
  userId: string | null;
  wallId: string | null;
  evidence: number[];
  facts: Record<string, number | string>;
  containment: string | null;
  status: string;
  statusAt: string | null;
  statusBy: string | null;
  dismissReason: string | null;
  incidentId: string | null;
  createdAt: string;
}

/** An alert's severity: rows written by src/access/walls predate the column and are high (the wall_breach rule's). */
export const alertSeverity = (row: Pick<DbAlert, "kind" | "severity">): string | null => row.severity ?? (row.kind === "wall_breach_attempt" ? "high" : null);

export function presentAlert(row: DbAlert): Alert {
  const wall = row.kind === "wall_breach_attempt";
  return {
    id: row.id,
    kind: row.kind,
    // Rows written by src/access/walls predate the rule column: they are wall-breach records.
    ruleCode: row.rule_code ?? (wall ? "wall_breach" : null),
    severity: alertSeverity(row),
    userId: row.user_id,
    wallId: row.wall_id,
    evidence: row.evidence ? (JSON.parse(row.evidence) as number[]) : row.event_seq !== null ? [Number(row.event_seq)] : [],
    facts: row.facts ? (JSON.parse(row.facts) as Record<string, number | string>) : {},
    containment: row.containment ?? null,
    status: row.status,
    statusAt: row.status_at ?? null,
    statusBy: row.status_by ?? null,
    dismissReason: row.dismiss_reason ?? null,
    incidentId: row.incident_id ?? null,
    createdAt: row.created_at,
  };
}

export const AlertTransitionError = () => new AppError(409, "alert_closed", "The alert was already dismissed or escalated.");

export async function listAlerts(
  services: Services,
  ctx: RequestContext,
  filter: { status?: AlertStatus | undefined; ruleCode?: string | undefined; userId?: string | undefined; limit?: number | undefined },
): Promise<Alert[]> {
  return runAudited(services, ctx, async (w) => {
    const decision = authorize(ctx.actor, "alert.read");
    if (decision.effect === "deny") return w.deny(decision, { action: "alert.list", targetType: "alert", targetId: null });
    let q = w.tx
      .selectFrom("alerts")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit ?? 100);
    if (filter.status) q = q.where("status", "=", filter.status);
    if (filter.ruleCode)
      q = q.where((eb) =>
        eb.or([eb("rule_code", "=", filter.ruleCode!), ...(filter.ruleCode === "wall_breach" ? [eb("kind", "=", "wall_breach_attempt")] : [])]),
      );
    if (filter.userId) q = q.where("user_id", "=", filter.userId);
    const rows = await q.execute();
    w.record({ action: "alert.list", targetType: "alert", targetId: null, outcome: "success", details: { results: rows.length } });
    return rows.map(presentAlert);
  });
}

/** Alerts nobody has acknowledged, dismissed or escalated yet. */
export async function countOpenAlerts(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("alerts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "new")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type AlertTransition = { to: "acknowledged" } | { to: "dismissed"; reason: DismissReason } | { to: "escalated"; incidentId: string };

/**
 * Moves one alert. Acknowledging keeps it open; dismissing and escalating close it. Escalation is
 * done by opening an incident from the alert (src/response/incidents), which calls this in its transaction.
 */
export async function transitionAlert(
  services: Services,
  ctx: RequestContext,
  id: string,
  change: Exclude<AlertTransition, { to: "escalated" }>,
): Promise<Alert> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: `alert.${change.to === "acknowledged" ? "acknowledge" : "dismiss"}`, targetType: "alert", targetId: id };
    const decision = authorize(ctx.actor, "alert.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Alert"), event, "failure");
    if (row.status === "dismissed" || row.status === "escalated") return w.refuse(AlertTransitionError(), event, "failure");
    const now = new Date().toISOString();
    const reason = change.to === "dismissed" ? change.reason : null;
    await w.tx
      .updateTable("alerts")
      .set({ status: change.to, status_at: now, status_by: ctx.actor.userId, dismiss_reason: reason })
      .where("id", "=", id)
      .execute();
    w.record({ ...event, outcome: "success", reason, details: { from: row.status } });
    return presentAlert({ ...row, status: change.to, status_at: now, status_by: ctx.actor.userId, dismiss_reason: reason });
  });
}

/**
 * Escalates an alert to the incident being opened from it, inside that command's audited work
 * (src/response/incidents): detection owns the alerts table. Refuses, with the caller's event, an
 * unknown alert or one already dismissed or escalated; records `alert.escalate` otherwise.
 */
export async function escalateAlert(
  w: AuditedWork,
  input: { alertId: string; incidentId: string; by: string; at: string },
  event: Omit<AuditDraft, "outcome">,
): Promise<Refusal | null> {
  const alert = await w.tx.selectFrom("alerts").select(["id", "status"]).where("id", "=", input.alertId).executeTakeFirst();
  if (!alert) return w.refuse(NotFoundError("Alert"), event, "failure");
  if (alert.status === "dismissed" || alert.status === "escalated") return w.refuse(AlertTransitionError(), event, "failure");
  await w.tx
    .updateTable("alerts")
    .set({ status: "escalated", status_at: input.at, status_by: input.by, incident_id: input.incidentId })
    .where("id", "=", alert.id)
    .execute();
  w.record({
    action: "alert.escalate",
    targetType: "alert",
    targetId: alert.id,
    outcome: "success",
    details: { incidentId: input.incidentId, from: alert.status },
  });
  return null;
}
