export { COPY_ID_BYTES, encodeCopyToken, findCopyTokens, TOKEN_PREFIX } from "./copy-token.js";
export { WatermarkError, type WatermarkFailure } from "./errors.js";
export { type Fingerprint, type FingerprintLayer, readFingerprints } from "./fingerprint.js";
export { STAMP_FONT_PATHS, stampFontPath } from "./font.js";
export { CUSTOM_PROPERTY, fingerprintDocx, fingerprintOfficeFile, fingerprintXlsx } from "./ooxml.js";
export { INFO_KEY, type Stamp, watermarkPdf } from "./watermark.js";
