import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, type FieldIssue } from "../platform/errors.js";
import { localeFrom, MESSAGES } from "../platform/i18n/messages.js";

interface ZodLikeIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: { keys?: string[]; params?: { code?: unknown } };
}

function fieldsFromZod(issues: readonly ZodLikeIssue[], scope: string): FieldIssue[] {
  return issues.flatMap((i) => {
    const path = i.instancePath.replace(/^\//, "").replaceAll("/", ".");
    if (i.keyword === "unrecognized_keys" && i.params.keys) {
      return i.params.keys.map((k) => ({ field: path ? `${path}.${k}` : k, code: "unknown_field", message: "This field is not accepted." }));
    }
    // A refinement may name its own stable code (humanText's `control_character`, src/http/schema-text.ts).
    const own = i.keyword === "custom" && typeof i.params.params?.code === "string" ? i.params.params.code : null;
    return [{ field: path || scope, code: own ?? i.keyword, message: i.message }];
  });
}

/** SQLite and PostgreSQL name a unique-constraint failure differently; both are a 409, not a 500. */
const isUniqueViolation = (error: Error): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
};

export function errorBody(request: FastifyRequest, error: AppError) {
  const catalog = MESSAGES[localeFrom(request.headers["accept-language"])];
  const fields = error.fields.map((f) => ({ ...f, message: catalog.fields[f.code] ?? f.message }));
  return {
    error: { code: error.code, message: catalog.errors[error.code] ?? error.message, ...(fields.length ? { fields } : {}) },
    requestId: request.id,
  };
}

/**
 * One error handler: known errors keep their stable code; anything else becomes a bare 500 and
 * only its class name is logged, since a driver's message could quote a value.
 */
export function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  let known: AppError;
  if (error instanceof AppError) known = error;
  else if (hasZodFastifySchemaValidationErrors(error)) {
    const scope = (error as FastifyError).validationContext ?? "body";
    known = new AppError(400, "validation_error", "The request is invalid; see fields.", fieldsFromZod(error.validation as unknown as ZodLikeIssue[], scope));
  } else if ((error as FastifyError).code === "FST_ERR_CTP_BODY_TOO_LARGE") known = new AppError(413, "payload_too_large", "The request body is too large.");
  else if ((error as FastifyError).code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") known = new AppError(415, "unsupported_media_type", "Send application/json.");
  else if ((error as FastifyError).code === "FST_ERR_CTP_EMPTY_JSON_BODY") known = new AppError(400, "invalid_json", "The request body is empty.");
  else if (error.name === "DecryptionError") {
    // Tampered or misplaced ciphertext: say so without any detail, and leave a trace for operators.
    request.log.error({ code: "integrity_error" }, "ciphertext failed authentication");
    known = new AppError(500, "integrity_error", "Stored data failed its integrity check.");
  } else if (isUniqueViolation(error)) {
    // Two requests created the same thing at the same moment; the loser's transaction rolled back whole.
    request.log.warn({ code: "duplicate_record" }, "unique constraint refused a concurrent write");
    known = new AppError(409, "duplicate_record", "The same record was created at the same moment; reload and retry.");
  } else if ((error as FastifyError).statusCode === 429) known = new AppError(429, "rate_limited", "Too many requests; slow down.");
  else if ((error as FastifyError).statusCode === 404) known = new AppError(404, "not_found", "Not found.");
  else {
    request.log.error({ errorClass: error.constructor?.name, code: (error as FastifyError).code }, "unhandled error");
    return reply.status(500).send(errorBody(request, new AppError(500, "internal_error", "Internal error.")));
  }
  if (known.status >= 500) request.log.error({ code: known.code }, "server error");
  return reply.status(known.status).send(errorBody(request, known));
}

/** The not-found handler: the same body as any 404, never echoing the URL (its query may hold personal data). */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(errorBody(request, new AppError(404, "not_found", "Not found.")));
}
