import { BellOutlined } from "@ant-design/icons";
import { Badge, Button, Drawer, Empty, List, Segmented, Space, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { api } from "../shared/api";
import { messageOf } from "../shared/errors";
import { navigate } from "../shared/router";
import { useLabels } from "./pages/programme/codes";
import { screensFor } from "./pages/registry";
import { useActivityRefresh } from "./useActivityRefresh";
import type { Me } from "./session";

interface Notification {
  id: string;
  kind: string;
  createdAt: string;
  readAt: string | null;
  payload: { id: string; kind: string; occurredAt: string; data: Record<string, string | null>; link: string };
}

/**
 * The console path of the record a notification names, when the reader may open that screen.
 * The payload is an allow-list of ids and codes (src/response/notifications/notifier.ts); an id is checked
 * to be a UUID before it goes into the hash.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TARGETS: [field: string, screen: string, withId: boolean][] = [
  ["incidentId", "incidents", true],
  ["approvalId", "approvals", true],
  ["requestId", "requests", true],
  ["complaintId", "complaints", true],
  ["reportId", "report", true],
  ["alertId", "incidents", false],
  ["courseId", "training", false],
];
export function recordPath(data: Record<string, string | null>, permissions: readonly string[]): string | null {
  const open = screensFor(permissions);
  for (const [field, screen, withId] of TARGETS) {
    const id = data[field];
    if (!id || !UUID.test(id)) continue;
    if (!open.some((s) => s.key === screen)) continue;
    return withId ? `${screen}/${id}` : screen;
  }
  return null;
}

/** The bell in the console header: unread count, and a drawer with the caller's notifications. */
export function NotificationBell({ me }: { me: Me }) {
  const { t, code, time, date } = useLabels();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState<"unread" | "all">("unread");
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const count = useCallback(async () => {
    try {
      setUnread((await api.get<{ items: Notification[] }>("/notifications?unread=true")).items.length);
    } catch {
      // The count is a hint; the drawer shows the error when opened.
    }
  }, []);
  const loadList = useCallback(async () => {
    setError(null);
    try {
      const all = (await api.get<{ items: Notification[] }>("/notifications")).items;
      setItems(all);
      setUnread(all.filter((n) => !n.readAt).length);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useActivityRefresh(useCallback(() => void count(), [count]));
  useEffect(() => {
    if (open) void loadList();
  }, [open, loadList]);

  const markRead = async (n: Notification) => {
    if (n.readAt) return;
    try {
      await api.post(`/notifications/${n.id}/read`);
      const at = new Date().toISOString();
      setItems((list) => list?.map((x) => (x.id === n.id ? { ...x, readAt: at } : x)) ?? null);
      setUnread((c) => Math.max(0, c - 1));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const markAll = async () => {
    for (const n of items ?? []) if (!n.readAt) await markRead(n);
  };
  const openRecord = async (n: Notification, path: string) => {
    await markRead(n);
    setOpen(false);
    navigate(path);
  };

  const summary = (n: Notification) => {
    const d = n.payload.data;
    const parts = [
      d.severity ? code("incidents.severity", d.severity) : null,
      d.ruleCode ? code("incidents.rule", d.ruleCode) : null,
      d.category ? code("incidents.category", d.category) : null,
      d.requestType ? code("requests.type", d.requestType) : null,
      d.dueDate ? t("notifications.due", { date: date(d.dueDate) }) : null,
    ].filter(Boolean);
    return parts.join(" · ");
  };
  const shown = (items ?? []).filter((n) => filter === "all" || !n.readAt);

  return (
    <>
      <Badge count={unread} size="small" overflowCount={99}>
        <Button data-testid="notification-bell" aria-label={t("notifications.bell", { count: unread })} icon={<BellOutlined />} onClick={() => setOpen(true)} />
      </Badge>
      <Drawer
        title={t("notifications.title")}
        open={open}
        onClose={() => setOpen(false)}
        size={420}
        extra={
          <Button size="small" disabled={unread === 0} onClick={() => void markAll()}>
            {t("notifications.markAll")}
          </Button>
        }
      >
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as "unread" | "all")}
            options={[
              { value: "unread", label: t("notifications.unread") },
              { value: "all", label: t("notifications.all") },
            ]}
          />
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
          <List<Notification>
            data-testid="notification-list"
            loading={items === null && !error}
            dataSource={shown}
            locale={{ emptyText: <Empty description={t("notifications.none")} /> }}
            renderItem={(n) => {
              const path = recordPath(n.payload.data, me.permissions);
              return (
                <List.Item
                  key={n.id}
                  data-testid="notification-item"
                  actions={[
                    ...(path
                      ? [
                          <Button key="open" size="small" type="link" onClick={() => void openRecord(n, path)}>
                            {t("notifications.open")}
                          </Button>,
                        ]
                      : []),
                    ...(!n.readAt
                      ? [
                          <Button key="read" size="small" onClick={() => void markRead(n)}>
                            {t("notifications.markRead")}
                          </Button>,
                        ]
                      : []),
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space size={4}>
                        {!n.readAt && <Badge status="processing" />}
                        {code("notifications.kind", n.kind)}
                        {n.readAt && <Tag>{t("notifications.read")}</Tag>}
                      </Space>
                    }
                    description={
                      <Space orientation="vertical" size={0}>
                        <span>{summary(n)}</span>
                        <Typography.Text type="secondary">{time(n.payload.occurredAt)}</Typography.Text>
                      </Space>
                    }
                  />
                </List.Item>
              );
            }}
          />
        </Space>
      </Drawer>
    </>
  );
}
