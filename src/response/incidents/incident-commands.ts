/**
 * Incident response use cases (INC-1..4). Compliance (incident.manage) runs them; partners and
 * compliance (incident.read) read. One audited transaction each; rows hold ids, codes and field
 * names, never client personal data.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import type { Action } from "../../access/policy/roles.js";
import { Refusal, runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import { FIELD_LEVELS, type PersonalField } from "../../records/clients/fields.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbIncident } from "../../platform/db/schema.js";
import { escalateAlert } from "../detection/alert-commands.js";
import type { Severity } from "../detection/rules.js";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { IncidentCause, RemedialMeasure } from "../../platform/i18n/incident-notices.js";
import { uuidv7 } from "../../platform/ids.js";
import { notify } from "../notifications/notifier.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { affectedFromExposures, computeBlastRadius, mergeAffected, type AffectedClient } from "./blast-radius.js";
import { partnerNoticesOf, storedPartnerExposures } from "./partner-notice.js";
import { countdown, dutiesFor, formatInZone, type Regime } from "./deadlines.js";
import { canMoveTo, type IncidentCategory, type IncidentSource, type IncidentStatus, type ResponseRole } from "./incident.js";
import { gradeIncident } from "./severity.js";

export interface IncidentOpenInput {
  source: IncidentSource;
  category: IncidentCategory;
  cause: IncidentCause;
  measures: RemedialMeasure[];
  peopleAffected: number;
  l4Involved: boolean;
  leftFirm: boolean;
  euSubjects: boolean;
  /** When the firm became aware; defaults to now. Deadlines run from here. */
  awareAt?: string | undefined;
  contact: string;
  alertId?: string | undefined;
}

export const IncidentStatusError = () => new AppError(409, "incident_status_invalid", "The incident cannot move to that status.");

async function guard(
  w: AuditedWork,
  ctx: RequestContext,
  action: Action,
  event: { action: string; targetType: string; targetId: string | null },
): Promise<Refusal | null> {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
}

async function loadRegimes(tx: Tx): Promise<Regime[]> {
  const rows = await tx.selectFrom("notification_regimes").selectAll().execute();
  return rows.map((r) => ({
    code: r.code,
    recipient: r.recipient,
    hours: Number(r.hours),
    minSeverity: r.min_severity as Severity,
    appliesWhen: r.applies_when,
    displayTimeZone: r.display_time_zone,
    verified: r.verified === 1,
    active: r.active === 1,
  }));
}

/** Adds the duties the incident's grade now owes and it does not have yet (a regrade only adds). */
async function generateDuties(tx: Tx, incident: Pick<DbIncident, "id" | "severity" | "eu_subjects" | "aware_at">): Promise<number> {
  const plans = dutiesFor(await loadRegimes(tx), {
    severity: incident.severity as Severity,
    euSubjects: incident.eu_subjects === 1,
    awareAt: incident.aware_at,
  });
  const existing = new Set(
    (await tx.selectFrom("incident_duties").select("regime_code").where("incident_id", "=", incident.id).execute()).map((d) => d.regime_code),
  );
  const fresh = plans.filter((p) => !existing.has(p.regimeCode));
  if (fresh.length) {
    await tx
      .insertInto("incident_duties")
      .values(
        fresh.map((p) => ({
          id: uuidv7(),
          incident_id: incident.id,
          regime_code: p.regimeCode,
          recipient: p.recipient,
          due_at: p.dueAt,
          display_time_zone: p.displayTimeZone,
          status: "pending",
          done_at: null,
        })),
      )
      .execute();
  }
  return fresh.length;
}

export async function openIncident(services: Services, ctx: RequestContext, input: IncidentOpenInput) {
  const id = uuidv7();
  const created = await runAudited(services, ctx, async (w) => {
    const event = { action: "incident.open", targetType: "incident", targetId: id };
    const refused = await guard(w, ctx, "incident.manage", event);
    if (refused) return refused;
    const now = new Date().toISOString();
    if ((input.awareAt ?? now) > now)
      return w.refuse(ValidationError([{ field: "awareAt", code: "in_future", message: "The time lies in the future." }]), event, "failure");
    if (input.alertId) {
      const refused = await escalateAlert(w, { alertId: input.alertId, incidentId: id, by: ctx.actor.userId, at: now }, event);
      if (refused) return refused;
    }
    const row = await insertIncident(
      services,
      w,
      { id, by: ctx.actor.userId, lead: ctx.actor.userId, now },
      { ...input, source: input.alertId ? "alert" : input.source },
    );
    w.record({ ...event, outcome: "success", details: { source: row.source, category: row.category, severity: row.severity, duties: row.duties } });
    return id;
  });
  return readIncident(services, ctx, created);
}

