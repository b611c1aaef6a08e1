/**
 * "Who accessed your information", from the access package, in words: each action and outcome by
 * its label (the code dictionary), each time in the firm's time zone. The package names staff by
 * role or name as the firm chose; purposes are named from the package's own purpose list.
 */
import { HistoryOutlined } from "@ant-design/icons";
import { Alert, Button, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCodeLabel } from "../shared/codes";
import { messageOf } from "../shared/errors";
import { formatTime } from "../shared/format";
import { type PortalSession, readPackage } from "./portalApi";

interface AccessEntry {
  at: string;
  actor: string;
  action: string;
  purpose: string | null;
  outcome: string;
}
interface PackageHistory {
  accessHistory?: AccessEntry[];
  purposes?: { code: string; name: string }[];
}

const OUTCOME_COLOURS: Record<string, string> = { success: "green", denied: "red", failure: "orange" };

export function AccessHistoryView({ session }: { session: PortalSession }) {
  const { t, i18n } = useTranslation();
  const label = useCodeLabel();
  const [loading, setLoading] = useState(false);
  const [pkg, setPkg] = useState<PackageHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lang = i18n.language;

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      setPkg(((await readPackage(session, "json", lang)) ?? {}) as PackageHistory);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  };

  const purposeName = (code: string | null) => (code ? (pkg?.purposes?.find((p) => p.code === code)?.name ?? t("portal.history.otherPurpose")) : "—");
  return (
    <Space direction="vertical" style={{ width: "100%", marginTop: 12 }}>
      <Button icon={<HistoryOutlined />} loading={loading} onClick={() => void load()} data-testid="portal-history-show">
        {t("portal.history.button")}
      </Button>
      {error && <Alert type="error" showIcon message={error} />}
      {pkg && (
        <Table<AccessEntry & { key: number }>
          data-testid="portal-access-history"
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          // Newest first; the package lists them in log order.
          dataSource={(pkg.accessHistory ?? []).map((e, key) => ({ ...e, key })).reverse()}
          locale={{ emptyText: t("portal.history.empty") }}
          scroll={{ x: 600 }}
          columns={[
            { title: t("portal.history.at"), dataIndex: "at", render: (v: string) => formatTime(v, lang) },
            { title: t("portal.history.actor"), dataIndex: "actor" },
            { title: t("portal.history.action"), dataIndex: "action", render: (v: string) => label("action", v) },
            { title: t("portal.history.purpose"), dataIndex: "purpose", render: purposeName },
            {
              title: t("portal.history.outcome"),
              dataIndex: "outcome",
              render: (v: string) => <Tag color={OUTCOME_COLOURS[v] ?? "default"}>{label("outcome", v)}</Tag>,
            },
          ]}
        />
      )}
    </Space>
  );
}
