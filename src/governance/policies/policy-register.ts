/**
 * Internal policies (GOV-2): documents with versions in Chinese and English, an owner, a review
 * cycle and the next review date; staff attest the current version (who, which version, when),
 * and compliance sees who has not. Compliance writes (`policy.manage`); compliance and the auditor
 * see the attestation register (`policy.oversee`); every staff member reads the published policies
 * and attests for themselves only. Policy texts are the firm's rules, not personal data.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, can } from "../../access/policy/policy.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPolicy, DbPolicyVersion } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { PolicyCreateInput, PolicyUpdateInput, PolicyVersionInput } from "./policy-inputs.js";

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** A day some months on, clamped to the month's end (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

type Event = { action: string; targetType: string; targetId: string | null };
const refusedUnless = (w: AuditedWork, ctx: RequestContext, action: "policy.manage" | "policy.oversee", event: Event) => {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
};

const summary = (p: DbPolicy, today: string, attestedByMe: number | null) => ({
  id: p.id,
  code: p.code,
  titleZh: p.title_zh,
  titleEn: p.title_en,
  ownerId: p.owner_id,
  reviewMonths: p.review_months,
  nextReviewOn: p.next_review_on,
  reviewDue: p.status === "published" && p.next_review_on !== null && p.next_review_on <= today,
  currentVersion: p.current_version,
  status: p.status,
  /** Whether the caller has attested the current version. */
  attested: p.current_version !== null && attestedByMe === p.current_version,
  updatedAt: p.updated_at,
});

const presentVersion = (v: DbPolicyVersion) => ({
  version: v.version,
  textZh: v.text_zh,
  textEn: v.text_en,
  changeNote: v.change_note,
  publishedOn: v.published_on,
  publishedBy: v.published_by,
  createdBy: v.created_by,
  createdAt: v.created_at,
});

async function activeStaff(tx: Tx) {
  return tx.selectFrom("users").select(["id", "role"]).where("status", "=", "active").orderBy("id").execute();
}

