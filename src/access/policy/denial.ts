import { AppError } from "../../platform/errors.js";
import type { DenyReason } from "./policy.js";

/**
 * The 403 a policy denial becomes. Only the policy's own reasons reach it, so the code a caller sees
 * is always one the policy module defines; commands raise it through `w.deny`, never by hand.
 */
export const AuthorizationError = (reason: DenyReason) => new AppError(403, reason, "The policy denies this action.");
