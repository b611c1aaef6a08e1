import { FileSearchOutlined, SearchOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Progress, Segmented, Space, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { IdText } from "../../../shared/IdText";
import { StaffName } from "../../../shared/Staff";
import { upload } from "../../../shared/upload";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { FileDrop } from "./FileDrop";
import { codeKey, COPY_KINDS, EVIDENCE, SHARE_STATUSES, type Share, type TracedCopy, type TraceResult } from "./model";
import { ShareTable } from "./ShareTable";
import { paging } from "../../../shared/tables";

/** Compliance's view of files outside the firm: tracing a leaked copy, and the recipient register. */
function FilesOversightPage() {
  const { t } = useTranslation();
  return (
    <Tabs
      items={[
        { key: "trace", label: t("files.trace.title"), children: <TracePage /> },
        { key: "register", label: t("files.register.title"), children: <RecipientRegister /> },
      ]}
    />
  );
}

/** Every external share, newest first, filtered by state (never by recipient: that would put an address in the URL). */
function RecipientRegister() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>("all");
  const list = useLoad(() => api.get<{ items: Share[] }>(`/shares${query({ status: status === "all" ? undefined : status })}`, { purpose: true }), [status]);
  return (
    <Card
      extra={
        <Segmented
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={[{ value: "all", label: t("files.register.all") }, ...SHARE_STATUSES.map((s) => ({ value: s, label: t(`files.shareStatuses.${s}`) }))]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t("files.register.help")}</Typography.Paragraph>
      {list.error !== null && <Alert type="error" showIcon title={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <ShareTable register items={list.data?.items ?? []} onChanged={list.reload} />
    </Card>
  );
}

/**
 * Tracing a leaked file (compliance): given a copy found outside, the downloads or shares it came
 * from, with who, when, how it was recognised and the audit event that handed it out.
 */
function TracePage() {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TraceResult | null>(null);
  const trace = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      setResult(await upload<TraceResult>("/documents/trace", { file, onProgress: (f) => setProgress(Math.round(f * 100)) }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setProgress(null);
    }
  };
  const found = result !== null && (result.copies.length > 0 || result.versions.length > 0);
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card>
        <Typography.Paragraph type="secondary">{t("files.trace.help")}</Typography.Paragraph>
        <FileDrop file={file} onChange={(f) => (setFile(f), setResult(null))} hint={t("files.trace.hint")} testId="trace-drop" />
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" icon={<SearchOutlined />} disabled={!file} loading={progress !== null} onClick={() => void trace()}>
            {t("files.trace.submit")}
          </Button>
        </Space>
        {progress !== null && <Progress aria-label={t("common.uploadProgress")} percent={progress} status="active" style={{ marginTop: 12 }} />}
        {error && <Alert data-testid="trace-error" style={{ marginTop: 16 }} type="error" showIcon title={error} />}
      </Card>
      {result && (
        <Card title={t("files.trace.result")} data-testid="trace-result">
          {!found && <Alert type="info" showIcon title={t("files.trace.nothing")} />}
          {result.copies.length > 0 && (
            <Table<TracedCopy>
              data-testid="trace-copies"
              rowKey="copyId"
              size="small"
              pagination={paging({ quiet: true })}
              dataSource={result.copies}
              scroll={{ x: true }}
              columns={[
                {
                  title: t("files.trace.copyId"),
                  dataIndex: "copyId",
                  render: (v: string) => (
                    <Typography.Text code copyable={{ text: v }}>
                      {v}
                    </Typography.Text>
                  ),
                },
                {
                  title: t("files.trace.document"),
                  dataIndex: "documentId",
                  render: (v: string, c) => (
                    <a href={`#/clients/${c.clientId}`} title={v}>
                      {t("files.trace.openClient")}
                    </a>
                  ),
                },
                { title: t("files.fields.version"), dataIndex: "version", render: (v: number) => t("files.versions.number", { version: v }) },
                { title: t("files.trace.kind"), dataIndex: "kind", render: (v: string) => <Tag>{t(codeKey("copyKinds", v, COPY_KINDS))}</Tag> },
                {
                  title: t("files.trace.who"),
                  key: "who",
                  render: (_, c) =>
                    c.userId ? (
                      <StaffName id={c.userId} />
                    ) : c.shareId ? (
                      <Space size={4}>
                        {t("files.trace.share")}
                        <IdText id={c.shareId} />
                      </Space>
                    ) : (
                      "—"
                    ),
                },
                { title: t("files.trace.when"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
                {
                  title: t("files.trace.evidence"),
                  dataIndex: "evidence",
                  render: (v: string) => (
                    <Tag color={v === "exact_content" ? "default" : "geekblue"} title={t(codeKey("evidenceHelp", v, EVIDENCE))}>
                      {t(codeKey("evidence", v, EVIDENCE))}
                    </Tag>
                  ),
                },
                // The audit screen filters by actor, client and action, not by event id: the id is shown to copy.
                { title: t("files.trace.auditEvent"), dataIndex: "auditEventId", render: (v: string | null) => <IdText id={v} /> },
              ]}
            />
          )}
          {result.versions.length > 0 && (
            <div style={{ marginTop: 16 }} data-testid="trace-versions">
              <Typography.Title level={5}>{t("files.trace.versions")}</Typography.Title>
              <Typography.Paragraph type="secondary">{t("files.trace.versionsHelp")}</Typography.Paragraph>
              <ul>
                {result.versions.map((v) => (
                  <li key={`${v.documentId}-${v.version}`}>
                    <a href={`#/clients/${v.clientId}`} title={v.documentId}>
                      {t("files.trace.openClient")}
                    </a>{" "}
                    · {t("files.versions.number", { version: v.version })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
      )}
    </Space>
  );
}

export const traceScreen: Screen = {
  key: "files",
  icon: <FileSearchOutlined />,
  order: 57,
  group: "oversight",
  permission: "document.trace",
  component: FilesOversightPage,
};
