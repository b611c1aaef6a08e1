/**
 * Post-incident review (INC-5): root cause (a code plus a sealed narrative), lessons, and corrective
 * actions with owners and due dates tracked to closure. Closing is a verification: it needs a
 * verifier other than the action's owner, so nobody signs off their own fix. Drills record
 * tabletop exercises. Compliance (incident.manage) writes; incident.read reads.
 */
import { openText, sealText } from "../../vault/sealed-text.js";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import type { Action } from "../../access/policy/roles.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { IncidentCause } from "../../platform/i18n/incident-notices.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Vault } from "../../vault/vault.js";

import type { Services } from "../../platform/services.js";

export const DRILL_SCENARIOS = [
  "ransomware",
  "lost_device",
  "insider_bulk_export",
  "misdirected_email",
  "paper_file_loss",
  "credential_compromise",
  "vendor_breach",
  "other",
] as const;
export type DrillScenario = (typeof DRILL_SCENARIOS)[number];

export const VerifierMustDifferError = () => new AppError(409, "verifier_must_differ", "A corrective action is closed by a verifier other than its owner.");
export const ActionStateError = () => new AppError(409, "action_state", "The corrective action is not in a state that allows this.");

const guard = (w: AuditedWork, ctx: RequestContext, action: Action, event: { action: string; targetType: string; targetId: string | null }) => {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
};

export async function readReview(services: Services, ctx: RequestContext, incidentId: string, now = new Date()) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "incident.review.read", targetType: "incident", targetId: incidentId };
    const refused = guard(w, ctx, "incident.read", event);
    if (refused) return refused;
    if (!(await w.tx.selectFrom("incidents").select("id").where("id", "=", incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    const review = await w.tx.selectFrom("incident_reviews").selectAll().where("incident_id", "=", incidentId).executeTakeFirst();
    const actions = await w.tx.selectFrom("corrective_actions").selectAll().where("incident_id", "=", incidentId).orderBy("created_at").orderBy("id").execute();
    w.record({ ...event, outcome: "success" });
    return {
      incidentId,
      rootCause: review?.root_cause ?? null,
      narrative: review ? openText(services.vault, "incident_reviews", incidentId, "narrative", review.narrative_ct) : null,
      lessons: review ? (JSON.parse(openText(services.vault, "incident_reviews", incidentId, "lessons", review.lessons)) as string[]) : [],
      updatedAt: review?.updated_at ?? null,
      actions: actions.map((a) => ({
        id: a.id,
        title: openText(services.vault, "corrective_actions", a.id, "title", a.title),
        ownerId: a.owner_id,
        dueAt: a.due_at,
        status: a.status,
        implementedAt: a.implemented_at,
        verifiedBy: a.verified_by,
        closedAt: a.closed_at,
        overdue: a.status !== "closed" && a.due_at < now.toISOString(),
      })),
    };
  });
}

