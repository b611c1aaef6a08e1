/** `custodia user calendar`: set, show or clear a staff member's working calendar (issue #6). */
import type { Command, Option } from "commander";
import type { Services } from "../../platform/services.js";
import { CONSOLE_OPERATOR } from "../../identity/users/user-admin.js";
import { ValidationError } from "../../platform/errors.js";
import { parseHoursSpec, type CalendarException, type WorkingSpan } from "./staff-calendar.js";
import { clearStaffCalendar, readStaffCalendar, setStaffCalendar, type StaffCalendarView } from "./staff-calendar-commands.js";

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;
const collect = (value: string, previous: string[] = []) => [...previous, value];

function describe(email: string, v: StaffCalendarView): string {
  if (!v.calendar) return `${email}: no calendar; the off-hours rule's firm-wide hours apply.`;
  const c = v.calendar;
  const hours = c.hours.map((h) => `${h.weekday} ${h.start}-${h.end}`).join(", ") || "none";
  const leave = c.exceptions.filter((e) => e.kind === "leave").map((e) => e.date);
  const work = c.exceptions.flatMap((e) => (e.kind === "work" ? [`${e.date} ${e.start}-${e.end}`] : []));
  return `${email}: ${c.timeZone}; hours ${hours}${leave.length ? `; leave ${leave.join(", ")}` : ""}${work.length ? `; extra ${work.join(", ")}` : ""}`;
}

export function addStaffCalendarCommands(
  user: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  requestId: () => string,
): void {
  user
    .command("calendar")
    .description("set a staff user's working calendar (the off-hours rule judges them by it); without --tz or --hours, show it")
    .requiredOption("--email <email>")
    .option("--tz <zone>", "IANA time zone, e.g. Asia/Shanghai")
    .option("--hours <spec>", 'weekdays and hours, e.g. "1-5 09:00-18:00" (1 Monday … 7 Sunday; repeatable)', collect)
    .option("--leave <date>", "a leave day, YYYY-MM-DD (repeatable)", collect)
    .option("--extra <spec>", 'an extra working day, e.g. "2026-12-27 09:00-18:00" (repeatable)', collect)
    .option("--clear", "remove the calendar: the firm-wide hours apply again")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      const json = Boolean(o.json);
      try {
        let view: StaffCalendarView;
        if (o.clear) {
          view = await withServices(o.dataDir, (s) => clearStaffCalendar(s, CONSOLE_OPERATOR, requestId(), { email: o.email }));
        } else if (o.tz === undefined && o.hours === undefined && o.leave === undefined && o.extra === undefined) {
          view = await withServices(o.dataDir, (s) => readStaffCalendar(s, CONSOLE_OPERATOR, requestId(), { email: o.email }));
        } else {
          const hours: WorkingSpan[] = [];
          for (const [i, spec] of ((o.hours as string[] | undefined) ?? []).entries()) {
            const spans = parseHoursSpec(spec);
            if (!spans) throw ValidationError([{ field: `hours.${i}`, code: "format", message: 'Weekdays then a span, e.g. "1-5 09:00-18:00".' }]);
            hours.push(...spans);
          }
          const exceptions: CalendarException[] = ((o.leave as string[] | undefined) ?? []).map((date) => ({ date, kind: "leave" as const }));
          for (const [i, spec] of ((o.extra as string[] | undefined) ?? []).entries()) {
            const m = /^\s*(\S+)\s+(\S+)-(\S+)\s*$/.exec(spec);
            if (!m) throw ValidationError([{ field: `extra.${i}`, code: "format", message: 'A date then a span, e.g. "2026-12-27 09:00-18:00".' }]);
            exceptions.push({ date: m[1]!, kind: "work", start: m[2]!, end: m[3]! });
          }
          if (!o.tz) throw ValidationError([{ field: "timeZone", code: "required", message: "Give --tz." }]);
          view = await withServices(o.dataDir, (s) =>
            setStaffCalendar(s, CONSOLE_OPERATOR, requestId(), { email: o.email }, { timeZone: o.tz, hours, exceptions }),
          );
        }
        console.log(json ? JSON.stringify({ email: o.email, ...view }) : describe(o.email, view));
      } catch (e) {
        fail(e, json);
      }
    });
}
