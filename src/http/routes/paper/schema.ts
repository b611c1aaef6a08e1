import { z } from "zod";
import {
  CheckoutInput,
  CONTROL_KINDS,
  CONTROL_RESULTS,
  ControlCheckInput,
  CopyInput,
  DecisionInput,
  DESTRUCTION_METHODS,
  DestructionInput,
  FileListQuery,
  FileRegisterInput,
  LOCATION_KINDS,
  LocationInput,
  ScanInput,
  StocktakeOpenInput,
} from "../../../records/paper/paper.js";

export const LocationCreateSchema = LocationInput;
export type LocationCreateRequest = z.infer<typeof LocationCreateSchema>;
export const FileRegisterSchema = FileRegisterInput;
export type FileRegisterRequest = z.infer<typeof FileRegisterSchema>;
export const PaperFileListQuery = FileListQuery;
export const CheckoutCreateSchema = CheckoutInput;
export type CheckoutCreateRequest = z.infer<typeof CheckoutCreateSchema>;
export const CopyCreateSchema = CopyInput;
export type CopyCreateRequest = z.infer<typeof CopyCreateSchema>;
export const PaperDecisionSchema = DecisionInput;
export const StocktakeOpenSchema = StocktakeOpenInput;
export const ScanSchema = ScanInput;
export type ScanRequest = z.infer<typeof ScanSchema>;
export const DestructionCreateSchema = DestructionInput;
export type DestructionCreateRequest = z.infer<typeof DestructionCreateSchema>;
export const ControlCheckCreateSchema = ControlCheckInput;
export type ControlCheckCreateRequest = z.infer<typeof ControlCheckCreateSchema>;

export const PaperIdParams = z.strictObject({ id: z.uuid() });
export const LabelsQuery = z.strictObject({ ids: z.string().regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36}){0,199}$/, "Comma-separated file ids (at most 200).") });
export const CheckoutListQuery = z.strictObject({
  status: z.enum(["pending", "out", "returned", "rejected"]).optional(),
  overdue: z.enum(["true", "false"]).optional(),
});
export const ControlCheckListQuery = z.strictObject({ roomId: z.uuid().optional() });

export const LocationSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(LOCATION_KINDS),
  code: z.string(),
  label: z.string(),
  roomId: z.string(),
});

const loan = z.object({
  id: z.string(),
  borrowerId: z.string(),
  purpose: z.string(),
  dueOn: z.string(),
  status: z.enum(["pending", "out"]),
  overdue: z.boolean(),
});

export const PaperFileSchema = z.object({
  id: z.string(),
  code: z.string().describe("Label code, PF- and seven Crockford base-32 characters (the last a check character)"),
  clientId: z.string(),
  matterId: z.string().nullable(),
  reference: z.string().describe("What the label shows: the matter number or an internal reference"),
  title: z.string().nullable().describe("Null unless the reader could read the client at the file's level"),
  level: z.number().int(),
  homeLocationId: z.string(),
  homeLocationCode: z.string(),
  status: z.enum(["active", "destroyed"]),
  checkout: loan.nullable(),
  createdAt: z.string(),
});
export const PaperFileDetailSchema = PaperFileSchema.extend({
  checkouts: z.array(
    z.object({
      id: z.string(),
      borrowerId: z.string(),
      purpose: z.string(),
      dueOn: z.string(),
      status: z.string(),
      checkedOutAt: z.string().nullable(),
      returnedAt: z.string().nullable(),
      decidedBy: z.string().nullable(),
    }),
  ),
  copies: z.array(
    z.object({
      id: z.string(),
      madeBy: z.string(),
      copies: z.number().int(),
      purpose: z.string(),
      status: z.string(),
      recordedAt: z.string(),
      decidedBy: z.string().nullable(),
    }),
  ),
});

export const CheckoutSchema = z.object({
  id: z.string(),
  fileId: z.string(),
  fileCode: z.string(),
  reference: z.string(),
  level: z.number().int(),
  borrowerId: z.string(),
  purpose: z.string(),
  dueOn: z.string(),
  status: z.enum(["pending", "out", "returned", "rejected"]),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  overdue: z.boolean(),
});
export const CopySchema = z.object({
  id: z.string(),
  fileId: z.string(),
  fileCode: z.string(),
  reference: z.string(),
  madeBy: z.string(),
  copies: z.number().int(),
  purpose: z.string(),
  status: z.enum(["pending", "approved", "rejected"]),
  recordedBy: z.string(),
  recordedAt: z.string(),
  decidedBy: z.string().nullable(),
});

const reportFile = { fileId: z.string(), code: z.string(), reference: z.string(), homeLocationCode: z.string() };
export const StocktakeReportSchema = z.object({
  expected: z.number().int(),
  scanned: z.number().int(),
  found: z.number().int(),
  out: z.array(z.object({ ...reportFile, borrowerId: z.string(), dueOn: z.string() })),
  missing: z.array(z.object(reportFile)),
  unexpected: z.array(z.object({ code: z.string(), fileId: z.string().nullable(), reason: z.enum(["not_registered", "destroyed"]) })),
  misplaced: z.array(z.object({ ...reportFile, scannedLocationCode: z.string().nullable() })),
});
const stocktakeBase = {
  id: z.string(),
  roomId: z.string().nullable(),
  roomCode: z.string().nullable(),
  status: z.enum(["open", "closed"]),
  openedBy: z.string(),
  openedAt: z.string(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  scans: z.number().int(),
};
export const StocktakeSchema = z.object({ ...stocktakeBase, report: StocktakeReportSchema });
export const StocktakeListSchema = z.object({ items: z.array(z.object(stocktakeBase)) });
export const ScanResultSchema = z.object({
  code: z.string(),
  verdict: z.enum(["found", "out", "misplaced", "unexpected"]),
  reference: z.string().nullable(),
  scans: z.number().int(),
});

export const DestructionSchema = z.object({
  id: z.string(),
  method: z.enum(DESTRUCTION_METHODS),
  destroyedOn: z.string(),
  witnesses: z.array(z.string()),
  files: z.array(z.object({ id: z.string(), code: z.string(), reference: z.string() })),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export const ControlCheckSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  kind: z.enum(CONTROL_KINDS),
  checkedOn: z.string(),
  checkedBy: z.string(),
  result: z.enum(CONTROL_RESULTS),
  notes: z.string().nullable(),
  createdAt: z.string(),
});