export async function saveReview(
  services: Services,
  ctx: RequestContext,
  incidentId: string,
  input: { rootCause: IncidentCause; narrative: string; lessons: string[] },
) {
  await runAudited(services, ctx, async (w) => {
    const event = { action: "incident.review.save", targetType: "incident", targetId: incidentId };
    const refused = guard(w, ctx, "incident.manage", event);
    if (refused) return refused;
    if (!(await w.tx.selectFrom("incidents").select("id").where("id", "=", incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    const row = {
      root_cause: input.rootCause,
      narrative_ct: sealText(services.vault, "incident_reviews", incidentId, "narrative", input.narrative),
      lessons: sealText(services.vault, "incident_reviews", incidentId, "lessons", JSON.stringify(input.lessons)),
      updated_by: ctx.actor.userId,
      updated_at: new Date().toISOString(),
    };
    await w.tx
      .insertInto("incident_reviews")
      .values({ incident_id: incidentId, ...row })
      .onConflict((oc) => oc.column("incident_id").doUpdateSet(row))
      .execute();
    w.record({ ...event, outcome: "success", details: { rootCause: input.rootCause, lessons: input.lessons.length } });
    return null;
  });
  return readReview(services, ctx, incidentId);
}

export async function addCorrectiveAction(
  services: Services,
  ctx: RequestContext,
  incidentId: string,
  input: { title: string; ownerId: string; dueAt: string },
) {
  const id = uuidv7();
  await runAudited(services, ctx, async (w) => {
    const event = { action: "incident.action.add", targetType: "incident", targetId: incidentId };
    const refused = guard(w, ctx, "incident.manage", event);
    if (refused) return refused;
    if (!(await w.tx.selectFrom("incidents").select("id").where("id", "=", incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    if (!(await w.tx.selectFrom("users").select("id").where("id", "=", input.ownerId).where("status", "=", "active").executeTakeFirst())) {
      return w.refuse(ValidationError([{ field: "ownerId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    }
    await w.tx
      .insertInto("corrective_actions")
      .values({
        id,
        incident_id: incidentId,
        title: sealText(services.vault, "corrective_actions", id, "title", input.title),
        owner_id: input.ownerId,
        due_at: new Date(input.dueAt).toISOString(),
        status: "open",
        implemented_at: null,
        verified_by: null,
        closed_at: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { actionId: id, ownerId: input.ownerId } });
    return null;
  });
  return readReview(services, ctx, incidentId);
}

/**
 * `implemented`: the owner (or compliance) reports the fix done. `closed`: a verifier other than
 * the owner, holding incident.manage, confirms it; the owner alone can never close their action.
 */
export async function advanceCorrectiveAction(services: Services, ctx: RequestContext, incidentId: string, actionId: string, to: "implemented" | "closed") {
  await runAudited(services, ctx, async (w) => {
    const event = { action: `incident.action.${to === "closed" ? "verify" : "implement"}`, targetType: "corrective_action", targetId: actionId };
    const a = await w.tx.selectFrom("corrective_actions").selectAll().where("id", "=", actionId).where("incident_id", "=", incidentId).executeTakeFirst();
    const isOwner = a?.owner_id === ctx.actor.userId;
    if (!(to === "implemented" && isOwner)) {
      const refused = guard(w, ctx, "incident.manage", event);
      if (refused) return refused;
    }
    if (!a) return w.refuse(NotFoundError("Corrective action"), event, "failure");
    const now = new Date().toISOString();
    if (to === "implemented") {
      if (a.status !== "open") return w.refuse(ActionStateError(), event, "failure");
      await w.tx.updateTable("corrective_actions").set({ status: "implemented", implemented_at: now }).where("id", "=", actionId).execute();
    } else {
      if (isOwner) return w.refuse(VerifierMustDifferError(), event, "denied");
      if (a.status === "closed") return w.refuse(ActionStateError(), event, "failure");
      await w.tx
        .updateTable("corrective_actions")
        .set({ status: "closed", implemented_at: a.implemented_at ?? now, verified_by: ctx.actor.userId, closed_at: now })
        .where("id", "=", actionId)
        .execute();
    }
    w.record({ ...event, outcome: "success", details: { incidentId, ownerId: a.owner_id, from: a.status, to } });
    return null;
  });
  return readReview(services, ctx, incidentId);
}

const presentDrill =
  (vault: Vault) =>
  (d: { id: string; scenario: string; held_on: string; participants: string; findings: string; recorded_by: string; created_at: string }) => ({
    id: d.id,
    scenario: d.scenario,
    heldOn: d.held_on,
    participants: JSON.parse(d.participants) as string[],
    findings: openText(vault, "drills", d.id, "findings", d.findings),
    recordedBy: d.recorded_by,
    createdAt: d.created_at,
  });

export async function recordDrill(
  services: Services,
  ctx: RequestContext,
  input: { scenario: DrillScenario; heldOn: string; participants: string[]; findings: string },
) {
  const id = uuidv7();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "drill.record", targetType: "drill", targetId: id };
    const refused = guard(w, ctx, "incident.manage", event);
    if (refused) return refused;
    const participants = [...new Set(input.participants)];
    const known = await w.tx.selectFrom("users").select("id").where("id", "in", participants).execute();
    if (known.length !== participants.length)
      return w.refuse(ValidationError([{ field: "participants", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    const row = {
      id,
      scenario: input.scenario,
      held_on: input.heldOn,
      participants: JSON.stringify(participants),
      findings: sealText(services.vault, "drills", id, "findings", input.findings),
      recorded_by: ctx.actor.userId,
      created_at: new Date().toISOString(),
    };
    await w.tx.insertInto("drills").values(row).execute();
    w.record({ ...event, outcome: "success", details: { scenario: input.scenario, participants: participants.length } });
    return presentDrill(services.vault)(row);
  });
}

export async function listDrills(services: Services, ctx: RequestContext) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "drill.list", targetType: "drill", targetId: null };
    const refused = guard(w, ctx, "incident.read", event);
    if (refused) return refused;
    const rows = await w.tx.selectFrom("drills").selectAll().orderBy("held_on", "desc").orderBy("id", "desc").limit(200).execute();
    w.record({ ...event, outcome: "success" });
    return rows.map(presentDrill(services.vault));
  });
}
