/** Reading and writing `staff_calendars` rows. A row that no longer validates is skipped, never guessed: its user falls back to the firm's hours. */
import type { Db, Tx } from "../../platform/db/engine.js";
import type { DbStaffCalendar } from "../../platform/db/schema.js";
import { checkCalendar, compileCalendar, type CompiledCalendar, type StaffCalendar, type StaffCalendarInput } from "./staff-calendar.js";

export function calendarFromRow(row: DbStaffCalendar): StaffCalendar | null {
  let hours: unknown;
  let exceptions: unknown;
  try {
    hours = JSON.parse(row.hours);
    exceptions = JSON.parse(row.exceptions);
  } catch {
    return null;
  }
  if (!Array.isArray(hours) || !Array.isArray(exceptions)) return null;
  const checked = checkCalendar({ timeZone: row.time_zone, hours, exceptions } as StaffCalendarInput);
  if (!checked.ok) return null;
  return { userId: row.user_id, ...checked.calendar, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function readCalendar(db: Db | Tx, userId: string): Promise<StaffCalendar | null> {
  const row = await db.selectFrom("staff_calendars").selectAll().where("user_id", "=", userId).executeTakeFirst();
  return row ? calendarFromRow(row) : null;
}

/**
 * Every calendar, compiled, by user id: what the detector caches. One row per staff member, so the
 * whole table is small and one query per cache period beats one per event or per user.
 */
export async function loadCompiledCalendars(db: Db | Tx): Promise<Map<string, CompiledCalendar>> {
  const rows = await db.selectFrom("staff_calendars").selectAll().execute();
  const out = new Map<string, CompiledCalendar>();
  for (const row of rows) {
    const calendar = calendarFromRow(row);
    if (calendar) out.set(calendar.userId, compileCalendar(calendar));
  }
  return out;
}

export async function saveCalendar(tx: Tx, userId: string, calendar: StaffCalendarInput, by: string, at: string): Promise<void> {
  const values = {
    time_zone: calendar.timeZone,
    hours: JSON.stringify(calendar.hours),
    exceptions: JSON.stringify(calendar.exceptions),
    updated_at: at,
    updated_by: by,
  };
  // Update first, insert when nothing was there: the same two statements on both engines.
  const updated = await tx.updateTable("staff_calendars").set(values).where("user_id", "=", userId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await tx
      .insertInto("staff_calendars")
      .values({ user_id: userId, ...values })
      .execute();
}

export async function deleteCalendar(tx: Tx, userId: string): Promise<boolean> {
  const deleted = await tx.deleteFrom("staff_calendars").where("user_id", "=", userId).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
