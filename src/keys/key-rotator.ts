import type { RequestContext } from "../access/actor.js";
import { authorize } from "../access/policy.js";
import { runAudited } from "../audit/audited.js";
import { AuthorizationError } from "../errors.js";
import type { Services } from "../services.js";

const BATCH = 500;

/**
 * Key rotation (ENC-3): a new KEK version becomes active, then every data key is re-wrapped under
 * it in small transactions, so reads keep working throughout (each row names its KEK version).
 * Older KEKs are marked retired but kept, so a data key wrapped by a server that had not yet seen
 * the new version stays readable; the next rotation sweeps such stragglers too.
 */
export async function rotateKeys(services: Services, ctx: RequestContext, onProgress?: (done: number, total: number) => void): Promise<{ version: number; rewrapped: number }> {
  const version = await runAudited(services, ctx, async (w) => {
    const event = { action: "key.rotate", targetType: "key", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "key.manage");
    if (decision.effect === "deny") return w.refuse(AuthorizationError(decision.reason), event);
    await services.engine.lockAuditChain(w.tx); // one rotation at a time across servers
    const current = await w.tx.selectFrom("key_versions").select((eb) => eb.fn.max("version").as("v")).executeTakeFirst();
    const next = Number(current?.v ?? 0) + 1;
    const now = new Date().toISOString();
    await w.tx.updateTable("key_versions").set({ retired_at: now }).where("retired_at", "is", null).execute();
    await w.tx.insertInto("key_versions").values({ version: next, wrapped_key: services.vault.createKek(next), created_at: now, retired_at: null }).execute();
    w.record({ ...event, targetId: `kek:${next}`, outcome: "success", details: { phase: "activated" } });
    return next;
  });

  const pending = async () =>
    Number((await services.engine.db.selectFrom("data_keys").select((eb) => eb.fn.countAll().as("n")).where("kek_version", "<>", version).where("wrapped_key", "is not", null).executeTakeFirst())?.n ?? 0);
  const total = await pending();
  let done = 0;
  for (;;) {
    const moved = await services.engine.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom("data_keys")
        .select(["client_id", "dek_version", "kek_version", "wrapped_key"])
        .where("kek_version", "<>", version)
        .where("wrapped_key", "is not", null)
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        await services.keyRing.ensureKek(tx, row.kek_version);
        const rewrapped = services.vault.rewrap({ ownerId: row.client_id, dekVersion: row.dek_version, kekVersion: row.kek_version, wrapped: row.wrapped_key! }, version);
        // Conditional on the old version: a concurrent erase or rotation wins, and we skip the row.
        await tx.updateTable("data_keys").set({ kek_version: version, wrapped_key: rewrapped.wrapped }).where("client_id", "=", row.client_id).where("kek_version", "=", row.kek_version).where("wrapped_key", "is not", null).execute();
      }
      return rows.length;
    });
    done += moved;
    onProgress?.(done, Math.max(total, done));
    if (moved < BATCH) break;
  }
  await runAudited(services, ctx, async (w) => {
    w.record({ action: "key.rotate", targetType: "key", targetId: `kek:${version}`, outcome: "success", purpose: null, details: { phase: "rewrapped", dataKeys: done } });
  });
  return { version, rewrapped: done };
}
