import { AuditOutlined } from "@ant-design/icons";
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, purpose, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { ClientPicker, MatterPicker, RecordChip } from "../../../shared/pickers";
import { UUID } from "../../../shared/ids";
import { navigate } from "../../../shared/router";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { byDate, filterBy, openableRow, paging } from "../../../shared/tables";

const KINDS = ["export", "read_sensitive", "bulk_read", "copy_document", "forward_document", "disclose"] as const;
const JUSTIFICATIONS = [
  "court_filing",
  "client_instruction",
  "regulator_request",
  "due_diligence",
  "litigation_hold",
  "internal_investigation",
  "other",
] as const;
const APPROVAL_REFERENCE = /^[A-Za-z0-9._:/-]{1,64}$/;
/** Grant durations offered (the API takes 5 minutes to 30 days). */
const DURATIONS = [15, 60, 240, 480, 1440, 4320, 10080, 43200] as const;

interface Decision {
  slot: "supervisor" | "compliance" | "approver";
  approverId: string;
  decision: "approve" | "reject";
  decidedAt: string;
}
interface Grant {
  id: string;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  current: boolean;
}
interface Approval {
  id: string;
  requesterId: string;
  kind: string;
  /** Null for a role grant (a role at L3+ for a staff member, filed by user administration). */
  clientId: string | null;
  subjectId: string | null;
  role: string | null;
  matterId: string | null;
  purpose: string;
  justification: string;
  reference: string | null;
  durationMinutes: number;
  status: "pending" | "approved" | "rejected";
  createdAt: string;
  decidedAt: string | null;
  decisions: Decision[];
  grant: Grant | null;
}
interface Kpi {
  from: string;
  to: string;
  sensitiveOperations: number;
  withValidGrant: number;
  value: number | null;
  breakGlassReads: number;
  byKind: Record<"export" | "read_sensitive" | "disclose", { total: number; withGrant: number }>;
}
interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Approvals (审批): my requests and those I may decide, one request with its decisions and grant, a new request. */
function ApprovalsPage({ params }: { params: string[] }) {
  const [first, second, third] = params;
  if (first && UUID.test(first)) return <ApprovalDetail id={first} />;
  const prefill =
    first === "new" ? { clientId: second && UUID.test(second) ? second : undefined, matterId: third && UUID.test(third) ? third : undefined } : undefined;
  return <Inbox prefill={prefill} />;
}

export function useDuration() {
  const { t } = useTranslation();
  return (minutes: number) =>
    minutes % 1440 === 0
      ? t("approvals.duration.days", { count: minutes / 1440 })
      : minutes % 60 === 0
        ? t("approvals.duration.hours", { count: minutes / 60 })
        : t("approvals.duration.minutes", { count: minutes });
}

function StatusTag({ status }: { status: Approval["status"] }) {
  const { t } = useTranslation();
  return <Tag color={status === "approved" ? "green" : status === "rejected" ? "red" : "gold"}>{t(`approvals.status.${status}`)}</Tag>;
}

function GrantCell({ grant }: { grant: Grant | null }) {
  const { t, i18n } = useTranslation();
  if (!grant) return <Typography.Text type="secondary">—</Typography.Text>;
  if (grant.revokedAt) return <Tag>{t("approvals.grant.revoked")}</Tag>;
  return (
    <Space size={4}>
      {formatTime(grant.expiresAt, i18n.language)}
      {grant.current ? <Tag color="green">{t("approvals.grant.current")}</Tag> : <Tag>{t("approvals.grant.expired")}</Tag>}
    </Space>
  );
}

/** The approval-compliance KPI for roles that may read it; nothing for the others. */
function KpiCard() {
  const { t } = useTranslation();
  const kpi = useLoad(() => {
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    return api.get<Kpi>(`/kpis/approval-compliance${query({ from: from.toISOString(), to: to.toISOString() })}`);
  }, []);
  if (!kpi.data) return null;
  const k = kpi.data;
  return (
    <Card title={t("approvals.kpi.title")} data-testid="approval-kpi">
      <Row gutter={24} align="middle">
        <Col>
          {k.value === null ? (
            <Space orientation="vertical" align="center">
              <Progress aria-label={t("approvals.kpi.title")} type="circle" percent={0} format={() => "—"} status="normal" />
              <Typography.Text type="secondary">{t("approvals.kpi.none")}</Typography.Text>
            </Space>
          ) : (
            <Progress
              aria-label={t("approvals.kpi.title")}
              type="circle"
              percent={Math.round(k.value * 1000) / 10}
              status={k.value >= 0.99 ? "success" : k.value >= 0.9 ? "normal" : "exception"}
              format={(p) => `${p}%`}
            />
          )}
        </Col>
        <Col flex="auto">
          <Typography.Paragraph type="secondary">{t("approvals.kpi.help")}</Typography.Paragraph>
          <Space size="large" wrap>
            <Statistic title={t("approvals.kpi.operations")} value={k.sensitiveOperations} />
            <Statistic title={t("approvals.kpi.withGrant")} value={k.withValidGrant} />
            {(["export", "read_sensitive", "disclose"] as const).map((kind) => (
              <Statistic key={kind} title={t(`approvals.kind.${kind}`)} value={`${k.byKind[kind].withGrant} / ${k.byKind[kind].total}`} />
            ))}
            <Statistic title={t("approvals.kpi.breakGlass")} value={k.breakGlassReads} />
          </Space>
        </Col>
      </Row>
    </Card>
  );
}

