/**
 * The device and channel register's vocabulary and what staff send it, validated the same way from
 * the API and the CLI (the route schemas re-export these).
 */
import { z } from "zod";
import { humanText } from "../../http/schema-text.js";

/** Devices and channels that carry client data (CHN-1, 002 §12–18). */
export const DEVICE_KINDS = ["laptop", "desktop", "phone", "tablet", "removable_media", "email", "cloud_drive", "messaging", "video_conferencing"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Whether what it holds is encrypted: fully, partly (some volumes or messages), not at all; or not applicable. */
export const ENCRYPTION_STATES = ["full", "partial", "none", "not_applicable"] as const;
export const DEVICE_STATUSES = ["active", "lost", "retired"] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** A device is checked (encryption on, wipe enrolled, patched) every 90 days unless the firm says otherwise. */
export const DEFAULT_CHECK_INTERVAL_DAYS = 90;

const day = z.iso.date().describe("YYYY-MM-DD");
const staffId = z.string().min(1).max(64);

export const DeviceCreateInput = z.strictObject({
  kind: z.enum(DEVICE_KINDS),
  label: humanText().min(1).max(120).describe("An asset tag or the service's name, e.g. LT-0042 or 企业微信; not a person's name"),
  ownerId: staffId.describe("The staff member who holds or runs it"),
  encryption: z.enum(ENCRYPTION_STATES),
  remoteWipe: z.boolean().default(false).describe("Can be locked and wiped remotely"),
  checkIntervalDays: z.number().int().min(7).max(730).default(DEFAULT_CHECK_INTERVAL_DAYS),
  lastCheckedOn: day.optional(),
});
export type DeviceCreateInput = z.infer<typeof DeviceCreateInput>;

export const DeviceUpdateInput = z.strictObject({
  label: humanText().min(1).max(120).optional(),
  ownerId: staffId.optional(),
  encryption: z.enum(ENCRYPTION_STATES).optional(),
  remoteWipe: z.boolean().optional(),
  checkIntervalDays: z.number().int().min(7).max(730).optional(),
  status: z.enum(["active", "retired"]).optional().describe("A loss is reported with POST /devices/{id}/lost"),
});
export type DeviceUpdateInput = z.infer<typeof DeviceUpdateInput>;

export const DeviceCheckInput = z.strictObject({
  checkedOn: day.optional().describe("Defaults to today"),
  encryption: z.enum(ENCRYPTION_STATES),
  remoteWipe: z.boolean(),
});
export type DeviceCheckInput = z.infer<typeof DeviceCheckInput>;

export const DeviceLostInput = z.strictObject({
  lostOn: day.describe("When it went missing (or was noticed missing)"),
  circumstances: humanText({ multiline: true }).max(2000).optional().describe("Sealed at rest"),
});
export type DeviceLostInput = z.infer<typeof DeviceLostInput>;
