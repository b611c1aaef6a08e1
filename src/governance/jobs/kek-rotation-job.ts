/** Scheduled KEK rotation (ENC-3): rotates once the active KEK is older than the firm's maximum age. */
import { rotateKeys } from "../../vault/keys/key-rotator.js";
import { JOB_OPERATOR, type JobContext, type JobResult, jobRequestId } from "./job.js";

const DAY_MS = 86_400_000;

export async function runKekRotation(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services, settings } = ctx;
  const active = await services.engine.db
    .selectFrom("key_versions")
    .select(["version", "created_at"])
    .where("retired_at", "is", null)
    .orderBy("version", "desc")
    .executeTakeFirst();
  const ageDays = active ? Math.floor((now.getTime() - Date.parse(active.created_at)) / DAY_MS) : Number.POSITIVE_INFINITY;
  if (active && ageDays < settings.kekMaxAgeDays)
    return { outcome: "skipped", code: "not_due", summary: `KEK v${active.version} is ${ageDays} days old; rotated at ${settings.kekMaxAgeDays}` };
  const r = await rotateKeys(services, { actor: JOB_OPERATOR, requestId: jobRequestId("kek-rotation", now), purpose: null });
  return { outcome: "ok", summary: `KEK v${r.version} active (previous was ${ageDays} days old); ${r.rewrapped} data keys re-wrapped` };
}
