import { Alert, App as AntApp, Button, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { IdText } from "../../../shared/IdText";
import { StaffName } from "../../../shared/Staff";
import { useSession } from "../../session";
import { LevelTag } from "./Labels";
import { codeKey, isOpenShare, RECIPIENT_KINDS, SHARE_STATUSES, type Share } from "./model";
import { paging } from "../../../shared/tables";

const STATUS_COLOURS: Record<string, string> = { pending: "gold", active: "green", locked: "red" };

/**
 * Shares with their recipient, state and limits; one document's (in the share dialog) or the
 * firm's recipient register (`register`: with the document and client). Confirming an L4 share
 * (the second person) and revoking are offered where the state allows; the API decides who may.
 */
export function ShareTable({ items, register, onChanged }: { items: Share[]; register?: boolean; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (share: Share, action: "confirm" | "revoke") => {
    setBusy(`${action}-${share.id}`);
    setError(null);
    try {
      await api.post<Share>(`/shares/${share.id}/${action}`, {}, { purpose: true });
      void message.success(t(action === "confirm" ? "files.share.confirmed" : "files.share.revoked"));
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };
  const time = (v: string | null) => formatTime(v, i18n.language);
  return (
    <>
      {error && <Alert type="error" showIcon closable title={error} style={{ marginBottom: 8 }} onClose={() => setError(null)} />}
      <Table<Share>
        data-testid={register ? "share-register" : "share-list"}
        rowKey="id"
        size="small"
        pagination={register ? paging() : false}
        dataSource={items}
        scroll={{ x: true }}
        locale={{ emptyText: t("files.share.none") }}
        columns={[
          ...(register
            ? [
                {
                  title: t("files.trace.document"),
                  key: "document",
                  render: (_: unknown, s: Share) => (
                    <Space size={4}>
                      <LevelTag level={s.level} />
                      <a href={`#/clients/${s.clientId}`} title={s.documentId}>
                        {t("files.trace.openClient")}
                      </a>
                      {t("files.versions.number", { version: s.version })}
                    </Space>
                  ),
                },
              ]
            : []),
          {
            title: t("files.share.recipient"),
            key: "recipient",
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <span>
                  <Tag>{t(codeKey("recipientKinds", s.recipientKind, RECIPIENT_KINDS))}</Tag>
                  {s.recipient?.name ?? <Typography.Text type="secondary">{t("files.share.recipientGone")}</Typography.Text>}
                </span>
                {s.recipient?.organisation && <Typography.Text type="secondary">{s.recipient.organisation}</Typography.Text>}
                {s.recipient && <Typography.Text type="secondary">{s.recipient.email}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t("common.status"),
            dataIndex: "status",
            render: (v: string) => <Tag color={STATUS_COLOURS[v] ?? "default"}>{t(codeKey("shareStatuses", v, SHARE_STATUSES))}</Tag>,
          },
          { title: t("files.share.expiresAt"), dataIndex: "expiresAt", render: time },
          { title: t("files.share.downloads"), key: "downloads", render: (_, s) => `${s.downloads} / ${s.maxDownloads}` },
          { title: t("files.share.sharedBy"), dataIndex: "sharedBy", render: (v: string) => <StaffName id={v} /> },
          { title: t("files.share.createdAt"), dataIndex: "createdAt", render: time },
          ...(register ? [{ title: t("files.share.id"), dataIndex: "id", render: (v: string) => <IdText id={v} /> }] : []),
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, s) => (
              <Space size={4}>
                {/* The second person on an L4 share is never its sharer. */}
                {s.status === "pending" && s.sharedBy !== me.userId && (
                  <Popconfirm title={t("files.share.confirmConfirm")} onConfirm={() => act(s, "confirm")}>
                    <Button size="small" type="primary" loading={busy === `confirm-${s.id}`}>
                      {t("files.share.confirm")}
                    </Button>
                  </Popconfirm>
                )}
                {isOpenShare(s) && (
                  <Popconfirm title={t("files.share.revokeConfirm")} onConfirm={() => act(s, "revoke")} okButtonProps={{ danger: true }}>
                    <Button size="small" danger loading={busy === `revoke-${s.id}`}>
                      {t("files.share.revoke")}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