/** Published policies for everyone, drafts too for compliance; each says whether the caller attested it. */
export async function listPolicies(services: Services, ctx: RequestContext, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const manager = can(ctx.actor, "policy.manage");
    let q = w.tx.selectFrom("policies").selectAll().orderBy("code");
    if (!manager) q = q.where("status", "=", "published");
    const rows = await q.execute();
    const mine = await w.tx.selectFrom("policy_attestations").select(["policy_id", "version"]).where("user_id", "=", ctx.actor.userId).execute();
    const latest = new Map<string, number>();
    for (const a of mine) latest.set(a.policy_id, Math.max(latest.get(a.policy_id) ?? 0, Number(a.version)));
    const today = dayOf(now);
    const items = rows.map((p) => summary(p, today, latest.get(p.id) ?? null));
    w.record({ action: "policy.list", targetType: "policy", targetId: null, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

export async function readPolicy(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.read", targetType: "policy", targetId: id };
    const p = await w.tx.selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirst();
    const manager = can(ctx.actor, "policy.manage");
    if (!p || (!manager && p.status !== "published")) return w.refuse(NotFoundError("Policy"), event, "failure");
    let vq = w.tx.selectFrom("policy_versions").selectAll().where("policy_id", "=", id).orderBy("version", "desc");
    if (!manager) vq = vq.where("published_on", "is not", null);
    const versions = await vq.execute();
    const mine = await w.tx
      .selectFrom("policy_attestations")
      .select(["version", "attested_at"])
      .where("policy_id", "=", id)
      .where("user_id", "=", ctx.actor.userId)
      .orderBy("version", "desc")
      .executeTakeFirst();
    w.record({ ...event, outcome: "success" });
    return {
      ...summary(p, dayOf(now), mine ? Number(mine.version) : null),
      myAttestation: mine ? { version: Number(mine.version), attestedAt: mine.attested_at } : null,
      versions: versions.map(presentVersion),
    };
  });
}

export async function createPolicy(services: Services, ctx: RequestContext, input: PolicyCreateInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.create", targetType: "policy", targetId: id };
    const refused = refusedUnless(w, ctx, "policy.manage", event);
    if (refused) return refused;
    if (!(await w.tx.selectFrom("users").select("id").where("id", "=", input.ownerId).where("status", "=", "active").executeTakeFirst()))
      return w.refuse(ValidationError([{ field: "ownerId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    if (await w.tx.selectFrom("policies").select("id").where("code", "=", input.code).executeTakeFirst())
      return w.refuse(ConflictError("policy_code_exists", "A policy with this code exists."), event, "failure");
    const at = now.toISOString();
    await w.tx
      .insertInto("policies")
      .values({
        id,
        code: input.code,
        title_zh: input.titleZh,
        title_en: input.titleEn,
        owner_id: input.ownerId,
        review_months: input.reviewMonths,
        next_review_on: null,
        current_version: null,
        status: "draft",
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await w.tx
      .insertInto("policy_versions")
      .values({
        policy_id: id,
        version: 1,
        text_zh: input.textZh,
        text_en: input.textEn,
        change_note: "",
        published_on: null,
        published_by: null,
        created_by: ctx.actor.userId,
        created_at: at,
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { code: input.code, reviewMonths: input.reviewMonths } });
    return { id, version: 1 };
  });
}

export async function updatePolicy(services: Services, ctx: RequestContext, id: string, change: PolicyUpdateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.update", targetType: "policy", targetId: id };
    const refused = refusedUnless(w, ctx, "policy.manage", event);
    if (refused) return refused;
    const p = await w.tx.selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirst();
    if (!p) return w.refuse(NotFoundError("Policy"), event, "failure");
    if (change.ownerId && !(await w.tx.selectFrom("users").select("id").where("id", "=", change.ownerId).where("status", "=", "active").executeTakeFirst()))
      return w.refuse(ValidationError([{ field: "ownerId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    await w.tx
      .updateTable("policies")
      .set({
        title_zh: change.titleZh ?? p.title_zh,
        title_en: change.titleEn ?? p.title_en,
        owner_id: change.ownerId ?? p.owner_id,
        review_months: change.reviewMonths ?? p.review_months,
        status: change.status ?? p.status,
        updated_at: now.toISOString(),
      })
      .where("id", "=", id)
      .execute();
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(change).sort(), to: change.status ?? p.status } });
    return { id };
  });
}

/** A new draft version; one draft at a time (publish or replace it first). */
export async function addPolicyVersion(services: Services, ctx: RequestContext, id: string, input: PolicyVersionInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.version.add", targetType: "policy", targetId: id };
    const refused = refusedUnless(w, ctx, "policy.manage", event);
    if (refused) return refused;
    const p = await w.tx.selectFrom("policies").select(["id", "status"]).where("id", "=", id).executeTakeFirst();
    if (!p) return w.refuse(NotFoundError("Policy"), event, "failure");
    const latest = await w.tx
      .selectFrom("policy_versions")
      .select(["version", "published_on"])
      .where("policy_id", "=", id)
      .orderBy("version", "desc")
      .executeTakeFirst();
    if (latest && latest.published_on === null) return w.refuse(ConflictError("policy_draft_exists", "Publish the draft version first."), event, "failure");
    const version = Number(latest?.version ?? 0) + 1;
    await w.tx
      .insertInto("policy_versions")
      .values({
        policy_id: id,
        version,
        text_zh: input.textZh,
        text_en: input.textEn,
        change_note: input.changeNote,
        published_on: null,
        published_by: null,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { version } });
    return { id, version };
  });
}

/** Publishing makes the version current: everyone must attest it again; the next review is due after the cycle. */
export async function publishPolicyVersion(
  services: Services,
  ctx: RequestContext,
  id: string,
  input: { version: number; on?: string | undefined },
  now = new Date(),
) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.publish", targetType: "policy", targetId: id };
    const refused = refusedUnless(w, ctx, "policy.manage", event);
    if (refused) return refused;
    const p = await w.tx.selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirst();
    if (!p) return w.refuse(NotFoundError("Policy"), event, "failure");
    const v = await w.tx.selectFrom("policy_versions").selectAll().where("policy_id", "=", id).where("version", "=", input.version).executeTakeFirst();
    if (!v) return w.refuse(NotFoundError("Policy version"), event, "failure");
    if (v.published_on !== null) return w.refuse(ConflictError("policy_version_published", "This version is already published."), event, "failure");
    const on = input.on ?? dayOf(now);
    await w.tx
      .updateTable("policy_versions")
      .set({ published_on: on, published_by: ctx.actor.userId })
      .where("policy_id", "=", id)
      .where("version", "=", input.version)
      .execute();
    const nextReviewOn = addMonths(on, p.review_months);
    await w.tx
      .updateTable("policies")
      .set({ current_version: input.version, status: "published", next_review_on: nextReviewOn, updated_at: now.toISOString() })
      .where("id", "=", id)
      .execute();
    w.record({ ...event, outcome: "success", details: { version: input.version, publishedOn: on, nextReviewOn } });
    return { id, version: input.version, nextReviewOn };
  });
}

