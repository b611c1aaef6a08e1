/**
 * The register of devices and channels that carry client data (CHN-1): laptops, phones, removable
 * media, mailboxes, cloud drives, messaging and video-conferencing accounts, each with its owner,
 * encryption, whether it can be wiped remotely and when it was last checked. Custodia records their
 * control status; it does not replace an MDM. Compliance and the admin keep it (`device.manage`),
 * they and the auditor read it (`device.read`); everyone sees and reports their own devices.
 *
 * A loss (reported by the owner or compliance) marks the device lost and opens an incident in the
 * same transaction (source staff_report, category loss, cause lost_device), linked both ways.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeDeviceLostReport, can } from "../../access/policy/policy.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import type { DbDevice } from "../../platform/db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { insertIncident } from "../../response/incidents/incident-commands.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { sealText } from "../../vault/sealed-text.js";
import { privacyContactIn } from "../privacy-team/privacy-team.js";
import type { DeviceCheckInput, DeviceCreateInput, DeviceLostInput, DeviceStatus, DeviceUpdateInput } from "./device-inputs.js";
import { firmDay } from "../../platform/firm-time.js";

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The incident's contact when no privacy officer's contact is entered yet: compliance edits the notice anyway. */
export const INCIDENT_CONTACT_FALLBACK = "privacy officer (see the privacy notice)";

/** When the next check falls due; a device never checked is due at once. */
export const nextCheckOn = (d: Pick<DbDevice, "last_checked_on" | "check_interval_days">): string | null =>
  d.last_checked_on ? addDays(d.last_checked_on, d.check_interval_days) : null;

const present = (d: DbDevice, today: string) => {
  const next = nextCheckOn(d);
  return {
    id: d.id,
    kind: d.kind,
    label: d.label,
    ownerId: d.owner_id,
    encryption: d.encryption,
    remoteWipe: d.remote_wipe === 1,
    checkIntervalDays: d.check_interval_days,
    lastCheckedOn: d.last_checked_on,
    nextCheckOn: next,
    checkOverdue: d.status === "active" && (next === null || next < today),
    status: d.status as DeviceStatus,
    lostOn: d.lost_on,
    incidentId: d.incident_id,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
};
export type PresentedDevice = ReturnType<typeof present>;

type Event = { action: string; targetType: string; targetId: string | null };
const refusedUnless = (w: AuditedWork, ctx: RequestContext, action: "device.read" | "device.manage", event: Event) => {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
};

async function activeUser(w: AuditedWork, id: string): Promise<boolean> {
  return (await w.tx.selectFrom("users").select("id").where("id", "=", id).where("status", "=", "active").executeTakeFirst()) !== undefined;
}
const unknownOwner = () => ValidationError([{ field: "ownerId", code: "unknown_user", message: "No active user has this id." }]);

export async function registerDevice(services: Services, ctx: RequestContext, input: DeviceCreateInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "device.register", targetType: "device", targetId: id };
    const refused = refusedUnless(w, ctx, "device.manage", event);
    if (refused) return refused;
    if (!(await activeUser(w, input.ownerId))) return w.refuse(unknownOwner(), event, "failure");
    if (input.lastCheckedOn && input.lastCheckedOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "lastCheckedOn", code: "in_future", message: "The date lies in the future." }]), event, "failure");
    const at = now.toISOString();
    const row: DbDevice = {
      id,
      kind: input.kind,
      label: input.label,
      owner_id: input.ownerId,
      encryption: input.encryption,
      remote_wipe: input.remoteWipe ? 1 : 0,
      check_interval_days: input.checkIntervalDays,
      last_checked_on: input.lastCheckedOn ?? null,
      status: "active",
      lost_on: null,
      lost_note_ct: null,
      incident_id: null,
      created_by: ctx.actor.userId,
      created_at: at,
      updated_at: at,
    };
    await w.tx.insertInto("devices").values(row).execute();
    w.record({
      ...event,
      outcome: "success",
      details: { kind: input.kind, ownerId: input.ownerId, encryption: input.encryption, remoteWipe: input.remoteWipe },
    });
    return present(row, dayOf(now));
  });
}

