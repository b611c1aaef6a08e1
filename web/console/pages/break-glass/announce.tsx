/**
 * What the console says when break-glass access opens (issue #15): for whom, until when, and that
 * compliance was alerted — and how many were notified, as the API answered. The banner
 * (web/console/BreakGlassBanner.tsx) hears of it through a window event and counts down.
 */
import type { MessageInstance } from "antd/es/message/interface";
import { api } from "../../../shared/api";
import { formatTime } from "../../../shared/format";
import i18n from "../../../shared/i18n";

export interface OpenedBreakGlass {
  id: string;
  clientId: string;
  expiresAt: string;
  /** Subscribers notified besides the alert in compliance's queue. */
  notified: number;
}

export const BREAK_GLASS_OPENED = "custodia:break-glass-opened";

// Names read under break-glass in this page, so the banner names the client without reading it again.
const names = new Map<string, string>();
export const knownClientName = (clientId: string): string | null => names.get(clientId) ?? null;

/**
 * Reads the client's name once (the first read under the new access, audited as such), then says
 * what happened. A name that cannot be read (no purpose declared) is told as "this client".
 */
export async function announceBreakGlass(message: MessageInstance, access: OpenedBreakGlass): Promise<void> {
  const t = i18n.t.bind(i18n);
  const name = await api.get<{ name: string | null }>(`/clients/${access.clientId}`, { purpose: true }).then(
    (c) => c.name,
    () => null,
  );
  if (name) names.set(access.clientId, name);
  const args = { client: name ?? t("break-glass.thisClient"), time: formatTime(access.expiresAt, i18n.language), count: access.notified };
  const text = t(access.notified > 0 ? "break-glass.opened" : "break-glass.openedQueueOnly", args);
  void message.warning({ content: <span data-testid="break-glass-opened">{text}</span>, duration: 10 });
  window.dispatchEvent(new Event(BREAK_GLASS_OPENED));
}
