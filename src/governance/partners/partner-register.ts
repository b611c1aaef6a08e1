/**
 * The partner register (VEN-1): organisations the firm shares client data with. Contacts are
 * personal data of the partner's staff, so their name, email and phone are sealed with the
 * firm-level key (sealed-text.ts, as complaint contacts); the organisation's name is not personal
 * data and stays in clear for the register and its sorting.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { Vault } from "../../vault/vault.js";
import { sealText } from "../../vault/sealed-text.js";
import type { ContactInput, PartnerCreateInput, PartnerUpdateInput } from "./partner-inputs.js";
import { partnerExists, refusedUnless } from "./partner-guard.js";
import { readPartnerIn } from "./partner-view.js";
import { requestReturnsWithin } from "../../records/disclosures/disclosure-returns.js";

const CONTACTS = "partner_contacts";

async function insertContact(vault: Vault, tx: Tx, partnerId: string, contact: ContactInput, at: string): Promise<void> {
  const id = uuidv7();
  await tx
    .insertInto(CONTACTS)
    .values({
      id,
      partner_id: partnerId,
      name_ct: sealText(vault, CONTACTS, id, "name", contact.name),
      email_ct: contact.email ? sealText(vault, CONTACTS, id, "email", contact.email) : null,
      phone_ct: contact.phone ? sealText(vault, CONTACTS, id, "phone", contact.phone) : null,
      created_at: at,
    })
    .execute();
}

export async function createPartner(services: Services, ctx: RequestContext, input: PartnerCreateInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.create", targetType: "partner", targetId: id };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const at = now.toISOString();
    await w.tx
      .insertInto("partners")
      .values({
        id,
        name: input.name,
        kind: input.kind,
        pipl_role: input.piplRole,
        jurisdiction: input.jurisdiction,
        services: input.services,
        data_categories: JSON.stringify([...new Set(input.dataCategories)]),
        max_level: input.maxLevel,
        status: input.status,
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const contact of input.contacts) await insertContact(services.vault, w.tx, id, contact, at);
    w.record({
      ...event,
      outcome: "success",
      details: { kind: input.kind, piplRole: input.piplRole, jurisdiction: input.jurisdiction, status: input.status, contacts: input.contacts.length },
    });
    return (await readPartnerIn(services, w.tx, id, now))!;
  });
}

/** Changes what the register says about a partner; the audit event names the fields changed, not their values. */
export async function updatePartner(services: Services, ctx: RequestContext, id: string, change: PartnerUpdateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.update", targetType: "partner", targetId: id };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("partners").select(["status"]).where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Partner"), event, "failure");
    const set = {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.kind !== undefined ? { kind: change.kind } : {}),
      ...(change.piplRole !== undefined ? { pipl_role: change.piplRole } : {}),
      ...(change.jurisdiction !== undefined ? { jurisdiction: change.jurisdiction } : {}),
      ...(change.services !== undefined ? { services: change.services } : {}),
      ...(change.dataCategories !== undefined ? { data_categories: JSON.stringify([...new Set(change.dataCategories)]) } : {}),
      ...(change.maxLevel !== undefined ? { max_level: change.maxLevel } : {}),
      ...(change.status !== undefined ? { status: change.status } : {}),
    };
    await w.tx
      .updateTable("partners")
      .set({ ...set, updated_at: now.toISOString() })
      .where("id", "=", id)
      .execute();
    // Ending the relationship asks the partner to return or delete whatever it still holds (RET-3).
    if (change.status === "ended" && row.status !== "ended") await requestReturnsWithin(services, w, { partnerId: id }, "relationship_ended", now);
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(change).sort(), from: row.status, to: change.status ?? row.status } });
    return (await readPartnerIn(services, w.tx, id, now))!;
  });
}

export async function addPartnerContact(services: Services, ctx: RequestContext, partnerId: string, contact: ContactInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.contact.add", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    await insertContact(services.vault, w.tx, partnerId, contact, now.toISOString());
    w.record({ ...event, outcome: "success", details: { email: Boolean(contact.email), phone: Boolean(contact.phone) } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}

export async function removePartnerContact(services: Services, ctx: RequestContext, partnerId: string, contactId: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.contact.remove", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const gone = await w.tx.deleteFrom(CONTACTS).where("id", "=", contactId).where("partner_id", "=", partnerId).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) return w.refuse(NotFoundError("Contact"), event, "failure");
    w.record({ ...event, outcome: "success", details: { contactId } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}

/** One partner with everything a disclosure decision rests on. */
export async function readPartner(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.read", targetType: "partner", targetId: id };
    const refused = refusedUnless(w, ctx, "partner.read", event);
    if (refused) return refused;
    const partner = await readPartnerIn(services, w.tx, id, now);
    if (!partner) return w.refuse(NotFoundError("Partner"), event, "failure");
    w.record({ ...event, outcome: "success" });
    return partner;
  });
}
