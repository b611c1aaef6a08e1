import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listDevices, readDevice, recordDeviceCheck, registerDevice, reportDeviceLost, updateDevice } from "../../../governance/devices/device-register.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  DeviceCheckSchema,
  DeviceCreateSchema,
  DeviceIdParams,
  DeviceListQuery,
  DeviceListSchema,
  DeviceLostSchema,
  DeviceSchema,
  DeviceUpdateSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["devices"];

/**
 * Devices and channels that carry client data (issue #14, CHN-1). The register takes `device.read`
 * (compliance, admin, auditor) and `device.manage` (compliance, admin); everyone lists their own
 * devices and reports one lost, which opens an incident. Every call is audited.
 */
export const deviceRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/devices",
      {
        schema: {
          tags,
          summary: "The device and channel register, with overdue checks",
          querystring: DeviceListQuery,
          response: { 200: DeviceListSchema, ...errors },
        },
      },
      async (request) => listDevices(services, contextOf(request), request.query),
    );
    app.get(
      "/devices/mine",
      { schema: { tags, summary: "The caller's own devices and channels", response: { 200: DeviceListSchema, ...errors } } },
      async (request) => listDevices(services, contextOf(request), { mine: true }),
    );
    app.post(
      "/devices",
      { schema: { tags, summary: "Register a device or channel", body: DeviceCreateSchema, response: { 201: DeviceSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await registerDevice(services, contextOf(request), request.body)),
    );
    app.get(
      "/devices/:id",
      { schema: { tags, summary: "A device (its owner, or the register's readers)", params: DeviceIdParams, response: { 200: DeviceSchema, ...errors } } },
      async (request) => readDevice(services, contextOf(request), request.params.id),
    );
    app.patch(
      "/devices/:id",
      {
        schema: {
          tags,
          summary: "Change a device: label, owner, controls, check interval, retire",
          params: DeviceIdParams,
          body: DeviceUpdateSchema,
          response: { 200: DeviceSchema, ...errors },
        },
      },
      async (request) => updateDevice(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/devices/:id/checks",
      {
        schema: {
          tags,
          summary: "Record a check of the device's controls (encryption, remote wipe)",
          params: DeviceIdParams,
          body: DeviceCheckSchema,
          response: { 200: DeviceSchema, ...errors },
        },
      },
      async (request) => recordDeviceCheck(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/devices/:id/lost",
      {
        schema: {
          tags,
          summary: "Report a device lost (its owner or compliance): opens an incident linked to it",
          params: DeviceIdParams,
          body: DeviceLostSchema,
          response: { 200: DeviceSchema, ...errors },
        },
      },
      async (request) => reportDeviceLost(services, contextOf(request), request.params.id, request.body),
    );
  };
