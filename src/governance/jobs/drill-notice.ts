/** The notice that an incident drill is due: in-app, and by email or webhook to subscribers. */
import type { Tx } from "../../platform/db/engine.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import type { Vault } from "../../vault/vault.js";

export const DRILL_DUE_KIND = "drill.due";

export interface DrillDue {
  lastHeldOn: string | null;
  dueFrom: string | null;
  intervalDays: number;
  at: string;
}

export const notifyDrillDue = (tx: Tx, vault: Vault, due: DrillDue, userIds: readonly string[]): Promise<number> =>
  notifyUsers(tx, vault, { kind: DRILL_DUE_KIND, ...due }, userIds, due.at);
