export { RedactionError, type RedactionFailure } from "./errors.js";
export { REDACTION_MARK, type RedactionKind, type RedactOptions, type RemovedCounts } from "./policy.js";
export { type RedactedCopy, type RedactionMethod, redactDocument } from "./redact.js";
export { ocrAvailable } from "./ocr.js";
export { PDF_BANNER } from "./pdf.js";
