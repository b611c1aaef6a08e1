import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Dropdown, Layout, Menu, Result, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { purpose } from "../shared/api";
import { LanguageSwitch } from "../shared/LanguageSwitch";
import { NotificationBell } from "./NotificationBell";
import { navigate, useRoute } from "../shared/router";
import { screensFor } from "./pages/registry";
import "./pages/screens";
import { PurposeSelect } from "./PurposeSelect";
import type { Me } from "./session";

/** The signed-in console: menu, purpose selector, language, user menu, and the current screen. */
export default function Shell({ me, signOut, title }: { me: Me; signOut: (everywhere: boolean) => Promise<void>; title: string }) {
  const { t } = useTranslation();
  const { modal } = AntApp.useApp();
  const [section = "dashboard", ...params] = useRoute();
  const [declared, setDeclared] = useState(purpose());
  const visible = useMemo(() => screensFor(me.permissions), [me.permissions]);
  const screen = visible.find((s) => s.key === section);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={220}>
        <Typography.Title level={4} style={{ padding: "16px 20px", margin: 0 }}>
          {title}
        </Typography.Title>
        <Menu
          mode="inline"
          selectedKeys={[section]}
          items={visible.filter((s) => s.inMenu !== false).map((s) => ({ key: s.key, icon: s.icon, label: t(`${s.key}.nav`) }))}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: "#fff", display: "flex", justifyContent: "flex-end", alignItems: "center", gap: 16, paddingInline: 24 }}>
          <Space>
            <Typography.Text type="secondary">{t("shell.purpose")}</Typography.Text>
            <PurposeSelect onChange={setDeclared} />
          </Space>
          <NotificationBell me={me} />
          <LanguageSwitch />
          <Dropdown
            menu={{
              items: [
                { key: "account", icon: <UserOutlined />, label: t("shell.account"), onClick: () => navigate("account") },
                { key: "signout", icon: <LogoutOutlined />, label: t("shell.signOut"), onClick: () => void signOut(false) },
                {
                  key: "signout-all",
                  danger: true,
                  label: t("shell.signOutEverywhere"),
                  onClick: () => modal.confirm({ title: t("shell.signOutEverywhereConfirm"), onOk: () => signOut(true) }),
                },
              ],
            }}
          >
            <Button data-testid="user-menu" icon={<UserOutlined />}>
              <Tag color="blue">{t(`roles.${me.role}`)}</Tag>
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {!screen ? (
            <Result status="404" title={t("shell.notFound")} />
          ) : screen.needsPurpose && !declared ? (
            <Alert type="info" showIcon message={t("shell.purposeFirst")} description={t("shell.purposeHelp")} />
          ) : (
            <screen.component key={`${section}/${declared ?? ""}`} params={params} />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
