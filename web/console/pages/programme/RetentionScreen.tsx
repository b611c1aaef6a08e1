import { DeleteOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { IdText } from "../../../shared/IdText";
import { LoadMore } from "../../../shared/LoadMore";
import { ClientPicker, RecordChip } from "../../../shared/pickers";
import { StaffName, StaffPicker } from "../../../shared/Staff";
import { useCursorList, type CursorPage } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { isoFromLocal, shortId, useLabels } from "./codes";
import { paging } from "../../../shared/tables";

// Mirrors src/governance/retention/retention-schedule.ts and src/rights/holds/legal-hold.ts (the API validates).
const TRIGGERS = ["matter_closed", "relationship_ended", "last_activity"] as const;
const UNITS = ["years", "months", "days"] as const;
const HOLD_REASONS = [
  "litigation_pending",
  "litigation_anticipated",
  "regulatory_investigation",
  "internal_investigation",
  "statutory_retention",
  "audit",
] as const;
const LIFT_REASONS = ["matter_concluded", "investigation_closed", "retention_expired", "placed_in_error"] as const;
const BATCH_STATUSES = ["pending", "approved", "rejected", "executed"] as const;

interface Schedule {
  recordClass: string;
  trigger: string;
  periodUnit: string;
  periodAmount: number;
  isDefault: boolean;
  updatedAt: string;
  updatedBy: string | null;
}
interface Sweep {
  asOf: string;
  due: { clientId: string; recordClasses: string[]; triggeredAt: string; dueAt: string; matters: number }[];
  held: { clientId: string; holdId: string; dueAt: string }[];
}
/** A batch as GET /retention/batches lists it: the number of clients, not their ids. */
interface Batch {
  id: string;
  status: string;
  clientCount: number;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  executedAt: string | null;
  certificateId: string | null;
}
interface Certificate {
  id: string;
  batchId: string;
  issuedAt: string;
  method: string;
  recordCounts: Record<string, number>;
  clientIds: string[];
  skipped: { clientId: string; reason: string }[];
  requestedBy: string;
  approvers: { userId: string; decidedAt: string }[];
  notify: { clientId: string; userIds: string[] }[];
  audit: { seqFrom: number | null; seqTo: number | null };
}
interface Hold {
  id: string;
  clientId: string;
  custodianId: string;
  reason: string;
  reference: string | null;
  reviewDate: string;
  placedBy: string;
  placedAt: string;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
}

/** A client by name (the id stays in the chip's data-record-id); a client already erased shows as such. */
const ClientRef = ({ v }: { v: string }) => <RecordChip kind="client" id={v} />;
const failed = (t: (k: string) => string, error: unknown) =>
  error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t("common.loadFailed")} description={messageOf(error)} /> : null;

