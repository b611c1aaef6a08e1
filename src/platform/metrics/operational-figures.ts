/**
 * The figures /metrics reads from the database at scrape time: detection rule firings, deadlines
 * due and overdue, the current KEK's age and the last backup's time. Every query reads codes,
 * dates and counts only, never personal data, so a scrape writes no audit event (there is no
 * access to record) and nothing here needs a purpose.
 */
import type { Db, Tx } from "../db/engine.js";
import { deadlineFlags, localDate } from "../../rights/requests/deadlines.js";
import { CLOSED } from "../../rights/requests/request.js";
import { firmTimeZone } from "../../rights/requests/request-store.js";

export interface OperationalFigures {
  /** Alerts ever raised, per rule code (wall-breach rows from before migration 0006 by their kind). */
  readonly ruleFirings: ReadonlyMap<string, number>;
  readonly clientRequests: { readonly due: number; readonly overdue: number };
  readonly incidentDuties: { readonly due: number; readonly overdue: number };
  /** Seconds since the active key-encryption key was created; null before the first start. */
  readonly kekAgeSeconds: number | null;
  readonly kekVersion: number | null;
  /** Seconds since the last successful backup recorded in the audit log; null when none is. */
  readonly backupAgeSeconds: number | null;
}

/** How far back each scrape rereads the log for backups: arrival numbers may commit out of order. */
const BACKUP_RESCAN = 1000;

/**
 * Reads the figures in one read-only transaction. The last backup is found once by walking the
 * log back from its head, then only among the events appended since, so a scrape stays cheap on
 * a log of millions of events (audit_events has no index on its action).
 */
export function operationalFigureReader(db: Db): (now: Date) => Promise<OperationalFigures> {
  let scannedTo: number | null = null;
  let lastBackupAt: string | null = null;

  async function lastBackup(tx: Tx): Promise<string | null> {
    const backups = tx
      .selectFrom("audit_events")
      .select(["at", "seq"])
      .where("action", "=", "backup.create")
      .where("outcome", "=", "success")
      .orderBy("seq", "desc")
      .limit(1);
    const head = await tx.selectFrom("audit_events").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst();
    const found = await (scannedTo === null ? backups : backups.where("seq", ">", scannedTo - BACKUP_RESCAN)).executeTakeFirst();
    if (found && (lastBackupAt === null || found.at > lastBackupAt)) lastBackupAt = found.at;
    scannedTo = head ? Number(head.seq) : 0;
    return lastBackupAt;
  }

  return (now) =>
    db.transaction().execute(async (tx) => {
      const at = now.toISOString();
      const firings = await tx
        .selectFrom("alerts")
        .select((eb) => [eb.fn.coalesce("rule_code", "kind").as("rule"), eb.fn.countAll<number | string>().as("n")])
        .groupBy((eb) => eb.fn.coalesce("rule_code", "kind"))
        .execute();

      const today = localDate(now, await firmTimeZone(tx));
      const open = await tx
        .selectFrom("client_requests")
        .select(["due_date", "extended_due_date"])
        .where("status", "not in", [...CLOSED])
        .execute();
      const requestsOverdue = open.filter((r) => deadlineFlags(r.extended_due_date ?? r.due_date, today, 0, false).overdue).length;

      const duties = await tx.selectFrom("incident_duties").select("due_at").where("status", "=", "pending").execute();
      const dutiesOverdue = duties.filter((d) => d.due_at < at).length;

      const kek = await tx
        .selectFrom("key_versions")
        .select(["version", "created_at"])
        .where("retired_at", "is", null)
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst();
      const backupAt = await lastBackup(tx);
      const age = (iso: string) => Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);

      return {
        ruleFirings: new Map(firings.map((f) => [String(f.rule), Number(f.n)])),
        clientRequests: { due: open.length - requestsOverdue, overdue: requestsOverdue },
        incidentDuties: { due: duties.length - dutiesOverdue, overdue: dutiesOverdue },
        kekAgeSeconds: kek ? age(kek.created_at) : null,
        kekVersion: kek ? Number(kek.version) : null,
        backupAgeSeconds: backupAt ? age(backupAt) : null,
      };
    });
}
