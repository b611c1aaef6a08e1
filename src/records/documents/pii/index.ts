export { type DetectOptions, detectPii, summarise } from "./detector.js";
export { CHECKSUM_TYPES, type Confidence, PII_TYPES, type PiiFinding, type PiiScan, type PiiSummary, type PiiType } from "./types.js";