function Schedules() {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const list = useLoad(() => api.get<{ items: Schedule[] }>("/retention/schedules"), []);
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const save = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.put(`/retention/schedules/${editing!.recordClass}`, v);
      setEditing(null);
      void message.success(t("common.saved"));
      list.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <>
      {failed(t, list.error)}
      <Table<Schedule>
        rowKey="recordClass"
        size="small"
        data-testid="schedules-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        columns={[
          { title: t("retention.schedule.recordClass"), dataIndex: "recordClass", render: (v: string) => code("retention.recordClass", v) },
          { title: t("retention.schedule.trigger"), dataIndex: "trigger", render: (v: string) => code("retention.trigger", v) },
          { title: t("retention.schedule.period"), key: "period", render: (_, s) => t(`retention.period.${s.periodUnit}`, { n: s.periodAmount }) },
          {
            title: t("common.status"),
            dataIndex: "isDefault",
            render: (v: boolean) =>
              v ? <Tag color="orange">{t("retention.schedule.unconfirmed")}</Tag> : <Tag color="green">{t("retention.schedule.confirmed")}</Tag>,
          },
          { title: t("retention.schedule.updatedAt"), dataIndex: "updatedAt", render: time },
          {
            title: t("common.actions"),
            key: "edit",
            render: (_, s) => (
              <Button
                size="small"
                onClick={() => {
                  setError(null);
                  form.setFieldsValue({ trigger: s.trigger, periodUnit: s.periodUnit, periodAmount: s.periodAmount });
                  setEditing(s);
                }}
              >
                {t("common.edit")}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing ? code("retention.recordClass", editing.recordClass) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
        <Form form={form} name="schedule" layout="vertical">
          <Form.Item name="trigger" label={t("retention.schedule.trigger")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={TRIGGERS.map((v) => ({ value: v, label: code("retention.trigger", v) }))} />
          </Form.Item>
          <Space>
            <Form.Item name="periodAmount" label={t("retention.schedule.amount")} rules={[{ required: true, message: t("common.required") }]}>
              <InputNumber min={1} max={1200} precision={0} />
            </Form.Item>
            <Form.Item name="periodUnit" label={t("retention.schedule.unit")} rules={[{ required: true, message: t("common.required") }]}>
              <Select style={{ width: 140 }} options={UNITS.map((v) => ({ value: v, label: t(`retention.unit.${v}`) }))} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

function CertificateView({ certificate }: { certificate: Certificate }) {
  const { t, code, time } = useLabels();
  return (
    <Descriptions bordered size="small" column={1} data-testid="certificate">
      <Descriptions.Item label={t("retention.certificate.id")}>
        <IdText id={certificate.id} />
      </Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.issuedAt")}>{time(certificate.issuedAt)}</Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.method")}>{code("retention.method", certificate.method.split(":")[0])}</Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.clients")}>{certificate.clientIds.length}</Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.records")}>
        <Space wrap>
          {Object.entries(certificate.recordCounts).map(([k, n]) => (
            <Tag key={k}>
              {code("retention.count", k)}: {n}
            </Tag>
          ))}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.skipped")}>
        {certificate.skipped.length
          ? certificate.skipped.map((s) => (
              <div key={s.clientId}>
                <ClientRef v={s.clientId} /> {code("retention.skipReason", s.reason)}
              </div>
            ))
          : t("common.none")}
      </Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.requestedBy")}>
        <StaffName id={certificate.requestedBy} />
      </Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.approvers")}>
        {certificate.approvers.map((a) => (
          <div key={a.userId}>
            <StaffName id={a.userId} /> · {time(a.decidedAt)}
          </div>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.notify")}>{certificate.notify.reduce((n, x) => n + x.userIds.length, 0)}</Descriptions.Item>
      <Descriptions.Item label={t("retention.certificate.audit")}>
        {certificate.audit.seqFrom ?? "—"} – {certificate.audit.seqTo ?? "—"}
      </Descriptions.Item>
    </Descriptions>
  );
}

function BatchCard({ batch, onChange }: { batch: Batch; onChange: () => void }) {
  const { t, code, time } = useLabels();
  const { me } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [certificate, setCertificate] = useState<Certificate | null>(null);
  const run = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const decide = (verdict: "approve" | "reject") =>
    run(async () => {
      await api.post(`/retention/batches/${batch.id}/${verdict}`);
      onChange();
    });
  const execute = () =>
    run(async () => {
      setCertificate(await api.post<Certificate>(`/retention/batches/${batch.id}/execute`));
      onChange();
    });
  const showCertificate = () => run(async () => setCertificate(await api.get<Certificate>(`/retention/certificates/${batch.certificateId}`)));
  const colour = { pending: "gold", approved: "blue", rejected: "default", executed: "green" }[batch.status];
  return (
    <Card
      size="small"
      data-testid="batch"
      data-batch-id={batch.id}
      title={
        <Space>
          {t("retention.batch.title")}
          <Typography.Text code copyable={{ text: batch.id }} title={batch.id}>
            {shortId(batch.id)}
          </Typography.Text>
          <Tag color={colour}>{code("retention.batchStatus", batch.status)}</Tag>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={error} />}
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t("retention.batch.clients")}>{batch.clientCount}</Descriptions.Item>
        <Descriptions.Item label={t("retention.batch.requestedBy")}>
          <StaffName id={batch.requestedBy} />
        </Descriptions.Item>
        <Descriptions.Item label={t("retention.batch.requestedAt")}>{time(batch.requestedAt)}</Descriptions.Item>
        <Descriptions.Item label={t("retention.batch.decidedBy")}>
          <StaffName id={batch.decidedBy} />
        </Descriptions.Item>
        <Descriptions.Item label={t("retention.batch.decidedAt")}>{time(batch.decidedAt)}</Descriptions.Item>
        <Descriptions.Item label={t("retention.batch.executedAt")}>{time(batch.executedAt)}</Descriptions.Item>
      </Descriptions>
      {batch.status === "pending" && batch.requestedBy === me.userId && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("retention.batch.fourEyes")} />
      )}
      <Space wrap>
        {batch.status === "pending" && (
          <>
            <Popconfirm
              title={t("retention.batch.approveConfirm", { n: batch.clientCount })}
              onConfirm={() => decide("approve")}
              okText={t("retention.batch.approve")}
              cancelText={t("common.cancel")}
            >
              <Button type="primary">{t("retention.batch.approve")}</Button>
            </Popconfirm>
            <Popconfirm
              title={t("retention.batch.rejectConfirm")}
              onConfirm={() => decide("reject")}
              okText={t("retention.batch.reject")}
              cancelText={t("common.cancel")}
            >
              <Button>{t("retention.batch.reject")}</Button>
            </Popconfirm>
          </>
        )}
        {batch.status === "approved" && (
          <Popconfirm
            title={t("retention.batch.executeConfirm", { n: batch.clientCount })}
            description={t("retention.batch.executeHelp")}
            onConfirm={execute}
            okText={t("retention.batch.execute")}
            okButtonProps={{ danger: true }}
            cancelText={t("common.cancel")}
          >
            <Button danger icon={<DeleteOutlined />}>
              {t("retention.batch.execute")}
            </Button>
          </Popconfirm>
        )}
        {batch.certificateId && <Button onClick={() => void showCertificate()}>{t("retention.batch.certificate")}</Button>}
      </Space>
      <Modal open={!!certificate} width={720} title={t("retention.certificate.title")} footer={null} onCancel={() => setCertificate(null)}>
        {certificate && <CertificateView certificate={certificate} />}
      </Modal>
    </Card>
  );
}

