/**
 * Errors with stable codes. Messages are fixed English text chosen here, never built from input,
 * so no personal data can travel through an error. Unknown errors become a bare 500.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "idNumber". */
  field: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const ValidationError = (fields: readonly FieldIssue[]) => new AppError(400, "validation_error", "The request is invalid; see fields.", fields);
export const InvalidJsonError = () => new AppError(400, "invalid_json", "The request body is not valid JSON.");
export const InvalidEncodingError = () => new AppError(400, "invalid_encoding", "The request body is not valid UTF-8.");
export const PayloadTooLargeError = () => new AppError(413, "payload_too_large", "The request body is too large.");
export const UnsupportedMediaTypeError = () => new AppError(415, "unsupported_media_type", "Send application/json.");
export const AuthenticationError = () => new AppError(401, "authentication_required", "A valid bearer token is required.");
export const PurposeRequiredError = () =>
  new AppError(400, "purpose_required", "Declare a purpose in the X-Purpose header.", [
    { field: "X-Purpose", code: "required", message: "A registered purpose code is required." },
  ]);
export const PurposeUnknownError = () =>
  new AppError(400, "purpose_unknown", "The declared purpose is not in the purpose registry.", [
    { field: "X-Purpose", code: "unknown", message: "Not a registered purpose code." },
  ]);
export const NotFoundError = (what: string) => new AppError(404, "not_found", `${what} not found.`);
export const IntegrityError = () => new AppError(500, "integrity_error", "Stored data failed its integrity check.");
export const AuditVerificationUnavailableError = () =>
  new AppError(503, "audit_verification_unavailable", "The audit log could not be verified just now; try again.");
export const GoneError = () => new AppError(410, "client_erased", "This client's data was erased.");
export const ConflictError = (code: string, message: string) => new AppError(409, code, message);

// Sign-in. One error for an unknown email and a wrong password: the answer never tells them apart.
export const InvalidCredentialsError = () => new AppError(401, "invalid_credentials", "The email or password is wrong.");
export const SignInLockedError = () => new AppError(429, "sign_in_locked", "Too many failed sign-ins; try again later.");
export const MfaCodeInvalidError = () => new AppError(401, "mfa_code_invalid", "The code is wrong, expired or already used.");
export const MfaRequiredError = () => new AppError(401, "mfa_required", "Finish signing in with your authenticator code.");
export const MfaEnrolmentRequiredError = () => new AppError(403, "mfa_enrolment_required", "Your role requires an authenticator app; enrol one first.");
export const SessionRequiredError = () => new AppError(401, "session_required", "This step needs the browser session of a sign-in in progress.");
export const TotpAlreadyEnrolledError = () => new AppError(409, "totp_already_enrolled", "An authenticator is already enrolled for this account.");
export const TotpEnrolmentNotStartedError = () => new AppError(409, "totp_enrolment_not_started", "Start authenticator enrolment first.");
export const CsrfRejectedError = () => new AppError(403, "csrf_rejected", "Cross-site request refused.");
export const PasskeyRejectedError = () => new AppError(401, "passkey_rejected", "The passkey was not accepted; try again or use another second factor.");
export const PasskeyRegistrationFailedError = () => new AppError(400, "passkey_registration_failed", "The passkey could not be added; start again.");
export const PasskeyNoneError = () => new AppError(409, "passkey_none", "No passkey is registered for this account.");

// Matters and ethical walls.
export const MatterNumberTakenError = () => new AppError(409, "matter_number_taken", "Another matter has this number.");
export const MatterClosedError = () => new AppError(409, "matter_closed", "The matter is closed.");
export const MemberScreenedError = () => new AppError(409, "member_screened", "An ethical wall screens this user from the matter's client.");

// Approvals, grants and break-glass (policy denials go through w.deny with their reason).
export const ApprovalNotPendingError = () => new AppError(409, "approval_not_pending", "This request has already been decided.");
export const SupervisorRequiredError = () =>
  new AppError(409, "supervisor_required", "A disclosure needs your supervisor's approval; no supervisor is on record.");
export const ReviewNotPendingError = () => new AppError(409, "review_not_pending", "This break-glass access has already been reviewed.");

// Client requests.
/** A step of a fulfilment failed unexpectedly: everything it had done is undone, and the attempt audited. */
export const FulfilmentFailedError = () =>
  new AppError(500, "request_fulfilment_failed", "Fulfilling the request failed and nothing was changed; try again, or ask the administrator.");