/**
 * Writes a new incident in the caller's unit of work: the row, its timeline, its duties and the
 * `incident.opened` notice. It checks no permission: openIncident does (`incident.manage`), and a
 * use case that lets others raise one (a lost-device report by the device's owner) decides for
 * itself. `lead` joins the response team as its lead; null leaves the team to compliance.
 */
export async function insertIncident(
  services: Services,
  w: AuditedWork,
  meta: { id: string; by: string; lead: string | null; now: string },
  input: Omit<IncidentOpenInput, "alertId"> & { alertId?: string | undefined },
): Promise<DbIncident & { duties: number }> {
  const { id, now } = meta;
  const awareAt = input.awareAt ?? now;
  const severity = gradeIncident(input);
  const row: DbIncident = {
    id,
    source: input.source,
    category: input.category,
    cause: input.cause,
    measures: JSON.stringify(input.measures),
    people_affected: input.peopleAffected,
    l4_involved: input.l4Involved ? 1 : 0,
    left_firm: input.leftFirm ? 1 : 0,
    eu_subjects: input.euSubjects ? 1 : 0,
    severity,
    status: "open",
    aware_at: awareAt,
    contact: input.contact,
    alert_id: input.alertId ?? null,
    opened_by: meta.by,
    opened_at: now,
    closed_at: null,
  };
  await w.tx.insertInto("incidents").values(row).execute();
  await w.tx.insertInto("incident_timeline").values({ id: uuidv7(), incident_id: id, status: "open", at: now, by_user: meta.by }).execute();
  if (meta.lead) await w.tx.insertInto("incident_members").values({ incident_id: id, user_id: meta.lead, role: "lead", added_at: now }).execute();
  const duties = await generateDuties(w.tx, row);
  await notify(w.tx, services.vault, { kind: "incident.opened", incidentId: id, severity, category: row.category, source: row.source, at: now });
  return { ...row, duties };
}

export async function readIncident(services: Services, ctx: RequestContext, id: string, now = new Date().toISOString()) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "incident.read", targetType: "incident", targetId: id };
    const refused = await guard(w, ctx, "incident.read", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Incident"), event, "failure");
    const [timeline, members, tasks, affected, duties] = await Promise.all([
      w.tx.selectFrom("incident_timeline").select(["status", "at", "by_user"]).where("incident_id", "=", id).orderBy("at").orderBy("id").execute(),
      w.tx.selectFrom("incident_members").select(["user_id", "role", "added_at"]).where("incident_id", "=", id).orderBy("added_at").execute(),
      w.tx.selectFrom("incident_tasks").selectAll().where("incident_id", "=", id).orderBy("created_at").orderBy("id").execute(),
      w.tx.selectFrom("incident_affected_clients").select(["client_id", "fields", "exported"]).where("incident_id", "=", id).orderBy("client_id").execute(),
      w.tx
        .selectFrom("incident_duties")
        .innerJoin("notification_regimes as r", "r.code", "incident_duties.regime_code")
        .selectAll("incident_duties")
        .select(["r.verified", "r.hours"])
        .where("incident_id", "=", id)
        .orderBy("due_at")
        .orderBy("regime_code")
        .execute(),
    ]);
    // A partner's breach notice: the link back to it, and what the partner held (issue #13).
    const [partnerNotices, partnerExposures] = await Promise.all([partnerNoticesOf(w.tx, id), storedPartnerExposures(w.tx, id)]);
    w.record({ ...event, outcome: "success" });
    return {
      id: row.id,
      source: row.source,
      category: row.category,
      cause: row.cause,
      measures: JSON.parse(row.measures) as string[],
      impact: { peopleAffected: row.people_affected, l4Involved: row.l4_involved === 1, leftFirm: row.left_firm === 1, euSubjects: row.eu_subjects === 1 },
      severity: row.severity,
      status: row.status,
      awareAt: row.aware_at,
      contact: row.contact,
      alertId: row.alert_id,
      openedBy: row.opened_by,
      openedAt: row.opened_at,
      closedAt: row.closed_at,
      timeline: timeline.map((t) => ({ status: t.status, at: t.at, by: t.by_user })),
      team: members.map((m) => ({ userId: m.user_id, role: m.role, addedAt: m.added_at })),
      tasks: tasks.map((t) => ({
        id: t.id,
        title: openText(services.vault, "incident_tasks", t.id, "title", t.title),
        ownerId: t.owner_id,
        dueAt: t.due_at,
        status: t.status,
        doneAt: t.done_at,
        overdue: t.status !== "done" && t.due_at < now,
      })),
      affectedClients: affected.map((a) => ({ clientId: a.client_id, fields: JSON.parse(a.fields) as string[], exported: a.exported === 1 })),
      partnerNotices,
      partnerExposures: partnerExposures.map((e) => ({
        partnerId: e.partnerId,
        disclosureId: e.disclosureId,
        clientId: e.clientId,
        fields: e.fields.map((f) => ({ field: f.field, rule: f.rule, method: f.method ?? null })),
      })),
      duties: duties.map((d) => ({
        id: d.id,
        regime: d.regime_code,
        recipient: d.recipient,
        dueAt: d.due_at,
        dueAtLocal: formatInZone(d.due_at, d.display_time_zone),
        timeZone: d.display_time_zone,
        status: d.status,
        doneAt: d.done_at,
        unverified: d.verified !== 1,
        ...countdown(d.due_at, now, d.status === "done"),
      })),
    };
  });
}

