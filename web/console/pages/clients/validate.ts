/**
 * Instant feedback on identifiers, with the same pure validators the API runs
 * (src/records/clients/identifiers.ts) and the same messages. The server stays authoritative: its field
 * errors are always shown too (showFieldErrors).
 */
import type { FormRule } from "antd";
import type { TFunction } from "i18next";
import {
  validateBirthDate,
  validateEmail,
  validatePassport,
  validatePhone,
  validateResidentId,
  validateUscc,
  type IdentifierCheck,
} from "../../../../src/records/clients/identifiers";
import type { IdType } from "./model";

const ID_VALIDATORS: Record<IdType, (raw: string) => IdentifierCheck> = {
  resident_id: validateResidentId,
  passport: validatePassport,
  uscc: validateUscc,
};

const toRule = (t: TFunction, check: (value: string) => IdentifierCheck | null) => ({
  validator: async (_: unknown, value: unknown) => {
    if (typeof value !== "string" || !value.trim()) return;
    const result = check(value);
    if (result && !result.ok) throw new Error(t(`clients.issues.${result.issue}`));
  },
});

/** The identifier number, checked by the algorithm of the chosen identifier type. */
export const idNumberRule =
  (t: TFunction): FormRule =>
  ({ getFieldValue }) =>
    toRule(t, (value) => {
      const type = getFieldValue("idType") as IdType | null | undefined;
      return type ? ID_VALIDATORS[type](value) : null;
    });

export const phoneRule = (t: TFunction): FormRule => toRule(t, validatePhone);
export const emailRule = (t: TFunction): FormRule => toRule(t, validateEmail);
export const birthDateRule = (t: TFunction): FormRule => toRule(t, validateBirthDate);
