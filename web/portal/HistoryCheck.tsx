/**
 * The client checks their access history in the browser (issue #12): the same check as
 * `custodia audit verify-package`, run on WebCrypto. The firm's key is shown for the client to
 * compare with the one the firm publishes: a package checked only against its own key proves less.
 */
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Alert, Button, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ed25519Available, webCrypto } from "../../src/platform/audit/history-check/crypto";
import { type HistoryVerdict, type ProvenHistory, verifyHistory } from "../../src/platform/audit/history-check/verify-history";
import { messageOf } from "../shared/errors";
import { formatTime } from "../shared/format";
import { type PortalSession, readPackage } from "./portalApi";

type Outcome =
  | { kind: "checked"; verdict: HistoryVerdict; vkey: string; times: Map<number, string> }
  | { kind: "no_history" | "unsupported" }
  | { kind: "error"; message: string };

async function checkPackage(session: PortalSession, lang: string): Promise<Outcome> {
  if (!(await ed25519Available())) return { kind: "unsupported" };
  const pkg = (await readPackage(session, "json", lang)) as { accessHistoryProof?: ProvenHistory | null } | null;
  const history = pkg?.accessHistoryProof;
  if (!history) return { kind: "no_history" };
  const verdict = await verifyHistory(history, history.vkey, webCrypto());
  // Problems name events by their log number; the client knows them by time.
  const times = new Map((Array.isArray(history.events) ? history.events : []).map((e) => [e?.event?.seq, e?.event?.at] as [number, string]));
  return { kind: "checked", verdict, vkey: String(history.vkey), times };
}

export function HistoryCheck({ session }: { session: PortalSession }) {
  const { t, i18n } = useTranslation();
  const [checking, setChecking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async () => {
    setChecking(true);
    setOutcome(null);
    try {
      setOutcome(await checkPackage(session, i18n.language));
    } catch (e) {
      setOutcome({ kind: "error", message: messageOf(e) });
    } finally {
      setChecking(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: "100%", marginTop: 12 }}>
      <Button icon={<SafetyCertificateOutlined />} loading={checking} onClick={() => void run()}>
        {t("portal.historyCheck.button")}
      </Button>
      <Typography.Text type="secondary">{t("portal.historyCheck.hint")}</Typography.Text>
      {outcome && <OutcomeView outcome={outcome} lang={i18n.language} />}
    </Space>
  );
}

function OutcomeView({ outcome, lang }: { outcome: Outcome; lang: string }) {
  const { t } = useTranslation();
  if (outcome.kind === "error") return <Alert type="error" showIcon message={outcome.message} data-testid="history-check-result" />;
  if (outcome.kind !== "checked")
    return <Alert type="warning" showIcon message={t(`portal.historyCheck.${outcome.kind}`)} data-testid="history-check-result" />;
  const { verdict, vkey, times } = outcome;
  if (verdict.ok) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="history-check-result"
        message={t("portal.historyCheck.okTitle")}
        description={
          <Space direction="vertical" style={{ width: "100%" }}>
            <Typography.Text data-testid="history-check-summary">
              {t("portal.historyCheck.okBody", { count: verdict.eventsProven, size: verdict.treeSize })}
            </Typography.Text>
            <Typography.Text type="secondary">{t("portal.historyCheck.key")}</Typography.Text>
            <Typography.Text code copyable data-testid="history-check-vkey" style={{ wordBreak: "break-all" }}>
              {vkey}
            </Typography.Text>
            <Typography.Text type="secondary">{t("portal.historyCheck.keyHint")}</Typography.Text>
          </Space>
        }
      />
    );
  }
  const lines = verdict.problems.map((p) =>
    p.seq !== undefined && times.get(p.seq)
      ? t(`portal.historyCheck.problems.${p.problem}_event`, { time: formatTime(times.get(p.seq), lang) })
      : t(`portal.historyCheck.problems.${p.problem}`),
  );
  return (
    <Alert
      type="error"
      showIcon
      data-testid="history-check-result"
      message={t("portal.historyCheck.failedTitle")}
      description={
        <Space direction="vertical" style={{ width: "100%" }}>
          <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="history-check-problems">
            {[...new Set(lines)].map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <Typography.Text>{t("portal.historyCheck.failedHint")}</Typography.Text>
        </Space>
      }
    />
  );
}
