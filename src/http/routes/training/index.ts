import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  acknowledgeAgreement,
  listAcknowledgements,
  listAgreementVersions,
  myAgreements,
  publishAgreementVersion,
  recordAcknowledgement,
} from "../../../governance/training/agreements.js";
import { assignCourse, cancelAssignment, listAssignments, overdueTraining, trainingOf } from "../../../governance/training/assignments.js";
import { backgroundCheckRegister, recordBackgroundCheck } from "../../../governance/training/background-checks.js";
import { recordCompletion, submitAttempt } from "../../../governance/training/completions.js";
import { createCourse, listCourses, readCourse, updateCourse } from "../../../governance/training/courses.js";
import { trainingReport } from "../../../governance/training/training-report.js";
import { summariseUserAgent } from "../../../identity/auth/session-store.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  AcknowledgementRecordSchema,
  AcknowledgementSchema,
  AcknowledgeSchema,
  AgreementPublishSchema,
  AgreementRecordSchema,
  AgreementVersionSchema,
  AssignmentCreateSchema,
  AssignmentSchema,
  AttemptResultSchema,
  AttemptSchema,
  BackgroundCheckCreateSchema,
  BackgroundCheckSchema,
  BackgroundRegisterSchema,
  CompletionCreateSchema,
  CompletionSchema,
  CourseCreateSchema,
  CourseDetailSchema,
  CourseQuery,
  CourseSchema,
  CourseUpdateSchema,
  IdParams,
  KindParams,
  MyAgreementsSchema,
  MyTrainingSchema,
  ObligationSchema,
  TrainingReportSchema,
  UserParams,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["training"];

/**
 * Training and agreements (issue #14, TRN-1, TRN-2): everyone takes their own courses and
 * acknowledges agreements; compliance manages courses, quizzes, assignments and recorded
 * completions (`training.manage`), agreement versions and background checks (`agreement.manage`).
 */
