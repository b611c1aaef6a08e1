import { SettingOutlined } from "@ant-design/icons";
import { Card, Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { navigate } from "../../../shared/router";
import type { Screen } from "../registry";
import { KeysTab } from "./KeysTab";
import { PurposesTab } from "./PurposesTab";
import { SettingsTab } from "./SettingsTab";
import { TokensTab } from "./TokensTab";
import { UsersTab } from "./UsersTab";

const TABS = ["users", "tokens", "keys", "purposes", "settings"] as const;

/** Administration: the tab is part of the route (#/admin/tokens), so it survives a reload. */
function AdminPage({ params }: { params: string[] }) {
  const { t } = useTranslation();
  const tab = TABS.find((k) => k === params[0]) ?? "users";
  const content = { users: <UsersTab />, tokens: <TokensTab />, keys: <KeysTab />, purposes: <PurposesTab />, settings: <SettingsTab /> };
  return (
    <Card title={t("admin.title")}>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(`admin/${key}`)}
        destroyOnHidden
        items={TABS.map((key) => ({ key, label: t(`admin.tabs.${key}`), children: content[key] }))}
      />
    </Card>
  );
}

export const adminScreen: Screen = { key: "admin", icon: <SettingOutlined />, order: 90, group: "settings", permission: "user.manage", component: AdminPage };
