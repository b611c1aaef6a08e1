import { hash } from "node:crypto";
import type { DbAuditEvent } from "../db/schema.js";

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

// Unit separator between fields and "\u0000" for NULL: no field value can forge a boundary,
// because values are ids, codes and JSON that never contain U+001F or U+0000.
export function eventHash(e: Hashed): string {
  // One-shot hash: about twice as fast as createHash for inputs this small.
  return hash(
    "sha256",
    `${e.seq}\u001f${e.id}\u001f${e.at}\u001f${e.actor_id ?? "\u0000"}\u001f${e.actor_role ?? "\u0000"}\u001f${e.action}` +
      `\u001f${e.target_type ?? "\u0000"}\u001f${e.target_id ?? "\u0000"}\u001f${e.purpose ?? "\u0000"}\u001f${e.outcome}` +
      `\u001f${e.reason ?? "\u0000"}\u001f${e.request_id ?? "\u0000"}\u001f${e.details ?? "\u0000"}\u001f${e.prev_hash}`,
    "hex",
  );
}

export const checkpointMessage = (seq: number, headHash: string, signedAt: string) => `custodia-audit-checkpoint/v1\n${seq}\n${headHash}\n${signedAt}`;
