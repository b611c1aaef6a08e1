/**
 * The caller's work queues for the console's home page and menu counters (issue #15): for each
 * queue the policy shows them (src/access/policy/work-queues.ts), a count and the first few items.
 * Items carry ids, codes, dates and non-personal references only (matter numbers, `REQ-8A093B86`):
 * nothing is decrypted here, and the console names clients through the audited lookups.
 */
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { authorizeBreakGlassReview, authorizeMatter } from "../../access/policy/policy.js";
import { workQueuesOf, type WorkQueue } from "../../access/policy/work-queues.js";
import { approvalsToDecide } from "../../access/approvals/approval-queries.js";
import { STAFF_NDA } from "../../access/conditions/access-conditions.js";
import { pendingItemsOf } from "../../access/reviews/access-review-queries.js";
import { isOverdue } from "../../access/reviews/access-review.js";
import { screenedClients } from "../../access/walls/screening.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { presentAlert } from "../../response/detection/alert-commands.js";
import { deadlineFlags, localDate } from "../../rights/requests/deadlines.js";
import { CLOSED, type RequestSettings } from "../../rights/requests/request.js";
import { firmTimeZone } from "../../rights/requests/request-store.js";
import { referenceOf } from "../kpis/kpi.js";
import { currentVersionOf, latestAcknowledgement } from "../training/agreements.js";
import { trainingObligations } from "../training/obligations.js";

/** Items shown per queue; the count covers all of them. */
export const WORK_ITEMS_SHOWN = 5;
/** Incident notification duties due within this many hours (or overdue) are in the queue. */
export const DUTY_HORIZON_HOURS = 72;

export interface WorkItem {
  id: string;
  /** The record the console opens for this item (an incident for a duty, else the item itself). */
  target: string;
  /** A non-personal reference: a matter number, `REQ-…`, `INC-…`. */
  reference: string | null;
  /** A code the console labels (practice area, approval kind, request type, rule, regime …). */
  kind: string | null;
  severity: string | null;
  /** A course or agreement title, which is the firm's text, not personal data. */
  title: { zh: string; en: string } | null;
  /** The staff member concerned: requester, reviewed person, who broke the glass. */
  staffId: string | null;
  /** The due date or instant, or when it happened. */
  at: string | null;
  overdue: boolean;
}

export interface Queue {
  queue: WorkQueue;
  count: number;
  overdue: number;
  items: WorkItem[];
}

export interface WorkQueues {
  queues: Queue[];
  generatedAt: string;
}

const item = (fields: Partial<WorkItem> & Pick<WorkItem, "id">): WorkItem => ({
  target: fields.id,
  reference: null,
  kind: null,
  severity: null,
  title: null,
  staffId: null,
  at: null,
  overdue: false,
  ...fields,
});

const queueOf = (queue: WorkQueue, all: WorkItem[], count = all.length): Queue => ({
  queue,
  count,
  overdue: all.filter((i) => i.overdue).length,
  items: all.slice(0, WORK_ITEMS_SHOWN),
});

type Loader = (tx: Tx, actor: Actor, now: Date) => Promise<Queue>;

/** Open matters the actor is on or answers for, newest first; never one walled from them. */
const myMatters: Loader = async (tx, actor) => {
  const walls = await screenedClients(tx, actor.userId);
  const walled = [...walls.keys()];
  let q = tx
    .selectFrom("matters as m")
    .leftJoin("matter_members as mm", (j) => j.onRef("mm.matter_id", "=", "m.id").on("mm.user_id", "=", actor.userId))
    .select(["m.id", "m.number", "m.practice_area", "m.client_id", "m.created_at", "mm.user_id as member"])
    .where("m.status", "=", "open")
    .where((eb) => eb.or([eb("mm.user_id", "is not", null), eb("m.responsible_partner_id", "=", actor.userId)]));
  if (walled.length) q = q.where("m.client_id", "not in", walled);
  const rows = await q.orderBy("m.created_at", "desc").orderBy("m.id", "desc").execute();
  const items = rows
    .filter((m) => authorizeMatter(actor, "matter.read", { isMember: m.member !== null, screenedBy: walls.get(m.client_id) ?? [] }).effect !== "deny")
    .map((m) => item({ id: m.id, reference: m.number, kind: m.practice_area, at: m.created_at }));
  return queueOf("myMatters", items);
};

/** Pending approvals with a slot the actor may fill (the approvals inbox's "to decide"), oldest first. */
const approvals: Loader = async (tx, actor) => {
  const rows = await approvalsToDecide(tx, actor);
  return queueOf(
    "approvalsToDecide",
    rows.map((r) => item({ id: r.id, kind: r.kind, staffId: r.requester_id, at: r.created_at })),
  );
};

const reviewItems: Loader = async (tx, actor, now) => {
  const rows = await pendingItemsOf(tx, actor).execute();
  return queueOf(
    "myReviewItems",
    rows.map((r) =>
      item({ id: r.id, reference: r.matter_number, kind: r.kind, staffId: r.subject_user_id, at: r.due_on, overdue: isOverdue(r.due_on, "open", now) }),
    ),
  );
};

