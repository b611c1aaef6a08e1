import type { TFunction } from "i18next";
import { ApiError } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { REFUSALS } from "./model";

/** A refusal in words: the rule's reason code → its sentence; anything else as the API said it. */
export function refusalText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && (REFUSALS as readonly string[]).includes(error.code)) return t(`disclosures.refusal.${error.code}`);
  return messageOf(error);
}
