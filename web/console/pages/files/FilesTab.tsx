import {
  AuditOutlined,
  DownloadOutlined,
  EyeOutlined,
  HistoryOutlined,
  LockOutlined,
  MoreOutlined,
  ScissorOutlined,
  SendOutlined,
  UnlockOutlined,
  UploadOutlined,
} from "@ant-design/icons";
import { Alert, Button, Dropdown, Space, Table, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { ApprovalDialog } from "./ApprovalDialog";
import { downloadDocument, saveBlob } from "./download";
import { DocumentTitle, FindingTags, LevelTag, ScanStatus } from "./Labels";
import { CATEGORIES, codeKey, formatBytes, type ClientDocument } from "./model";
import { NewVersionDialog } from "./NewVersionDialog";
import { PreviewModal } from "./PreviewModal";
import { RedactDialog } from "./RedactDialog";
import { ShareDialog } from "./ShareDialog";
import { UploadPanel } from "./UploadPanel";
import { VersionsDrawer } from "./VersionsDrawer";
import { paging } from "../../../shared/tables";

type Dialog =
  | { kind: "preview"; document: ClientDocument; version?: number }
  | { kind: "versions"; document: ClientDocument }
  | { kind: "newVersion"; document: ClientDocument }
  | { kind: "redact"; document: ClientDocument }
  | { kind: "share"; document: ClientDocument }
  | { kind: "approval"; document: ClientDocument; approval: "copy_document" | "forward_document" };

interface Copy {
  title: string;
  filename: string;
  copyId: string | null;
}

/** Redaction and sharing follow the abilities the server computed for the row. */
const mayRedact = (d: ClientDocument) => d.abilities.redact;
const mayShare = (d: ClientDocument, _permissions: readonly string[]) => d.abilities.share;

type MoreAction = "versions" | "newVersion" | "check-out" | "check-in" | "redact";

/** The less frequent operations of a row, in a menu, each only where the abilities allow it. */
function MoreActions({ document: d, busy, onPick }: { document: ClientDocument; busy: boolean; onPick: (action: MoreAction) => void }) {
  const { t } = useTranslation();
  const may = d.abilities;
  const items = [
    !d.masked && { key: "versions", icon: <HistoryOutlined />, label: t("files.actions.versions") },
    may.uploadVersion && { key: "newVersion", icon: <UploadOutlined />, label: t("files.actions.newVersion") },
    may.checkOut && { key: "check-out", icon: <LockOutlined />, label: t("files.actions.checkOut") },
    may.checkIn && { key: "check-in", icon: <UnlockOutlined />, label: t("files.actions.checkIn") },
    mayRedact(d) && { key: "redact", icon: <ScissorOutlined />, label: t("files.actions.redact") },
  ].filter((i) => i !== false);
  if (items.length === 0) return null;
  return (
    <Dropdown trigger={["click"]} menu={{ items, onClick: ({ key }) => onPick(key as MoreAction) }}>
      <Button size="small" icon={<MoreOutlined />} loading={busy}>
        {t("files.actions.more")}
      </Button>
    </Dropdown>
  );
}

/**
 * A client's (or one matter's) files: upload with progress, the list with what detection found,
 * and the operations the API allows on each (its `abilities`): preview, download (a registered,
 * fingerprinted copy), asking for copy approval, versions, check-out, redacted copy, share.
 */
export function FilesTab({ clientId, matterId }: { clientId: string; matterId?: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const list = useLoad(
    () => api.get<{ items: ClientDocument[] }>(`/clients/${clientId}/documents${query({ matterId })}`, { purpose: true }),
    [clientId, matterId],
  );
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [copy, setCopy] = useState<Copy | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const close = () => setDialog(null);
  const titleOf = (d: ClientDocument) => d.title ?? t("files.masked.tag");

  const act = async (key: string, work: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(null);
    }
  };
  const download = (d: ClientDocument, version?: number) =>
    act(`download-${d.id}`, async () => {
      const file = await downloadDocument(d.id, version);
      saveBlob(file.blob, file.filename);
      setCopy({ title: titleOf(d), filename: file.filename, copyId: file.copyId });
    });
  const lock = (d: ClientDocument, change: "check-out" | "check-in") =>
    act(`${change}-${d.id}`, async () => {
      await api.post<ClientDocument>(`/documents/${d.id}/${change}`, {}, { purpose: true });
      list.reload();
    });
  const needsApproval = error instanceof ApiError && error.code === "approval_required";

  return (
    <div data-testid="files-tab">
      {me.permissions.includes("document.write") && <UploadPanel clientId={clientId} matterId={matterId} onUploaded={list.reload} />}
      {list.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={messageOf(list.error)} />}
      {error && (
        <Alert
          data-testid="files-error"
          style={{ marginBottom: 16 }}
          type={needsApproval ? "info" : "error"}
          showIcon
          closable
          onClose={() => setError(null)}
          title={needsApproval ? t("files.download.approvalRequired") : messageOf(error)}
        />
      )}
      {copy && (
        <Alert
          data-testid="download-copy"
          style={{ marginBottom: 16 }}
          type="success"
          showIcon
          closable
          onClose={() => setCopy(null)}
          title={t("files.download.done", { title: copy.title })}
          description={
            <Space orientation="vertical" size={2}>
              <span>
                {t("files.download.copyId")}:{" "}
                <Typography.Text code copyable={copy.copyId ? { text: copy.copyId } : false} data-testid="copy-id">
                  {copy.copyId ?? "—"}
                </Typography.Text>
              </span>
              <Typography.Text type="secondary">{t("files.download.copyHelp")}</Typography.Text>
            </Space>
          }
        />
      )}
      <Table<ClientDocument>
        data-testid="document-list"
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: t(matterId ? "files.list.emptyMatter" : "files.list.empty") }}
        scroll={{ x: "max-content" }}
        columns={[
          { title: t("files.fields.title"), key: "title", render: (_, d) => <DocumentTitle document={d} /> },
          { title: t("files.fields.category"), dataIndex: "category", render: (v: string) => t(codeKey("categories", v, CATEGORIES)) },
          { title: t("files.fields.level"), dataIndex: "level", render: (v: number) => <LevelTag level={v} /> },
          { title: t("files.fields.findings"), key: "findings", render: (_, d) => <FindingTags document={d} /> },
          { title: t("files.fields.scanStatus"), dataIndex: "scanStatus", render: (v: string) => <ScanStatus status={v} /> },
          { title: t("files.fields.size"), dataIndex: "sizeBytes", render: (v: number) => formatBytes(v) },
          { title: t("files.fields.version"), dataIndex: "currentVersion", render: (v: number) => t("files.versions.number", { version: v }) },
          {
            title: t("files.fields.checkedOutBy"),
            dataIndex: "checkedOutBy",
            render: (v: string | null, d) =>
              v ? (
                <Tooltip title={formatTime(d.checkedOutAt, i18n.language)}>
                  <Space size={4}>
                    <LockOutlined />
                    <StaffName id={v} />
                  </Space>
                </Tooltip>
              ) : (
                "—"
              ),
          },
          { title: t("files.fields.updatedAt"), dataIndex: "updatedAt", render: (v: string) => formatTime(v, i18n.language) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, d) => {
              const may = d.abilities;
              return (
                <Space wrap size={4}>
                  {may.preview && (
                    <Button size="small" icon={<EyeOutlined />} onClick={() => setDialog({ kind: "preview", document: d })}>
                      {t("files.actions.preview")}
                    </Button>
                  )}
                  {may.download && (
                    <Button size="small" icon={<DownloadOutlined />} loading={busy === `download-${d.id}`} onClick={() => void download(d)}>
                      {t("files.actions.download")}
                    </Button>
                  )}
                  {!may.download && may.downloadNeedsApproval && (
                    <Button size="small" icon={<AuditOutlined />} onClick={() => setDialog({ kind: "approval", document: d, approval: "copy_document" })}>
                      {t("files.actions.requestCopy")}
                    </Button>
                  )}
                  {mayShare(d, me.permissions) && (
                    <Button size="small" icon={<SendOutlined />} onClick={() => setDialog({ kind: "share", document: d })}>
                      {t("files.actions.share")}
                    </Button>
                  )}
                  <MoreActions
                    document={d}
                    busy={busy?.endsWith(d.id) ?? false}
                    onPick={(action) => {
                      if (action === "check-out" || action === "check-in") void lock(d, action);
                      else setDialog({ kind: action, document: d });
                    }}
                  />
                </Space>
              );
            },
          },
        ]}
      />{" "}
      {dialog?.kind === "preview" && (
        <PreviewModal
          documentId={dialog.document.id}
          version={dialog.version}
          title={dialog.version ? t("files.preview.titleVersion", { title: titleOf(dialog.document), version: dialog.version }) : titleOf(dialog.document)}
          onClose={close}
        />
      )}
      {dialog?.kind === "versions" && (
        <VersionsDrawer
          documentId={dialog.document.id}
          onClose={close}
          onPreview={(version) => setDialog({ kind: "preview", document: dialog.document, version })}
          onDownload={(version) => void download(dialog.document, version)}
        />
      )}
      {dialog?.kind === "newVersion" && (
        <NewVersionDialog
          document={dialog.document}
          onClose={close}
          onUploaded={() => {
            close();
            list.reload();
          }}
        />
      )}
      {dialog?.kind === "redact" && (
        <RedactDialog
          document={dialog.document}
          onClose={close}
          onMade={() => {
            close();
            list.reload();
          }}
        />
      )}
      {dialog?.kind === "share" && (
        <ShareDialog
          document={dialog.document}
          onClose={close}
          onRequestApproval={() => setDialog({ kind: "approval", document: dialog.document, approval: "forward_document" })}
        />
      )}
      <ApprovalDialog
        open={dialog?.kind === "approval"}
        kind={dialog?.kind === "approval" ? dialog.approval : "copy_document"}
        clientId={clientId}
        matterId={dialog?.document.matterId ?? matterId ?? null}
        onClose={close}
      />
    </div>
  );
}
