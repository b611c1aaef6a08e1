/**
 * Recording a user's confidentiality agreement and privacy training (TRN-2), and their supervisor
 * (APR-2). Agreement and training unlock L3+ data, so compliance records them (never the admin who
 * made the account, never the user themself; the CLI acts as the console's compliance officer).
 * The records are the training module's (src/governance/training/); these are its "recorded by
 * compliance" forms, kept for the `custodia user agreement | training` commands and the /users API.
 * The supervisor is user administration (`user.manage`).
 */
import type { Actor } from "../policy/actor.js";
import { authorize, authorizeAccessConditionRead, authorizeAccessConditionRecord } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { assignSupervisor } from "../../identity/users/user-admin.js";
import { recordAcknowledgementIn } from "../../governance/training/agreements.js";
import { recordCompletionsIn, requiredCourseIds } from "../../governance/training/completions.js";
import { accessConditionsOf, endOfDay, ISO_DATE, STAFF_NDA, type AccessConditions } from "./access-conditions.js";

/** A user named by id (API) or email (CLI). */
export type UserRef = { id: string } | { email: string };

const findUser = (tx: Tx, ref: UserRef) => {
  const q = tx.selectFrom("users").select(["id", "status", "supervisor_id"]);
  return ("id" in ref ? q.where("id", "=", ref.id) : q.where("email", "=", ref.email.trim().toLowerCase())).executeTakeFirst();
};

const validDate = (d: string) =>
  ISO_DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00.000Z`)) && new Date(`${d}T00:00:00.000Z`).toISOString().startsWith(d);
const validTime = (t: string) => !Number.isNaN(Date.parse(t)) && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(t);
const toIso = (t: string) => new Date(ISO_DATE.test(t) ? `${t}T00:00:00.000Z` : t).toISOString();

/**
 * Records a signed staff NDA for someone (compliance, for a paper copy): an acknowledgement of
 * staff_nda at `version` (a published one; the current one if omitted), kept in
 * src/governance/training/. The person's own electronic acknowledgement is acknowledgeAgreement.
 */
export async function recordAgreement(
  services: Services,
  actor: Actor,
  requestId: string,
  ref: UserRef,
  input: { version?: number | undefined; signedAt?: string | undefined },
): Promise<AccessConditions> {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.agreement_record", targetType: "user", targetId: "id" in ref ? ref.id : null };
    const subject = await findUser(w.tx, ref);
    const role = authorizeAccessConditionRecord(actor, subject?.id ?? event.targetId ?? "", "agreement");
    if (role.effect === "deny") return w.deny(role, event);
    const issues: FieldIssue[] = [];
    if (input.version !== undefined && (!Number.isInteger(input.version) || input.version < 1 || input.version > 10_000))
      issues.push({ field: "version", code: "invalid_value", message: "A positive agreement version." });
    if (input.signedAt !== undefined && !validTime(input.signedAt))
      issues.push({ field: "signedAt", code: "format", message: "YYYY-MM-DD or an ISO-8601 UTC time." });
    const now = new Date();
    if (input.signedAt !== undefined && validTime(input.signedAt) && Date.parse(toIso(input.signedAt)) > now.getTime())
      issues.push({ field: "signedAt", code: "in_future", message: "The time lies in the future." });
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const user = subject;
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const signedAt = input.signedAt ? toIso(input.signedAt) : now.toISOString();
    const ack = await recordAcknowledgementIn(w, services, { actor, requestId, purpose: null }, user.id, STAFF_NDA, input.version, signedAt);
    if (ack === "unknown_version")
      return w.refuse(ValidationError([{ field: "version", code: "unknown_version", message: "No such published version." }]), event, "failure");
    w.record({ ...event, targetId: user.id, outcome: "success", details: { version: ack.version, signedAt } });
    return accessConditionsOf(w.tx, user.id, now);
  });
}

/**
 * Records in-person privacy training for someone (compliance): a "recorded" completion of every
 * course required for sensitive data, valid through `expiresOn` (UTC), kept in src/governance/training/.
 */
export async function recordTraining(
  services: Services,
  actor: Actor,
  requestId: string,
  ref: UserRef,
  input: { expiresOn: string; completedAt?: string | undefined },
): Promise<AccessConditions> {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.training_record", targetType: "user", targetId: "id" in ref ? ref.id : null };
    const subject = await findUser(w.tx, ref);
    const role = authorizeAccessConditionRecord(actor, subject?.id ?? event.targetId ?? "", "training");
    if (role.effect === "deny") return w.deny(role, event);
    const issues: FieldIssue[] = [];
    if (!validDate(input.expiresOn)) issues.push({ field: "expiresOn", code: "format", message: "YYYY-MM-DD." });
    if (input.completedAt !== undefined && !validTime(input.completedAt))
      issues.push({ field: "completedAt", code: "format", message: "YYYY-MM-DD or an ISO-8601 UTC time." });
    const now = new Date();
    const completedAt = input.completedAt && validTime(input.completedAt) ? toIso(input.completedAt) : now.toISOString();
    if (Date.parse(completedAt) > now.getTime()) issues.push({ field: "completedAt", code: "in_future", message: "The time lies in the future." });
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const user = subject;
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const expiresAt = endOfDay(input.expiresOn);
    const courses = await requiredCourseIds(w.tx);
    const done = await recordCompletionsIn(w, { actor, requestId, purpose: null }, courses, user.id, { completedAt, expiresAt }, now);
    w.record({ ...event, targetId: user.id, outcome: "success", details: { completedAt, expiresAt, completionIds: done.map((c) => c.id) } });
    return accessConditionsOf(w.tx, user.id, now);
  });
}

/** Sets (or clears, with null) a user's direct superior: an active user other than themselves. */
export async function setSupervisor(
  services: Services,
  actor: Actor,
  requestId: string,
  ref: UserRef,
  supervisor: UserRef | null,
): Promise<{ id: string; supervisorId: string | null }> {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.set_supervisor", targetType: "user", targetId: "id" in ref ? ref.id : null };
    const role = authorize(actor, "user.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const user = await findUser(w.tx, ref);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const sup = supervisor ? await findUser(w.tx, supervisor) : null;
    if (supervisor && (sup?.status !== "active" || sup.id === user.id)) {
      return w.refuse(
        ValidationError([{ field: "supervisor", code: "unknown_user", message: "No active user has this id." }]),
        { ...event, targetId: user.id },
        "failure",
      );
    }
    await assignSupervisor(w.tx, user.id, sup?.id ?? null);
    w.record({ ...event, targetId: user.id, outcome: "success", details: { from: user.supervisor_id, to: sup?.id ?? null } });
    return { id: user.id, supervisorId: sup?.id ?? null };
  });
}

/** A user's access conditions as of now (for the admin API). */
export async function readAccessConditions(services: Services, actor: Actor, requestId: string, ref: UserRef): Promise<AccessConditions> {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.access_conditions_read", targetType: "user", targetId: "id" in ref ? ref.id : null };
    const role = authorizeAccessConditionRead(actor);
    if (role.effect === "deny") return w.deny(role, event);
    const user = await findUser(w.tx, ref);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    w.record({ ...event, targetId: user.id, outcome: "success" });
    return accessConditionsOf(w.tx, user.id, new Date());
  });
}
