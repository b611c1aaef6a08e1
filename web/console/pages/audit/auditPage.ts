import type { CursorPage } from "../../../shared/useCursorList";

/**
 * GET /audit pages by sequence number (`before`, `nextBefore`) rather than by an opaque cursor:
 * this turns one of its pages into the cursor page useCursorList keeps.
 */
export async function auditPage<T>(
  fetch: (before: number | undefined) => Promise<{ items: T[]; nextBefore: number | null }>,
  cursor: string | undefined,
): Promise<CursorPage<T>> {
  const page = await fetch(cursor === undefined ? undefined : Number(cursor));
  return { items: page.items, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) };
}
