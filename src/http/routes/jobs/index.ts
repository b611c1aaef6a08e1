import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listJobs, runJob, schedulerLeader } from "../../../governance/jobs/job-commands.js";
import type { JobScheduler } from "../../../governance/jobs/job-scheduler.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { JobListSchema, JobNameParams, JobRunResponseSchema } from "./schema.js";

const errors = { 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

/** Scheduled jobs (issue #16): the admin lists them with their last runs and runs one now (`job.manage`). */
export const jobRoutes =
  (scheduler: JobScheduler): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/jobs",
      { schema: { tags: ["jobs"], summary: "Scheduled jobs with their schedule, next run and last runs", response: { 200: JobListSchema, ...errors } } },
      async (request) => ({
        items: await listJobs(scheduler, contextOf(request), { recent: 5 }),
        leader: await schedulerLeader(scheduler, contextOf(request)),
      }),
    );

    app.post(
      "/jobs/:name/run",
      {
        schema: {
          tags: ["jobs"],
          summary: "Run a job now (and the jobs that follow it); the run is recorded and audited",
          params: JobNameParams,
          response: { 200: JobRunResponseSchema, ...errors },
        },
      },
      async (request) => ({ runs: await runJob(scheduler, contextOf(request), request.params.name) }),
    );
  };
