export { ExtractionError, type ExtractionFailure } from "./errors.js";
export { type ExtractedText, type ExtractionMethod, type ExtractOptions, extractText } from "./extract-text.js";
export { DOCUMENT_MEDIA_TYPES, DOCX, type DocumentMediaType, SNIFF_BYTES, sniffMediaType, XLSX } from "./media-type.js";
export { type OcrOptions, type OcrWord, ocrAvailable, ocrWords } from "./ocr.js";
export type { PageSpan } from "./pages.js";
