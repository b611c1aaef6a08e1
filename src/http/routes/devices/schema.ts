import { z } from "zod";
import { DeviceCheckInput, DeviceCreateInput, DeviceLostInput, DEVICE_STATUSES, DeviceUpdateInput } from "../../../governance/devices/device-inputs.js";

export const DeviceCreateSchema = DeviceCreateInput;
export type DeviceCreateRequest = z.infer<typeof DeviceCreateSchema>;
export const DeviceUpdateSchema = DeviceUpdateInput;
export type DeviceUpdateRequest = z.infer<typeof DeviceUpdateSchema>;
export const DeviceCheckSchema = DeviceCheckInput;
export type DeviceCheckRequest = z.infer<typeof DeviceCheckSchema>;
export const DeviceLostSchema = DeviceLostInput;
export type DeviceLostRequest = z.infer<typeof DeviceLostSchema>;

export const DeviceIdParams = z.strictObject({ id: z.uuid() });
export const DeviceListQuery = z.strictObject({
  ownerId: z.string().min(1).max(64).optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe("true: only active devices whose check is due"),
});

export const DeviceSchema = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  ownerId: z.string(),
  encryption: z.string(),
  remoteWipe: z.boolean(),
  checkIntervalDays: z.number(),
  lastCheckedOn: z.string().nullable(),
  nextCheckOn: z.string().nullable().describe("Null when never checked (then the check is overdue)"),
  checkOverdue: z.boolean(),
  status: z.enum(DEVICE_STATUSES),
  lostOn: z.string().nullable(),
  incidentId: z.string().nullable().describe("The incident a loss opened"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const DeviceListSchema = z.object({ items: z.array(DeviceSchema) });
