import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Result, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { navigate } from "../../../shared/router";
import { bytesOfBase64, saveFile } from "./download";
import { useClientNames, useRegistries } from "./lookups";
import type { DisclosureResult } from "./model";

/**
 * The package, handed over once: the API never stores it and will not send it again, so the
 * downloads (and a sealed package's one-time key) are offered here until the page is left.
 */
export function PackageHandover({ result }: { result: DisclosureResult }) {
  const { t, i18n } = useTranslation();
  const { profileName } = useRegistries();
  const clientName = useClientNames(result.clientIds);
  const base = `disclosure-${result.createdAt.slice(0, 10)}-${result.disclosureId.slice(-8)}`;
  const p = result.package;
  return (
    <Card data-testid="disclosure-done">
      <Result
        status="success"
        title={t("disclosures.done.title", { partner: result.partner.name, count: result.clientIds.length })}
        subTitle={t("disclosures.done.onlyOnce")}
        extra={
          <Space wrap>
            {p.json !== null && (
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                data-testid="download-json"
                onClick={() => saveFile(`${base}.json`, "application/json", p.json!)}
              >
                {t("disclosures.done.json")}
              </Button>
            )}
            {p.csv !== null && (
              <Button icon={<DownloadOutlined />} data-testid="download-csv" onClick={() => saveFile(`${base}.csv`, "text/csv;charset=utf-8", p.csv!)}>
                {t("disclosures.done.csv")}
              </Button>
            )}
            {p.sealed !== null && (
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                data-testid="download-sealed"
                onClick={() => saveFile(`${base}.sealed`, "application/octet-stream", bytesOfBase64(p.sealed!))}
              >
                {t("disclosures.done.sealed")}
              </Button>
            )}
            <Button onClick={() => navigate(`disclosures/${result.disclosureId}`)}>{t("disclosures.done.open")}</Button>
          </Space>
        }
      />
      {p.sealedKey !== null && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("disclosures.done.keyTitle")}
          description={
            <Space orientation="vertical">
              <Typography.Text>{t("disclosures.done.keyWarning")}</Typography.Text>
              <Typography.Text code copyable={{ text: p.sealedKey }} data-testid="sealed-key">
                {p.sealedKey}
              </Typography.Text>
            </Space>
          }
        />
      )}
      {result.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={result.warnings.map((w) => (i18n.exists(`disclosures.warning.${w}`) ? t(`disclosures.warning.${w}`) : w)).join(" ")}
        />
      )}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t("disclosures.fields.partner")}>{result.partner.name}</Descriptions.Item>
        <Descriptions.Item label={t("disclosures.fields.profile")}>
          {t("disclosures.profileVersion", { name: profileName(result.profile.code), version: result.profile.version })}
        </Descriptions.Item>
        <Descriptions.Item label={t("disclosures.fields.clients")}>{result.clientIds.map(clientName).join(t("disclosures.listSeparator"))}</Descriptions.Item>
        <Descriptions.Item label={t("disclosures.done.digest")}>
          <Typography.Text code>{(p.sealed !== null ? result.record.sealedSha256 : result.record.jsonSha256) ?? "—"}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
