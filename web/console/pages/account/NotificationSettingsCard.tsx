import { BellOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Card, Space, Switch, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useLabels } from "../programme/codes";
import { paging } from "../../../shared/tables";

interface OwnSubscription {
  event: string;
  subscribed: boolean;
  email: boolean;
  offered: boolean;
}

/**
 * What one is notified about (issue #15): the role's defaults start on; anyone may turn one off or
 * ask for email too, and turn the role's defaults back on. Turning one off is remembered: later
 * defaults never switch it on again.
 */
export function NotificationSettingsCard() {
  const { t } = useTranslation();
  const { code } = useLabels();
  const { message } = AntApp.useApp();
  const subs = useLoad(() => api.get<{ items: OwnSubscription[] }>("/notification-subscriptions/mine"), []);
  const set = async (row: OwnSubscription, change: Partial<Pick<OwnSubscription, "subscribed" | "email">>) => {
    const next = { subscribed: row.subscribed, email: row.email, ...change };
    try {
      await api.put("/notification-subscriptions/mine", { event: row.event, subscribed: next.subscribed, email: next.subscribed && next.email });
      void message.success(t("account.notifications.saved"));
      subs.reload();
    } catch (e) {
      void message.error(messageOf(e));
    }
  };
  return (
    <Card
      data-testid="notification-settings"
      title={
        <Space>
          <BellOutlined />
          {t("account.notifications.title")}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("account.notifications.help")}</Typography.Paragraph>
      {subs.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={messageOf(subs.error)} />}
      <Table<OwnSubscription>
        rowKey="event"
        size="small"
        pagination={paging({ quiet: true })}
        loading={subs.loading}
        dataSource={subs.data?.items ?? []}
        locale={{ emptyText: t("account.notifications.none") }}
        columns={[
          { title: t("account.notifications.event"), dataIndex: "event", render: (v: string) => code("notifications.kind", v) },
          {
            title: t("account.notifications.inApp"),
            key: "subscribed",
            render: (_, row) => (
              <Switch
                checked={row.subscribed}
                disabled={!row.subscribed && !row.offered}
                aria-label={t("account.notifications.inAppFor", { event: code("notifications.kind", row.event) })}
                onChange={(subscribed) => void set(row, { subscribed })}
              />
            ),
          },
          {
            title: t("account.notifications.email"),
            key: "email",
            render: (_, row) => (
              <Switch
                checked={row.email}
                disabled={!row.subscribed}
                aria-label={t("account.notifications.emailFor", { event: code("notifications.kind", row.event) })}
                onChange={(email) => void set(row, { email })}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
