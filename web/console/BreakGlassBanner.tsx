import { Alert, Space, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../shared/api";
import { formatTime } from "../shared/format";
import { BREAK_GLASS_OPENED, knownClientName } from "./pages/break-glass/announce";
import type { Me } from "./session";

interface ActiveBreakGlass {
  id: string;
  clientId: string;
  expiresAt: string;
}

const left = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/**
 * While the caller has break-glass access open, a banner above every screen says to which client
 * and counts down to its end (issue #15). Loaded once and whenever an access opens: each load is an
 * audited read (GET /break-glass/mine), so it does not poll; the countdown runs in the browser.
 */
export function BreakGlassBanner({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<ActiveBreakGlass[]>([]);
  const [now, setNow] = useState(Date.now());
  const may = me.permissions.includes("break_glass.open");

  const load = useCallback(() => {
    if (!may) return;
    api.get<{ items: ActiveBreakGlass[] }>("/break-glass/mine").then(
      (r) => setItems(r.items),
      () => setItems([]), // the banner is a reminder; the review queue and the audit log are the record
    );
  }, [may]);
  useEffect(() => {
    load();
    window.addEventListener(BREAK_GLASS_OPENED, load);
    return () => window.removeEventListener(BREAK_GLASS_OPENED, load);
  }, [load]);

  const open = items.filter((i) => new Date(i.expiresAt).getTime() > now);
  useEffect(() => {
    if (!open.length) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [open.length]);
  if (!open.length) return null;

  return (
    <Alert
      data-testid="break-glass-banner"
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={t("break-glass.banner.title")}
      description={
        <Space orientation="vertical" size={2}>
          {open.map((i) => (
            <span key={i.id}>
              <a href={`#/clients/${i.clientId}`}>{knownClientName(i.clientId) ?? t("break-glass.banner.client")}</a>
              {" · "}
              {t("break-glass.banner.until", { time: formatTime(i.expiresAt, i18n.language) })}{" "}
              {/* A ticking number in a live region would be read out every second. */}
              <Typography.Text strong aria-live="off" data-testid="break-glass-countdown">
                {t("break-glass.banner.left", { left: left(new Date(i.expiresAt).getTime() - now) })}
              </Typography.Text>
            </span>
          ))}
          <Typography.Text type="secondary">{t("break-glass.banner.help")}</Typography.Text>
        </Space>
      }
    />
  );
}
