import { AlertOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Form, Modal, Radio, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { IdText } from "../../../shared/IdText";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { paging } from "../../../shared/tables";

interface BreakGlass {
  id: string;
  userId: string;
  clientId: string;
  justification: string;
  reference: string;
  openedAt: string;
  expiresAt: string;
  review: { status: "pending" | "accepted" | "rejected"; reviewerId: string | null; reviewedAt: string | null };
}

/** The compliance review queue for emergency (break-glass) accesses, each reviewed after the fact. */
function BreakGlassPage() {
  const { t, i18n } = useTranslation();
  const queue = useLoad(() => api.get<{ items: BreakGlass[] }>("/break-glass"), []);
  const [reviewing, setReviewing] = useState<BreakGlass | null>(null);
  const time = (v: string) => formatTime(v, i18n.language);
  return (
    <Card title={t("break-glass.title")} extra={<Button onClick={queue.reload}>{t("common.refresh")}</Button>}>
      <Typography.Paragraph type="secondary">{t("break-glass.help")}</Typography.Paragraph>
      {queue.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={messageOf(queue.error)} />}
      <Table<BreakGlass>
        data-testid="break-glass-queue"
        rowKey="id"
        size="small"
        loading={queue.loading}
        dataSource={queue.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: t("break-glass.empty") }}
        columns={[
          { title: t("break-glass.user"), dataIndex: "userId", render: (v: string) => <StaffName id={v} /> },
          { title: t("break-glass.client"), dataIndex: "clientId", render: (v: string) => <IdText id={v} /> },
          { title: t("break-glass.justificationLabel"), dataIndex: "justification", render: (v: string) => t(`break-glass.justification.${v}`) },
          { title: t("break-glass.reference"), dataIndex: "reference" },
          { title: t("break-glass.openedAt"), dataIndex: "openedAt", render: time },
          {
            title: t("break-glass.expiresAt"),
            dataIndex: "expiresAt",
            render: (v: string) => (
              <>
                {time(v)} {new Date(v).getTime() > Date.now() && <Tag color="red">{t("break-glass.active")}</Tag>}
              </>
            ),
          },
          {
            title: t("break-glass.reviewLabel"),
            key: "review",
            render: (_, row) => (
              <Tag color={row.review.status === "pending" ? "gold" : row.review.status === "accepted" ? "green" : "red"}>
                {t(`break-glass.outcome.${row.review.status}`)}
              </Tag>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, row) =>
              row.review.status === "pending" && (
                <Button size="small" type="primary" onClick={() => setReviewing(row)}>
                  {t("break-glass.review")}
                </Button>
              ),
          },
        ]}
      />
      <ReviewModal
        access={reviewing}
        onClose={() => setReviewing(null)}
        onDone={() => {
          setReviewing(null);
          queue.reload();
        }}
      />
    </Card>
  );
}

function ReviewModal({ access, onClose, onDone }: { access: BreakGlass | null; onClose: () => void; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ outcome: "accepted" | "rejected" }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={access !== null}
      title={t("break-glass.reviewTitle")}
      okText={t("break-glass.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy }}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      {access && (
        <Typography.Paragraph>
          {t("break-glass.reviewSummary", {
            justification: t(`break-glass.justification.${access.justification}`),
            reference: access.reference,
            openedAt: formatTime(access.openedAt, i18n.language),
          })}
        </Typography.Paragraph>
      )}
      {error && <Alert data-testid="break-glass-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          if (!access) return;
          setBusy(true);
          setError(null);
          try {
            await api.post(`/break-glass/${access.id}/review`, { outcome: v.outcome });
            void message.success(t("break-glass.reviewed"));
            onDone();
          } catch (e) {
            setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="outcome" label={t("break-glass.outcomeLabel")} rules={[{ required: true, message: t("common.required") }]}>
          <Radio.Group
            options={[
              { value: "accepted", label: t("break-glass.outcome.accepted") },
              { value: "rejected", label: t("break-glass.outcome.rejected") },
            ]}
          />
        </Form.Item>
        <Typography.Text type="secondary">{t("break-glass.outcomeHelp")}</Typography.Text>
      </Form>
    </Modal>
  );
}

export const breakGlassScreen: Screen = {
  key: "break-glass",
  icon: <AlertOutlined />,
  order: 45,
  group: "oversight",
  permission: "break_glass.review",
  component: BreakGlassPage,
};
