/**
 * Agreements (TRN-2): versioned texts per kind; publishing a version makes it the kind's current
 * one, and acknowledgements of older versions no longer count (the staff NDA's current version is
 * half of the L3+ access condition). A person acknowledges electronically for themselves — who,
 * kind+version, when, and from where (IP and a user-agent summary, sealed: staff personal data);
 * compliance may record a signed paper copy for someone else, never for itself.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeAccessConditionRecord, can } from "../../access/policy/policy.js";
import { type AuditedWork, runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { STAFF_NDA } from "../../access/conditions/access-conditions.js";
import type { DbAgreementVersion } from "./tables.js";
import { activeUser, refusedUnless } from "./training-guard.js";
import type { AgreementKind, AgreementVersionInput } from "./training-inputs.js";

const ACKS = "agreement_acknowledgements";

export interface PresentedAgreementVersion {
  id: string;
  kind: AgreementKind;
  version: number;
  titleZh: string;
  titleEn: string;
  textZh: string;
  textEn: string;
  publishedBy: string;
  publishedAt: string;
  current: boolean;
}

const present = (v: DbAgreementVersion, current: boolean): PresentedAgreementVersion => ({
  id: v.id,
  kind: v.kind as AgreementKind,
  version: Number(v.version),
  titleZh: v.title_zh,
  titleEn: v.title_en,
  textZh: v.text_zh,
  textEn: v.text_en,
  publishedBy: v.published_by,
  publishedAt: v.published_at,
  current,
});

export const currentVersionOf = async (tx: Tx, kind: string): Promise<DbAgreementVersion | undefined> =>
  tx.selectFrom("agreement_versions").selectAll().where("kind", "=", kind).orderBy("version", "desc").limit(1).executeTakeFirst();

export async function publishAgreementVersion(
  services: Services,
  ctx: RequestContext,
  kind: AgreementKind,
  input: AgreementVersionInput,
  now = new Date(),
): Promise<PresentedAgreementVersion> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "agreement.publish", targetType: "agreement_version", targetId: null };
    const refused = refusedUnless(w, ctx, "agreement.manage", event);
    if (refused) return refused;
    const current = await currentVersionOf(w.tx, kind);
    const row: DbAgreementVersion = {
      id: uuidv7(),
      kind,
      version: current ? Number(current.version) + 1 : 1,
      title_zh: input.titleZh,
      title_en: input.titleEn,
      text_zh: input.textZh,
      text_en: input.textEn,
      published_by: ctx.actor.userId,
      published_at: now.toISOString(),
    };
    await w.tx.insertInto("agreement_versions").values(row).execute();
    w.record({ ...event, targetId: row.id, outcome: "success", details: { kind, version: row.version } });
    return present(row, true);
  });
}

/** Every version (or one kind's): the texts are the firm's, not personal, so every staff member may read them. */
export async function listAgreementVersions(services: Services, ctx: RequestContext, kind?: AgreementKind): Promise<{ items: PresentedAgreementVersion[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    let q = w.tx.selectFrom("agreement_versions").selectAll().orderBy("kind").orderBy("version", "desc");
    if (kind) q = q.where("kind", "=", kind);
    const rows = await q.execute();
    const latest = new Map<string, number>();
    for (const r of rows) latest.set(r.kind, Math.max(latest.get(r.kind) ?? 0, Number(r.version)));
    w.record({ action: "agreement.list", targetType: "agreement_version", targetId: null, outcome: "success", details: { count: rows.length } });
    return { items: rows.map((r) => present(r, latest.get(r.kind) === Number(r.version))) };
  });
}

export interface PresentedAcknowledgement {
  id: string;
  userId: string;
  kind: string;
  version: number;
  acknowledgedAt: string;
  source: "electronic" | "recorded";
}

async function insertAck(
  w: AuditedWork,
  services: Services,
  a: {
    userId: string;
    kind: string;
    version: number;
    at: string;
    source: "electronic" | "recorded";
    ip: string | null;
    userAgent: string | null;
    recordedBy: string;
  },
): Promise<PresentedAcknowledgement> {
  const id = uuidv7();
  await w.tx
    .insertInto("agreement_acknowledgements")
    .values({
      id,
      user_id: a.userId,
      kind: a.kind,
      version: a.version,
      acknowledged_at: a.at,
      source: a.source,
      ip_ct: a.ip ? sealText(services.vault, ACKS, id, "ip", a.ip) : null,
      user_agent_ct: a.userAgent ? sealText(services.vault, ACKS, id, "user_agent", a.userAgent) : null,
      recorded_by: a.recordedBy,
    })
    .execute();
  return { id, userId: a.userId, kind: a.kind, version: a.version, acknowledgedAt: a.at, source: a.source };
}

/** One's own electronic acknowledgement of the current version of a kind (the version read must be current). */
export async function acknowledgeAgreement(
  services: Services,
  ctx: RequestContext,
  kind: AgreementKind,
  version: number,
  from: { ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<PresentedAcknowledgement> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "agreement.acknowledge", targetType: "user", targetId: ctx.actor.userId };
    const current = await currentVersionOf(w.tx, kind);
    if (!current) return w.refuse(NotFoundError("Agreement"), event, "failure");
    if (Number(current.version) !== version)
      return w.refuse(ConflictError("agreement_version_superseded", "A newer version of this agreement was published; read it first."), event, "failure");
    const already = await w.tx
      .selectFrom("agreement_acknowledgements")
      .select(["id", "acknowledged_at", "source"])
      .where("user_id", "=", ctx.actor.userId)
      .where("kind", "=", kind)
      .where("version", "=", version)
      .executeTakeFirst();
    if (already) {
      w.record({ ...event, outcome: "success", details: { kind, version, repeated: true } });
      return {
        id: already.id,
        userId: ctx.actor.userId,
        kind,
        version,
        acknowledgedAt: already.acknowledged_at,
        source: already.source as "electronic" | "recorded",
      };
    }
    const ack = await insertAck(w, services, {
      userId: ctx.actor.userId,
      kind,
      version,
      at: now.toISOString(),
      source: "electronic",
      ip: from.ip,
      userAgent: from.userAgent,
      recordedBy: ctx.actor.userId,
    });
    w.record({ ...event, outcome: "success", details: { kind, version, acknowledgementId: ack.id } });
    return ack;
  });
}

