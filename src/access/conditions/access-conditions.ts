/**
 * Access conditions (TRN-2): to read L3+ data a user needs a current confidentiality agreement and
 * current privacy training on record. Minimal records; a later issue grows them into a module.
 */
import type { Tx } from "../../platform/db/engine.js";

/** The agreement version in force; an agreement signed on an older version is not current. */
export const REQUIRED_AGREEMENT_VERSION = 1;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Training `--expires YYYY-MM-DD` is valid through that day (UTC): it ends at the next midnight. */
export const endOfDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString();

export interface AccessConditions {
  agreement: { version: number; signedAt: string } | null;
  training: { completedAt: string; expiresAt: string } | null;
  met: boolean;
}

/** The user's latest agreement and training as of `now`, and whether both are current. */
export async function accessConditionsOf(tx: Tx, userId: string, now: Date): Promise<AccessConditions> {
  const at = now.toISOString();
  const agreement = await tx
    .selectFrom("staff_agreements")
    .select(["version", "signed_at"])
    .where("user_id", "=", userId)
    .where("signed_at", "<=", at)
    .orderBy("version", "desc")
    .orderBy("signed_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const training = await tx
    .selectFrom("staff_trainings")
    .select(["completed_at", "expires_at"])
    .where("user_id", "=", userId)
    .where("completed_at", "<=", at)
    .orderBy("expires_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const agreementCurrent = agreement !== undefined && Number(agreement.version) >= REQUIRED_AGREEMENT_VERSION;
  const trainingCurrent = training !== undefined && at < training.expires_at;
  return {
    agreement: agreement ? { version: Number(agreement.version), signedAt: agreement.signed_at } : null,
    training: training ? { completedAt: training.completed_at, expiresAt: training.expires_at } : null,
    met: agreementCurrent && trainingCurrent,
  };
}
