/**
 * Keyset paging, newest first, over `(created_at, id)`. The cursor is opaque to callers: the
 * position of the last row returned (a timestamp and a record id), never a value from a record,
 * so it carries no personal data and stays valid while rows are added in front of it.
 */
import { type AppError, ValidationError } from "../errors.js";

export interface KeysetPosition {
  readonly createdAt: string;
  readonly id: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 50;

const ID = /^[A-Za-z0-9-]{1,64}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt}\n${position.id}`, "utf8").toString("base64url");
}

/** The position a cursor names, or an AppError for the caller to refuse (audited) as invalid input. */
export function decodeCursor(cursor: string): KeysetPosition | AppError {
  const [createdAt, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("\n");
  if (rest.length || !createdAt || !id || !ISO.test(createdAt) || !ID.test(id)) {
    return ValidationError([{ field: "cursor", code: "invalid_format", message: "Not a cursor returned by this list." }]);
  }
  return { createdAt, id };
}

/** The next page's cursor: the last item's position when a row beyond the page was seen. */
export const nextCursorOf = (last: KeysetPosition | undefined, hasMore: boolean): string | null => (hasMore && last ? encodeCursor(last) : null);
