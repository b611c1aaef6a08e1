/**
 * Changing a record's permitted purposes (IAM-5, CON-2): what the firm may use the client's data
 * for. A compliance act, or the responsible partner's of one of the client's open matters
 * (authorizePurposeChange), with a reason code; never a field edit (PATCH refuses `purposes`).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizePurposeChange } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { AppError, ConflictError, NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { consentMissing } from "../../rights/consent/consent-predicates.js";
import { consentTermsFor } from "../../rights/consent/consent-terms.js";
import { ProcessingRestrictedError } from "../../rights/requests/request.js";
import { clientRelation } from "../matters/need-to-know.js";
import { refuseRecord } from "./client-access.js";
import { findClientRow, setClientPurposes } from "./client-store.js";
import { validateClientDraft } from "./validation.js";

/** Why the purposes change: codes only, so no free text (and no names) reach the audit trail. */
export const PURPOSE_CHANGE_REASONS = ["engagement_changed", "client_instruction", "consent_withdrawn", "correction", "legal_requirement"] as const;
export type PurposeChangeReason = (typeof PURPOSE_CHANGE_REASONS)[number];
/** A ticket or file number. */
export const PURPOSE_CHANGE_REFERENCE = /^[A-Za-z0-9._/-]{1,64}$/;

export interface PurposeChangeInput {
  purposes: string[];
  reason: PurposeChangeReason;
  reference?: string | undefined;
}

export interface PurposesChanged {
  id: string;
  purposes: string[];
  added: string[];
  removed: string[];
  reason: PurposeChangeReason;
  reference: string | null;
  changedAt: string;
}

/** 409: adding a consent-based purpose the client has not (or no longer) consented to. */
export const PurposeNeedsConsentError = (fields: readonly FieldIssue[]) =>
  new AppError(409, "purpose_needs_consent", "A purpose that rests on consent needs the client's current consent; record the consent first.", fields);

/** The actor is the responsible partner of an open matter of the client: the one fact the relation lacks. */
export async function isResponsibleForOpenMatter(tx: Tx, userId: string, clientId: string): Promise<boolean> {
  const row = await tx
    .selectFrom("matters")
    .select("id")
    .where("client_id", "=", clientId)
    .where("status", "=", "open")
    .where("responsible_partner_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Replaces the record's purposes. No X-Purpose is needed: the purposes are codes, not personal
 * data, and compliance must be able to repair a record nobody may read any more.
 */
export async function changeClientPurposes(services: Services, ctx: RequestContext, id: string, input: PurposeChangeInput): Promise<PurposesChanged> {
  const registered = await services.purposes.codes();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "client.purposes_change", targetType: "client", targetId: id, purpose: null };
    // The role first, so those who may never change purposes cannot probe which ids exist.
    const role = authorize(ctx.actor, "client.purposes");
    if (role.effect === "deny") return w.deny(role, event);
    const row = await findClientRow(w.tx, id);
    if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, row);
    const responsibleForOpenMatter = await isResponsibleForOpenMatter(w.tx, ctx.actor.userId, id);
    const decision = authorizePurposeChange(ctx.actor, { erased: row.status === "erased" }, { ...relation, responsibleForOpenMatter });
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);

    const checked = validateClientDraft({ purposes: input.purposes }, registered);
    const issues: FieldIssue[] = checked.ok ? [] : [...checked.issues];
    if (!(PURPOSE_CHANGE_REASONS as readonly string[]).includes(input.reason))
      issues.push({ field: "reason", code: "invalid_value", message: "Not a purpose change reason." });
    if (input.reference !== undefined && !PURPOSE_CHANGE_REFERENCE.test(input.reference))
      issues.push({ field: "reference", code: "format", message: "A ticket or file number." });
    if (issues.length || !checked.ok) {
      return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    }
    // A restricted record (PIPL Art. 47) stays on legal claims until compliance lifts the restriction.
    if (await w.tx.selectFrom("processing_restrictions").select("client_id").where("client_id", "=", id).executeTakeFirst()) {
      return w.refuse(ProcessingRestrictedError(), event, "denied");
    }

    const next = checked.value.purposes ?? [];
    const current = JSON.parse(row.purposes) as string[];
    const added = next.filter((p) => !current.includes(p));
    const removed = current.filter((p) => !next.includes(p));
    // A purpose resting on consent is added only with the client's current consent (PIPL Art. 14 (2)).
    const unconsented: string[] = [];
    for (const purpose of added) if (consentMissing(await consentTermsFor(w.tx, id, purpose))) unconsented.push(purpose);
    if (unconsented.length) {
      const fields = unconsented.map((p) => ({
        field: `purposes.${next.indexOf(p)}`,
        code: "consent_missing",
        message: "The client has no current consent to this purpose.",
      }));
      return w.refuse(PurposeNeedsConsentError(fields), { ...event, details: { purposes: unconsented } }, "failure");
    }

    const changedAt = new Date().toISOString();
    if ((added.length || removed.length) && !(await setClientPurposes(w.tx, id, next, row.row_version, changedAt))) {
      return w.refuse(ConflictError("edit_conflict", "The client changed meanwhile; reload and retry."), event, "failure");
    }
    w.record({ ...event, outcome: "success", reason: input.reason, details: { added, removed, reference: input.reference ?? null } });
    return { id, purposes: next, added, removed, reason: input.reason, reference: input.reference ?? null, changedAt };
  });
}
