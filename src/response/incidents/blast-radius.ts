/**
 * Blast radius (INC-3): for a compromised account or token and a time window, exactly which clients
 * and which of their fields were read in clear or exported, from the audit log alone.
 *
 * Counted: successful `client.read` events (direct reads and search hits, `details.via`) and
 * `client.export` events of the account in [from, to]. Fields: every personal field of the registry
 * (src/records/clients/fields.ts) minus those the event lists in `details.masked`. Audit events name the
 * user, not the token, so a token's radius is its user's within the window (documented limit).
 */
import { PERSONAL_FIELDS } from "../../records/clients/fields.js";
import type { Tx } from "../../platform/db/engine.js";

export interface AffectedClient {
  clientId: string;
  /** Field names read in clear, sorted. */
  fields: string[];
  exported: boolean;
  /** Audit seqs of the events that exposed it. */
  evidence: number[];
}

// A name shown in the client list is exposure too (client.list_item carries the fields shown).
export const BLAST_RADIUS_ACTIONS = ["client.read", "client.list_item", "client.export"] as const;

export async function computeBlastRadius(tx: Tx, subject: { userId: string; from: string; to: string }): Promise<AffectedClient[]> {
  const rows = await tx
    .selectFrom("audit_events")
    .select(["seq", "action", "target_id", "details"])
    .where("actor_id", "=", subject.userId)
    .where("at", ">=", subject.from)
    .where("at", "<=", subject.to)
    .where("action", "in", [...BLAST_RADIUS_ACTIONS])
    .where("outcome", "=", "success")
    .where("target_id", "is not", null)
    .orderBy("seq")
    .execute();
  const byClient = new Map<string, { fields: Set<string>; exported: boolean; evidence: number[] }>();
  for (const row of rows) {
    const details = row.details ? (JSON.parse(row.details) as { masked?: unknown }) : {};
    const masked = Array.isArray(details.masked) ? (details.masked as string[]) : [];
    const entry = byClient.get(row.target_id!) ?? { fields: new Set<string>(), exported: false, evidence: [] };
    for (const field of PERSONAL_FIELDS) if (!masked.includes(field)) entry.fields.add(field);
    if (row.action === "client.export") entry.exported = true;
    entry.evidence.push(Number(row.seq));
    byClient.set(row.target_id!, entry);
  }
  return [...byClient.entries()]
    .map(([clientId, e]) => ({ clientId, fields: PERSONAL_FIELDS.filter((f) => e.fields.has(f)), exported: e.exported, evidence: e.evidence }))
    .filter((c) => c.fields.length > 0 || c.exported)
    .sort((a, b) => a.clientId.localeCompare(b.clientId));
}
