import type { Services } from "../../src/platform/services.js";

/** A test's checkpoint cadence: `appendReads` places and signs after every this many events. */
export const CHECKPOINT_EVERY = 1000;

/** Services whose sequencer leaves placing events to the test, so checkpoints fall where it says. */
export const MANUAL_SEQUENCER = { sequencerIntervalMs: 3_600_000 } as const;

/** Places every pending event and signs a checkpoint, as the sequencer's next batch would. */
export const integrate = (services: Services) => services.engine.db.transaction().execute((tx) => services.auditLog.integrate(tx));

/**
 * n client reads appended 50 per transaction, as a busy server would, placed and signed after
 * every CHECKPOINT_EVERY events and at the end.
 */
export async function appendReads(services: Services, n: number): Promise<void> {
  for (let done = 0; done < n; done += 50) {
    await services.engine.db.transaction().execute((tx) =>
      services.auditLog.append(
        tx,
        Array.from({ length: Math.min(50, n - done) }, (_, i) => ({
          action: "client.read",
          outcome: "success" as const,
          actorId: "u1",
          actorRole: "lawyer",
          targetType: "client",
          targetId: `c${done + i}`,
          purpose: "case-handling",
          requestId: `r${done + i}`,
        })),
      ),
    );
    if ((done + 50) % CHECKPOINT_EVERY === 0) await integrate(services);
  }
  await integrate(services);
}