function ApprovalTable({ scope }: { scope: "mine" | "to_decide" }) {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  const list = useLoad(() => api.get<{ items: Approval[] }>(`/approvals${query({ scope })}`), [scope]);
  const rows = list.data?.items ?? [];
  return (
    <>
      {list.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={messageOf(list.error)} />}
      <Table<Approval>
        data-testid={`approvals-${scope}`}
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={rows}
        pagination={paging()}
        locale={{ emptyText: t(scope === "mine" ? "approvals.list.emptyMine" : "approvals.list.emptyToDecide") }}
        onRow={openableRow((row) => navigate(`approvals/${row.id}`))}
        columns={[
          {
            title: t("approvals.kindLabel"),
            dataIndex: "kind",
            ...filterBy(
              rows,
              (r) => r.kind,
              (c) => t(`approvals.kind.${c}`),
            ),
            render: (v: string, row) => <a href={`#/approvals/${row.id}`}>{t(`approvals.kind.${v}`)}</a>,
          },
          ...(scope === "to_decide" ? [{ title: t("approvals.requester"), dataIndex: "requesterId", render: (v: string) => <StaffName id={v} /> }] : []),
          {
            title: t("approvals.client"),
            dataIndex: "clientId",
            render: (v: string | null, row) => (row.subjectId ? <RoleGrantTarget approval={row} /> : <RecordChip kind="client" id={v} />),
          },
          {
            title: t("approvals.justificationLabel"),
            dataIndex: "justification",
            ...filterBy(
              rows,
              (r) => r.justification,
              (c) => t(`approvals.justification.${c}`),
            ),
            render: (v: string) => t(`approvals.justification.${v}`),
          },
          // A role grant does not expire: no duration.
          { title: t("approvals.durationLabel"), dataIndex: "durationMinutes", render: (v: number, row) => (row.subjectId ? "—" : duration(v)) },
          {
            title: t("approvals.statusLabel"),
            dataIndex: "status",
            ...filterBy(
              rows,
              (r) => r.status,
              (c) => t(`approvals.status.${c}`),
            ),
            render: (v: Approval["status"]) => <StatusTag status={v} />,
          },
          { title: t("approvals.createdAt"), dataIndex: "createdAt", sorter: byDate((r) => r.createdAt), render: (v: string) => formatTime(v, i18n.language) },
          { title: t("approvals.grant.expiresAt"), dataIndex: "grant", render: (v: Grant | null) => <GrantCell grant={v} /> },
        ]}
      />
    </>
  );
}

function Inbox({ prefill }: { prefill: { clientId: string | undefined; matterId: string | undefined } | undefined }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<"mine" | "to_decide">("mine");
  const [asking, setAsking] = useState(prefill !== undefined);
  const [generation, setGeneration] = useState(0);
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <KpiCard />
      <Card
        title={t("approvals.list.title")}
        extra={
          <Button type="primary" onClick={() => setAsking(true)}>
            {t("approvals.list.request")}
          </Button>
        }
      >
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as typeof tab)}
          items={[
            { key: "mine", label: t("approvals.list.mine"), children: <ApprovalTable key={`m${generation}`} scope="mine" /> },
            { key: "to_decide", label: t("approvals.list.toDecide"), children: <ApprovalTable key={`d${generation}`} scope="to_decide" /> },
          ]}
        />
      </Card>
      <RequestApproval
        open={asking}
        prefill={prefill}
        onClose={() => {
          setAsking(false);
          if (prefill) navigate("approvals");
        }}
        onDone={(a) => {
          setAsking(false);
          setGeneration((g) => g + 1);
          navigate(`approvals/${a.id}`);
        }}
      />
    </Space>
  );
}

interface RequestForm {
  kind: string;
  clientId: string;
  matterId?: string;
  purpose: string;
  justification: string;
  reference?: string;
  durationMinutes: number;
}

