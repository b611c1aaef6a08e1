import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "./errors";

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A keyset-paged list (GET …?cursor=&limit=): the first page on mount and whenever `deps`
 * change, `more()` appends the next page, `reload()` starts again from the top.
 */
export function useCursorList<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>, deps: readonly unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const run = useCallback(async (cursor: string | undefined) => {
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(cursor);
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, []);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const reload = useCallback(() => void run(undefined), [run, ...deps]);
  useEffect(reload, [reload]);
  const more = useCallback(() => next && void run(next), [run, next]);
  return { items, loading, error, hasMore: next !== null, more, reload };
}
