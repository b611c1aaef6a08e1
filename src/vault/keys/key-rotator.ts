import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { evidenceKeyOwner } from "../../response/incidents/incident-evidence.js";
import type { Services } from "../../platform/services.js";

const BATCH = 500;

/**
 * Every table holding data keys wrapped by a KEK: client data keys, and the per-file keys of
 * incident evidence. `owner` is what the key was wrapped for (part of the wrapping's AAD).
 */
const WRAPPED_KEYS = [
  { table: "data_keys", id: "client_id", owner: (id: string) => id },
  { table: "incident_evidence", id: "id", owner: evidenceKeyOwner },
] as const;
type WrappedKeyTable = (typeof WRAPPED_KEYS)[number];

async function pendingIn(services: Services, spec: WrappedKeyTable, version: number): Promise<number> {
  const row = await services.engine.db
    .selectFrom(spec.table)
    .select((eb) => eb.fn.countAll().as("n"))
    .where("kek_version", "<>", version)
    .where("wrapped_key", "is not", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Re-wraps one table's keys under `version` in small transactions; returns how many moved. */
async function rewrapTable(services: Services, spec: WrappedKeyTable, version: number, onProgress: (moved: number) => void): Promise<number> {
  let done = 0;
  for (;;) {
    const moved = await services.engine.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom(spec.table)
        .select([`${spec.id} as id`, "dek_version", "kek_version", "wrapped_key"])
        .where("kek_version", "<>", version)
        .where("wrapped_key", "is not", null)
        .limit(BATCH)
        .execute();
      for (const row of rows as { id: string; dek_version: number; kek_version: number; wrapped_key: Buffer | null }[]) {
        await services.keyRing.ensureKek(tx, row.kek_version);
        const rewrapped = services.vault.rewrap(
          { ownerId: spec.owner(row.id), dekVersion: row.dek_version, kekVersion: row.kek_version, wrapped: row.wrapped_key! },
          version,
        );
        // Conditional on the old version: a concurrent erase or rotation wins, and we skip the row.
        await tx
          .updateTable(spec.table)
          .set({ kek_version: version, wrapped_key: rewrapped.wrapped })
          .where(spec.id, "=", row.id)
          .where("kek_version", "=", row.kek_version)
          .where("wrapped_key", "is not", null)
          .execute();
      }
      return rows.length;
    });
    done += moved;
    onProgress(done);
    if (moved < BATCH) return done;
  }
}

/**
 * Key rotation (ENC-3): a new KEK version becomes active, then every data key is re-wrapped under
 * it in small transactions, so reads keep working throughout (each row names its KEK version).
 * Older KEKs are marked retired but kept, so a data key wrapped by a server that had not yet seen
 * the new version stays readable; the next rotation sweeps such stragglers too.
 */
export async function rotateKeys(
  services: Services,
  ctx: RequestContext,
  onProgress?: (done: number, total: number) => void,
): Promise<{ version: number; rewrapped: number }> {
  const version = await runAudited(services, ctx, async (w) => {
    const event = { action: "key.rotate", targetType: "key", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "key.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    await services.engine.lockAuditChain(w.tx); // one rotation at a time across servers
    const current = await w.tx
      .selectFrom("key_versions")
      .select((eb) => eb.fn.max("version").as("v"))
      .executeTakeFirst();
    const next = Number(current?.v ?? 0) + 1;
    const now = new Date().toISOString();
    await w.tx.updateTable("key_versions").set({ retired_at: now }).where("retired_at", "is", null).execute();
    await w.tx
      .insertInto("key_versions")
      .values({ version: next, wrapped_key: await services.keyRing.createKek(w.tx, next), created_at: now, retired_at: null })
      .execute();
    w.record({ ...event, targetId: `kek:${next}`, outcome: "success", details: { phase: "activated" } });
    return next;
  });

  const total = (await Promise.all(WRAPPED_KEYS.map((spec) => pendingIn(services, spec, version)))).reduce((a, b) => a + b, 0);
  let done = 0;
  for (const spec of WRAPPED_KEYS) {
    done += await rewrapTable(services, spec, version, (moved) => onProgress?.(done + moved, Math.max(total, done + moved)));
  }
  await runAudited(services, ctx, async (w) => {
    w.record({
      action: "key.rotate",
      targetType: "key",
      targetId: `kek:${version}`,
      outcome: "success",
      purpose: null,
      details: { phase: "rewrapped", dataKeys: done },
    });
  });
  return { version, rewrapped: done };
}