/** A periodic review that found nothing to change: the next one is due a cycle later. */
export async function recordPolicyReview(services: Services, ctx: RequestContext, id: string, input: { on?: string | undefined }, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.review", targetType: "policy", targetId: id };
    const refused = refusedUnless(w, ctx, "policy.manage", event);
    if (refused) return refused;
    const p = await w.tx.selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirst();
    if (!p) return w.refuse(NotFoundError("Policy"), event, "failure");
    if (p.status !== "published") return w.refuse(ConflictError("policy_not_published", "Only a published policy is reviewed."), event, "failure");
    const on = input.on ?? dayOf(now);
    const nextReviewOn = addMonths(on, p.review_months);
    await w.tx.updateTable("policies").set({ next_review_on: nextReviewOn, updated_at: now.toISOString() }).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { reviewedOn: on, nextReviewOn } });
    return { id, nextReviewOn };
  });
}

/** The caller attests they have read the current version. Attesting again is harmless (no second row). */
export async function attestPolicy(services: Services, ctx: RequestContext, id: string, version: number, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.attest", targetType: "policy", targetId: id };
    const p = await w.tx.selectFrom("policies").select(["status", "current_version"]).where("id", "=", id).executeTakeFirst();
    if (p?.status !== "published") return w.refuse(NotFoundError("Policy"), event, "failure");
    if (Number(p.current_version) !== version)
      return w.refuse(ConflictError("policy_version_not_current", "Attest the current version; the policy changed since."), event, "failure");
    const at = now.toISOString();
    const done = await w.tx
      .insertInto("policy_attestations")
      .values({ policy_id: id, version, user_id: ctx.actor.userId, attested_at: at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    const fresh = Number(done.numInsertedOrUpdatedRows ?? 0) === 1;
    const row = await w.tx
      .selectFrom("policy_attestations")
      .select("attested_at")
      .where("policy_id", "=", id)
      .where("version", "=", version)
      .where("user_id", "=", ctx.actor.userId)
      .executeTakeFirstOrThrow();
    w.record({ ...event, outcome: "success", details: { version, repeated: !fresh } });
    return { policyId: id, version, userId: ctx.actor.userId, attestedAt: row.attested_at };
  });
}

/**
 * Who has and who has not attested the current version (`policy.oversee`): every active staff
 * member with the version they last attested, if any.
 */
export async function policyAttestations(services: Services, ctx: RequestContext, id: string) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "policy.attestations", targetType: "policy", targetId: id };
    const refused = refusedUnless(w, ctx, "policy.oversee", event);
    if (refused) return refused;
    const p = await w.tx.selectFrom("policies").select(["current_version"]).where("id", "=", id).executeTakeFirst();
    if (!p) return w.refuse(NotFoundError("Policy"), event, "failure");
    const current = p.current_version === null ? null : Number(p.current_version);
    const rows = await w.tx.selectFrom("policy_attestations").select(["user_id", "version", "attested_at"]).where("policy_id", "=", id).execute();
    const last = new Map<string, { version: number; attestedAt: string }>();
    for (const r of rows) {
      const seen = last.get(r.user_id);
      if (!seen || Number(r.version) > seen.version) last.set(r.user_id, { version: Number(r.version), attestedAt: r.attested_at });
    }
    const staff = await activeStaff(w.tx);
    const attested = [];
    const notAttested = [];
    for (const u of staff) {
      const l = last.get(u.id) ?? null;
      if (current !== null && l?.version === current) attested.push({ userId: u.id, role: u.role, attestedAt: l.attestedAt });
      else notAttested.push({ userId: u.id, role: u.role, lastAttestedVersion: l?.version ?? null });
    }
    w.record({ ...event, outcome: "success", details: { currentVersion: current, attested: attested.length, notAttested: notAttested.length } });
    return { policyId: id, currentVersion: current, attested, notAttested };
  });
}

export interface PolicyDue {
  policyId: string;
  code: string;
  nextReviewOn: string;
  overdue: boolean;
}

/** Published policies whose review falls due within `withinDays` (or is overdue): the reminder job's input. */
export async function policiesDueForReview(tx: Tx, at: Date, withinDays = 30): Promise<PolicyDue[]> {
  const today = dayOf(at);
  const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + withinDays * 86_400_000).toISOString().slice(0, 10);
  const rows = await tx
    .selectFrom("policies")
    .select(["id", "code", "next_review_on"])
    .where("status", "=", "published")
    .where("next_review_on", "is not", null)
    .where("next_review_on", "<=", horizon)
    .orderBy("next_review_on")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ policyId: r.id, code: r.code, nextReviewOn: r.next_review_on!, overdue: r.next_review_on! < today }));
}
