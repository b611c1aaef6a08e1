import type { Actor } from "../../access/policy/actor.js";
import { clientAbilities, type ClientAbilities } from "../../access/policy/abilities.js";
import type { ClientRelation, GuardedRecord } from "../../access/policy/policy.js";
import type { Tx } from "../../platform/db/engine.js";
import { activeHoldFor } from "../../rights/holds/hold-store.js";
import { isResponsibleForOpenMatter } from "./client-purposes-changer.js";

/**
 * The caller's abilities on a client just read: the relation and record come from the read; the
 * facts the read did not need (a legal hold, a restriction, responsibility for an open matter)
 * cost one small lookup each.
 */
export async function abilitiesForRead(
  tx: Tx,
  actor: Actor,
  clientId: string,
  read: { purpose: string; record: GuardedRecord; relation: ClientRelation },
): Promise<ClientAbilities> {
  const hold = await activeHoldFor(tx, clientId);
  const restriction = await tx.selectFrom("processing_restrictions").select("client_id").where("client_id", "=", clientId).executeTakeFirst();
  const responsibleForOpenMatter = await isResponsibleForOpenMatter(tx, actor.userId, clientId);
  return clientAbilities(actor, { ...read, underLegalHold: hold !== undefined, restricted: restriction !== undefined, responsibleForOpenMatter });
}
