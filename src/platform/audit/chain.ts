import { hash } from "node:crypto";
import type { DbAuditEvent } from "../db/schema.js";
import { eventHashInput } from "./history-check/event-hash.js";

export const GENESIS_HASH = "0".repeat(64);

/** Every column that is hashed, in hash order. Altering any of them breaks the chain. */
export const HASHED_COLUMNS = [
  "seq",
  "id",
  "at",
  "actor_id",
  "actor_role",
  "action",
  "target_type",
  "target_id",
  "purpose",
  "outcome",
  "reason",
  "request_id",
  "details",
  "prev_hash",
] as const;

type Hashed = Pick<DbAuditEvent, (typeof HASHED_COLUMNS)[number]>;

/** The chain hash; the hashed text (fields joined by U+001F, NULL as U+0000) is shared with the browser's check. */
export const eventHash = (e: Hashed): string => chainHash(eventHashInput(e));

/** The chain hash of an event's hashed text. One-shot: about twice as fast as createHash for inputs this small. */
export const chainHash = (input: string): string => hash("sha256", input, "hex");

/** The columns eventHashInput writes as U+0000 when NULL; the others are never NULL. */
export const NULLABLE_HASHED_COLUMNS: ReadonlySet<(typeof HASHED_COLUMNS)[number]> = new Set([
  "actor_id",
  "actor_role",
  "target_type",
  "target_id",
  "purpose",
  "reason",
  "request_id",
  "details",
]);

export const checkpointMessage = (seq: number, headHash: string, signedAt: string) => `custodia-audit-checkpoint/v1\n${seq}\n${headHash}\n${signedAt}`;