export async function updateDevice(services: Services, ctx: RequestContext, id: string, change: DeviceUpdateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "device.update", targetType: "device", targetId: id };
    const refused = refusedUnless(w, ctx, "device.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("devices").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Device"), event, "failure");
    if (change.ownerId !== undefined && !(await activeUser(w, change.ownerId))) return w.refuse(unknownOwner(), event, "failure");
    // A lost device stays lost: its record is the incident's evidence. Found again, it is retired and re-registered.
    if (row.status === "lost" && change.status === "active")
      return w.refuse(ConflictError("device_lost", "This device was reported lost; retire it and register it again if found."), event, "failure");
    const next: DbDevice = {
      ...row,
      label: change.label ?? row.label,
      owner_id: change.ownerId ?? row.owner_id,
      encryption: change.encryption ?? row.encryption,
      remote_wipe: change.remoteWipe === undefined ? row.remote_wipe : change.remoteWipe ? 1 : 0,
      check_interval_days: change.checkIntervalDays ?? row.check_interval_days,
      status: change.status ?? row.status,
      updated_at: now.toISOString(),
    };
    await w.tx.updateTable("devices").set(next).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(change).sort(), from: row.status, to: next.status } });
    return present(next, dayOf(now));
  });
}

/** A check of the device's controls: encryption and remote wipe as found, on a day. */
export async function recordDeviceCheck(services: Services, ctx: RequestContext, id: string, input: DeviceCheckInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "device.check", targetType: "device", targetId: id };
    const refused = refusedUnless(w, ctx, "device.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("devices").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Device"), event, "failure");
    if (row.status !== "active") return w.refuse(ConflictError("device_not_active", "Only an active device is checked."), event, "failure");
    const checkedOn = input.checkedOn ?? dayOf(now);
    if (checkedOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "checkedOn", code: "in_future", message: "The date lies in the future." }]), event, "failure");
    const next: DbDevice = {
      ...row,
      encryption: input.encryption,
      remote_wipe: input.remoteWipe ? 1 : 0,
      // An older check recorded late does not move the date back.
      last_checked_on: row.last_checked_on && row.last_checked_on > checkedOn ? row.last_checked_on : checkedOn,
      updated_at: now.toISOString(),
    };
    await w.tx.updateTable("devices").set(next).where("id", "=", id).execute();
    w.record({ ...event, outcome: "success", details: { checkedOn, encryption: input.encryption, remoteWipe: input.remoteWipe } });
    return present(next, dayOf(now));
  });
}

export interface DeviceFilter {
  ownerId?: string | undefined;
  status?: DeviceStatus | undefined;
  overdue?: boolean | undefined;
}

/**
 * The register (`device.read`), or one's own devices (`mine`: anyone). `overdue` keeps the active
 * devices whose check is due: never checked, or last checked longer ago than their interval.
 */
export async function listDevices(services: Services, ctx: RequestContext, filter: DeviceFilter & { mine?: boolean }, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: filter.mine ? "device.list_own" : "device.list", targetType: "device", targetId: null };
    if (!filter.mine) {
      const refused = refusedUnless(w, ctx, "device.read", event);
      if (refused) return refused;
    }
    let q = w.tx.selectFrom("devices").selectAll().orderBy("kind").orderBy("label").orderBy("id");
    const ownerId = filter.mine ? ctx.actor.userId : filter.ownerId;
    if (ownerId) q = q.where("owner_id", "=", ownerId);
    if (filter.status) q = q.where("status", "=", filter.status);
    const today = dayOf(now);
    let items = (await q.execute()).map((d) => present(d, today));
    if (filter.overdue) items = items.filter((d) => d.checkOverdue);
    w.record({ ...event, outcome: "success", details: { count: items.length, overdue: filter.overdue ?? false, status: filter.status ?? null } });
    return { items };
  });
}

