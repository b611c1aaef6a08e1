/**
 * The firm's register of PI protection impact assessments (PIPL Art 55–56). It is the partner
 * register's `partner_pias` table, generalised by migration 0035: a PIA about a processing activity
 * needs no partner. Every PIA is kept three years from when it was conducted; deleting one earlier
 * is refused exactly as the partner register refuses it (PiaRetainedError, PIA_RETENTION_YEARS).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { openText, sealText } from "../../vault/sealed-text.js";
import { addMonths, PIA_RETENTION_YEARS } from "../partners/partner.js";
import { PiaRetainedError } from "../partners/partner-transfers.js";
import { dayOf, refusedUnless } from "./assessment.js";
import type { RegisterPiaInput } from "./assessment-inputs.js";
import { firmDay } from "../../platform/firm-time.js";

export interface RegisteredPia {
  id: string;
  subject: string | null;
  trigger: string | null;
  partnerId: string | null;
  /** The partner's organisation name (not personal data). */
  partnerName: string | null;
  conductedOn: string;
  summary: string;
  conclusion: string;
  keepUntil: string;
  /** The three years are up: it may be deleted (unless a transfer basis rests on it). */
  deletable: boolean;
  createdBy: string;
  createdAt: string;
}

export async function piaRegisterIn(services: Services, tx: Tx, now: Date): Promise<RegisteredPia[]> {
  const rows = await tx
    .selectFrom("partner_pias as p")
    .leftJoin("partners as pt", "pt.id", "p.partner_id")
    .selectAll("p")
    .select("pt.name as partner_name")
    .orderBy("p.conducted_on", "desc")
    .orderBy("p.id", "desc")
    .execute();
  const today = dayOf(now);
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    trigger: r.trigger,
    partnerId: r.partner_id,
    partnerName: r.partner_name ?? null,
    conductedOn: r.conducted_on,
    summary: openText(services.vault, "partner_pias", r.id, "summary", r.summary_ct),
    conclusion: r.conclusion,
    keepUntil: r.keep_until,
    deletable: today >= r.keep_until,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function listPiaRegister(services: Services, ctx: RequestContext, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.pia.list", targetType: "pia", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.read", event);
    if (refused) return refused;
    const items = await piaRegisterIn(services, w.tx, now);
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

export async function registerPia(services: Services, ctx: RequestContext, input: RegisterPiaInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.pia.add", targetType: "pia", targetId: null };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    if (input.conductedOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "conductedOn", code: "in_future", message: "Must not be in the future." }]), event, "failure");
    if (input.partnerId && !(await w.tx.selectFrom("partners").select("id").where("id", "=", input.partnerId).executeTakeFirst()))
      return w.refuse(NotFoundError("Partner"), event, "failure");
    const id = uuidv7();
    const keepUntil = addMonths(input.conductedOn, PIA_RETENTION_YEARS * 12);
    await w.tx
      .insertInto("partner_pias")
      .values({
        id,
        partner_id: input.partnerId,
        subject: input.subject,
        trigger: input.trigger,
        conducted_on: input.conductedOn,
        // Sealed as the partner register seals it, so both read every PIA alike.
        summary_ct: sealText(services.vault, "partner_pias", id, "summary", input.summary),
        conclusion: input.conclusion,
        keep_until: keepUntil,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({
      ...event,
      targetId: id,
      outcome: "success",
      details: { trigger: input.trigger, partnerId: input.partnerId, conclusion: input.conclusion, keepUntil },
    });
    return (await piaRegisterIn(services, w.tx, now)).find((p) => p.id === id)!;
  });
}

/** Refused (409 `pia_retention_period`, audited) before the three years are up, and while a transfer basis rests on it. */
export async function deleteRegisteredPia(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "assessment.pia.delete", targetType: "pia", targetId: id };
    const refused = refusedUnless(w, ctx, "assessment.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("partner_pias").select(["keep_until"]).where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Impact assessment"), event, "failure");
    if (dayOf(now) < row.keep_until) return w.refuse(PiaRetainedError(), { ...event, details: { keepUntil: row.keep_until } }, "denied");
    if (await w.tx.selectFrom("partner_transfer_bases").select("id").where("pia_id", "=", id).executeTakeFirst())
      return w.refuse(ConflictError("pia_in_use", "A transfer basis rests on this impact assessment."), event, "failure");
    await w.tx.deleteFrom("partner_pias").where("id", "=", id).execute();
    w.record({ ...event, outcome: "success" });
    return { deleted: id };
  });
}
