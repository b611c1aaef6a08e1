import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";

export interface KeyVersionInfo {
  version: number;
  status: "active" | "retired";
  createdAt: string;
  retiredAt: string | null;
  /** Live (not shredded) data keys currently wrapped by this KEK. */
  dataKeys: number;
}

/** The key-encryption-key versions and what each still wraps (`key.manage`); never key material. */
export async function listKeyVersions(services: Services, ctx: RequestContext): Promise<KeyVersionInfo[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "key.list", targetType: "key", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "key.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const versions = await w.tx.selectFrom("key_versions").select(["version", "created_at", "retired_at"]).orderBy("version").execute();
    const counts = await w.tx
      .selectFrom("data_keys")
      .select((eb) => ["kek_version", eb.fn.countAll().as("n")])
      .where("wrapped_key", "is not", null)
      .groupBy("kek_version")
      .execute();
    const wrapped = new Map(counts.map((c) => [Number(c.kek_version), Number(c.n)]));
    w.record({ ...event, outcome: "success", details: { count: versions.length } });
    return versions.map((v) => ({
      version: Number(v.version),
      status: v.retired_at === null ? ("active" as const) : ("retired" as const),
      createdAt: v.created_at,
      retiredAt: v.retired_at,
      dataKeys: wrapped.get(Number(v.version)) ?? 0,
    }));
  });
}
