/** Storage shape of staff working calendars (migration 0012_calendars_…): staff schedules, not client data. */

export interface DbStaffCalendar {
  /** One calendar per staff account. */
  user_id: string;
  /** IANA time zone name, e.g. Asia/Shanghai. */
  time_zone: string;
  /** JSON array of { weekday: 1–7, start: "HH:MM", end: "HH:MM" | "24:00" }. */
  hours: string;
  /** JSON array of { date: "YYYY-MM-DD", kind: "leave" } or { date, kind: "work", start, end }. */
  exceptions: string;
  updated_at: string;
  updated_by: string;
}

export interface StaffCalendarTables {
  staff_calendars: DbStaffCalendar;
}
