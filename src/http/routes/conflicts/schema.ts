import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { PRACTICE_AREAS } from "../../../records/matters/matter.js";

export const ConflictQuery = z.strictObject({
  name: humanText().max(200).optional(),
  idNumber: humanText().max(40).optional(),
});
export type ConflictRequest = z.infer<typeof ConflictQuery>;

export const ConflictReportSchema = z.object({
  total: z.number().int().describe("All potential conflicts, walled ones included"),
  walled: z.number().int().describe("Conflicts behind a wall that screens the caller: reported without any detail"),
  hits: z.array(
    z.union([
      z.object({
        walled: z.literal(false),
        clientId: z.uuid(),
        matchedOn: z.array(z.enum(["name", "idNumber"])),
        openMatters: z.number().int(),
        practiceAreas: z.array(z.enum(PRACTICE_AREAS)),
      }),
      z.object({ walled: z.literal(true) }),
    ]),
  ),
});
