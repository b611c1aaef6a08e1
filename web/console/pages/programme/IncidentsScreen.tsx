import { AlertOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useCallback, useEffect, useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { StaffName, StaffPicker } from "../../../shared/Staff";
import { DetectionRulesTab } from "./DetectionRulesTab";
import { IncidentCountdown } from "./IncidentCountdown";
import { ImpactUpdate, TeamMemberForm } from "./IncidentResponse";
import { type PartnerExposure, type PartnerNotice, PartnerNoticeCard } from "../partners/PartnerNoticeCard";
import type { Screen } from "../registry";
import { isoFromLocal, localFromIso, shortId, useLabels } from "./codes";
import { openableRow, paging } from "../../../shared/tables";

// Mirrors src/response/detection/rules.ts, src/response/incidents/incident.ts and src/platform/i18n/incident-notices.ts (the API validates).
const ALERT_STATUSES = ["new", "acknowledged", "dismissed", "escalated"] as const;
const DISMISS_REASONS = ["false_positive", "authorised_activity", "duplicate", "test", "other"] as const;
const CATEGORIES = ["unauthorised_access", "loss", "disclosure", "ransomware", "paper_file_loss", "other"] as const;
const CAUSES = [
  "credential_compromise",
  "insider_misuse",
  "misdirected_disclosure",
  "lost_device",
  "malware",
  "paper_file_lost",
  "system_fault",
  "under_investigation",
] as const;
const MEASURES = [
  "credentials_revoked",
  "sessions_revoked",
  "access_restricted",
  "recipient_asked_to_delete",
  "device_wiped",
  "systems_restored",
  "police_informed",
  "monitoring_increased",
] as const;
const INCIDENT_STATUSES = ["open", "contained", "investigating", "notifying", "closed"] as const;

interface AlertRow {
  id: string;
  kind: string;
  ruleCode: string | null;
  severity: string | null;
  userId: string | null;
  wallId: string | null;
  evidence: number[];
  facts: Record<string, number | string>;
  containment: string | null;
  status: string;
  statusAt: string | null;
  statusBy: string | null;
  dismissReason: string | null;
  incidentId: string | null;
  createdAt: string;
}
interface IncidentRow {
  id: string;
  source: string;
  category: string;
  cause: string;
  severity: string;
  status: string;
  peopleAffected: number;
  awareAt: string;
  alertId: string | null;
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
}
interface Incident {
  id: string;
  source: string;
  category: string;
  cause: string;
  measures: string[];
  impact: { peopleAffected: number; l4Involved: boolean; leftFirm: boolean; euSubjects: boolean };
  severity: string;
  status: string;
  awareAt: string;
  contact: string;
  alertId: string | null;
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
  timeline: { status: string; at: string; by: string }[];
  team: { userId: string; role: string; addedAt: string }[];
  /** What the caller may do with it (IncidentAbilitiesSchema). */
  abilities: { manage: boolean; evidence: boolean };
  tasks: { id: string; title: string; ownerId: string; dueAt: string; status: string; doneAt: string | null; overdue: boolean }[];
  affectedClients: { clientId: string; fields: string[]; exported: boolean }[];
  /** A partner's breach notice that opened it, and what the partner held (issue #13). */
  partnerNotices: PartnerNotice[];
  partnerExposures: PartnerExposure[];
  duties: {
    id: string;
    regime: string;
    recipient: string;
    dueAt: string;
    dueAtLocal: string;
    timeZone: string;
    status: string;
    doneAt: string | null;
    unverified: boolean;
    remainingMs: number;
    overdue: boolean;
  }[];
}
interface DraftNotice {
  audience: string;
  language: string;
  title: string;
  body: string;
}
interface EvidenceItem {
  id: string;
  incidentId: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}
interface NoticeSend {
  id: string;
  clientId: string;
  channel: string;
  language: string;
  contact: string | null;
  status: "queued" | "sent" | "failed" | "not_sent";
  reason: string | null;
  messageId: string | null;
  sentBy: string;
  sentAt: string;
  deliveredAt: string | null;
}
interface NoticeSendResult {
  queued: number;
  notSent: { clientId: string; reason: string }[];
  skipped: string[];
  sends: NoticeSend[];
}

/** Mirrors EVIDENCE_MAX_BYTES (src/response/incidents/incident-evidence.ts); the API checks again. */
const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
const SEND_COLOURS: Record<string, string> = { queued: "gold", sent: "green", failed: "red", not_sent: "volcano" };

export const SEVERITY_COLOURS: Record<string, string> = { low: "green", medium: "gold", high: "orange", critical: "red" };
const ALERT_COLOURS: Record<string, string> = { new: "red", acknowledged: "gold", dismissed: "default", escalated: "purple" };

const Id = ({ v }: { v: string | null | undefined }) => <Typography.Text code>{shortId(v)}</Typography.Text>;
const ErrorBox = ({ error, onClose }: { error: string | null; onClose?: () => void }) =>
  error ? (
    <Alert type="error" showIcon closable={!!onClose} onClose={onClose} style={{ marginBottom: 16 }} message={error} data-testid="incident-error" />
  ) : null;

/** The impact fields and notice contact an incident is opened with (escalation from an alert). */
function ImpactFields() {
  const { t, code } = useLabels();
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="category" label={t("incidents.fields.category")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={CATEGORIES.map((v) => ({ value: v, label: code("incidents.category", v) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="cause" label={t("incidents.fields.cause")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={CAUSES.map((v) => ({ value: v, label: code("incidents.cause", v) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="measures" label={t("incidents.fields.measures")}>
        <Select mode="multiple" options={MEASURES.map((v) => ({ value: v, label: code("incidents.measure", v) }))} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="peopleAffected" label={t("incidents.fields.peopleAffected")} rules={[{ required: true, message: t("common.required") }]}>
            <InputNumber min={0} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="l4Involved" label={t("incidents.fields.l4Involved")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="leftFirm" label={t("incidents.fields.leftFirm")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="euSubjects" label={t("incidents.fields.euSubjects")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="awareAt" label={t("incidents.fields.awareAt")} extra={t("incidents.help.awareAt")}>
        <Input type="datetime-local" />
      </Form.Item>
      <Form.Item
        name="contact"
        label={t("incidents.fields.contact")}
        extra={t("incidents.help.contact")}
        rules={[
          { required: true, message: t("common.required") },
          { min: 3, message: t("common.required") },
        ]}
      >
        <Input maxLength={200} />
      </Form.Item>
    </>
  );
}

function Alerts() {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  // Firm-level permissions from /auth/me: triage is alert.manage, escalating opens an incident.
  const mayTriage = me.permissions.includes("alert.manage");
  const mayEscalate = me.permissions.includes("incident.manage");
  const [status, setStatus] = useState<string | undefined>();
  const list = useLoad(() => api.get<{ items: AlertRow[] }>(`/alerts${query({ status, limit: 200 })}`), [status]);
  const [dismissing, setDismissing] = useState<AlertRow | null>(null);
  const [escalating, setEscalating] = useState<AlertRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [dismissForm] = Form.useForm();
  const [escalateForm] = Form.useForm();

  const acknowledge = async (a: AlertRow) => {
    setError(null);
    try {
      await api.post(`/alerts/${a.id}/acknowledge`);
      void message.success(t("incidents.alerts.acknowledged"));
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const dismiss = async () => {
    const v = await dismissForm.validateFields();
    try {
      await api.post(`/alerts/${dismissing!.id}/dismiss`, { reason: v.reason });
      setDismissing(null);
      list.reload();
    } catch (e) {
      setDialogError(messageOf(e));
    }
  };
  const escalate = async () => {
    const v = await escalateForm.validateFields();
    setDialogError(null);
    try {
      const incident = await api.post<Incident>(`/alerts/${escalating!.id}/escalate`, {
        category: v.category,
        cause: v.cause,
        measures: v.measures ?? [],
        peopleAffected: v.peopleAffected ?? 0,
        l4Involved: !!v.l4Involved,
        leftFirm: !!v.leftFirm,
        euSubjects: !!v.euSubjects,
        contact: v.contact,
        ...(v.awareAt ? { awareAt: isoFromLocal(v.awareAt) } : {}),
      });
      setEscalating(null);
      navigate(`incidents/${incident.id}`);
    } catch (e) {
      if (!showFieldErrors(escalateForm, e)) setDialogError(messageOf(e));
    }
  };
  const openEscalate = (a: AlertRow) => {
    setDialogError(null);
    escalateForm.resetFields();
    escalateForm.setFieldsValue({
      category: "unauthorised_access",
      cause: "under_investigation",
      measures: [],
      peopleAffected: 0,
      l4Involved: false,
      leftFirm: false,
      euSubjects: false,
      awareAt: localFromIso(a.createdAt),
    });
    setEscalating(a);
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("incidents.alerts.allStatuses")}
          aria-label={t("incidents.alerts.allStatuses")}
          value={status}
          onChange={setStatus}
          options={ALERT_STATUSES.map((s) => ({ value: s, label: code("incidents.alertStatus", s) }))}
        />
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
      </Space>
      <ErrorBox error={list.error ? messageOf(list.error) : error} onClose={() => setError(null)} />
      <Table<AlertRow>
        rowKey="id"
        size="small"
        data-testid="alerts-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        columns={[
          { title: t("incidents.alerts.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("incidents.alerts.rule"), key: "rule", render: (_, a) => code("incidents.rule", a.ruleCode ?? a.kind) },
          {
            title: t("incidents.fields.severity"),
            dataIndex: "severity",
            render: (v: string | null) => (v ? <Tag color={SEVERITY_COLOURS[v]}>{code("incidents.severity", v)}</Tag> : "—"),
          },
          { title: t("incidents.alerts.user"), dataIndex: "userId", render: (v: string | null) => <StaffName id={v} /> },
          {
            title: t("incidents.alerts.facts"),
            dataIndex: "facts",
            render: (f: AlertRow["facts"]) => (
              <Space wrap size={4}>
                {Object.entries(f).map(([k, v]) => (
                  <Tag key={k}>
                    {k}: {String(v)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("common.status"),
            key: "status",
            render: (_, a) => (
              <Space size={4}>
                <Tag color={ALERT_COLOURS[a.status]}>{code("incidents.alertStatus", a.status)}</Tag>
                {a.dismissReason && <Tag>{code("incidents.dismiss", a.dismissReason)}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, a) => (
              <Space size={4} wrap>
                {a.incidentId && (
                  <Button size="small" type="link" onClick={() => navigate(`incidents/${a.incidentId}`)}>
                    {t("incidents.alerts.openIncident")}
                  </Button>
                )}
                {mayTriage && a.status === "new" && (
                  <Button size="small" onClick={() => void acknowledge(a)}>
                    {t("incidents.alerts.acknowledge")}
                  </Button>
                )}
                {(a.status === "new" || a.status === "acknowledged") && (
                  <>
                    {mayEscalate && (
                      <Button size="small" type="primary" onClick={() => openEscalate(a)}>
                        {t("incidents.alerts.escalate")}
                      </Button>
                    )}
                    {mayTriage && (
                      <Button
                        size="small"
                        danger
                        onClick={() => {
                          setDialogError(null);
                          dismissForm.resetFields();
                          setDismissing(a);
                        }}
                      >
                        {t("incidents.alerts.dismiss")}
                      </Button>
                    )}
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!dismissing}
        title={t("incidents.alerts.dismiss")}
        okText={t("incidents.alerts.dismiss")}
        okButtonProps={{ danger: true }}
        cancelText={t("common.cancel")}
        onOk={() => void dismiss()}
        onCancel={() => setDismissing(null)}
        forceRender
      >
        <ErrorBox error={dialogError} />
        <Form form={dismissForm} name="dismiss" layout="vertical">
          <Form.Item name="reason" label={t("incidents.alerts.dismissReason")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={DISMISS_REASONS.map((v) => ({ value: v, label: code("incidents.dismiss", v) }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!escalating}
        width={760}
        title={t("incidents.alerts.escalateTitle")}
        okText={t("incidents.alerts.escalate")}
        cancelText={t("common.cancel")}
        onOk={() => void escalate()}
        onCancel={() => setEscalating(null)}
        forceRender
      >
        <ErrorBox error={dialogError} />
        <Form form={escalateForm} name="escalate" layout="vertical">
          <ImpactFields />
        </Form>
      </Modal>
    </>
  );
}

function IncidentList() {
  const { t, code, time } = useLabels();
  const [items, setItems] = useState<IncidentRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (cursor: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<{ items: IncidentRow[]; nextCursor: string | null }>(`/incidents${query({ cursor, limit: 20 })}`);
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(null), [load]);
  return (
    <>
      <ErrorBox error={error} />
      <Table<IncidentRow>
        rowKey="id"
        size="small"
        data-testid="incidents-table"
        loading={loading}
        dataSource={items}
        pagination={false}
        onRow={openableRow((r) => navigate(`incidents/${r.id}`))}
        columns={[
          { title: t("incidents.fields.openedAt"), dataIndex: "openedAt", render: time },
          {
            title: t("incidents.fields.severity"),
            dataIndex: "severity",
            render: (v: string) => <Tag color={SEVERITY_COLOURS[v]}>{code("incidents.severity", v)}</Tag>,
          },
          { title: t("common.status"), dataIndex: "status", render: (v: string) => <Tag>{code("incidents.status", v)}</Tag> },
          { title: t("incidents.fields.category"), dataIndex: "category", render: (v: string) => code("incidents.category", v) },
          { title: t("incidents.fields.source"), dataIndex: "source", render: (v: string) => code("incidents.source", v) },
          { title: t("incidents.fields.peopleAffected"), dataIndex: "peopleAffected" },
        ]}
      />
      {next && (
        <Button style={{ marginTop: 12 }} loading={loading} onClick={() => void load(next)}>
          {t("common.loadMore")}
        </Button>
      )}
    </>
  );
}

/** One incident; what the caller may do with it is the abilities the API returns with it (and with every change). */
function IncidentDetail({ id }: { id: string }) {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  const [incident, setIncident] = useState<Incident | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [nextStatus, setNextStatus] = useState<string | undefined>();
  const [notices, setNotices] = useState<DraftNotice[]>([]);
  const [taskForm] = Form.useForm();
  const [radiusForm] = Form.useForm();
  const [noticeForm] = Form.useForm();

  useEffect(() => {
    api.get<Incident>(`/incidents/${id}`).then(setIncident, setLoadError);
  }, [id]);

  const change = async (work: () => Promise<Incident>, form?: ReturnType<typeof Form.useForm>[0]) => {
    setError(null);
    try {
      setIncident(await work());
      void message.success(t("common.saved"));
      return true;
    } catch (e) {
      if (!form || !showFieldErrors(form, e)) setError(messageOf(e));
      return false;
    }
  };
  if (loadError)
    return (
      <Alert
        type="error"
        showIcon
        message={t("common.loadFailed")}
        description={messageOf(loadError)}
        action={<Button onClick={() => navigate("incidents")}>{t("incidents.back")}</Button>}
      />
    );
  if (!incident) return <Card loading />;
  const i = incident;
  const canManage = i.abilities.manage;
  const later = INCIDENT_STATUSES.filter((s) => INCIDENT_STATUSES.indexOf(s) > INCIDENT_STATUSES.indexOf(i.status as (typeof INCIDENT_STATUSES)[number]));
  const hours = (ms: number) =>
    t("incidents.duty.remaining", { hours: Math.floor(Math.abs(ms) / 3_600_000), minutes: Math.floor((Math.abs(ms) % 3_600_000) / 60_000) });

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }} data-testid="incident-detail">
      <Card
        title={
          <Space>
            {t("incidents.detail.title")}
            <Id v={i.id} />
            <Tag color={SEVERITY_COLOURS[i.severity]}>{code("incidents.severity", i.severity)}</Tag>
            <Tag color="blue">{code("incidents.status", i.status)}</Tag>
          </Space>
        }
        extra={<Button onClick={() => navigate("incidents")}>{t("incidents.back")}</Button>}
      >
        <ErrorBox error={error} onClose={() => setError(null)} />
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={6}>
            <Statistic title={t("incidents.fields.peopleAffected")} value={i.impact.peopleAffected} />
          </Col>
          <Col span={6}>
            <Statistic title={t("incidents.detail.openDuties")} value={i.duties.filter((d) => d.status !== "done").length} />
          </Col>
          <Col span={6}>
            <Statistic title={t("incidents.detail.openTasks")} value={i.tasks.filter((x) => x.status !== "done").length} />
          </Col>
          <Col span={6}>
            <Statistic title={t("incidents.detail.affectedClients")} value={i.affectedClients.length} />
          </Col>
        </Row>
        <Descriptions bordered size="small" column={2}>
          <Descriptions.Item label={t("incidents.fields.source")}>{code("incidents.source", i.source)}</Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.category")}>{code("incidents.category", i.category)}</Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.cause")}>{code("incidents.cause", i.cause)}</Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.measures")}>
            <Space wrap size={4}>
              {i.measures.map((m) => (
                <Tag key={m}>{code("incidents.measure", m)}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.impact")} span={2}>
            <Space wrap size={4}>
              {i.impact.l4Involved && <Tag color="red">{t("incidents.fields.l4Involved")}</Tag>}
              {i.impact.leftFirm && <Tag color="orange">{t("incidents.fields.leftFirm")}</Tag>}
              {i.impact.euSubjects && <Tag color="blue">{t("incidents.fields.euSubjects")}</Tag>}
              {!i.impact.l4Involved && !i.impact.leftFirm && !i.impact.euSubjects && t("common.none")}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.awareAt")}>{time(i.awareAt)}</Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.openedAt")}>{time(i.openedAt)}</Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.contact")}>{i.contact}</Descriptions.Item>
          <Descriptions.Item label={t("incidents.fields.alert")}>
            <Id v={i.alertId} />
          </Descriptions.Item>
        </Descriptions>
        {canManage && i.status !== "closed" && (
          <div style={{ marginTop: 16 }}>
            <ImpactUpdate incident={i} onChanged={setIncident} />
          </div>
        )}
        {canManage && later.length > 0 && (
          <Space style={{ marginTop: 16 }}>
            <Select
              style={{ width: 200 }}
              placeholder={t("incidents.detail.moveTo")}
              value={nextStatus}
              onChange={setNextStatus}
              options={later.map((s) => ({ value: s, label: code("incidents.status", s) }))}
            />
            <Popconfirm
              title={t("incidents.detail.moveConfirm")}
              onConfirm={() =>
                void change(() => api.post<Incident>(`/incidents/${id}/status`, { status: nextStatus })).then((ok) => ok && setNextStatus(undefined))
              }
              disabled={!nextStatus}
              okText={t("common.submit")}
              cancelText={t("common.cancel")}
            >
              <Button type="primary" disabled={!nextStatus}>
                {t("incidents.detail.move")}
              </Button>
            </Popconfirm>
          </Space>
        )}
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Card title={t("incidents.detail.timeline")} style={{ height: "100%" }}>
            <Timeline
              data-testid="incident-timeline"
              items={i.timeline.map((e, n) => ({
                key: n,
                color: e.status === "closed" ? "green" : "blue",
                children: (
                  <Space direction="vertical" size={0}>
                    <strong>{code("incidents.status", e.status)}</strong>
                    <Typography.Text type="secondary">
                      {time(e.at)} · <StaffName id={e.by} />
                    </Typography.Text>
                  </Space>
                ),
              }))}
            />
            <Typography.Title level={5}>{t("incidents.detail.team")}</Typography.Title>
            <div data-testid="incident-team">
              {i.team.map((m) => (
                <div key={`${m.userId}/${m.role}`}>
                  <Tag>{code("incidents.role", m.role)}</Tag>
                  <StaffName id={m.userId} />
                </div>
              ))}
            </div>
            {canManage && i.status !== "closed" && <TeamMemberForm<Incident> incidentId={i.id} onChanged={setIncident} />}
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <IncidentCountdown duties={i.duties} />
          <Card title={t("incidents.detail.duties")} style={{ marginBottom: 16 }}>
            <Table
              rowKey="id"
              size="small"
              data-testid="incident-duties"
              dataSource={i.duties}
              pagination={paging({ quiet: true })}
              locale={{ emptyText: <Empty description={t("incidents.duty.none")} /> }}
              columns={[
                {
                  title: t("incidents.duty.regime"),
                  dataIndex: "regime",
                  render: (v: string, d) => (
                    <Space size={4}>
                      {code("incidents.regime", v)}
                      {d.unverified && <Tag color="orange">{t("incidents.duty.unverified")}</Tag>}
                    </Space>
                  ),
                },
                { title: t("incidents.duty.recipient"), dataIndex: "recipient", render: (v: string) => code("incidents.recipient", v) },
                {
                  title: t("incidents.duty.due"),
                  key: "due",
                  render: (_, d) => (
                    <Space direction="vertical" size={0}>
                      {time(d.dueAt)}
                      <Typography.Text type="secondary">
                        {d.dueAtLocal} ({d.timeZone})
                      </Typography.Text>
                    </Space>
                  ),
                },
                {
                  title: t("incidents.duty.countdown"),
                  key: "left",
                  render: (_, d) =>
                    d.status === "done" ? (
                      <Tag color="green">
                        {t("incidents.duty.done")} {time(d.doneAt)}
                      </Tag>
                    ) : d.overdue ? (
                      <Tag color="red">
                        {t("incidents.duty.overdue")} {hours(d.remainingMs)}
                      </Tag>
                    ) : (
                      <Tag color="gold">{hours(d.remainingMs)}</Tag>
                    ),
                },
                {
                  title: t("common.actions"),
                  key: "act",
                  render: (_, d) =>
                    canManage &&
                    d.status !== "done" && (
                      <Popconfirm
                        title={t("incidents.duty.doneConfirm")}
                        onConfirm={() => void change(() => api.post<Incident>(`/incidents/${id}/duties/${d.id}/done`))}
                        okText={t("common.submit")}
                        cancelText={t("common.cancel")}
                      >
                        <Button size="small">{t("incidents.duty.markDone")}</Button>
                      </Popconfirm>
                    ),
                },
              ]}
            />
          </Card>
          <Card title={t("incidents.detail.tasks")}>
            <Table
              rowKey="id"
              size="small"
              data-testid="incident-tasks"
              dataSource={i.tasks}
              pagination={paging({ quiet: true })}
              columns={[
                { title: t("incidents.task.title"), dataIndex: "title" },
                { title: t("incidents.task.owner"), dataIndex: "ownerId", render: (v: string) => <StaffName id={v} /> },
                {
                  title: t("incidents.task.due"),
                  dataIndex: "dueAt",
                  render: (v: string, x) => (
                    <Space size={4}>
                      {time(v)}
                      {x.overdue && <Tag color="red">{t("incidents.duty.overdue")}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t("common.status"),
                  dataIndex: "status",
                  render: (v: string, x) =>
                    v === "done" ? (
                      <Tag color="green">
                        {t("incidents.task.done")} {time(x.doneAt)}
                      </Tag>
                    ) : (
                      <Tag>{t("incidents.task.open")}</Tag>
                    ),
                },
                {
                  title: t("common.actions"),
                  key: "act",
                  render: (_, x) =>
                    canManage &&
                    x.status !== "done" && (
                      <Button size="small" onClick={() => void change(() => api.post<Incident>(`/incidents/${id}/tasks/${x.id}/done`))}>
                        {t("incidents.task.markDone")}
                      </Button>
                    ),
                },
              ]}
            />
            {canManage && (
              <Form
                form={taskForm}
                name="task"
                layout="inline"
                style={{ marginTop: 16 }}
                initialValues={{ ownerId: me.userId }}
                onFinish={(v) =>
                  void change(
                    () => api.post<Incident>(`/incidents/${id}/tasks`, { title: v.title, ownerId: v.ownerId, dueAt: isoFromLocal(v.dueAt) }),
                    taskForm,
                  ).then((ok) => ok && taskForm.resetFields(["title", "dueAt"]))
                }
              >
                <Form.Item name="title" rules={[{ required: true, message: t("common.required") }]} extra={t("incidents.task.titleHelp")}>
                  <Input placeholder={t("incidents.task.title")} maxLength={200} style={{ width: 260 }} />
                </Form.Item>
                <Form.Item name="ownerId" rules={[{ required: true, message: t("common.required") }]}>
                  <StaffPicker placeholder={t("incidents.task.owner")} style={{ width: 220, minWidth: 0 }} />
                </Form.Item>
                <Form.Item name="dueAt" rules={[{ required: true, message: t("common.required") }]}>
                  <Input type="datetime-local" aria-label={t("incidents.task.due")} />
                </Form.Item>
                <Button htmlType="submit">{t("incidents.task.add")}</Button>
              </Form>
            )}
          </Card>
        </Col>
      </Row>

      <Card title={t("incidents.detail.blastRadius")}>
        {canManage && (
          <Form
            form={radiusForm}
            name="radius"
            layout="inline"
            style={{ marginBottom: 16 }}
            initialValues={{ subject: "userId" }}
            onFinish={(v) =>
              void change(
                () => api.post<Incident>(`/incidents/${id}/blast-radius`, { [v.subject]: v.account, from: isoFromLocal(v.from), to: isoFromLocal(v.to) }),
                radiusForm,
              )
            }
          >
            <Form.Item name="subject">
              <Radio.Group
                options={[
                  { value: "userId", label: t("incidents.radius.user") },
                  { value: "tokenId", label: t("incidents.radius.token") },
                ]}
              />
            </Form.Item>
            <Form.Item name="account" rules={[{ required: true, message: t("common.required") }]}>
              <Input placeholder={t("incidents.radius.account")} style={{ width: 240 }} />
            </Form.Item>
            <Form.Item name="from" label={t("incidents.radius.from")} rules={[{ required: true, message: t("common.required") }]}>
              <Input type="datetime-local" />
            </Form.Item>
            <Form.Item name="to" label={t("incidents.radius.to")} rules={[{ required: true, message: t("common.required") }]}>
              <Input type="datetime-local" />
            </Form.Item>
            <Button htmlType="submit">{t("incidents.radius.compute")}</Button>
          </Form>
        )}
        <Table
          rowKey="clientId"
          size="small"
          dataSource={i.affectedClients}
          pagination={paging()}
          locale={{ emptyText: <Empty description={t("incidents.radius.none")} /> }}
          columns={[
            { title: t("incidents.radius.client"), dataIndex: "clientId", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            {
              title: t("incidents.radius.fields"),
              dataIndex: "fields",
              render: (f: string[]) => (
                <Space wrap size={4}>
                  {f.map((x) => (
                    <Tag key={x}>{code("incidents.field", x)}</Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t("incidents.radius.exported"),
              dataIndex: "exported",
              render: (v: boolean) => (v ? <Tag color="red">{t("common.yes")}</Tag> : t("common.no")),
            },
          ]}
        />
      </Card>

      <PartnerNoticeCard notices={i.partnerNotices ?? []} exposures={i.partnerExposures ?? []} />

      <Card title={t("incidents.detail.notices")}>
        {canManage && (
          <Form
            form={noticeForm}
            name="notice"
            layout="inline"
            style={{ marginBottom: 16 }}
            initialValues={{ audience: "regulator", language: "zh-CN" }}
            onFinish={async (v) => {
              setError(null);
              try {
                const draft = await api.post<DraftNotice>(`/incidents/${id}/notices`, {
                  audience: v.audience,
                  language: v.language,
                  ...(v.clientId ? { clientId: v.clientId } : {}),
                });
                setNotices((n) => [draft, ...n]);
              } catch (e) {
                if (!showFieldErrors(noticeForm, e)) setError(messageOf(e));
              }
            }}
          >
            <Form.Item name="audience">
              <Select
                style={{ width: 160 }}
                options={[
                  { value: "regulator", label: t("incidents.notice.regulator") },
                  { value: "client", label: t("incidents.notice.client") },
                ]}
              />
            </Form.Item>
            <Form.Item name="language">
              <Select
                style={{ width: 120 }}
                options={[
                  { value: "zh-CN", label: "中文" },
                  { value: "en", label: "English" },
                ]}
              />
            </Form.Item>
            <Form.Item name="clientId">
              <Input placeholder={t("incidents.notice.clientId")} style={{ width: 300 }} />
            </Form.Item>
            <Button htmlType="submit">{t("incidents.notice.draft")}</Button>
          </Form>
        )}
        {notices.length === 0 ? (
          <Typography.Text type="secondary">{t("incidents.notice.help")}</Typography.Text>
        ) : (
          notices.map((n, k) => (
            <Card
              key={k}
              size="small"
              type="inner"
              style={{ marginBottom: 12 }}
              title={
                <Space>
                  <Tag>{n.audience === "client" ? t("incidents.notice.client") : t("incidents.notice.regulator")}</Tag>
                  <Tag>{n.language}</Tag>
                  {n.title}
                </Space>
              }
            >
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }} copyable>
                {n.body}
              </Typography.Paragraph>
            </Card>
          ))
        )}
      </Card>

      <NoticeSendsCard incidentId={i.id} canManage={canManage} affected={i.affectedClients.length} />
      {i.abilities.evidence && <EvidenceCard incidentId={i.id} />}
    </Space>
  );
}

/** The file as base64 (the API takes JSON; no multipart parser is installed). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const sizeOf = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

/** Evidence files: compliance and the response team upload and download; the API seals them. */
function EvidenceCard({ incidentId }: { incidentId: string }) {
  const { t, time } = useLabels();
  const { message } = App.useApp();
  const list = useLoad(() => api.get<{ items: EvidenceItem[] }>(`/incidents/${incidentId}/evidence`), [incidentId]);
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const upload = async () => {
    if (!file) return;
    setError(null);
    if (file.size > EVIDENCE_MAX_BYTES) return setError(t("incidents.evidence.tooLarge"));
    setBusy(true);
    try {
      await api.post<EvidenceItem>(`/incidents/${incidentId}/evidence`, {
        filename: file.name,
        mediaType: file.type || "application/octet-stream",
        content: await readBase64(file),
      });
      void message.success(t("incidents.evidence.uploaded"));
      setFile(null);
      setInputKey((k) => k + 1);
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const download = async (item: EvidenceItem) => {
    setError(null);
    try {
      const blob = await api.blob(`/incidents/${incidentId}/evidence/${item.id}/content`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = item.filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <Card title={t("incidents.evidence.title")} data-testid="incident-evidence">
      <ErrorBox error={list.error ? messageOf(list.error) : error} onClose={() => setError(null)} />
      <Space style={{ marginBottom: 16 }} wrap>
        <input
          key={inputKey}
          type="file"
          aria-label={t("incidents.evidence.file")}
          data-testid="evidence-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <Button type="primary" disabled={!file} loading={busy} onClick={() => void upload()}>
          {t("incidents.evidence.upload")}
        </Button>
        <Typography.Text type="secondary">{t("incidents.evidence.help")}</Typography.Text>
      </Space>
      <Table<EvidenceItem>
        rowKey="id"
        size="small"
        data-testid="evidence-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        locale={{ emptyText: <Empty description={t("incidents.evidence.none")} /> }}
        columns={[
          { title: t("incidents.evidence.filename"), dataIndex: "filename" },
          { title: t("incidents.evidence.mediaType"), dataIndex: "mediaType" },
          { title: t("incidents.evidence.size"), dataIndex: "sizeBytes", render: sizeOf },
          {
            title: t("incidents.evidence.sha256"),
            dataIndex: "sha256",
            render: (v: string) => (
              <Typography.Text code copyable={{ text: v }}>
                {v.slice(0, 16)}…
              </Typography.Text>
            ),
          },
          { title: t("incidents.evidence.uploadedBy"), dataIndex: "uploadedBy", render: (v: string) => <StaffName id={v} /> },
          { title: t("incidents.evidence.uploadedAt"), dataIndex: "uploadedAt", render: time },
          {
            title: t("common.actions"),
            key: "act",
            render: (_, x) => (
              <Button size="small" onClick={() => void download(x)}>
                {t("incidents.evidence.download")}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** Sending the client notice by email to the affected clients, and the record of every send. */
function NoticeSendsCard({ incidentId, canManage, affected }: { incidentId: string; canManage: boolean; affected: number }) {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const list = useLoad(() => api.get<{ items: NoticeSend[] }>(`/incidents/${incidentId}/notices/sends`), [incidentId]);
  const [language, setLanguage] = useState<string>("auto");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    setError(null);
    setBusy(true);
    try {
      const result = await api.post<NoticeSendResult>(`/incidents/${incidentId}/notices/send`, {
        audience: "clients",
        channel: "email",
        ...(language === "auto" ? {} : { language }),
      });
      void message.success(t("incidents.send.result", { queued: result.queued, notSent: result.notSent.length, skipped: result.skipped.length }));
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t("incidents.send.title")} data-testid="incident-notice-sends">
      <ErrorBox error={list.error ? messageOf(list.error) : error} onClose={() => setError(null)} />
      {canManage && (
        <Space style={{ marginBottom: 16 }} wrap>
          <Select
            style={{ width: 200 }}
            aria-label={t("incidents.send.language")}
            value={language}
            onChange={setLanguage}
            options={[
              { value: "auto", label: t("incidents.send.languageAuto") },
              { value: "zh-CN", label: "中文" },
              { value: "en", label: "English" },
            ]}
          />
          <Popconfirm
            title={t("incidents.send.confirm", { count: affected })}
            onConfirm={() => void send()}
            okText={t("incidents.send.action")}
            cancelText={t("common.cancel")}
            disabled={affected === 0}
          >
            <Button type="primary" loading={busy} disabled={affected === 0}>
              {t("incidents.send.action")}
            </Button>
          </Popconfirm>
          <Typography.Text type="secondary">{affected === 0 ? t("incidents.send.noneAffected") : t("incidents.send.help")}</Typography.Text>
        </Space>
      )}
      <Table<NoticeSend>
        rowKey="id"
        size="small"
        data-testid="notice-sends-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("incidents.send.none")} /> }}
        columns={[
          { title: t("incidents.radius.client"), dataIndex: "clientId", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t("incidents.send.contact"), dataIndex: "contact", render: (v: string | null) => v ?? "—" },
          { title: t("common.language"), dataIndex: "language" },
          {
            title: t("common.status"),
            key: "status",
            render: (_, x) => (
              <Space size={4}>
                <Tag color={SEND_COLOURS[x.status]}>{code("incidents.send.status", x.status)}</Tag>
                {x.reason && <Tag>{code("incidents.send.reason", x.reason)}</Tag>}
              </Space>
            ),
          },
          { title: t("incidents.send.sentAt"), dataIndex: "sentAt", render: time },
          { title: t("incidents.send.deliveredAt"), dataIndex: "deliveredAt", render: time },
        ]}
      />
    </Card>
  );
}

function IncidentsPage({ params }: { params: string[] }) {
  const { t } = useLabels();
  const { me } = useSession();
  if (params[0]) return <IncidentDetail key={params[0]} id={params[0]} />;
  return (
    <Card title={t("incidents.title")}>
      <Tabs
        items={[
          { key: "alerts", label: t("incidents.tabs.alerts"), children: <Alerts /> },
          ...(me.permissions.includes("alert.read") ? [{ key: "rules", label: t("incidents.tabs.rules"), children: <DetectionRulesTab /> }] : []),
          // The register needs incident.manage (GET /incidents); others reach an incident from its alert.
          ...(me.permissions.includes("incident.manage") ? [{ key: "incidents", label: t("incidents.tabs.incidents"), children: <IncidentList /> }] : []),
        ]}
      />
    </Card>
  );
}

export const incidentsScreen: Screen = {
  key: "incidents",
  icon: <AlertOutlined />,
  order: 56,
  group: "compliance",
  permission: "alert.read",
  component: IncidentsPage,
};
