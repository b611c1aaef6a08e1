/**
 * The erasure ledger (BCK-1): every crypto-shredded client, kept in the data directory beside the
 * master key and outside the database, so restoring an older backup cannot bring an erased client
 * back. One JSON line per erasure; each entry is sealed by the vault with its line number as bound
 * data, so an entry cannot be forged, altered, moved or dropped from the middle without the master
 * key. (Cutting lines off the end is not detectable here: keep the file with the key material.)
 * Entries hold client ids and times only.
 */
import { appendFileSync, chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { shredClient } from "../../records/clients/client-eraser.js";
import type { Services } from "../../platform/services.js";
import type { Vault } from "../../vault/vault.js";

export const ledgerPath = (dataDir: string) => join(dataDir, "erasure-ledger.jsonl");

interface LedgerLine {
  n: number;
  clientId: string;
  erasedAt: string;
  seal: string;
}

const binding = (n: number) => ({ table: "erasure_ledger", recordId: String(n), field: "entry" });

export class LedgerTamperedError extends Error {
  constructor(readonly line: number) {
    super(`The erasure ledger failed its integrity check at line ${line}; restore it from the key-material backup before going on.`);
  }
}

/** Every erased client id and when it was erased; throws LedgerTamperedError on any bad entry. */
export function readLedger(vault: Vault, file: string): Map<string, string> {
  const erased = new Map<string, string>();
  if (!existsSync(file)) return erased;
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  lines.forEach((text, i) => {
    let entry: LedgerLine;
    try {
      entry = JSON.parse(text) as LedgerLine;
      if (entry.n !== i + 1 || vault.openSecret(binding(entry.n), Buffer.from(entry.seal, "base64")) !== `${entry.clientId}\0${entry.erasedAt}`)
        throw new Error("mismatch");
    } catch {
      throw new LedgerTamperedError(i + 1);
    }
    erased.set(entry.clientId, entry.erasedAt);
  });
  return erased;
}

/**
 * Brings the ledger up to date with the database: appends every client whose data key is destroyed
 * and which the ledger does not list yet. Returns how many entries were added.
 */
export async function syncErasureLedger(services: Services, file: string): Promise<number> {
  const known = readLedger(services.vault, file);
  const destroyed = await services.engine.db
    .selectFrom("data_keys")
    .select(["client_id", "destroyed_at"])
    .where("wrapped_key", "is", null)
    .orderBy("destroyed_at")
    .orderBy("client_id")
    .execute();
  let n = known.size;
  const lines: string[] = [];
  for (const d of destroyed) {
    if (known.has(d.client_id)) continue;
    const erasedAt = d.destroyed_at ?? new Date(0).toISOString();
    n++;
    const seal = services.vault.sealSecret(binding(n), `${d.client_id}\0${erasedAt}`).toString("base64");
    lines.push(JSON.stringify({ n, clientId: d.client_id, erasedAt, seal } satisfies LedgerLine));
  }
  if (lines.length) {
    appendFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return lines.length;
}

/**
 * Re-shreds, in this database, every client the ledger lists whose data key is still present (the
 * database came from a backup taken before the erasure). Audited per client. Returns their ids.
 */
export async function applyErasureLedger(services: Services, ctx: RequestContext, file: string): Promise<string[]> {
  const ledger = readLedger(services.vault, file);
  if (!ledger.size) return [];
  const ids = [...ledger.keys()];
  const live: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await services.engine.db
      .selectFrom("data_keys")
      .select("client_id")
      .where("client_id", "in", ids.slice(i, i + 500))
      .where("wrapped_key", "is not", null)
      .execute();
    live.push(...rows.map((r) => r.client_id));
  }
  if (!live.length) return [];
  return runAudited(services, ctx, async (w) => {
    const now = new Date().toISOString();
    for (const id of live.sort()) {
      const row = await w.tx.selectFrom("clients").select("row_version").where("id", "=", id).executeTakeFirstOrThrow();
      const documents = await shredClient(services, w.tx, id, Number(row.row_version), now);
      w.record({
        action: "backup.erasure_reapplied",
        targetType: "client",
        targetId: id,
        outcome: "success",
        purpose: null,
        details: { erasedAt: ledger.get(id)!, method: "crypto-shredding", documents: documents.documents },
      });
    }
    return live;
  });
}