/** Courses not yet done (overdue first), and the staff NDA when its current version awaits acknowledgement. */
const training: Loader = async (tx, actor, now) => {
  const open = (await trainingObligations(tx, now, { userId: actor.userId }))
    .filter((o) => o.status === "overdue" || o.status === "pending")
    .sort((a, b) => Number(b.status === "overdue") - Number(a.status === "overdue") || a.dueOn.localeCompare(b.dueOn));
  const titles = open.length
    ? new Map(
        (
          await tx
            .selectFrom("training_courses")
            .select(["id", "title_zh", "title_en"])
            .where(
              "id",
              "in",
              open.map((o) => o.courseId),
            )
            .execute()
        ).map((c) => [c.id, { zh: c.title_zh, en: c.title_en }]),
      )
    : new Map<string, { zh: string; en: string }>();
  const items = open.map((o) => item({ id: o.courseId, kind: "course", title: titles.get(o.courseId) ?? null, at: o.dueOn, overdue: o.status === "overdue" }));
  const nda = await currentVersionOf(tx, STAFF_NDA);
  if (nda) {
    const ack = await latestAcknowledgement(tx, actor.userId, STAFF_NDA);
    if (!ack || Number(ack.version) < Number(nda.version))
      items.unshift(item({ id: `${STAFF_NDA}:${nda.version}`, target: STAFF_NDA, kind: "agreement", title: { zh: nda.title_zh, en: nda.title_en } }));
  }
  return queueOf("myTraining", items);
};

/** Open data-subject requests due today or overdue (the extended deadline if extended), soonest first. */
const requests: Loader = async (tx, _actor, now) => {
  const today = localDate(now, await firmTimeZone(tx));
  const rows = await tx
    .selectFrom("client_requests")
    .select(["id", "type", "due_date", "extended_due_date"])
    .where("status", "not in", [...CLOSED])
    .execute();
  const items = rows
    .map((r) => ({ ...r, due: r.extended_due_date ?? r.due_date }))
    .filter((r) => r.due <= today)
    .sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id))
    .map((r) => item({ id: r.id, reference: referenceOf("REQ", r.id), kind: r.type, at: r.due, overdue: deadlineFlags(r.due, today, 0, false).overdue }));
  return queueOf("requestsDue", items);
};

/** Alerts nobody has acknowledged, dismissed or escalated yet, newest first. */
const alerts: Loader = async (tx) => {
  const count = await tx
    .selectFrom("alerts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "new")
    .executeTakeFirstOrThrow();
  const rows = await tx
    .selectFrom("alerts")
    .selectAll()
    .where("status", "=", "new")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(WORK_ITEMS_SHOWN)
    .execute();
  const items = rows.map(presentAlert).map((a) => item({ id: a.id, kind: a.ruleCode, severity: a.severity, staffId: a.userId, at: a.createdAt }));
  return queueOf("newAlerts", items, Number(count.n));
};

/** Break-glass accesses waiting for the after-the-fact review, oldest first; never one's own. */
const breakGlass: Loader = async (tx, actor) => {
  const rows = await tx
    .selectFrom("break_glass_reviews as r")
    .innerJoin("break_glass_accesses as a", "a.id", "r.access_id")
    .select(["a.id", "a.user_id", "a.justification", "a.opened_at"])
    .where("r.status", "=", "pending")
    .orderBy("r.created_at")
    .execute();
  const items = rows
    .filter((a) => authorizeBreakGlassReview(actor, a.user_id).effect !== "deny")
    .map((a) => item({ id: a.id, kind: a.justification, staffId: a.user_id, at: a.opened_at }));
  return queueOf("breakGlassToReview", items);
};

/** Pending notification duties of open incidents, due within DUTY_HORIZON_HOURS or overdue, soonest first. */
const duties: Loader = async (tx, _actor, now) => {
  const horizon = new Date(now.getTime() + DUTY_HORIZON_HOURS * 3_600_000).toISOString();
  const rows = await tx
    .selectFrom("incident_duties as d")
    .innerJoin("incidents as i", "i.id", "d.incident_id")
    .select(["d.id", "d.incident_id", "d.regime_code", "d.due_at", "i.severity"])
    .where("d.status", "=", "pending")
    .where("i.status", "!=", "closed")
    .where("d.due_at", "<=", horizon)
    .orderBy("d.due_at")
    .orderBy("d.id")
    .execute();
  const items = rows.map((d) =>
    item({
      id: d.id,
      target: d.incident_id,
      reference: referenceOf("INC", d.incident_id),
      kind: d.regime_code,
      severity: d.severity,
      at: d.due_at,
      overdue: d.due_at < now.toISOString(),
    }),
  );
  return queueOf("incidentDuties", items);
};

const LOADERS: Record<WorkQueue, Loader> = {
  myMatters,
  approvalsToDecide: approvals,
  myReviewItems: reviewItems,
  myTraining: training,
  requestsDue: requests,
  newAlerts: alerts,
  breakGlassToReview: breakGlass,
  incidentDuties: duties,
};

/** GET /me/work: audited like the dashboard, with each queue's count (no ids, no names) in the event. */
export async function readWorkQueues(services: Services, settings: Pick<RequestSettings, "now">, ctx: RequestContext): Promise<WorkQueues> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    // The request clock decides what is due and overdue, as for the request list (tests move it).
    const now = settings.now();
    const queues: Queue[] = [];
    for (const queue of workQueuesOf(ctx.actor)) queues.push(await LOADERS[queue](w.tx, ctx.actor, now));
    w.record({
      action: "work.read",
      targetType: "user",
      targetId: ctx.actor.userId,
      purpose: null,
      outcome: "success",
      details: Object.fromEntries(queues.map((q) => [q.queue, q.count])),
    });
    return { queues, generatedAt: now.toISOString() };
  });
}
