/**
 * The privacy team (GOV-1, CON-4): named roles held by staff, with their duties in Chinese and
 * English and their deputies. The privacy officer's published contact is a role mailbox and phone
 * (privacy@firm, the switchboard's extension), entered as contact data of the role: it is what the
 * portal shows clients, never a person's own phone. Compliance (`privacy_team.manage`) names the
 * team; every signed-in staff member reads it, since everyone must know whom to tell.
 */
import { z } from "zod";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { humanText } from "../../http/schema-text.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPrivacyRole } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";

export const PRIVACY_ROLE_CODES = ["privacy_officer", "response_team_member", "archive_keeper", "security_officer", "training_coordinator"] as const;
export type PrivacyRoleCode = (typeof PRIVACY_ROLE_CODES)[number];

const staffId = z.string().min(1).max(64);
const contactEmail = z.email().max(200).describe("A role mailbox, e.g. privacy@firm.example.cn");
const contactPhone = humanText().min(5).max(40).describe("The role's line, e.g. the switchboard and an extension");

export const PrivacyRoleInput = z.strictObject({
  code: z.enum(PRIVACY_ROLE_CODES),
  holderId: staffId,
  deputyIds: z.array(staffId).max(5).default([]),
  dutiesZh: humanText({ multiline: true }).min(1).max(4000),
  dutiesEn: humanText({ multiline: true }).min(1).max(4000),
  contactEmail: contactEmail.optional(),
  contactPhone: contactPhone.optional(),
});
export type PrivacyRoleInput = z.infer<typeof PrivacyRoleInput>;

export const PrivacyRoleUpdateInput = z.strictObject({
  holderId: staffId.optional(),
  deputyIds: z.array(staffId).max(5).optional(),
  dutiesZh: humanText({ multiline: true }).min(1).max(4000).optional(),
  dutiesEn: humanText({ multiline: true }).min(1).max(4000).optional(),
  contactEmail: contactEmail.nullable().optional(),
  contactPhone: contactPhone.nullable().optional(),
});
export type PrivacyRoleUpdateInput = z.infer<typeof PrivacyRoleUpdateInput>;

const present = (r: DbPrivacyRole) => ({
  id: r.id,
  code: r.code as PrivacyRoleCode,
  holderId: r.holder_id,
  deputyIds: JSON.parse(r.deputy_ids) as string[],
  dutiesZh: r.duties_zh,
  dutiesEn: r.duties_en,
  contactEmail: r.contact_email,
  contactPhone: r.contact_phone,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});
export type PresentedPrivacyRole = ReturnType<typeof present>;

const ORDER: readonly string[] = PRIVACY_ROLE_CODES;
const byRole = (a: DbPrivacyRole, b: DbPrivacyRole) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code) || a.id.localeCompare(b.id);

/** Holder and deputies are active staff, and nobody deputises for themselves. */
async function checkPeople(tx: Tx, holderId: string, deputyIds: readonly string[]) {
  const ids = [...new Set([holderId, ...deputyIds])];
  const known = new Set((await tx.selectFrom("users").select("id").where("id", "in", ids).where("status", "=", "active").execute()).map((u) => u.id));
  const issues = [];
  if (!known.has(holderId)) issues.push({ field: "holderId", code: "unknown_user", message: "No active user has this id." });
  deputyIds.forEach((d, i) => {
    if (!known.has(d)) issues.push({ field: `deputyIds.${i}`, code: "unknown_user", message: "No active user has this id." });
    else if (d === holderId) issues.push({ field: `deputyIds.${i}`, code: "deputy_is_holder", message: "The holder cannot be their own deputy." });
  });
  return issues;
}

export async function listPrivacyTeam(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const rows = (await w.tx.selectFrom("privacy_roles").selectAll().execute()).sort(byRole);
    w.record({ action: "privacy_team.list", targetType: "privacy_role", targetId: null, outcome: "success", details: { count: rows.length } });
    return { items: rows.map(present) };
  });
}

