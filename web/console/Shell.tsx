import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Badge, Breadcrumb, Button, Dropdown, Layout, Menu, Result, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { purpose } from "../shared/api";
import { LanguageSwitch } from "../shared/LanguageSwitch";
import { NotificationBell } from "./NotificationBell";
import { BreakGlassBanner } from "./BreakGlassBanner";
import { navigate, useRoute } from "../shared/router";
import { SCREEN_GROUPS, type Screen, screensFor } from "./pages/registry";
import "./pages/screens";
import { badgeCounts, useWork, WorkProvider } from "./pages/dashboard/work";
import { UUID } from "../shared/ids";
import { PurposeSelect } from "./PurposeSelect";
import type { Me } from "./session";

/** The signed-in console: menu, purpose selector, language, user menu, and the current screen. */
export default function Shell(props: { me: Me; signOut: (everywhere: boolean) => Promise<void>; title: string }) {
  return (
    <WorkProvider>
      <Console {...props} />
    </WorkProvider>
  );
}

function Console({ me, signOut, title }: { me: Me; signOut: (everywhere: boolean) => Promise<void>; title: string }) {
  const { t } = useTranslation();
  const { modal } = AntApp.useApp();
  const [section = "dashboard", ...params] = useRoute();
  const [declared, setDeclared] = useState(purpose());
  const visible = useMemo(() => screensFor(me.permissions), [me.permissions]);
  const screen = visible.find((s) => s.key === section);
  const { queues } = useWork();
  const badges = useMemo(() => badgeCounts(queues ?? []), [queues]);

  const entry = (s: Screen) => ({
    key: s.key,
    icon: s.icon,
    label: (
      <Space size={6}>
        {t(`${s.key}.nav`)}
        {(badges[s.key] ?? 0) > 0 && <Badge count={badges[s.key]} size="small" data-testid={`menu-badge-${s.key}`} />}
      </Space>
    ),
  });
  const menu = SCREEN_GROUPS.map((group) => ({
    type: "group" as const,
    key: `group-${group}`,
    label: t(`shell.groups.${group}`),
    children: visible.filter((s) => s.group === group && s.inMenu !== false).map(entry),
  })).filter((g) => g.children.length > 0);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {/* Sticky: the menu stays in view while the content scrolls, and scrolls itself when long. */}
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        theme="light"
        width={220}
        style={{ position: "sticky", top: 0, height: "100vh", overflowY: "auto" }}
        data-testid="side-menu"
      >
        <Typography.Title level={4} style={{ padding: "16px 20px", margin: 0 }}>
          {title}
        </Typography.Title>
        <Menu mode="inline" selectedKeys={[section]} items={menu} onClick={({ key }) => navigate(key)} />
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
                {
                  // Who is signed in heads the menu of their own account.
                  type: "group",
                  key: "who",
                  label: (
                    <Space orientation="vertical" size={0} data-testid="user-menu-who">
                      <Typography.Text strong>{me.displayName}</Typography.Text>
                      <Typography.Text type="secondary">{me.email}</Typography.Text>
                    </Space>
                  ),
                  children: [
                    { key: "account", icon: <UserOutlined />, label: t("shell.account"), onClick: () => navigate("account") },
                    { key: "signout", icon: <LogoutOutlined />, label: t("shell.signOut"), onClick: () => void signOut(false) },
                    {
                      key: "signout-all",
                      danger: true,
                      label: t("shell.signOutEverywhere"),
                      onClick: () => modal.confirm({ title: t("shell.signOutEverywhereConfirm"), onOk: () => signOut(true) }),
                    },
                  ],
                },
              ],
            }}
          >
            <Button data-testid="user-menu" icon={<UserOutlined />}>
              {me.displayName}
              <Tag color="blue">{t(`roles.${me.role}`)}</Tag>
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <BreakGlassBanner me={me} />
          {screen && <Crumbs screen={screen} params={params} />}
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

/** Where the reader is: group › screen › record (a record by kind, never by its id). */
function Crumbs({ screen, params }: { screen: Screen; params: string[] }) {
  const { t } = useTranslation();
  const [first] = params;
  const record = first === "new" ? t("shell.crumbs.new") : first && UUID.test(first) ? t("shell.crumbs.record") : null;
  return (
    <Breadcrumb
      data-testid="breadcrumb"
      aria-label={t("shell.crumbs.label")}
      style={{ marginBottom: 16 }}
      items={[
        { title: t(`shell.groups.${screen.group}`) },
        record ? { title: <a href={`#/${screen.key}`}>{t(`${screen.key}.nav`)}</a> } : { title: t(`${screen.key}.nav`) },
        ...(record ? [{ title: record }] : []),
      ]}
    />
  );
}
