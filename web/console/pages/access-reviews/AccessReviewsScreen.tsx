import { AuditOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Progress, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { IdText } from "../../../shared/IdText";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { paging } from "../../../shared/tables";

interface ProgressInfo {
  total: number;
  decided: number;
  kept: number;
  revoked: number;
  notReviewed: number;
  pending: number;
  overdue: boolean;
}
interface Campaign {
  id: string;
  name: string;
  dueOn: string;
  status: "open" | "closed";
  startedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  progress: ProgressInfo;
}
interface Item {
  id: string;
  campaignId: string;
  kind: "matter_member" | "grant" | "role";
  subjectUserId: string;
  reviewerPool: "user" | "compliance";
  matterId: string | null;
  matterNumber: string | null;
  grantId: string | null;
  clientId: string | null;
  access: string;
}

const DECISION_REASONS = ["still_needed", "left_matter", "role_changed", "left_firm", "excessive", "no_longer_needed", "other"] as const;
const CLOSE_REASONS = ["deadline_passed", "reviewer_unavailable", "superseded", "other"] as const;

/** Access reviews (IAM-4): compliance runs campaigns; everyone decides the items assigned to them. */
function AccessReviewsPage() {
  const { me } = useSession();
  // A new campaign puts new items in the caller's own list (compliance reviews some itself).
  const [generation, setGeneration] = useState(0);
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      {me.permissions.includes("access_review.manage") && <Campaigns onChanged={() => setGeneration((g) => g + 1)} />}
      <MyItems generation={generation} />
    </Space>
  );
}