export const trainingRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/training/courses",
      {
        schema: {
          tags,
          summary: "Courses (active ones; compliance also sees retired ones)",
          response: { 200: z.object({ items: z.array(CourseSchema) }), ...errors },
        },
      },
      async (request) => listCourses(services, contextOf(request)),
    );
    app.post(
      "/training/courses",
      { schema: { tags, summary: "Create a course with its quiz (training.manage)", body: CourseCreateSchema, response: { 201: CourseSchema, ...errors } } },
      async (request, reply) => reply.code(201).send(await createCourse(services, contextOf(request), request.body)),
    );
    app.get(
      "/training/courses/:id",
      {
        schema: {
          tags,
          summary: "A course to take: content and quiz without the correct options (edit=true: with them, training.manage)",
          params: IdParams,
          querystring: CourseQuery,
          response: { 200: CourseDetailSchema, ...errors },
        },
      },
      async (request) => readCourse(services, contextOf(request), request.params.id, { withAnswers: request.query.edit === "true" }),
    );
    app.patch(
      "/training/courses/:id",
      {
        schema: {
          tags,
          summary: "Change a course, replace its quiz, flag it required or retire it (training.manage)",
          params: IdParams,
          body: CourseUpdateSchema,
          response: { 200: CourseSchema, ...errors },
        },
      },
      async (request) => updateCourse(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/training/courses/:id/attempts",
      {
        schema: {
          tags,
          summary: "Submit one's own quiz answers; graded on the server, a pass completes the course",
          params: IdParams,
          body: AttemptSchema,
          response: { 200: AttemptResultSchema, ...errors },
        },
      },
      async (request) => submitAttempt(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/training/courses/:id/assignments",
      {
        schema: {
          tags,
          summary: "Assign a course to a role or a person with a due date (training.manage)",
          params: IdParams,
          body: AssignmentCreateSchema,
          response: { 201: AssignmentSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await assignCourse(services, contextOf(request), request.params.id, request.body)),
    );
    app.post(
      "/training/courses/:id/completions",
      {
        schema: {
          tags,
          summary: "Record someone's completion of an in-person session (training.manage; never one's own)",
          params: IdParams,
          body: CompletionCreateSchema,
          response: { 201: CompletionSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await recordCompletion(services, contextOf(request), request.params.id, request.body)),
    );
    app.get(
      "/training/assignments",
      { schema: { tags, summary: "Open assignments (training.manage)", response: { 200: z.object({ items: z.array(AssignmentSchema) }), ...errors } } },
      async (request) => listAssignments(services, contextOf(request)),
    );
    app.post(
      "/training/assignments/:id/cancel",
      {
        schema: {
          tags,
          summary: "Cancel an assignment (training.manage)",
          params: IdParams,
          response: { 200: z.object({ id: z.string(), cancelledAt: z.string() }), ...errors },
        },
      },
      async (request) => cancelAssignment(services, contextOf(request), request.params.id),
    );
    app.get(
      "/training/overdue",
      {
        schema: {
          tags,
          summary: "Who is overdue with which course (training.manage)",
          response: { 200: z.object({ items: z.array(ObligationSchema) }), ...errors },
        },
      },
      async (request) => overdueTraining(services, contextOf(request)),
    );
    app.get(
      "/training/report",
      { schema: { tags, summary: "Completion and acknowledgement figures (training.manage)", response: { 200: TrainingReportSchema, ...errors } } },
      async (request) => trainingReport(services, contextOf(request)),
    );
    app.get(
      "/training/mine",
      { schema: { tags, summary: "My courses: due dates, completions, last attempt", response: { 200: MyTrainingSchema, ...errors } } },
      async (request) => {
        const ctx = contextOf(request);
        return trainingOf(services, ctx, ctx.actor.userId);
      },
    );
    app.get(
      "/training/users/:userId",
      {
        schema: {
          tags,
          summary: "Someone's courses (oneself, or anyone for training.manage)",
          params: UserParams,
          response: { 200: MyTrainingSchema, ...errors },
        },
      },
      async (request) => trainingOf(services, contextOf(request), request.params.userId),
    );

    app.get(
      "/agreements",
      { schema: { tags, summary: "Every published agreement version", response: { 200: z.object({ items: z.array(AgreementVersionSchema) }), ...errors } } },
      async (request) => listAgreementVersions(services, contextOf(request)),
    );
    app.get(
      "/agreements/mine",
      { schema: { tags, summary: "The current staff NDA and whether I acknowledged it", response: { 200: MyAgreementsSchema, ...errors } } },
      async (request) => myAgreements(services, contextOf(request)),
    );
    app.post(
      "/agreements/:kind/versions",
      {
        schema: {
          tags,
          summary: "Publish a new version of an agreement kind; it becomes current and needs re-acknowledgement (agreement.manage)",
          params: KindParams,
          body: AgreementPublishSchema,
          response: { 201: AgreementVersionSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await publishAgreementVersion(services, contextOf(request), request.params.kind, request.body)),
    );
    app.post(
      "/agreements/:kind/acknowledgements",
      {
        schema: {
          tags,
          summary: "Acknowledge the current version of an agreement for oneself (records when and from where, sealed)",
          params: KindParams,
          body: AcknowledgeSchema,
          response: { 200: AcknowledgementSchema, ...errors },
        },
      },
      async (request) =>
        acknowledgeAgreement(services, contextOf(request), request.params.kind, request.body.version, {
          ip: request.ip ?? null,
          userAgent: summariseUserAgent(request.headers["user-agent"]),
        }),
    );
    app.get(
      "/agreements/:kind/acknowledgements",
      {
        schema: {
          tags,
          summary: "Who acknowledged which version of a kind, and from where (agreement.manage)",
          params: KindParams,
          response: { 200: z.object({ items: z.array(AcknowledgementRecordSchema) }), ...errors },
        },
      },
      async (request) => listAcknowledgements(services, contextOf(request), request.params.kind),
    );
    app.post(
      "/agreements/:kind/records",
      {
        schema: {
          tags,
          summary: "Record someone's signed paper copy (agreement.manage; never one's own)",
          params: KindParams,
          body: AgreementRecordSchema,
          response: { 201: AcknowledgementSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await recordAcknowledgement(services, contextOf(request), request.params.kind, request.body)),
    );

    app.get(
      "/background-checks",
      {
        schema: {
          tags,
          summary: "People in roles that need a background check, with their latest (agreement.manage)",
          response: { 200: BackgroundRegisterSchema, ...errors },
        },
      },
      async (request) => backgroundCheckRegister(services, contextOf(request)),
    );
    app.post(
      "/background-checks",
      {
        schema: {
          tags,
          summary: "Record a background check; notes are sealed (agreement.manage; never one's own)",
          body: BackgroundCheckCreateSchema,
          response: { 201: BackgroundCheckSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await recordBackgroundCheck(services, contextOf(request), request.body)),
    );
  };