export async function assignPrivacyRole(services: Services, ctx: RequestContext, input: PrivacyRoleInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "privacy_team.assign", targetType: "privacy_role", targetId: id };
    const decision = authorize(ctx.actor, "privacy_team.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const issues = await checkPeople(w.tx, input.holderId, input.deputyIds);
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    // One privacy officer (PIPL Art 52): a change of person is an update of that role, not a second one.
    if (input.code === "privacy_officer" && (await w.tx.selectFrom("privacy_roles").select("id").where("code", "=", "privacy_officer").executeTakeFirst()))
      return w.refuse(ConflictError("privacy_officer_exists", "The firm has a privacy officer; change who holds that role instead."), event, "failure");
    const at = now.toISOString();
    const row: DbPrivacyRole = {
      id,
      code: input.code,
      holder_id: input.holderId,
      deputy_ids: JSON.stringify([...new Set(input.deputyIds)]),
      duties_zh: input.dutiesZh,
      duties_en: input.dutiesEn,
      contact_email: input.contactEmail ?? null,
      contact_phone: input.contactPhone ?? null,
      created_at: at,
      updated_at: at,
      updated_by: ctx.actor.userId,
    };
    await w.tx.insertInto("privacy_roles").values(row).execute();
    w.record({ ...event, outcome: "success", details: { code: input.code, holderId: input.holderId, deputies: input.deputyIds.length } });
    return present(row);
  });
}

export async function updatePrivacyRole(services: Services, ctx: RequestContext, id: string, change: PrivacyRoleUpdateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "privacy_team.update", targetType: "privacy_role", targetId: id };
    const decision = authorize(ctx.actor, "privacy_team.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("privacy_roles").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Privacy role"), event, "failure");
    const holderId = change.holderId ?? row.holder_id;
    const deputyIds = change.deputyIds ?? (JSON.parse(row.deputy_ids) as string[]);
    const issues = await checkPeople(w.tx, holderId, deputyIds);
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    const next: DbPrivacyRole = {
      ...row,
      holder_id: holderId,
      deputy_ids: JSON.stringify([...new Set(deputyIds)]),
      duties_zh: change.dutiesZh ?? row.duties_zh,
      duties_en: change.dutiesEn ?? row.duties_en,
      contact_email: change.contactEmail !== undefined ? change.contactEmail : row.contact_email,
      contact_phone: change.contactPhone !== undefined ? change.contactPhone : row.contact_phone,
      updated_at: now.toISOString(),
      updated_by: ctx.actor.userId,
    };
    await w.tx.updateTable("privacy_roles").set(next).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { code: row.code, fields: Object.keys(change).sort(), holderChanged: holderId !== row.holder_id } });
    return present(next);
  });
}

export async function removePrivacyRole(services: Services, ctx: RequestContext, id: string) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "privacy_team.remove", targetType: "privacy_role", targetId: id };
    const decision = authorize(ctx.actor, "privacy_team.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("privacy_roles").select("code").where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Privacy role"), event, "failure");
    await w.tx.deleteFrom("privacy_roles").where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { code: row.code } });
    return { removed: true };
  });
}

/** The privacy officer's published contact, or null when none is entered (the caller falls back). */
export async function privacyContactIn(tx: Tx): Promise<{ email: string | null; phone: string | null } | null> {
  const row = await tx.selectFrom("privacy_roles").select(["contact_email", "contact_phone"]).where("code", "=", "privacy_officer").executeTakeFirst();
  if (!row || (row.contact_email === null && row.contact_phone === null)) return null;
  return { email: row.contact_email, phone: row.contact_phone };
}

/**
 * What the portal shows clients (CON-4): the role's mailbox and phone only, no staff name or id.
 * Public and unaudited, like the notice in force: it holds no personal data.
 */
export async function publicPrivacyContact(services: Services) {
  const contact = await services.engine.db.transaction().execute((tx) => privacyContactIn(tx));
  return contact ? { published: true, ...contact } : { published: false, email: null, phone: null };
}
