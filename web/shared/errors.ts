import type { FormInstance } from "antd";
import { ApiError } from "./api";

/** Puts the API's per-field messages (already in the UI language) on the form's fields. */
export function showFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError) || error.fields.length === 0) return false;
  form.setFields(error.fields.map((f) => ({ name: f.field.split(".")[0]!, errors: [f.message] })));
  return true;
}

export const messageOf = (error: unknown): string => (error instanceof ApiError ? error.message : String(error));
