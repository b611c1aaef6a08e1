import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clearStaffCalendar, readStaffCalendar, setStaffCalendar } from "../../../response/detection/staff-calendar-commands.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { CalendarUserParams, StaffCalendarBodySchema, StaffCalendarViewSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/**
 * Staff working calendars (issue #6), which the off-hours detection rule judges each user by. The
 * commands authorize (user.manage or compliance; a user may read their own) and audit themselves.
 */
export const staffCalendarRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/users/:id/calendar",
      {
        schema: {
          tags: ["users"],
          summary: "A user's working calendar (null: the firm-wide hours of the off-hours rule apply); admins, compliance, or the user",
          params: CalendarUserParams,
          response: { 200: StaffCalendarViewSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return readStaffCalendar(services, ctx.actor, ctx.requestId, { id: request.params.id });
      },
    );

    app.put(
      "/users/:id/calendar",
      {
        schema: {
          tags: ["users"],
          summary: "Set a user's working calendar: time zone, weekly hours, leave and extra working days",
          params: CalendarUserParams,
          body: StaffCalendarBodySchema,
          response: { 200: StaffCalendarViewSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return setStaffCalendar(services, ctx.actor, ctx.requestId, { id: request.params.id }, request.body);
      },
    );

    app.delete(
      "/users/:id/calendar",
      {
        schema: {
          tags: ["users"],
          summary: "Remove a user's working calendar: the firm-wide hours apply again",
          params: CalendarUserParams,
          response: { 200: StaffCalendarViewSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return clearStaffCalendar(services, ctx.actor, ctx.requestId, { id: request.params.id });
      },
    );
  };
