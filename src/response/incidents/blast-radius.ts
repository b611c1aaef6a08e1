/**
 * Blast radius (INC-3): for a compromised account or token and a time window, exactly which clients
 * and which of their fields were read in clear or exported, from the audit log alone.
 *
 * Counted: successful `client.read` events (direct reads and search hits, `details.via`) and
 * `client.export` events of the account in [from, to]. Fields: every personal field of the registry
 * (src/records/clients/fields.ts) minus those the event lists in `details.masked`. Audit events name the
 * user, not the token, so a token's radius is its user's within the window (documented limit).
 */
import { PERSONAL_FIELDS, type PersonalField } from "../../records/clients/fields.js";
import { OUTSTANDING } from "../../records/disclosures/disclosure.js";
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

// ---------------------------------------------------------------------------------------------
// What a partner held (issue #13, VEN-4): the clients and fields a partner's breach may have
// exposed, read from the disclosure holdings (src/records/disclosures/), in the form they left in.

/** A field as it left in a disclosure: `keep` is the value in full; mask, generalise and pseudonym are not. */
export interface SentField {
  field: string;
  rule: string;
  method?: string | null | undefined;
}

export interface PartnerExposure {
  partnerId: string;
  disclosureId: string;
  clientId: string;
  fields: SentField[];
}

/**
 * What the partner held on `occurredOn`: holdings of disclosures made by the end of that day and
 * still outstanding, or confirmed returned or deleted only on or after that day.
 */
export async function partnerExposures(tx: Tx, partnerId: string, occurredOn: string): Promise<PartnerExposure[]> {
  const rows = await tx
    .selectFrom("disclosure_holdings as h")
    .innerJoin("disclosures as d", "d.id", "h.disclosure_id")
    .select(["h.disclosure_id", "h.client_id", "h.fields", "h.status", "h.confirmed_at"])
    .where("d.partner_id", "=", partnerId)
    .where("d.created_at", "<=", `${occurredOn}T23:59:59.999Z`)
    .orderBy("h.client_id")
    .orderBy("h.disclosure_id")
    .execute();
  return rows
    .filter((r) => (OUTSTANDING as readonly string[]).includes(r.status) || (r.confirmed_at !== null && r.confirmed_at >= occurredOn))
    .map((r) => ({ partnerId, disclosureId: r.disclosure_id, clientId: r.client_id, fields: JSON.parse(r.fields) as SentField[] }));
}

/** Personal fields that left in full: a masked ID number or a birth year is not the field exposed in clear. */
export const exposedInFull = (fields: readonly SentField[]): PersonalField[] =>
  PERSONAL_FIELDS.filter((f) => fields.some((s) => s.field === f && s.rule === "keep"));

/** One affected client per client the partner held: its fields in full, and `exported` (the data left the firm). */
export function affectedFromExposures(exposures: readonly PartnerExposure[]): AffectedClient[] {
  const byClient = new Map<string, Set<string>>();
  for (const e of exposures) {
    const set = byClient.get(e.clientId) ?? new Set<string>();
    for (const f of exposedInFull(e.fields)) set.add(f);
    byClient.set(e.clientId, set);
  }
  return [...byClient.entries()]
    .map(([clientId, fields]) => ({ clientId, fields: PERSONAL_FIELDS.filter((f) => fields.has(f)), exported: true, evidence: [] }))
    .sort((a, b) => a.clientId.localeCompare(b.clientId));
}

/** Two radii as one: per client, the union of the fields, exported if either says so. */
export function mergeAffected(a: readonly AffectedClient[], b: readonly AffectedClient[]): AffectedClient[] {
  const byClient = new Map<string, AffectedClient>();
  for (const c of [...a, ...b]) {
    const prior = byClient.get(c.clientId);
    byClient.set(
      c.clientId,
      prior
        ? {
            clientId: c.clientId,
            fields: PERSONAL_FIELDS.filter((f) => prior.fields.includes(f) || c.fields.includes(f)),
            exported: prior.exported || c.exported,
            evidence: [...prior.evidence, ...c.evidence],
          }
        : { ...c, fields: [...c.fields], evidence: [...c.evidence] },
    );
  }
  return [...byClient.values()].sort((x, y) => x.clientId.localeCompare(y.clientId));
}