function RequestApproval({
  open,
  prefill,
  onClose,
  onDone,
}: {
  open: boolean;
  prefill: { clientId: string | undefined; matterId: string | undefined } | undefined;
  onClose: () => void;
  onDone: (a: Approval) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const duration = useDuration();
  const purposes = useLoad(() => api.get<{ items: Purpose[] }>("/purposes"), []);
  const [form] = Form.useForm<RequestForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: RequestForm) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        kind: v.kind,
        clientId: v.clientId.trim(),
        purpose: v.purpose,
        justification: v.justification,
        durationMinutes: v.durationMinutes,
        ...(v.matterId?.trim() ? { matterId: v.matterId.trim() } : {}),
        ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
      };
      const created = await api.post<Approval>("/approvals", body);
      void message.success(t("approvals.request.done"));
      onDone(created);
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("approvals.request.title")}
      okText={t("approvals.request.submit")}
      okButtonProps={{ loading: busy }}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={600}
      destroyOnHidden
    >
      {error && <Alert data-testid="approval-request-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form<RequestForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          kind: "export",
          clientId: prefill?.clientId,
          matterId: prefill?.matterId,
          purpose: purpose() ?? undefined,
          justification: "client_instruction",
          durationMinutes: 60,
        }}
        onFinish={submit}
      >
        <Form.Item
          name="kind"
          label={t("approvals.kindLabel")}
          extra={t("approvals.request.kindHelp")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Select options={KINDS.map((k) => ({ value: k, label: t(`approvals.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="clientId" label={t("approvals.client")} rules={[{ required: true, message: t("common.required") }]}>
          <ClientPicker />
        </Form.Item>
        <Form.Item name="matterId" label={t("approvals.matter")}>
          <MatterPicker allowClear />
        </Form.Item>
        <Form.Item name="purpose" label={t("approvals.purposeLabel")} rules={[{ required: true, message: t("common.required") }]}>
          <Select
            loading={purposes.loading}
            options={(purposes.data?.items ?? []).map((p) => ({ value: p.code, label: i18n.language === "en" ? p.nameEn : p.nameZh }))}
          />
        </Form.Item>
        <Form.Item name="justification" label={t("approvals.justificationLabel")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={JUSTIFICATIONS.map((j) => ({ value: j, label: t(`approvals.justification.${j}`) }))} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t("approvals.reference")}
          extra={t("approvals.request.referenceHelp")}
          rules={[{ pattern: APPROVAL_REFERENCE, message: t("approvals.request.referenceFormat") }]}
        >
          <Input placeholder="TICKET-2026-0042" />
        </Form.Item>
        <Form.Item name="durationMinutes" label={t("approvals.durationLabel")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={DURATIONS.map((m) => ({ value: m, label: duration(m) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApprovalDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const duration = useDuration();
  const loaded = useLoad(() => api.get<Approval>(`/approvals/${id}`), [id]);
  const purposes = useLoad(() => api.get<{ items: Purpose[] }>("/purposes"), []);
  const purposeName = (code: string) => {
    const p = purposes.data?.items.find((x) => x.code === code);
    return p ? (i18n.language === "en" ? p.nameEn : p.nameZh) : code;
  };
  const [current, setCurrent] = useState<Approval | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const a = current?.id === id ? current : loaded.data;
  const time = (v: string | null) => formatTime(v, i18n.language);
  const roleName = (r: string) => (i18n.exists(`roles.${r}`) ? t(`roles.${r}`) : r);

  const decide = async (decision: "approve" | "reject") => {
    setBusy(decision);
    setError(null);
    try {
      setCurrent(await api.post<Approval>(`/approvals/${id}/${decision}`));
      void message.success(t(decision === "approve" ? "approvals.detail.approved" : "approvals.detail.rejected"));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  if (loaded.loading && !a) return <Spin />;
  if (!a)
    return (
      <Result
        status="warning"
        title={t("approvals.detail.unavailable")}
        subTitle={messageOf(loaded.error)}
        extra={<Button onClick={() => navigate("approvals")}>{t("approvals.backToList")}</Button>}
      />
    );
  const grant = a.grant;
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={
          <Space>
            {t(`approvals.kind.${a.kind}`)}
            <span data-testid="approval-status">
              <StatusTag status={a.status} />
            </span>
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate("approvals")}>{t("approvals.backToList")}</Button>
            {a.status === "pending" && (
              <>
                <Popconfirm title={t("approvals.detail.rejectConfirm")} okButtonProps={{ danger: true }} onConfirm={() => decide("reject")}>
                  <Button danger loading={busy === "reject"}>
                    {t("approvals.detail.reject")}
                  </Button>
                </Popconfirm>
                <Popconfirm
                  title={
                    a.subjectId
                      ? t("approvals.roleGrant.approveConfirm", { role: roleName(a.role ?? "") })
                      : t("approvals.detail.approveConfirm", { duration: duration(a.durationMinutes) })
                  }
                  onConfirm={() => decide("approve")}
                >
                  <Button type="primary" loading={busy === "approve"}>
                    {t("approvals.detail.approve")}
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        }
      >
        {error && (
          <Alert data-testid="approval-error" style={{ marginBottom: 16 }} type="error" showIcon closable title={error} onClose={() => setError(null)} />
        )}
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t("approvals.requester")}>
            <StaffName id={a.requesterId} />
          </Descriptions.Item>
          <Descriptions.Item label={t("approvals.kindLabel")}>{t(`approvals.kind.${a.kind}`)}</Descriptions.Item>
          {a.subjectId ? (
            <Descriptions.Item label={t("approvals.roleGrant.subject")}>
              <RoleGrantTarget approval={a} />
            </Descriptions.Item>
          ) : (
            <Descriptions.Item label={t("approvals.client")}>
              <RecordChip kind="client" id={a.clientId} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t("approvals.matter")}>{a.matterId ? <RecordChip kind="matter" id={a.matterId} /> : "—"}</Descriptions.Item>
          <Descriptions.Item label={t("approvals.purposeLabel")}>{purposeName(a.purpose)}</Descriptions.Item>
          <Descriptions.Item label={t("approvals.justificationLabel")}>{t(`approvals.justification.${a.justification}`)}</Descriptions.Item>
          <Descriptions.Item label={t("approvals.reference")}>{a.reference ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("approvals.durationLabel")}>{a.subjectId ? "—" : duration(a.durationMinutes)}</Descriptions.Item>
          <Descriptions.Item label={t("approvals.createdAt")}>{time(a.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t("approvals.decidedAt")}>{time(a.decidedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("approvals.detail.decisions")}>
        <Table<Decision>
          data-testid="approval-decisions"
          rowKey={(d) => `${d.slot}-${d.approverId}`}
          size="small"
          pagination={paging({ quiet: true })}
          dataSource={a.decisions}
          locale={{ emptyText: t("approvals.detail.noDecisions") }}
          columns={[
            { title: t("approvals.detail.slot"), dataIndex: "slot", render: (v: string) => t(`approvals.slot.${v}`) },
            { title: t("approvals.detail.approver"), dataIndex: "approverId", render: (v: string) => <StaffName id={v} /> },
            {
              title: t("approvals.detail.decision"),
              dataIndex: "decision",
              render: (v: "approve" | "reject") => <Tag color={v === "approve" ? "green" : "red"}>{t(`approvals.decision.${v}`)}</Tag>,
            },
            { title: t("approvals.detail.decidedAt"), dataIndex: "decidedAt", render: time },
          ]}
        />
      </Card>
      <Card title={t("approvals.grant.title")}>
        {!grant ? (
          <Typography.Text type="secondary">{t(a.status === "pending" ? "approvals.grant.pending" : "approvals.grant.none")}</Typography.Text>
        ) : (
          <Row gutter={24} data-testid="approval-grant">
            <Col>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t("approvals.grant.startsAt")}>{time(grant.startsAt)}</Descriptions.Item>
                <Descriptions.Item label={t("approvals.grant.expiresAt")}>
                  <span data-testid="grant-expires">{time(grant.expiresAt)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t("approvals.statusLabel")}>
                  {grant.revokedAt ? (
                    <Tag>{t("approvals.grant.revokedAt", { time: time(grant.revokedAt) })}</Tag>
                  ) : grant.current ? (
                    <Tag color="green">{t("approvals.grant.current")}</Tag>
                  ) : (
                    <Tag>{t("approvals.grant.expired")}</Tag>
                  )}
                </Descriptions.Item>
              </Descriptions>
            </Col>
            {grant.current && !grant.revokedAt && (
              <Col>
                <Statistic.Timer
                  data-testid="grant-countdown"
                  type="countdown"
                  title={t("approvals.grant.remaining")}
                  value={new Date(grant.expiresAt).getTime()}
                  format={new Date(grant.expiresAt).getTime() - Date.now() > 86_400_000 ? t("approvals.grant.countdownDays") : "HH:mm:ss"}
                  onFinish={() => {
                    setCurrent(null);
                    loaded.reload();
                  }}
                />
              </Col>
            )}
          </Row>
        )}
      </Card>
    </Space>
  );
}

/** A role grant names a staff member and the role asked for, not a client. */
function RoleGrantTarget({ approval }: { approval: Approval }) {
  const { t, i18n } = useTranslation();
  const role = approval.role ?? "";
  return (
    <Space size={4} data-testid="role-grant-target">
      <StaffName id={approval.subjectId!} />
      <Typography.Text type="secondary">→</Typography.Text>
      <Tag color="blue">{i18n.exists(`roles.${role}`) ? t(`roles.${role}`) : role}</Tag>
    </Space>
  );
}

export const approvalsScreen: Screen = { key: "approvals", icon: <AuditOutlined />, order: 40, group: "business", component: ApprovalsPage };
