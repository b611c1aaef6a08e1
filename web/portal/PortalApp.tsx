import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Layout, Tabs, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../shared/LanguageSwitch";
import { NoticeView } from "./NoticeView";
import { PrivacyContact } from "./PrivacyContact";
import type { PortalSession } from "./portalApi";
import { RequestForm } from "./RequestForm";
import { StatusView } from "./StatusView";

type Section = "request" | "follow" | "notice";

/**
 * The public client portal: no sign-in, no staff features. The request token exists only in this
 * component's state, so closing or reloading the page forgets it (the person keeps a copy).
 */
export function PortalApp() {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>("request");
  const [session, setSession] = useState<PortalSession | null>(null);
  const [fresh, setFresh] = useState(false);

  const verified = (s: PortalSession) => {
    setSession(s);
    setFresh(true);
    setSection("follow");
  };

  return (
    <Layout style={{ minHeight: "100vh", background: "#f5f7fa" }}>
      <Layout.Header style={{ background: "#fff", borderBottom: "1px solid #e5e8ec", padding: "0 16px", height: "auto", lineHeight: "normal" }}>
        <div
          style={{
            maxWidth: 760,
            margin: "0 auto",
            display: "flex",
            justifyContent: "space-between",
            alignItems: "center",
            gap: 12,
            padding: "12px 0",
            flexWrap: "wrap",
          }}
        >
          <span style={{ display: "flex", alignItems: "center", gap: 8, minWidth: 0 }}>
            <SafetyCertificateOutlined style={{ fontSize: 22, color: "#1f4e79" }} />
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="portal-title">
              {t("portal.title")}
            </Typography.Text>
          </span>
          <LanguageSwitch />
        </div>
      </Layout.Header>
      <Layout.Content style={{ padding: "12px 12px 24px" }}>
        <div style={{ maxWidth: 760, margin: "0 auto" }}>
          <Typography.Paragraph type="secondary" style={{ margin: "4px 4px 8px" }}>
            {t("portal.intro")}
          </Typography.Paragraph>
          <Tabs
            activeKey={section}
            onChange={(key) => setSection(key as Section)}
            items={[
              { key: "request", label: t("portal.tabs.request"), children: <RequestForm onVerified={verified} /> },
              {
                key: "follow",
                label: t("portal.tabs.follow"),
                children: (
                  <StatusView
                    session={session}
                    fresh={fresh}
                    onSession={(s) => {
                      setSession(s);
                      setFresh(false);
                    }}
                    onSaved={() => setFresh(false)}
                    onForget={() => {
                      setSession(null);
                      setFresh(false);
                    }}
                  />
                ),
              },
              { key: "notice", label: t("portal.tabs.notice"), children: <NoticeView /> },
            ]}
          />
        </div>
      </Layout.Content>
      <Layout.Footer style={{ background: "#fff", borderTop: "1px solid #e5e8ec", padding: "16px" }}>
        <div style={{ maxWidth: 760, margin: "0 auto" }}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
            {t("portal.footer.privacy")}
          </Typography.Paragraph>
          <PrivacyContact />
          <Typography.Link style={{ fontSize: 12 }} onClick={() => setSection("notice")}>
            {t("portal.footer.notice")}
          </Typography.Link>
        </div>
      </Layout.Footer>
    </Layout>
  );
}