export async function readDevice(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "device.read", targetType: "device", targetId: id };
    const row = await w.tx.selectFrom("devices").selectAll().where("id", "=", id).executeTakeFirst();
    // The owner reads their own device; others need the register. Unknown and forbidden look alike to a stranger.
    if (!row || (row.owner_id !== ctx.actor.userId && !can(ctx.actor, "device.read"))) {
      if (row) return w.deny({ reason: "role_lacks_permission" }, event);
      return w.refuse(NotFoundError("Device"), event, "failure");
    }
    w.record({ ...event, outcome: "success" });
    return present(row, dayOf(now));
  });
}

/**
 * A lost or stolen device (CHN-1, INC-1): marked lost, and an incident opened at once in the same
 * transaction. An unencrypted device counts as data that has left the firm, which raises the grade.
 * The owner is not made the incident's lead (unless they run incidents): the privacy officer leads, and
 * every compliance officer is told.
 */
export async function reportDeviceLost(services: Services, ctx: RequestContext, id: string, input: DeviceLostInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "device.report_lost", targetType: "device", targetId: id };
    const row = await w.tx.selectFrom("devices").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Device"), event, "failure");
    const decision = authorizeDeviceLostReport(ctx.actor, { ownerId: row.owner_id });
    if (decision.effect === "deny") return w.deny(decision, event);
    if (row.status !== "active") return w.refuse(ConflictError("device_not_active", "This device is already reported lost or retired."), event, "failure");
    if (input.lostOn > firmDay(now))
      return w.refuse(ValidationError([{ field: "lostOn", code: "in_future", message: "The date lies in the future." }]), event, "failure");
    const at = now.toISOString();
    const incidentId = uuidv7();
    const contact = await privacyContactIn(w.tx);
    const exposed = row.encryption !== "full" && row.encryption !== "not_applicable";
    // The reporter leads if they run incidents; otherwise the privacy officer does, if the firm has named one.
    const officer = await w.tx.selectFrom("privacy_roles").select("holder_id").where("code", "=", "privacy_officer").executeTakeFirst();
    const lead = can(ctx.actor, "incident.manage") ? ctx.actor.userId : (officer?.holder_id ?? null);
    const incident = await insertIncident(
      services,
      w,
      { id: incidentId, by: ctx.actor.userId, lead, now: at },
      {
        source: "staff_report",
        category: "loss",
        cause: "lost_device",
        measures: [],
        peopleAffected: 0,
        l4Involved: false,
        leftFirm: exposed,
        euSubjects: false,
        // Aware when reported: the deadlines run from the report, not from the day it went missing.
        awareAt: at,
        contact: contact?.email ?? contact?.phone ?? INCIDENT_CONTACT_FALLBACK,
      },
    );
    const next: DbDevice = {
      ...row,
      status: "lost",
      lost_on: input.lostOn,
      lost_note_ct: input.circumstances ? sealText(services.vault, "devices", id, "lost_note", input.circumstances) : null,
      incident_id: incidentId,
      updated_at: at,
    };
    await w.tx.updateTable("devices").set(next).where("id", "=", id).execute();
    // Compliance hears of it even without a subscription to incident.opened (subscribers were told by insertIncident).
    const subscribed = (await w.tx.selectFrom("notification_subscriptions").select("user_id").where("event_kind", "=", "incident.opened").execute()).map(
      (r) => r.user_id,
    );
    const compliance = await w.tx.selectFrom("users").select("id").where("role", "=", "compliance").where("status", "=", "active").execute();
    await notifyUsers(
      w.tx,
      services.vault,
      { kind: "incident.opened", incidentId, severity: incident.severity, category: "loss", source: "staff_report", at },
      compliance.map((u) => u.id).filter((u) => !subscribed.includes(u)),
      at,
    );
    w.record({
      ...event,
      outcome: "success",
      details: {
        kind: row.kind,
        incidentId,
        encryption: row.encryption,
        remoteWipe: row.remote_wipe === 1,
        severity: incident.severity,
        byOwner: row.owner_id === ctx.actor.userId,
      },
    });
    w.record({
      action: "incident.open",
      targetType: "incident",
      targetId: incidentId,
      outcome: "success",
      details: { source: "staff_report", category: "loss", severity: incident.severity, duties: incident.duties, deviceId: id },
    });
    return present(next, dayOf(now));
  });
}
