import type { Services } from "../../src/platform/services.js";

/** n client reads appended 50 per transaction, as a busy server would (50 divides the checkpoint interval). */
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
  }
}
