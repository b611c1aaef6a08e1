/**
 * The vocabulary of self-assessments, compliance audits and findings (GOV-3, GOV-4, AUD-3, PIPL
 * Art 54–56): what a run is, how a control is answered, how a finding moves to closure.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import { ConflictError } from "../../platform/errors.js";

export const RUN_KINDS = ["quarterly", "yearly", "ad_hoc"] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RUN_STATUSES = ["planned", "in_progress", "completed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How a control is answered by hand; an evidence source only suggests met / partly / not_met. */
export const RESULTS = ["met", "partly", "not_met", "not_applicable"] as const;
export type ControlResult = (typeof RESULTS)[number];
export type Suggestion = Exclude<ControlResult, "not_applicable">;

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** open → in_remediation → resolved → verified (by someone other than the owner). */
export const FINDING_STATUSES = ["open", "in_remediation", "resolved", "verified"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
/** Findings still to be worked on: these can be overdue and are carried into the next run. */
export const UNFINISHED: readonly FindingStatus[] = ["open", "in_remediation"];
/** Findings not yet closed by verification. */
export const NOT_VERIFIED: readonly FindingStatus[] = ["open", "in_remediation", "resolved"];

export const AUDIT_KINDS = ["internal", "external"] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
export const AUDIT_CONCLUSIONS = ["compliant", "compliant_with_findings", "non_compliant"] as const;
export type AuditConclusion = (typeof AUDIT_CONCLUSIONS)[number];

/** PIPL Art 55: when a prior impact assessment is required. */
export const PIA_TRIGGERS = ["sensitive_pi", "automated_decision", "entrusting", "providing", "publishing", "cross_border", "other"] as const;
export type PiaTrigger = (typeof PIA_TRIGGERS)[number];

export const CONTROL_CODE = /^[A-Z][A-Z0-9]{0,9}-[0-9A-Z]{1,6}$/;
export const AREA = /^[A-Z][A-Z0-9]{0,9}$/;

export const RunNotOpenError = () => ConflictError("run_not_in_progress", "The assessment run is not in progress.");
export const RunStartedError = () => ConflictError("run_already_started", "The assessment run has already started.");
export const ControlsUnansweredError = () => ConflictError("controls_unanswered", "Every control in scope needs an answer before the run is completed.");
export const FindingStatusError = () => ConflictError("finding_status", "The finding cannot move to that status from its current one.");

export type AssessmentEvent = { action: string; targetType: string; targetId: string | null };

/** Reading takes `assessment.read`, changing `assessment.manage`; a refusal is a 403, audited. */
export function refusedUnless(w: AuditedWork, ctx: RequestContext, action: "assessment.read" | "assessment.manage", event: AssessmentEvent): Refusal | null {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
}

export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
