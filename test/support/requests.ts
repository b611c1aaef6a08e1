import { uuidv7 } from "../../src/platform/ids.js";
import type { Services } from "../../src/platform/services.js";
import { newRequestRow } from "../../src/rights/requests/request-store.js";

/**
 * A data-subject request row as the intake would leave it once verified, written directly so a test
 * can place its deadline (and extension) where it needs; closed ones get a closing time (the arrival
 * unless `closedAt` says otherwise). Without a client the request matched nobody.
 */
export async function insertClientRequest(
  services: Services,
  input: {
    clientId: string | null;
    due: string;
    status?: string;
    extendedDue?: string | null;
    receivedAt?: string;
    closedAt?: string | null;
  },
): Promise<string> {
  const id = uuidv7();
  const status = input.status ?? "in_progress";
  const receivedAt = input.receivedAt ?? new Date(Date.parse(`${input.due}T00:00:00.000Z`) - 20 * 86_400_000).toISOString();
  const closed = status === "fulfilled" || status === "refused";
  const row = newRequestRow({
    id,
    type: "access",
    regime: "pipl",
    language: "zh-CN",
    client_id: input.clientId,
    match: input.clientId ? "one" : "none",
    received_at: receivedAt,
    received_date: receivedAt.slice(0, 10),
    due_date: input.due,
  });
  await services.engine.db
    .insertInto("client_requests")
    .values({
      ...row,
      status,
      extended_due_date: input.extendedDue ?? null,
      extension_reason: input.extendedDue ? "complex_request" : null,
      closed_at: input.closedAt !== undefined ? input.closedAt : closed ? receivedAt : null,
    })
    .execute();
  return id;
}