function Campaigns({ onChanged }: { onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const campaigns = useLoad(() => api.get<{ items: Campaign[] }>("/access-reviews"), []);
  const [starting, setStarting] = useState(false);
  const [closing, setClosing] = useState<Campaign | null>(null);
  return (
    <Card
      title={t("access-reviews.campaigns.title")}
      extra={
        <Space>
          <Button onClick={campaigns.reload}>{t("common.refresh")}</Button>
          <Button type="primary" onClick={() => setStarting(true)}>
            {t("access-reviews.campaigns.start")}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("access-reviews.campaigns.help")}</Typography.Paragraph>
      {campaigns.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={messageOf(campaigns.error)} />}
      <Table<Campaign>
        data-testid="review-campaigns"
        rowKey="id"
        size="small"
        loading={campaigns.loading}
        dataSource={campaigns.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: t("access-reviews.campaigns.empty") }}
        columns={[
          { title: t("access-reviews.campaigns.name"), dataIndex: "name" },
          {
            title: t("access-reviews.campaigns.dueOn"),
            dataIndex: "dueOn",
            render: (v: string, row) => (
              <Space>
                {v}
                {row.progress.overdue && <Tag color="red">{t("access-reviews.campaigns.overdue")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.status"),
            dataIndex: "status",
            render: (v: string, row) => (
              <Space>
                <Tag color={v === "open" ? "blue" : "default"}>{t(`access-reviews.status.${v}`)}</Tag>
                {row.closeReason && <Typography.Text type="secondary">{t(`access-reviews.closeReason.${row.closeReason}`)}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t("access-reviews.campaigns.progress"),
            key: "progress",
            render: (_, row) => (
              <Space direction="vertical" size={0} style={{ minWidth: 200 }}>
                <Progress
                  aria-label={t("access-reviews.campaigns.progress")}
                  size="small"
                  percent={row.progress.total ? Math.round((row.progress.decided / row.progress.total) * 100) : 100}
                />
                <Typography.Text type="secondary" data-testid="review-progress">
                  {t("access-reviews.campaigns.counts", {
                    decided: row.progress.decided,
                    total: row.progress.total,
                    revoked: row.progress.revoked,
                    notReviewed: row.progress.notReviewed,
                  })}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("access-reviews.campaigns.startedAt"), dataIndex: "startedAt", render: (v: string) => formatTime(v, i18n.language) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, row) =>
              row.status === "open" && (
                <Button size="small" onClick={() => setClosing(row)}>
                  {t("access-reviews.campaigns.close")}
                </Button>
              ),
          },
        ]}
      />
      <StartModal
        open={starting}
        onClose={() => setStarting(false)}
        onDone={() => {
          setStarting(false);
          campaigns.reload();
          onChanged();
        }}
      />
      <CloseModal
        campaign={closing}
        onClose={() => setClosing(null)}
        onDone={() => {
          setClosing(null);
          campaigns.reload();
          onChanged();
        }}
      />
    </Card>
  );
}

function StartModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ name: string; dueOn: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={t("access-reviews.campaigns.startTitle")}
      okText={t("access-reviews.campaigns.startSubmit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy }}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("access-reviews.campaigns.startHelp")}</Typography.Paragraph>
      {error && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const c = await api.post<Campaign>("/access-reviews", v);
            void message.success(t("access-reviews.campaigns.started", { total: c.progress.total }));
            onDone();
          } catch (e) {
            if (!showFieldErrors(form, e)) setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label={t("access-reviews.campaigns.name")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="dueOn" label={t("access-reviews.campaigns.dueOn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseModal({ campaign, onClose, onDone }: { campaign: Campaign | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason?: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = campaign?.progress.pending ?? 0;
  return (
    <Modal
      open={campaign !== null}
      title={t("access-reviews.campaigns.closeTitle")}
      okText={t("access-reviews.campaigns.close")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy, danger: pending > 0 }}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {pending > 0 ? t("access-reviews.campaigns.closePending", { pending }) : t("access-reviews.campaigns.closeDone")}
      </Typography.Paragraph>
      {error && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          if (!campaign) return;
          setBusy(true);
          setError(null);
          try {
            await api.post(`/access-reviews/${campaign.id}/close`, v.reason ? { reason: v.reason } : {});
            void message.success(t("access-reviews.campaigns.closed"));
            onDone();
          } catch (e) {
            if (!showFieldErrors(form, e)) setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {pending > 0 && (
          <Form.Item name="reason" label={t("access-reviews.campaigns.closeReasonLabel")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={CLOSE_REASONS.map((r) => ({ value: r, label: t(`access-reviews.closeReason.${r}`) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function MyItems({ generation }: { generation: number }) {
  const { t } = useTranslation();
  const items = useLoad(() => api.get<{ items: Item[] }>("/access-reviews/my-items"), [generation]);
  const [deciding, setDeciding] = useState<{ item: Item; decision: "keep" | "revoke" } | null>(null);
  return (
    <Card title={t("access-reviews.items.title")} extra={<Button onClick={items.reload}>{t("common.refresh")}</Button>}>
      <Typography.Paragraph type="secondary">{t("access-reviews.items.help")}</Typography.Paragraph>
      {items.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={messageOf(items.error)} />}
      <Table<Item>
        data-testid="review-items"
        rowKey="id"
        size="small"
        loading={items.loading}
        dataSource={items.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: t("access-reviews.items.empty") }}
        columns={[
          {
            title: t("access-reviews.items.kind"),
            dataIndex: "kind",
            render: (v: string, row) => (
              <Space>
                {t(`access-reviews.kind.${v}`)}
                {row.reviewerPool === "compliance" && <Tag>{t("access-reviews.items.compliancePool")}</Tag>}
              </Space>
            ),
          },
          { title: t("access-reviews.items.subject"), dataIndex: "subjectUserId", render: (v: string) => <StaffName id={v} /> },
          {
            title: t("access-reviews.items.access"),
            dataIndex: "access",
            render: (v: string, row) =>
              row.kind === "role" ? t(`roles.${v}`) : row.kind === "grant" ? t(`access-reviews.grantKind.${v}`) : t(`access-reviews.matterRole.${v}`),
          },
          {
            title: t("access-reviews.items.where"),
            key: "where",
            render: (_, row) =>
              row.kind === "matter_member" ? (
                <Typography.Text data-testid="review-matter">{row.matterNumber ?? "—"}</Typography.Text>
              ) : row.kind === "grant" ? (
                <IdText id={row.clientId} />
              ) : (
                "—"
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, row) => (
              <Space>
                <Button size="small" onClick={() => setDeciding({ item: row, decision: "keep" })}>
                  {t("access-reviews.decision.keep")}
                </Button>
                <Button size="small" danger onClick={() => setDeciding({ item: row, decision: "revoke" })}>
                  {t("access-reviews.decision.revoke")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <DecisionModal
        deciding={deciding}
        onClose={() => setDeciding(null)}
        onDone={() => {
          setDeciding(null);
          items.reload();
        }}
      />
    </Card>
  );
}

function DecisionModal({
  deciding,
  onClose,
  onDone,
}: {
  deciding: { item: Item; decision: "keep" | "revoke" } | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reasonCode?: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = deciding?.decision === "revoke";
  return (
    <Modal
      open={deciding !== null}
      title={t(revoke ? "access-reviews.decision.revokeTitle" : "access-reviews.decision.keepTitle")}
      okText={t("access-reviews.decision.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy, danger: revoke }}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      {revoke && (
        <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={deciding && t(`access-reviews.decision.revokeEffect.${deciding.item.kind}`)} />
      )}
      {error && <Alert data-testid="review-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          if (!deciding) return;
          setBusy(true);
          setError(null);
          try {
            await api.post(`/access-reviews/items/${deciding.item.id}/decision`, {
              decision: deciding.decision,
              ...(v.reasonCode ? { reasonCode: v.reasonCode } : {}),
            });
            void message.success(t("access-reviews.decision.recorded"));
            onDone();
          } catch (e) {
            if (!showFieldErrors(form, e)) setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="reasonCode" label={t("access-reviews.decision.reason")}>
          <Select allowClear options={DECISION_REASONS.map((r) => ({ value: r, label: t(`access-reviews.reason.${r}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export const accessReviewsScreen: Screen = { key: "access-reviews", icon: <AuditOutlined />, order: 80, group: "oversight", component: AccessReviewsPage };
