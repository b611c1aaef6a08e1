import { Space, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { codeKey, LEVEL_COLOURS, PII_TYPES, SCAN_STATUSES, type ClientDocument, type PiiType } from "./model";

/** The sensitivity level, L1–L4, coloured by how sensitive. */
export function LevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(codeKey("levels", String(level), ["1", "2", "3", "4"]))}>
      <Tag color={LEVEL_COLOURS[level] ?? "default"} data-testid="level-tag">
        L{level}
      </Tag>
    </Tooltip>
  );
}

export const usePiiLabel = () => {
  const { t } = useTranslation();
  return (type: string) => t(codeKey("pii", type, PII_TYPES));
};

/** What detection found, per identifier type with its count; never the values. */
export function FindingTags({ document }: { document: ClientDocument }) {
  const { t } = useTranslation();
  const label = usePiiLabel();
  if (document.findings === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const found = (Object.entries(document.findings) as [PiiType, { count: number; low: number }][]).filter(([, c]) => c.count > 0);
  if (found.length === 0) return <Typography.Text type="secondary">{t("files.findings.none")}</Typography.Text>;
  return (
    <Space wrap size={[2, 2]} data-testid="finding-tags">
      {found.map(([type, c]) => (
        // Names and addresses are found by context, not checked: shown as lower confidence.
        <Tag key={type} color={c.low === c.count ? "default" : "volcano"}>
          {label(type)} × {c.count}
        </Tag>
      ))}
    </Space>
  );
}

export function ScanStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  const colour = status === "scanned" ? "green" : status === "partial" ? "gold" : "default";
  return (
    <Tooltip title={t(codeKey("scanHelp", status, SCAN_STATUSES))}>
      <Tag color={colour}>{t(codeKey("scan", status, SCAN_STATUSES))}</Tag>
    </Tooltip>
  );
}

/** A masked title: the reader could not open the document, so its title and filename stay sealed. */
export function DocumentTitle({ document }: { document: ClientDocument }) {
  const { t } = useTranslation();
  if (document.masked || document.title === null)
    return (
      <Tooltip title={t("files.masked.reason")}>
        <Tag color="purple" data-testid="masked-title">
          {t("files.masked.tag")}
        </Tag>
      </Tooltip>
    );
  return (
    <Space size={4} wrap>
      <span data-testid="document-title">{document.title}</span>
      {document.derivedFrom && <Tag color="cyan">{t("files.redacted.tag")}</Tag>}
    </Space>
  );
}