export type Incident = Awaited<ReturnType<typeof readIncident>>;

/** Runs a change to one existing incident, audited, then returns the incident as it now stands. */
async function changeIncident(
  services: Services,
  ctx: RequestContext,
  id: string,
  action: string,
  change: (w: AuditedWork, row: DbIncident, now: string) => Promise<Refusal | Record<string, string | number | boolean | null> | null>,
) {
  await runAudited(services, ctx, async (w) => {
    const event = { action, targetType: "incident", targetId: id };
    const refused = await guard(w, ctx, "incident.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Incident"), event, "failure");
    const outcome = await change(w, row, new Date().toISOString());
    if (outcome instanceof Refusal) return outcome;
    w.record({ ...event, outcome: "success", details: outcome });
    return null;
  });
  return readIncident(services, ctx, id);
}

export const changeIncidentStatus = (services: Services, ctx: RequestContext, id: string, to: IncidentStatus) =>
  changeIncident(services, ctx, id, "incident.status", async (w, row, now) => {
    if (!canMoveTo(row.status as IncidentStatus, to))
      return w.refuse(IncidentStatusError(), { action: "incident.status", targetType: "incident", targetId: id, reason: "incident_status_invalid" }, "failure");
    await w.tx
      .updateTable("incidents")
      .set({ status: to, closed_at: to === "closed" ? now : null })
      .where("id", "=", id)
      .execute();
    await w.tx.insertInto("incident_timeline").values({ id: uuidv7(), incident_id: id, status: to, at: now, by_user: ctx.actor.userId }).execute();
    return { from: row.status, to };
  });

/** New impact facts regrade the incident; a higher grade adds the duties it now owes. */
export const updateIncidentImpact = (
  services: Services,
  ctx: RequestContext,
  id: string,
  impact: Partial<{ peopleAffected: number; l4Involved: boolean; leftFirm: boolean; euSubjects: boolean }>,
) => changeIncident(services, ctx, id, "incident.impact", async (w, row) => regrade(w.tx, row, impact));

async function regrade(tx: Tx, row: DbIncident, impact: Partial<{ peopleAffected: number; l4Involved: boolean; leftFirm: boolean; euSubjects: boolean }>) {
  const next = {
    people_affected: impact.peopleAffected ?? row.people_affected,
    l4_involved: impact.l4Involved === undefined ? row.l4_involved : impact.l4Involved ? 1 : 0,
    left_firm: impact.leftFirm === undefined ? row.left_firm : impact.leftFirm ? 1 : 0,
    eu_subjects: impact.euSubjects === undefined ? row.eu_subjects : impact.euSubjects ? 1 : 0,
  };
  const severity = gradeIncident({ peopleAffected: next.people_affected, l4Involved: next.l4_involved === 1, leftFirm: next.left_firm === 1 });
  await tx
    .updateTable("incidents")
    .set({ ...next, severity })
    .where("id", "=", row.id)
    .execute();
  const duties = await generateDuties(tx, { ...row, ...next, severity });
  return { from: row.severity, to: severity, peopleAffected: next.people_affected, dutiesAdded: duties };
}

export const addIncidentMember = (services: Services, ctx: RequestContext, id: string, member: { userId: string; role: ResponseRole }) =>
  changeIncident(services, ctx, id, "incident.member.add", async (w, _row, now) => {
    const user = await w.tx.selectFrom("users").select("id").where("id", "=", member.userId).where("status", "=", "active").executeTakeFirst();
    if (!user)
      return w.refuse(
        ValidationError([{ field: "userId", code: "unknown_user", message: "No active user has this id." }]),
        { action: "incident.member.add", targetType: "incident", targetId: id },
        "failure",
      );
    await w.tx.deleteFrom("incident_members").where("incident_id", "=", id).where("user_id", "=", member.userId).execute();
    await w.tx.insertInto("incident_members").values({ incident_id: id, user_id: member.userId, role: member.role, added_at: now }).execute();
    return { userId: member.userId, role: member.role };
  });

