import { z } from "zod";

const clock = z.string().max(5).describe("HH:MM (end may be 24:00)");
const SpanSchema = z.strictObject({ weekday: z.number().int().min(1).max(7).describe("1 Monday … 7 Sunday"), start: clock, end: clock });
const ExceptionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ date: z.string().max(10).describe("YYYY-MM-DD, the user's local date"), kind: z.literal("leave").describe("No access expected that day") }),
  z.strictObject({ date: z.string().max(10), kind: z.literal("work").describe("These hours that day instead of the weekly ones"), start: clock, end: clock }),
]);

export const CalendarUserParams = z.strictObject({ id: z.string().min(1).max(64) });

export const StaffCalendarBodySchema = z.strictObject({
  timeZone: z.string().min(1).max(64).describe("IANA time zone name, e.g. Asia/Shanghai or Europe/Berlin"),
  hours: z.array(SpanSchema).max(28).describe("Weekly working spans; a shift over midnight is two spans"),
  exceptions: z.array(ExceptionSchema).max(400).default([]).describe("Dated leave days and extra (or changed) working days"),
});
export type StaffCalendarBody = z.infer<typeof StaffCalendarBodySchema>;

export const StaffCalendarViewSchema = z.object({
  userId: z.string(),
  calendar: z
    .object({
      timeZone: z.string(),
      hours: z.array(SpanSchema),
      exceptions: z.array(ExceptionSchema),
      updatedAt: z.string(),
      updatedBy: z.string(),
    })
    .nullable()
    .describe("null: the off-hours rule's firm-wide hours apply to this user"),
});
