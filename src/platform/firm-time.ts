/**
 * The firm's calendar. Staff enter days (a device lost on, a check done on) as the firm's days, in
 * its time zone (CUSTODIA_TIME_ZONE, Asia/Shanghai by default), and the console fills in today the
 * same way; a day is "in the future" only against that calendar. Against UTC's, every day entered
 * between midnight and 08:00 in Beijing would be refused as tomorrow.
 */
export const firmDay = (at: Date, timeZone: string = process.env.CUSTODIA_TIME_ZONE?.trim() || "Asia/Shanghai"): string =>
  // en-CA formats as YYYY-MM-DD.
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