/**
 * Within a unit of work: compliance records a signed copy for someone else (authorized by the
 * caller). The version must have been published; the default is the current one.
 */
export async function recordAcknowledgementIn(
  w: AuditedWork,
  services: Services,
  ctx: RequestContext,
  userId: string,
  kind: string,
  version: number | undefined,
  at: string,
): Promise<PresentedAcknowledgement | "unknown_version"> {
  const published = version
    ? await w.tx.selectFrom("agreement_versions").selectAll().where("kind", "=", kind).where("version", "=", version).executeTakeFirst()
    : await currentVersionOf(w.tx, kind);
  if (!published) return "unknown_version";
  return insertAck(w, services, {
    userId,
    kind,
    version: Number(published.version),
    at,
    source: "recorded",
    ip: null,
    userAgent: null,
    recordedBy: ctx.actor.userId,
  });
}

/** Compliance records a signed paper copy for someone else (`agreement.manage`, never oneself). */
export async function recordAcknowledgement(
  services: Services,
  ctx: RequestContext,
  kind: AgreementKind,
  input: { userId: string; version?: number | undefined },
  now = new Date(),
): Promise<PresentedAcknowledgement> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "agreement.record", targetType: "user", targetId: input.userId };
    const decision = authorizeAccessConditionRecord(ctx.actor, input.userId, "agreement");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!(await activeUser(w.tx, input.userId))) return w.refuse(NotFoundError("User"), event, "failure");
    const ack = await recordAcknowledgementIn(w, services, ctx, input.userId, kind, input.version, now.toISOString());
    if (ack === "unknown_version")
      return w.refuse(ValidationError([{ field: "version", code: "unknown_version", message: "No such published version." }]), event, "failure");
    w.record({ ...event, outcome: "success", details: { kind, version: ack.version, acknowledgementId: ack.id } });
    return ack;
  });
}

export interface MyAgreement {
  kind: AgreementKind;
  version: number;
  titleZh: string;
  titleEn: string;
  textZh: string;
  textEn: string;
  /** Staff must acknowledge this kind (the staff NDA: an L3+ access condition). */
  required: boolean;
  acknowledgedVersion: number | null;
  acknowledgedAt: string | null;
  /** The current version still needs acknowledging. */
  pending: boolean;
}

/** The newest version of an agreement a person acknowledged, and when (also the home page's work queue). */
export const latestAcknowledgement = (tx: Tx, userId: string, kind: string) =>
  tx
    .selectFrom("agreement_acknowledgements")
    .select(["version", "acknowledged_at"])
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();

/** The current staff NDA and whether the caller acknowledged it (the console's prompt). */
export async function myAgreements(services: Services, ctx: RequestContext): Promise<{ items: MyAgreement[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const current = await currentVersionOf(w.tx, STAFF_NDA);
    const items: MyAgreement[] = [];
    if (current) {
      const ack = await latestAcknowledgement(w.tx, ctx.actor.userId, STAFF_NDA);
      const acked = ack ? Number(ack.version) : null;
      items.push({
        kind: STAFF_NDA,
        version: Number(current.version),
        titleZh: current.title_zh,
        titleEn: current.title_en,
        textZh: current.text_zh,
        textEn: current.text_en,
        required: true,
        acknowledgedVersion: acked,
        acknowledgedAt: ack?.acknowledged_at ?? null,
        pending: acked === null || acked < Number(current.version),
      });
    }
    w.record({ action: "agreement.mine", targetType: "user", targetId: ctx.actor.userId, outcome: "success" });
    return { items };
  });
}

export interface AcknowledgementRecord extends PresentedAcknowledgement {
  /** Opened for compliance only. */
  ip: string | null;
  userAgent: string | null;
}

/** Who acknowledged which version, with where from (opened for compliance, `agreement.manage`). */
export async function listAcknowledgements(services: Services, ctx: RequestContext, kind: AgreementKind): Promise<{ items: AcknowledgementRecord[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "agreement.acknowledgement.list", targetType: "agreement_version", targetId: null };
    const refused = refusedUnless(w, ctx, "agreement.manage", event);
    if (refused) return refused;
    const rows = await w.tx
      .selectFrom("agreement_acknowledgements")
      .selectAll()
      .where("kind", "=", kind)
      .orderBy("acknowledged_at", "desc")
      .limit(1000)
      .execute();
    const reveal = can(ctx.actor, "agreement.manage");
    w.record({ ...event, outcome: "success", details: { kind, count: rows.length } });
    return {
      items: rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        kind: r.kind,
        version: Number(r.version),
        acknowledgedAt: r.acknowledged_at,
        source: r.source as "electronic" | "recorded",
        ip: reveal && r.ip_ct ? openText(services.vault, ACKS, r.id, "ip", r.ip_ct) : null,
        userAgent: reveal && r.user_agent_ct ? openText(services.vault, ACKS, r.id, "user_agent", r.user_agent_ct) : null,
      })),
    };
  });
}
