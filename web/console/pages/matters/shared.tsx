/**
 * Small pieces shared by the matters, walls, approvals and break-glass screens: ids shown as ids
 * (the API names people and records by opaque ids), and keyset pagination with a "load more" button.
 */
import { Button, Tag, Typography } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { useSession } from "../../session";

/** Ids are UUIDv7: the leading part is a timestamp shared by records made together, so the tail tells them apart. */
export const shortId = (id: string) => (id.length > 13 ? `…${id.slice(-12)}` : id);

/** A user, record or request id: short on screen, copyable in full. The caller's own id is marked. */
export function IdText({ id, you }: { id: string | null | undefined; you?: string }) {
  const { me } = useSession();
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span>
      <Typography.Text code copyable={{ text: id }} title={id}>
        {shortId(id)}
      </Typography.Text>
      {you && id === me.userId && <Tag color="blue">{you}</Tag>}
    </span>
  );
}

export interface Page<T> { items: T[]; nextCursor: string | null }

/**
 * A cursor-paginated list (`nextCursor` from the API): the first page on mount and whenever `path`
 * changes, more on request. `path` already carries the non-personal filters.
 */
export function useCursorList<T>(path: string, options: { purpose?: boolean } = {}) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const withPurpose = options.purpose ?? false;

  const fetchPage = useCallback(
    async (after: string | null, append: boolean) => {
      const mine = append ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const separator = path.includes("?") ? "&" : "?";
        const page = await api.get<Page<T>>(after ? `${path}${separator}cursor=${encodeURIComponent(after)}` : path, { purpose: withPurpose });
        if (mine !== generation.current) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        if (mine === generation.current) setError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [path, withPurpose],
  );

  useEffect(() => {
    void fetchPage(null, false);
  }, [fetchPage]);

  return { items, loading, error, hasMore: cursor !== null, loadMore: () => fetchPage(cursor, true), reload: () => fetchPage(null, false) };
}

export function LoadMore({ hasMore, loading, onClick }: { hasMore: boolean; loading: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <div style={{ textAlign: "center", marginTop: 12 }}>
      <Button data-testid="load-more" loading={loading} onClick={onClick}>{t("common.loadMore")}</Button>
    </div>
  );
}

/** Ids typed or pasted into a tags field: trimmed, de-duplicated, empty ones dropped. */
export const idList = (value: unknown): string[] => (Array.isArray(value) ? [...new Set(value.map((v) => String(v).trim()).filter(Boolean))] : []);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StaffUser { id: string; email: string; displayName: string; role: string; status: "active" | "disabled" }

/**
 * The staff directory, when the caller may read it (GET /users is for user administrators): a
 * picker then, an id field otherwise. A refusal is not an error on these screens.
 */
export function useStaffDirectory(): StaffUser[] | null {
  const [users, setUsers] = useState<StaffUser[] | null>(null);
  useEffect(() => {
    let live = true;
    api.get<{ items: StaffUser[] }>("/users").then(
      (r) => live && setUsers(r.items.filter((u) => u.status === "active")),
      () => live && setUsers(null),
    );
    return () => {
      live = false;
    };
  }, []);
  return users;
}
