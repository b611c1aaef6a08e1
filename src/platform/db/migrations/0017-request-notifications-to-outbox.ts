import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0017: each area owns its tables (issue #10). A fulfilled correction request told the client's
 * matter teams by writing `request_notifications`, which nothing ever read: nobody saw them. The
 * notice now goes through the notification outbox (`notifications`, kind `client.corrected`), where
 * the bell and `GET /notifications` read it. Rows already written move there, one per user and
 * request (they were one per user and matter), and the write-only table is dropped.
 */
export const name = "0017_request_notifications_to_outbox";

interface OldRow {
  id: string;
  user_id: string;
  client_id: string;
  request_id: string | null;
  details: string | null;
  created_at: string;
  read_at: string | null;
}

/** Field names from the old details column ({"fields": [...]}), joined as the notifier does. */
function fieldsOf(details: string | null): string {
  try {
    const fields = (JSON.parse(details ?? "{}") as { fields?: unknown }).fields;
    return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === "string").join(",") : "";
  } catch {
    return "";
  }
}

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    const rows = (await db.selectFrom("request_notifications").selectAll().orderBy("created_at").orderBy("id").execute()) as OldRow[];
    const seen = new Set<string>();
    for (const r of rows) {
      const key = `${r.user_id}\u0000${r.request_id ?? r.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The payload shape of src/response/notifications/notifier.ts (payloadOf), written out here so
      // this migration keeps its meaning if that code changes: ids and field names only.
      const payload = {
        id: r.id,
        kind: "client.corrected",
        occurredAt: r.created_at,
        data: { clientId: r.client_id, requestId: r.request_id, fields: fieldsOf(r.details) },
        link: `/api/v1/clients/${r.client_id}`,
      };
      await db
        .insertInto("notifications")
        .values({
          id: r.id,
          user_id: r.user_id,
          event_kind: "client.corrected",
          payload: JSON.stringify(payload),
          created_at: r.created_at,
          read_at: r.read_at,
        })
        .execute();
    }
    // Its index goes with it on both engines.
    await db.schema.dropTable("request_notifications").execute();
  },
});
