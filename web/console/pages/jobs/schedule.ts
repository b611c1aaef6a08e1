/**
 * A 5-field cron expression (minute hour day month weekday) in words: the common shapes the
 * defaults and most overrides use. Anything else is "custom" and the screen shows the cron itself.
 */
export type ScheduleWords =
  | { key: "everyMinutes"; n: number }
  | { key: "hourly"; minute: string }
  | { key: "everyHours"; n: number; minute: string }
  | { key: "daily"; time: string }
  | { key: "weekly"; weekdays: number[]; time: string }
  | { key: "monthly"; day: number; time: string }
  | { key: "custom" };

const NUMBER = /^\d{1,2}$/;
const pad = (v: string) => v.padStart(2, "0");

function weekdaysOf(field: string): number[] | null {
  const days = field.split(",");
  if (!days.every((d) => /^[0-7]$/.test(d))) return null;
  // Cron allows 7 for Sunday as well as 0.
  return [...new Set(days.map((d) => Number(d) % 7))].sort((a, b) => a - b);
}

export function describeCron(cron: string): ScheduleWords {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return { key: "custom" };
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (month !== "*") return { key: "custom" };
  const every = /^\*\/(\d{1,2})$/;
  if (hour === "*" && day === "*" && weekday === "*") {
    const m = every.exec(minute);
    if (m) return { key: "everyMinutes", n: Number(m[1]) };
    if (NUMBER.test(minute)) return { key: "hourly", minute: pad(minute) };
    return { key: "custom" };
  }
  if (!NUMBER.test(minute)) return { key: "custom" };
  const h = every.exec(hour);
  if (h && day === "*" && weekday === "*") return { key: "everyHours", n: Number(h[1]), minute: pad(minute) };
  if (!NUMBER.test(hour)) return { key: "custom" };
  const time = `${pad(hour)}:${pad(minute)}`;
  if (day === "*" && weekday === "*") return { key: "daily", time };
  if (day === "*") {
    const weekdays = weekdaysOf(weekday);
    return weekdays ? { key: "weekly", weekdays, time } : { key: "custom" };
  }
  if (NUMBER.test(day) && weekday === "*") return { key: "monthly", day: Number(day), time };
  return { key: "custom" };
}
