/**
 * An audit event's chain hash (chain.ts `eventHash`) with pluggable SHA-256. The input string is
 * the one chain.ts hashes; a property test holds the two equal.
 */
import { fromHex, toHex, utf8 } from "./bytes.js";
import type { HistoryCrypto } from "./crypto.js";
import { leafHash } from "./inclusion.js";

/** The hashed columns of an audit event (chain.ts HASHED_COLUMNS), as the package carries them. */
export interface ProvenEvent {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  purpose: string | null;
  outcome: string;
  reason: string | null;
  request_id: string | null;
  details: string | null;
  prev_hash: string;
}

// Unit separator between fields and "\u0000" for NULL, exactly as chain.ts.
export const eventHashInput = (e: ProvenEvent): string =>
  `${e.seq}\u001f${e.id}\u001f${e.at}\u001f${e.actor_id ?? "\u0000"}\u001f${e.actor_role ?? "\u0000"}\u001f${e.action}` +
  `\u001f${e.target_type ?? "\u0000"}\u001f${e.target_id ?? "\u0000"}\u001f${e.purpose ?? "\u0000"}\u001f${e.outcome}` +
  `\u001f${e.reason ?? "\u0000"}\u001f${e.request_id ?? "\u0000"}\u001f${e.details ?? "\u0000"}\u001f${e.prev_hash}`;

export const eventHash = async (e: ProvenEvent, crypto: HistoryCrypto): Promise<string> => toHex(await crypto.sha256(utf8(eventHashInput(e))));

/** The event's Merkle leaf: the leaf hash of its chain hash's bytes (tree-checkpoint.ts auditLeaf). */
export const eventLeaf = async (e: ProvenEvent, crypto: HistoryCrypto): Promise<Uint8Array> => leafHash(fromHex(await eventHash(e, crypto))!, crypto);