function SweepAndBatches() {
  const { t, code, time, date } = useLabels();
  const { message } = App.useApp();
  const [asOf, setAsOf] = useState("");
  const [sweep, setSweep] = useState<Sweep | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [status, setStatus] = useState<string | undefined>();
  const batches = useCursorList((cursor) => api.get<CursorPage<Batch>>(`/retention/batches${query({ status, cursor, limit: 20 })}`), [status]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const runSweep = async () => {
    setBusy(true);
    setError(null);
    try {
      const out = await api.post<Sweep>("/retention/sweep", asOf ? { asOf: isoFromLocal(asOf) } : {});
      setSweep(out);
      setSelected([]);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const createBatch = async () => {
    setError(null);
    try {
      await api.post("/retention/batches", selected.length ? { clientIds: selected } : {});
      batches.reload();
      void message.success(t("retention.batch.created"));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Space wrap>
        <Input
          type="datetime-local"
          value={asOf}
          onChange={(e) => setAsOf(e.target.value)}
          addonBefore={t("retention.sweep.asOf")}
          aria-label={t("retention.sweep.asOf")}
          style={{ width: 320 }}
        />
        <Button type="primary" loading={busy} onClick={() => void runSweep()}>
          {t("retention.sweep.run")}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t("retention.sweep.help")}</Typography.Text>
      {error && <Alert type="error" showIcon closable message={error} onClose={() => setError(null)} data-testid="retention-error" />}
      {sweep && (
        <Card
          size="small"
          data-testid="sweep-result"
          title={t("retention.sweep.result", { at: time(sweep.asOf), due: sweep.due.length, held: sweep.held.length })}
          extra={
            <Popconfirm
              title={selected.length ? t("retention.sweep.batchSelected", { n: selected.length }) : t("retention.sweep.batchAll")}
              onConfirm={() => void createBatch()}
              okText={t("common.submit")}
              cancelText={t("common.cancel")}
              disabled={sweep.due.length === 0}
            >
              <Button disabled={sweep.due.length === 0}>{t("retention.sweep.createBatch")}</Button>
            </Popconfirm>
          }
        >
          <Typography.Title level={5}>{t("retention.sweep.due")}</Typography.Title>
          <Table
            rowKey="clientId"
            size="small"
            data-testid="sweep-due"
            dataSource={sweep.due}
            pagination={paging()}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
            locale={{ emptyText: <Empty description={t("retention.sweep.noneDue")} /> }}
            columns={[
              { title: t("retention.fields.client"), dataIndex: "clientId", render: (v: string) => <ClientRef v={v} /> },
              {
                title: t("retention.fields.recordClasses"),
                dataIndex: "recordClasses",
                render: (v: string[]) => (
                  <Space wrap>
                    {v.map((c) => (
                      <Tag key={c}>{code("retention.recordClass", c)}</Tag>
                    ))}
                  </Space>
                ),
              },
              { title: t("retention.fields.matters"), dataIndex: "matters" },
              { title: t("retention.fields.triggeredAt"), dataIndex: "triggeredAt", render: date },
              { title: t("retention.fields.dueAt"), dataIndex: "dueAt", render: date },
            ]}
          />
          <Typography.Title level={5}>{t("retention.sweep.held")}</Typography.Title>
          <Table
            rowKey="clientId"
            size="small"
            data-testid="sweep-held"
            dataSource={sweep.held}
            pagination={paging({ quiet: true })}
            locale={{ emptyText: <Empty description={t("retention.sweep.noneHeld")} /> }}
            columns={[
              { title: t("retention.fields.client"), dataIndex: "clientId", render: (v: string) => <ClientRef v={v} /> },
              { title: t("retention.fields.hold"), dataIndex: "holdId", render: (v: string) => <IdText id={v} /> },
              { title: t("retention.fields.dueAt"), dataIndex: "dueAt", render: date },
            ]}
          />
        </Card>
      )}
      <Card
        size="small"
        title={t("retention.batch.list")}
        data-testid="batches"
        extra={
          <Space>
            <Select
              allowClear
              style={{ width: 160 }}
              placeholder={t("retention.batch.statusFilter")}
              aria-label={t("retention.batch.statusFilter")}
              value={status}
              onChange={setStatus}
              options={BATCH_STATUSES.map((v) => ({ value: v, label: code("retention.batchStatus", v) }))}
            />
            <Button onClick={batches.reload} loading={batches.loading}>
              {t("common.refresh")}
            </Button>
          </Space>
        }
      >
        {failed(t, batches.error)}
        {batches.items.length === 0 ? (
          <Empty description={t("retention.batch.none")} />
        ) : (
          <Space direction="vertical" style={{ width: "100%" }}>
            {batches.items.map((b) => (
              <BatchCard key={b.id} batch={b} onChange={batches.reload} />
            ))}
          </Space>
        )}
        <LoadMore list={batches} />
      </Card>
    </Space>
  );
}

function Statistics() {
  const { t } = useLabels();
  const stats = useLoad(() => api.get<{ items: { practiceArea: string; year: number; clients: number; matters: number }[] }>("/retention/statistics"), []);
  return (
    <>
      {failed(t, stats.error)}
      <Typography.Paragraph type="secondary">{t("retention.statistics.help")}</Typography.Paragraph>
      <Table
        rowKey={(r) => `${r.practiceArea}/${r.year}`}
        size="small"
        loading={stats.loading}
        dataSource={stats.data?.items ?? []}
        pagination={paging()}
        columns={[
          { title: t("retention.statistics.practiceArea"), dataIndex: "practiceArea" },
          { title: t("retention.statistics.year"), dataIndex: "year" },
          { title: t("retention.statistics.clients"), dataIndex: "clients" },
          { title: t("retention.statistics.matters"), dataIndex: "matters" },
        ]}
      />
    </>
  );
}

function Holds() {
  const { t, code, time, date } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  const [activeOnly, setActiveOnly] = useState(true);
  const holds = useLoad(() => api.get<{ items: Hold[] }>(`/holds${query({ active: activeOnly ? "true" : undefined })}`), [activeOnly]);
  const [placing, setPlacing] = useState(false);
  const [lifting, setLifting] = useState<Hold | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const [liftForm] = Form.useForm();

  const place = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post("/holds", { ...v, reference: v.reference || undefined });
      setPlacing(false);
      void message.success(t("common.saved"));
      holds.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  const lift = async () => {
    const v = await liftForm.validateFields();
    setError(null);
    try {
      await api.post(`/holds/${lifting!.id}/lift`, { reason: v.reason });
      setLifting(null);
      void message.success(t("common.saved"));
      holds.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Checkbox checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)}>
          {t("retention.holds.activeOnly")}
        </Checkbox>
        <Button
          type="primary"
          onClick={() => {
            setError(null);
            form.resetFields();
            form.setFieldsValue({ custodianId: me.userId });
            setPlacing(true);
          }}
        >
          {t("retention.holds.place")}
        </Button>
      </Space>
      {failed(t, holds.error)}
      <Table<Hold>
        rowKey="id"
        size="small"
        data-testid="holds-table"
        loading={holds.loading}
        dataSource={holds.data?.items ?? []}
        pagination={paging()}
        columns={[
          { title: t("retention.fields.client"), dataIndex: "clientId", render: (v: string) => <ClientRef v={v} /> },
          { title: t("retention.holds.reason"), dataIndex: "reason", render: (v: string) => code("retention.holdReason", v) },
          { title: t("retention.holds.reference"), dataIndex: "reference", render: (v: string | null) => v ?? "—" },
          { title: t("retention.holds.reviewDate"), dataIndex: "reviewDate", render: (v: string) => date(v) },
          { title: t("retention.holds.custodian"), dataIndex: "custodianId", render: (v: string) => <StaffName id={v} /> },
          { title: t("retention.holds.placedAt"), dataIndex: "placedAt", render: time },
          {
            title: t("common.status"),
            key: "state",
            render: (_, h) =>
              h.liftedAt ? (
                <Tag>
                  {t("retention.holds.lifted")} · {code("retention.liftReason", h.liftReason)}
                </Tag>
              ) : (
                <Tag color="red">{t("retention.holds.active")}</Tag>
              ),
          },
          {
            title: t("common.actions"),
            key: "lift",
            render: (_, h) =>
              !h.liftedAt && (
                <Button
                  size="small"
                  danger
                  onClick={() => {
                    setError(null);
                    liftForm.resetFields();
                    setLifting(h);
                  }}
                >
                  {t("retention.holds.lift")}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={placing}
        title={t("retention.holds.place")}
        okText={t("common.submit")}
        cancelText={t("common.cancel")}
        onOk={() => void place()}
        onCancel={() => setPlacing(false)}
        forceRender
      >
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
        <Form form={form} name="hold" layout="vertical">
          <Form.Item name="clientId" label={t("retention.fields.client")} rules={[{ required: true, message: t("common.required") }]}>
            <ClientPicker />
          </Form.Item>
          <Form.Item name="custodianId" label={t("retention.holds.custodian")} rules={[{ required: true, message: t("common.required") }]}>
            <StaffPicker />
          </Form.Item>
          <Form.Item name="reason" label={t("retention.holds.reason")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={HOLD_REASONS.map((v) => ({ value: v, label: code("retention.holdReason", v) }))} />
          </Form.Item>
          <Form.Item name="reference" label={t("retention.holds.reference")} extra={t("retention.holds.referenceHelp")}>
            <Input />
          </Form.Item>
          <Form.Item name="reviewDate" label={t("retention.holds.reviewDate")} rules={[{ required: true, message: t("common.required") }]}>
            <Input type="date" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!lifting}
        title={t("retention.holds.lift")}
        okText={t("retention.holds.lift")}
        okButtonProps={{ danger: true }}
        cancelText={t("common.cancel")}
        onOk={() => void lift()}
        onCancel={() => setLifting(null)}
        forceRender
      >
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t("retention.holds.liftHelp")} />
        <Form form={liftForm} name="lift" layout="vertical">
          <Form.Item name="reason" label={t("retention.holds.liftReason")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={LIFT_REASONS.map((v) => ({ value: v, label: code("retention.liftReason", v) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function RetentionPage() {
  const { t } = useLabels();
  return (
    <Card title={t("retention.title")}>
      <Tabs
        items={[
          { key: "schedules", label: t("retention.tabs.schedules"), children: <Schedules /> },
          { key: "sweep", label: t("retention.tabs.sweep"), children: <SweepAndBatches /> },
          { key: "statistics", label: t("retention.tabs.statistics"), children: <Statistics /> },
          { key: "holds", label: t("retention.tabs.holds"), children: <Holds /> },
        ]}
      />
    </Card>
  );
}

export const retentionScreen: Screen = {
  key: "retention",
  icon: <DeleteOutlined />,
  order: 54,
  group: "compliance",
  permission: "retention.manage",
  component: RetentionPage,
};
