import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import "./global.css";
import "./i18n";
import { cspNonce, nonceEveryStyleTag } from "./nonce";
import { theme } from "./theme";

nonceEveryStyleTag();

/** antd's theme, locale and CSP nonce, shared by the console and the portal. */
export function Root({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === "en" ? enUS : zhCN} csp={{ nonce: cspNonce() }} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