export const addIncidentTask = (services: Services, ctx: RequestContext, id: string, task: { title: string; ownerId: string; dueAt: string }) =>
  changeIncident(services, ctx, id, "incident.task.add", async (w, _row, now) => {
    const owner = await w.tx.selectFrom("users").select("id").where("id", "=", task.ownerId).where("status", "=", "active").executeTakeFirst();
    if (!owner)
      return w.refuse(
        ValidationError([{ field: "ownerId", code: "unknown_user", message: "No active user has this id." }]),
        { action: "incident.task.add", targetType: "incident", targetId: id },
        "failure",
      );
    const taskId = uuidv7();
    await w.tx
      .insertInto("incident_tasks")
      .values({
        id: taskId,
        incident_id: id,
        title: sealText(services.vault, "incident_tasks", taskId, "title", task.title),
        owner_id: task.ownerId,
        due_at: new Date(task.dueAt).toISOString(),
        status: "open",
        created_at: now,
        done_at: null,
      })
      .execute();
    return { taskId, ownerId: task.ownerId };
  });

export const completeIncidentTask = (services: Services, ctx: RequestContext, id: string, taskId: string) =>
  changeIncident(services, ctx, id, "incident.task.done", async (w, _row, now) => {
    const done = await w.tx
      .updateTable("incident_tasks")
      .set({ status: "done", done_at: now })
      .where("id", "=", taskId)
      .where("incident_id", "=", id)
      .where("status", "=", "open")
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1)
      return w.refuse(NotFoundError("Task"), { action: "incident.task.done", targetType: "incident", targetId: id }, "failure");
    return { taskId };
  });

export const completeIncidentDuty = (services: Services, ctx: RequestContext, id: string, dutyId: string) =>
  changeIncident(services, ctx, id, "incident.duty.done", async (w, _row, now) => {
    const done = await w.tx
      .updateTable("incident_duties")
      .set({ status: "done", done_at: now })
      .where("id", "=", dutyId)
      .where("incident_id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1)
      return w.refuse(NotFoundError("Duty"), { action: "incident.duty.done", targetType: "incident", targetId: id }, "failure");
    return { dutyId };
  });

/**
 * Computes the blast radius of a compromised account or token over a window and attaches it
 * (replacing an earlier computation). The number of affected clients and whether L4 fields were
 * among them feed the grade: the impact can only grow from this evidence, never shrink.
 */
export const attachBlastRadius = (
  services: Services,
  ctx: RequestContext,
  id: string,
  subject: { userId?: string | undefined; tokenId?: string | undefined; from: string; to: string },
) =>
  changeIncident(services, ctx, id, "incident.blast_radius", async (w, row, now) => {
    let userId = subject.userId ?? null;
    if (subject.tokenId) {
      const token = await w.tx.selectFrom("api_tokens").select("user_id").where("id", "=", subject.tokenId).executeTakeFirst();
      userId = token?.user_id ?? null;
    }
    if (!userId)
      return w.refuse(
        ValidationError([{ field: subject.tokenId ? "tokenId" : "userId", code: "unknown_record", message: "No such record." }]),
        { action: "incident.blast_radius", targetType: "incident", targetId: id },
        "failure",
      );
    // What a partner held (an incident its breach notice opened) stays in the radius.
    const affected: AffectedClient[] = mergeAffected(
      await computeBlastRadius(w.tx, {
        userId,
        from: new Date(subject.from).toISOString(),
        to: new Date(subject.to).toISOString(),
      }),
      affectedFromExposures(await storedPartnerExposures(w.tx, id)),
    );
    await w.tx.deleteFrom("incident_affected_clients").where("incident_id", "=", id).execute();
    for (let i = 0; i < affected.length; i += 200) {
      await w.tx
        .insertInto("incident_affected_clients")
        .values(
          affected
            .slice(i, i + 200)
            .map((a) => ({ incident_id: id, client_id: a.clientId, fields: JSON.stringify(a.fields), exported: a.exported ? 1 : 0, computed_at: now })),
        )
        .execute();
    }
    const l4 = affected.some((a) => a.fields.some((f) => FIELD_LEVELS[f as PersonalField] === 4));
    const grade = await regrade(w.tx, row, {
      peopleAffected: Math.max(row.people_affected, affected.length),
      l4Involved: row.l4_involved === 1 || l4,
      leftFirm: row.left_firm === 1 || affected.some((a) => a.exported),
    });
    return { subjectUserId: userId, clients: affected.length, severity: grade.to, dutiesAdded: grade.dutiesAdded };
  });

/** Incidents not yet closed. */
export async function countOpenIncidents(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("incidents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "!=", "closed")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
