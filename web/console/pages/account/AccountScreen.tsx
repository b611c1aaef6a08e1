import { UserOutlined } from "@ant-design/icons";
import { Button, Card, Descriptions, Popconfirm, Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { PasswordCard } from "./PasswordCard";
import { NotificationSettingsCard } from "./NotificationSettingsCard";
import { PasskeysCard } from "./Passkeys";
import { SecondFactorCard } from "./SecondFactorCard";
import { paging } from "../../../shared/tables";

interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

/** The signed-in user's own account: role, second factor, live sessions, sign out everywhere. */
function AccountPage() {
  const { t, i18n } = useTranslation();
  const { me, signOut } = useSession();
  const sessions = useLoad(() => api.get<{ items: SessionRow[] }>("/auth/sessions"), []);
  const time = (v: string) => formatTime(v, i18n.language);
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Card title={t("account.title")}>
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t("account.role")}>{t(`roles.${me.role}`)}</Descriptions.Item>
          <Descriptions.Item label={t("account.clearance")}>L{me.clearance}</Descriptions.Item>
          <Descriptions.Item label={t("account.mfa")}>
            <Tag color={me.mfa.enrolled ? "green" : "orange"}>{t(me.mfa.enrolled ? "account.mfaEnrolled" : "account.mfaNotEnrolled")}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("account.sessionEnds")}>{time(me.session?.absoluteExpiresAt ?? "")}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t("account.sessions")}
        extra={
          <Popconfirm title={t("shell.signOutEverywhereConfirm")} onConfirm={() => signOut(true)}>
            <Button danger>{t("shell.signOutEverywhere")}</Button>
          </Popconfirm>
        }
      >
        <Table<SessionRow>
          rowKey="id"
          size="small"
          loading={sessions.loading}
          dataSource={sessions.data?.items ?? []}
          pagination={paging({ quiet: true })}
          columns={[
            {
              title: t("account.device"),
              dataIndex: "userAgent",
              render: (v: string | null, row) => (
                <Space>
                  {v ?? "—"}
                  {row.current && <Tag color="blue">{t("account.current")}</Tag>}
                </Space>
              ),
            },
            { title: t("account.address"), dataIndex: "ip", render: (v: string | null) => v ?? "—" },
            { title: t("account.signedInAt"), dataIndex: "createdAt", render: time },
            { title: t("account.lastSeen"), dataIndex: "lastSeenAt", render: time },
            { title: t("account.idleExpires"), dataIndex: "idleExpiresAt", render: time },
          ]}
        />
      </Card>
      <PasswordCard />
      <SecondFactorCard />
      <PasskeysCard />
      <NotificationSettingsCard />
    </Space>
  );
}

export const accountScreen: Screen = { key: "account", icon: <UserOutlined />, order: 900, group: "settings", inMenu: false, component: AccountPage };
