/**
 * The one policy module: every read, search, write, export and denial is decided here.
 * Decisions are allow / mask / deny with a stable reason code, and they are pure: no I/O.
 */
import type { Actor } from "./actor.js";
import { ROLE_DEFINITIONS, type Action, type Level } from "./roles.js";

export type DenyReason =
  | "role_lacks_permission"
  | "purpose_required"
  | "purpose_unknown"
  | "purpose_not_permitted"
  | "record_erased";

export type Decision =
  | { effect: "allow"; reason: "permitted" }
  | { effect: "mask"; reason: "clearance_below_level"; maskedFields: readonly string[] }
  | { effect: "deny"; reason: DenyReason };

export const allow: Decision = Object.freeze({ effect: "allow", reason: "permitted" });
const deny = (reason: DenyReason): Decision => ({ effect: "deny", reason });

export const clearanceOf = (actor: Actor): Level => ROLE_DEFINITIONS[actor.role].clearance;
export const can = (actor: Actor, action: Action): boolean => ROLE_DEFINITIONS[actor.role].permissions.has(action);

/** Every role cleared for L3 or above must sign in with a second factor (IAM-2). */
export const MFA_MIN_CLEARANCE: Level = 3;
export const mfaRequired = (role: Actor["role"]): boolean => ROLE_DEFINITIONS[role].clearance >= MFA_MIN_CLEARANCE;

/** Actions on no particular record: create, manage users, read the audit log … */
export function authorize(actor: Actor, action: Action): Decision {
  return can(actor, action) ? allow : deny("role_lacks_permission");
}

/** Declared purposes must exist in the purpose registry (IAM-5). */
export function checkPurpose(purpose: string | null, registered: ReadonlySet<string>): Decision {
  if (!purpose) return deny("purpose_required");
  if (!registered.has(purpose)) return deny("purpose_unknown");
  return allow;
}

export interface GuardedRecord {
  /** Purposes the record may be used for. */
  readonly purposes: readonly string[];
  readonly erased: boolean;
  /** Sensitivity level of each field the caller would receive. */
  readonly fieldLevels: Readonly<Record<string, Level>>;
}

/**
 * Reading personal data from one record: the role must hold the action, the declared purpose must be
 * one the record permits, and fields above the reader's clearance come back masked, never dropped.
 */
export function authorizeRecordRead(
  actor: Actor,
  action: Extract<Action, "client.read" | "client.search">,
  purpose: string,
  record: GuardedRecord,
): Decision {
  if (!can(actor, action)) return deny("role_lacks_permission");
  if (record.erased) return deny("record_erased");
  if (!record.purposes.includes(purpose)) return deny("purpose_not_permitted");
  const clearance = clearanceOf(actor);
  const masked = Object.entries(record.fieldLevels)
    .filter(([, level]) => level > clearance)
    .map(([field]) => field);
  return masked.length ? { effect: "mask", reason: "clearance_below_level", maskedFields: masked } : allow;
}

/** Changing or erasing one record: the role must hold the action and the record must still exist. */
export function authorizeRecordWrite(
  actor: Actor,
  action: Extract<Action, "client.update" | "client.erase">,
  record: Pick<GuardedRecord, "erased">,
): Decision {
  if (!can(actor, action)) return deny("role_lacks_permission");
  if (record.erased) return deny("record_erased");
  return allow;
}
