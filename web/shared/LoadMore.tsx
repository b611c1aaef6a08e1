import { Button } from "antd";
import { useTranslation } from "react-i18next";

/** The "load more" button under a keyset-paged list (useCursorList); nothing once the last page is in. */
export function LoadMore({ list }: { list: { hasMore: boolean; loading: boolean; more: () => void } }) {
  const { t } = useTranslation();
  if (!list.hasMore) return null;
  return (
    <div style={{ textAlign: "center", marginTop: 12 }}>
      <Button data-testid="load-more" loading={list.loading} onClick={list.more}>
        {t("common.loadMore")}
      </Button>
    </div>
  );
}
