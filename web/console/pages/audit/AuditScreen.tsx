import { AuditOutlined, DownloadOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, DatePicker, Descriptions, Flex, Form, Row, Select, Space, Switch, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { useCodeLabel, useCodeOptions } from "../../../shared/codes";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { ClientPicker, StaffLookupPicker } from "../../../shared/pickers";
import { StaffName } from "../../../shared/Staff";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useCursorList } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import { usePurposes } from "../clients/purposes";
import type { Screen } from "../registry";
import { auditPage } from "./auditPage";
import { toCsv } from "./csv";
import { downloadText } from "./download";
import { TargetRef } from "./TargetRef";

/** GET /audit (src/http/routes/audit.ts). */
export interface AuditEvent {
  seq: number;
  /** Null while pending: recorded, not yet placed in the log and signed. */
  position: number | null;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  purpose: string | null;
  outcome: string;
  reason: string | null;
  requestId: string | null;
  details: unknown;
}
interface Verification {
  ok: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  verifiedAt: string;
  firstBad: { seq: number; problem: string } | null;
}
interface Filters {
  actorId?: string;
  clientId?: string;
  action?: string;
  outcome?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  hideRoutine?: boolean;
}

const PAGE = 100;
const OUTCOMES = ["success", "denied", "failure"] as const;
const OUTCOME_COLOR: Record<string, string> = { success: "green", denied: "red", failure: "orange" };

function AuditPage() {
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <VerifyCard />
      <Explorer />
    </Space>
  );
}

/** Opening the screen accepts a check this recent; "Verify now" always asks for a new one. */
const RECENT_CHECK_SECONDS = 300;

/**
 * The hash chain and the signed checkpoints, checked on the server as `custodia audit verify` does
 * (off its request thread, one check at a time; the answer says when its check ran).
 */
