/**
 * Paper files (issue #14, PAP-1, PAP-2): the vocabulary and the inputs the API, the CLI and the
 * console share. A paper file is a client record on a shelf; its label shows a code and a
 * reference (the matter number or an internal reference), never the client's name.
 */
import { z } from "zod";
import { isLabelCode } from "./label-code.js";

export const LOCATION_KINDS = ["room", "cabinet", "shelf"] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
/** What each kind sits in: a room at the top, a cabinet in a room, a shelf in a cabinet. */
export const PARENT_KIND: Record<LocationKind, LocationKind | null> = { room: null, cabinet: "room", shelf: "cabinet" };

export const FILE_STATUSES = ["active", "destroyed"] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];
export const CHECKOUT_STATUSES = ["pending", "out", "returned", "rejected"] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];
export const COPY_STATUSES = ["pending", "approved", "rejected"] as const;
export type CopyStatus = (typeof COPY_STATUSES)[number];
export const DESTRUCTION_METHODS = ["shredding", "incineration", "outsourced"] as const;
export type DestructionMethod = (typeof DESTRUCTION_METHODS)[number];
export const CONTROL_KINDS = ["access_control", "cctv"] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];
export const CONTROL_RESULTS = ["pass", "issues", "fail"] as const;
export type ControlResult = (typeof CONTROL_RESULTS)[number];

/** From this level up a check-out or a copy waits for an approver (APR-1 复制须经审批). */
export const APPROVAL_MIN_LEVEL = 3;
/** The longest loan: a file out longer than this must be returned and borrowed again. */
export const MAX_LOAN_DAYS = 90;

/** A location code: A, A-03, A-03-2 … (letters, digits, hyphens). */
export const LOCATION_CODE = /^[A-Z0-9]{1,8}(-[A-Z0-9]{1,8}){0,3}$/;
/** An internal reference for a file without a matter: ASCII, so no name can hide in it on a shelf. */
export const INTERNAL_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

const day = z.iso.date();
const labelCode = z.string().max(40).refine(isLabelCode, { message: "Not a paper label code (PF- and seven Crockford characters with a valid check)." });

export const LocationInput = z.strictObject({
  kind: z.enum(LOCATION_KINDS),
  code: z.string().regex(LOCATION_CODE, "Upper-case letters and digits, groups joined by hyphens (A-03-2)."),
  label: z.string().trim().min(1).max(60),
  parentId: z.uuid().optional(),
});
export type LocationInput = z.infer<typeof LocationInput>;

export const FileRegisterInput = z.strictObject({
  /** The client, or instead `matterNumber`: the archive keeper (clearance L1) knows a file by its matter number. */
  clientId: z.uuid().optional(),
  matterId: z.uuid().optional(),
  matterNumber: z.string().trim().min(1).max(64).optional(),
  /** Required without a matter; with one, the matter number is the reference. */
  reference: z.string().regex(INTERNAL_REFERENCE, "ASCII letters, digits and . _ / - (at most 40).").optional(),
  title: z.string().trim().min(1).max(200),
  level: z.number().int().min(1).max(4),
  homeShelfId: z.uuid(),
});
export type FileRegisterInput = z.infer<typeof FileRegisterInput>;

export const FileListQuery = z.strictObject({
  clientId: z.uuid().optional(),
  locationId: z.uuid().optional(),
  status: z.enum(FILE_STATUSES).optional(),
  code: z.string().max(40).optional(),
});
export type FileListQuery = z.infer<typeof FileListQuery>;

export const CheckoutInput = z.strictObject({
  fileId: z.uuid(),
  /** Who takes the file; the caller when absent. */
  borrowerId: z.uuid().optional(),
  purpose: z.string().min(1).max(64),
  dueOn: day,
});
export type CheckoutInput = z.infer<typeof CheckoutInput>;

export const CopyInput = z.strictObject({
  fileId: z.uuid(),
  /** Who made (and holds) the copies; the caller when absent. */
  madeBy: z.uuid().optional(),
  copies: z.number().int().min(1).max(100),
  purpose: z.string().min(1).max(64),
});
export type CopyInput = z.infer<typeof CopyInput>;

export const DecisionInput = z.strictObject({ decision: z.enum(["approve", "reject"]) });
export type DecisionInput = z.infer<typeof DecisionInput>;

export const StocktakeOpenInput = z.strictObject({ roomId: z.uuid().optional() });
export type StocktakeOpenInput = z.infer<typeof StocktakeOpenInput>;

export const ScanInput = z.strictObject({ code: labelCode, locationId: z.uuid().optional() });
export type ScanInput = z.infer<typeof ScanInput>;

export const DestructionInput = z.strictObject({
  fileIds: z.array(z.uuid()).min(1).max(500),
  method: z.enum(DESTRUCTION_METHODS),
  destroyedOn: day,
  witnesses: z.array(z.uuid()).min(1).max(5),
});
export type DestructionInput = z.infer<typeof DestructionInput>;

export const ControlCheckInput = z.strictObject({
  roomId: z.uuid(),
  kind: z.enum(CONTROL_KINDS),
  checkedOn: day,
  result: z.enum(CONTROL_RESULTS),
  notes: z.string().trim().min(1).max(2000).optional(),
});
export type ControlCheckInput = z.infer<typeof ControlCheckInput>;

/** Due dates are the firm's days. */
export { firmDay } from "../../platform/firm-time.js";
export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