function VerifyCard() {
  const { t, i18n } = useTranslation();
  const [forced, setForced] = useState(0);
  const check = useLoad(async () => {
    const askedAt = Date.now();
    const v = await api.get<Verification>(`/audit/verify${query({ maxAgeSeconds: forced > 0 ? 0 : RECENT_CHECK_SECONDS })}`);
    return { ...v, earlier: Date.parse(v.verifiedAt) < askedAt - 5_000 };
  }, [forced]);
  const v = check.data;
  return (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined />
          {t("audit.verify.title")}
        </Space>
      }
      extra={
        <Button onClick={() => setForced((n) => n + 1)} loading={check.loading} data-testid="verify-now">
          {t("audit.verify.now")}
        </Button>
      }
      data-testid="audit-verify"
    >
      {check.error ? (
        <Alert type="error" showIcon title={t("audit.verify.failed")} description={messageOf(check.error)} />
      ) : !v ? (
        <Typography.Text type="secondary">{t("audit.verify.running")}</Typography.Text>
      ) : (
        <Descriptions size="small" column={{ xs: 1, md: 4 }}>
          <Descriptions.Item label={t("audit.verify.status")}>
            {v.ok ? (
              <Tag color="green" data-testid="verify-status">
                {t("audit.verify.ok")}
              </Tag>
            ) : (
              <Tag color="red" data-testid="verify-status">
                {t("audit.verify.broken")}
              </Tag>
            )}
          </Descriptions.Item>
          {v.firstBad && (
            <Descriptions.Item label={t("audit.verify.firstBad")}>
              #{v.firstBad.seq} · {t(`audit.verify.problems.${v.firstBad.problem}`)}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t("audit.verify.events")}>{v.eventsChecked}</Descriptions.Item>
          <Descriptions.Item label={t("audit.verify.checkpoints")}>{v.checkpointsChecked}</Descriptions.Item>
          <Descriptions.Item label={t("audit.verify.at")}>
            <span data-testid="verified-at">{formatTime(v.verifiedAt, i18n.language)}</span>
            {v.earlier && <Typography.Text type="secondary"> · {t("audit.verify.earlier")}</Typography.Text>}
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

function Explorer() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  // A new filters object (search, reset) starts again from the newest event.
  const list = useCursorList(
    (cursor) => {
      const [from, to] = filters.range ?? [];
      // Times go to the API in UTC ISO form; the picker shows them in the browser's zone.
      return auditPage<AuditEvent>(
        (before) =>
          api.get(
            `/audit${query({
              actorId: filters.actorId,
              clientId: filters.clientId,
              action: filters.action,
              outcome: filters.outcome,
              routine: filters.hideRoutine ? "hide" : undefined,
              from: from?.toDate().toISOString(),
              to: to?.toDate().toISOString(),
              before,
              limit: PAGE,
            })}`,
          ),
        cursor,
      );
    },
    [filters],
  );
  const rows = list.items;
  const loading = list.loading;

  const time = (v: string) => formatTime(v, i18n.language);
  const label = useCodeLabel();
  const actionOptions = useCodeOptions("action");
  const staff = useStaffNames();
  const purposes = usePurposes();

  // Codes stay as the API spells them (for matching and scripts), each with its label beside it;
  // the actor is named, never an id. Target ids stay: a client's name would be personal data.
  const exportCsv = () => {
    const header = [
      "seq",
      "at_utc",
      "actor_role",
      "actor",
      "action",
      "action_label",
      "target_type",
      "target_id",
      "purpose",
      "outcome",
      "reason",
      "reason_label",
      "request_id",
    ];
    const body = rows.map((r) => [
      r.seq,
      r.at,
      r.actorRole,
      r.actorId ? staff.name(r.actorId) : "",
      r.action,
      label("action", r.action),
      r.targetType,
      r.targetId,
      r.purpose,
      r.outcome,
      r.reason,
      r.reason ? label("reason", r.reason) : "",
      r.requestId,
    ]);
    downloadText(toCsv(header, body), `custodia-audit-${new Date().toISOString().replace(/[:.]/g, "-")}.csv`);
  };

  return (
    <Card
      title={
        <Space>
          <AuditOutlined />
          {t("audit.title")}
        </Space>
      }
      extra={
        <Button icon={<DownloadOutlined />} disabled={rows.length === 0} onClick={exportCsv} data-testid="audit-export">
          {t("audit.export", { count: rows.length })}
        </Button>
      }
    >
      <Form<Filters> form={form} layout="vertical" onFinish={(values) => setFilters({ ...values })}>
        <Row gutter={16}>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="actorId" label={t("audit.filters.actor")}>
              <StaffLookupPicker allowClear data-testid="filter-actor" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={5}>
            <Form.Item name="clientId" label={t("audit.filters.client")}>
              <ClientPicker allowClear data-testid="filter-client" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="action" label={t("audit.filters.action")}>
              <Select
                allowClear
                options={actionOptions}
                placeholder={t("audit.filters.actionHint")}
                data-testid="filter-action"
                // Typed text matches the label or the code, so "client.read" still finds 查看客户.
                showSearch={{
                  filterOption: (input, option) => {
                    const q = input.trim().toLowerCase();
                    return (
                      String(option?.label ?? "")
                        .toLowerCase()
                        .includes(q) || String(option?.value ?? "").includes(q)
                    );
                  },
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={3}>
            <Form.Item name="outcome" label={t("audit.filters.outcome")}>
              <Select allowClear data-testid="filter-outcome" options={OUTCOMES.map((o) => ({ value: o, label: label("outcome", o) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16} lg={8}>
            <Form.Item name="range" label={t("audit.filters.range")}>
              <DatePicker.RangePicker showTime style={{ width: "100%" }} allowEmpty={[true, true]} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="hideRoutine" valuePropName="checked" label={t("audit.filters.hideRoutine")} tooltip={t("audit.filters.hideRoutineHelp")}>
          <Switch data-testid="filter-hide-routine" />
        </Form.Item>
        <Flex gap={8} justify="flex-end" style={{ marginBottom: 16 }}>
          <Button
            onClick={() => {
              form.resetFields();
              setFilters({});
            }}
          >
            {t("common.reset")}
          </Button>
          <Button type="primary" htmlType="submit" loading={loading} data-testid="audit-search">
            {t("common.search")}
          </Button>
        </Flex>
      </Form>
      {list.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("audit.loadFailed")} description={list.error} />}
      <Table<AuditEvent>
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="audit-table"
        columns={[
          {
            title: t("audit.columns.seq"),
            dataIndex: "seq",
            width: 90,
            render: (seq: number, r) =>
              r.position === null ? (
                <Space size={4}>
                  {seq}
                  <Tag color="gold">{t("audit.pending")}</Tag>
                </Space>
              ) : (
                seq
              ),
          },
          { title: t("audit.columns.at"), dataIndex: "at", width: 150, render: time },
          {
            title: t("audit.columns.actor"),
            key: "actor",
            width: 180,
            render: (_, r) =>
              r.actorRole || r.actorId ? (
                <Space orientation="vertical" size={0}>
                  {r.actorRole && <Tag>{label("role", r.actorRole)}</Tag>}
                  <StaffName id={r.actorId} copyable />
                </Space>
              ) : (
                <Typography.Text type="secondary">{t("audit.system")}</Typography.Text>
              ),
          },
          {
            title: t("audit.columns.action"),
            dataIndex: "action",
            render: (v: string) => <Typography.Text title={v}>{label("action", v)}</Typography.Text>,
          },
          { title: t("audit.columns.target"), key: "target", render: (_, r) => <TargetRef type={r.targetType} id={r.targetId} /> },
          { title: t("audit.columns.purpose"), dataIndex: "purpose", render: (v: string | null) => purposes.nameOf(v) },
          {
            title: t("audit.columns.outcome"),
            dataIndex: "outcome",
            width: 90,
            render: (v: string) => <Tag color={OUTCOME_COLOR[v]}>{label("outcome", v)}</Tag>,
          },
          { title: t("audit.columns.reason"), dataIndex: "reason", render: (v: string | null) => (v ? label("reason", v) : "—") },
        ]}
      />
      <Flex justify="center" align="center" gap={16} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="audit-count">
          {t("audit.loaded", { count: rows.length })}
        </Typography.Text>
        {list.hasMore && (
          <Button onClick={list.more} loading={loading}>
            {t("common.loadMore")}
          </Button>
        )}
      </Flex>
    </Card>
  );
}

export const auditScreen: Screen = {
  key: "audit",
  icon: <AuditOutlined />,
  order: 60,
  group: "oversight",
  permission: "audit.read",
  component: AuditPage,
};
