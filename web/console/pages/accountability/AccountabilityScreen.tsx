import { AuditOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Drawer, Empty, Form, Input, Row, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { FormModal } from "../../../shared/FormModal";
import { RegisterLink, RegisterPicker, useRegister } from "../../../shared/pickers";
import { useLabels } from "../programme/codes";
import type { Screen } from "../registry";
import { AppraisalTab, AwardsTab, CasesTab } from "./AppraisalTabs";
import { RULE_CODES, useStaffOptions } from "./shared";

// Mirrors src/governance/accountability/accountability-records.ts, src/response/incidents/post-incident-review.ts and
// src/response/notifications/notifier.ts (the API validates; these only fill the pickers).
const SANCTIONS = ["warning", "training", "suspension", "demotion", "dismissal", "referral"] as const;
const DRILL_SCENARIOS = [
  "ransomware",
  "lost_device",
  "insider_bulk_export",
  "misdirected_email",
  "paper_file_loss",
  "credential_compromise",
  "vendor_breach",
  "other",
] as const;
const EVENT_KINDS = ["alert.raised", "incident.opened", "request.reminder", "request.overdue"] as const;

interface AccountabilityRecord {
  id: string;
  userId: string;
  ruleCode: string;
  sanction: string;
  decidedOn: string;
  incidentId: string | null;
  reportId: string | null;
  recordedBy: string;
  createdAt: string;
}
interface Drill {
  id: string;
  scenario: string;
  heldOn: string;
  participants: string[];
  findings: string;
  recordedBy: string;
  createdAt: string;
}
interface Subscription {
  id: string;
  userId: string;
  event: string;
  email: boolean;
  createdAt: string;
}
interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdBy: string;
  createdAt: string;
}
interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: string;
}
interface Delivery {
  id: string;
  kind: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  createdAt: string;
  log: { attempt: number; at: string; status: number | null; error: string | null; durationMs: number }[];
}

function Records() {
  const { t, code, date } = useLabels();
  const { staff, options } = useStaffOptions();
  const [userId, setUserId] = useState<string | undefined>();
  const list = useLoad(() => api.get<{ items: AccountabilityRecord[] }>(`/accountability-records${query({ userId })}`), [userId]);
  const incidents = useRegister("incidents");
  const reports = useRegister("reports");
  const [open, setOpen] = useState(false);
  const submit = async (v: Record<string, unknown>) => {
    await api.post("/accountability-records", {
      userId: v.userId,
      ruleCode: v.ruleCode,
      sanction: v.sanction,
      decidedOn: v.decidedOn,
      ...(v.incidentId ? { incidentId: v.incidentId } : {}),
      ...(v.reportId ? { reportId: v.reportId } : {}),
    });
    list.reload();
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: 260 }}
          placeholder={t("accountability.records.allStaff")}
          aria-label={t("accountability.records.allStaff")}
          value={userId}
          onChange={setUserId}
          options={options}
        />
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        <Button type="primary" onClick={() => setOpen(true)}>
          {t("accountability.records.create")}
        </Button>
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<AccountabilityRecord>
        rowKey="id"
        size="small"
        data-testid="accountability-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("accountability.records.none")} /> }}
        columns={[
          { title: t("accountability.fields.decidedOn"), dataIndex: "decidedOn" },
          { title: t("accountability.fields.user"), dataIndex: "userId", render: (v: string) => staff.name(v) },
          { title: t("accountability.fields.ruleCode"), dataIndex: "ruleCode", render: (v: string) => code("accountability.rule", v) },
          { title: t("accountability.fields.sanction"), dataIndex: "sanction", render: (v: string) => <Tag>{code("accountability.sanction", v)}</Tag> },
          { title: t("accountability.fields.incident"), dataIndex: "incidentId", render: (v: string | null) => <RegisterLink register={incidents} id={v} /> },
          { title: t("accountability.fields.report"), dataIndex: "reportId", render: (v: string | null) => <RegisterLink register={reports} id={v} /> },
          { title: t("accountability.fields.recordedBy"), key: "by", render: (_, r) => `${staff.name(r.recordedBy)} · ${date(r.createdAt)}` },
        ]}
      />
      <FormModal open={open} title={t("accountability.records.create")} name="accountability" onClose={() => setOpen(false)} submit={submit}>
        <Form.Item name="userId" label={t("accountability.fields.user")} rules={[{ required: true, message: t("common.required") }]}>
          <Select showSearch optionFilterProp="label" options={options} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="ruleCode" label={t("accountability.fields.ruleCode")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={RULE_CODES.map((c) => ({ value: c, label: code("accountability.rule", c) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="sanction" label={t("accountability.fields.sanction")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={SANCTIONS.map((c) => ({ value: c, label: code("accountability.sanction", c) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="decidedOn" label={t("accountability.fields.decidedOn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input type="date" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="incidentId" label={t("accountability.fields.incident")}>
              <RegisterPicker kind="incidents" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="reportId" label={t("accountability.fields.report")}>
              <RegisterPicker kind="reports" />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>
    </>
  );
}

function Drills() {
  const { t, code } = useLabels();
  const { staff, options } = useStaffOptions();
  const list = useLoad(() => api.get<{ items: Drill[] }>("/drills"), []);
  const [open, setOpen] = useState(false);
  const submit = async (v: Record<string, unknown>) => {
    await api.post("/drills", { scenario: v.scenario, heldOn: v.heldOn, participants: v.participants, findings: v.findings });
    list.reload();
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        <Button type="primary" onClick={() => setOpen(true)}>
          {t("accountability.drills.create")}
        </Button>
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Drill>
        rowKey="id"
        size="small"
        data-testid="drills-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("accountability.drills.none")} /> }}
        columns={[
          { title: t("accountability.fields.heldOn"), dataIndex: "heldOn" },
          { title: t("accountability.fields.scenario"), dataIndex: "scenario", render: (v: string) => code("accountability.scenario", v) },
          {
            title: t("accountability.fields.participants"),
            dataIndex: "participants",
            render: (p: string[]) => (
              <Space wrap size={4}>
                {p.map((id) => (
                  <Tag key={id}>{staff.name(id)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("accountability.fields.findings"),
            dataIndex: "findings",
            render: (v: string) => (
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                {v}
              </Typography.Paragraph>
            ),
          },
          { title: t("accountability.fields.recordedBy"), dataIndex: "recordedBy", render: (v: string) => staff.name(v) },
        ]}
      />
      <FormModal open={open} title={t("accountability.drills.create")} name="drill" onClose={() => setOpen(false)} submit={submit}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="scenario" label={t("accountability.fields.scenario")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={DRILL_SCENARIOS.map((c) => ({ value: c, label: code("accountability.scenario", c) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="heldOn" label={t("accountability.fields.heldOn")} rules={[{ required: true, message: t("common.required") }]}>
              <Input type="date" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="participants" label={t("accountability.fields.participants")} rules={[{ required: true, message: t("common.required") }]}>
          <Select mode="multiple" optionFilterProp="label" options={options} />
        </Form.Item>
        <Form.Item
          name="findings"
          label={t("accountability.fields.findings")}
          extra={t("accountability.help.findings")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
      </FormModal>
    </>
  );
}

function DeliveryLog({ hook, onClose }: { hook: Webhook | null; onClose: () => void }) {
  const { t, time } = useLabels();
  const log = useLoad(() => (hook ? api.get<{ items: Delivery[] }>(`/webhooks/${hook.id}/deliveries`) : Promise.resolve({ items: [] })), [hook?.id]);
  const state = (d: Delivery) =>
    d.deliveredAt ? (
      <Tag color="green">{t("accountability.deliveries.delivered")}</Tag>
    ) : d.failedAt ? (
      <Tag color="red">{t("accountability.deliveries.failed")}</Tag>
    ) : (
      <Tag color="gold">{t("accountability.deliveries.pending")}</Tag>
    );
  return (
    <Drawer open={hook !== null} onClose={onClose} size={720} title={t("accountability.deliveries.title", { url: hook?.url ?? "" })}>
      {!!log.error && <Alert type="error" showIcon message={messageOf(log.error)} style={{ marginBottom: 16 }} />}
      <Table<Delivery>
        rowKey="id"
        size="small"
        data-testid="deliveries-table"
        loading={log.loading}
        dataSource={log.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("accountability.deliveries.none")} /> }}
        expandable={{
          rowExpandable: (d) => d.log.length > 0,
          expandedRowRender: (d) => (
            <Table<Delivery["log"][number]>
              size="small"
              rowKey="attempt"
              pagination={false}
              dataSource={d.log}
              columns={[
                { title: "#", dataIndex: "attempt" },
                { title: t("accountability.deliveries.at"), dataIndex: "at", render: time },
                { title: t("accountability.deliveries.status"), dataIndex: "status", render: (v: number | null) => v ?? "—" },
                { title: t("accountability.deliveries.error"), dataIndex: "error", render: (v: string | null) => v ?? "—" },
                { title: t("accountability.deliveries.duration"), dataIndex: "durationMs", render: (v: number) => `${v} ms` },
              ]}
            />
          ),
        }}
        columns={[
          { title: t("accountability.deliveries.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("accountability.fields.event"), dataIndex: "kind", render: (v: string) => <EventLabel kind={v} /> },
          { title: t("accountability.deliveries.state"), key: "state", render: (_, d) => state(d) },
          { title: t("accountability.deliveries.attempts"), dataIndex: "attempts" },
          { title: t("accountability.deliveries.status"), dataIndex: "lastStatus", render: (v: number | null) => v ?? "—" },
          {
            title: t("accountability.deliveries.next"),
            dataIndex: "nextAttemptAt",
            render: (v: string | null, d) => (d.deliveredAt || d.failedAt ? "—" : time(v)),
          },
        ]}
      />
    </Drawer>
  );
}

function EventLabel({ kind }: { kind: string }) {
  const { code } = useLabels();
  return <>{code("notifications.kind", kind)}</>;
}

/** Who is told about what: staff subscriptions (in-app, optionally email) and signed webhooks. */
function Channels() {
  const { t, time } = useLabels();
  const { message, modal } = App.useApp();
  const { staff, options } = useStaffOptions();
  const subs = useLoad(() => api.get<{ items: Subscription[] }>("/notification-subscriptions"), []);
  const hooks = useLoad(() => api.get<{ items: Webhook[] }>("/webhooks"), []);
  const [subForm] = Form.useForm();
  const [hookForm] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);
  const eventOptions = EVENT_KINDS.map((k) => ({ value: k, label: <EventLabel kind={k} /> }));

  const showSecretOnce = (created: CreatedWebhook) =>
    modal.info({
      title: t("accountability.webhooks.secretTitle"),
      width: 640,
      okText: t("accountability.webhooks.secretSaved"),
      content: (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Alert type="warning" showIcon message={t("accountability.webhooks.secretOnce")} />
          <Typography.Text>{t("accountability.webhooks.secretHelp")}</Typography.Text>
          <Typography.Text code copyable data-testid="webhook-secret">
            {created.secret}
          </Typography.Text>
        </Space>
      ),
    });

  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} message={error} />}
      <Card size="small" title={t("accountability.subscriptions.title")}>
        <Typography.Paragraph type="secondary">{t("accountability.subscriptions.help")}</Typography.Paragraph>
        <Form
          form={subForm}
          name="subscription"
          layout="inline"
          initialValues={{ email: false }}
          style={{ marginBottom: 16, rowGap: 8 }}
          onFinish={async (v: { userId: string; event: string; email: boolean }) => {
            setError(null);
            try {
              await api.post("/notification-subscriptions", { userId: v.userId, event: v.event, email: !!v.email });
              void message.success(t("common.saved"));
              subForm.resetFields();
              subs.reload();
            } catch (e) {
              if (!showFieldErrors(subForm, e)) setError(messageOf(e));
            }
          }}
        >
          <Form.Item name="userId" label={t("accountability.fields.user")} rules={[{ required: true, message: t("common.required") }]}>
            <Select showSearch optionFilterProp="label" style={{ width: 240 }} options={options} />
          </Form.Item>
          <Form.Item name="event" label={t("accountability.fields.event")} rules={[{ required: true, message: t("common.required") }]}>
            <Select style={{ width: 180 }} options={eventOptions} />
          </Form.Item>
          <Form.Item name="email" label={t("accountability.subscriptions.email")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Button htmlType="submit">{t("accountability.subscriptions.subscribe")}</Button>
        </Form>
        <Table<Subscription>
          rowKey="id"
          size="small"
          data-testid="subscriptions-table"
          loading={subs.loading}
          dataSource={subs.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t("accountability.subscriptions.none")} /> }}
          columns={[
            { title: t("accountability.fields.user"), dataIndex: "userId", render: (v: string) => staff.name(v) },
            { title: t("accountability.fields.event"), dataIndex: "event", render: (v: string) => <EventLabel kind={v} /> },
            { title: t("accountability.subscriptions.email"), dataIndex: "email", render: (v: boolean) => (v ? t("common.yes") : t("common.no")) },
            { title: t("accountability.subscriptions.since"), dataIndex: "createdAt", render: time },
          ]}
        />
      </Card>
      <Card size="small" title={t("accountability.webhooks.title")}>
        <Typography.Paragraph type="secondary">{t("accountability.webhooks.help")}</Typography.Paragraph>
        <Form
          form={hookForm}
          name="webhook"
          layout="inline"
          style={{ marginBottom: 16, rowGap: 8 }}
          onFinish={async (v: { url: string; events: string[] }) => {
            setError(null);
            try {
              const created = await api.post<CreatedWebhook>("/webhooks", { url: v.url.trim(), events: v.events });
              hookForm.resetFields();
              hooks.reload();
              showSecretOnce(created);
            } catch (e) {
              if (!showFieldErrors(hookForm, e)) setError(messageOf(e));
            }
          }}
        >
          <Form.Item name="url" label={t("accountability.webhooks.url")} rules={[{ required: true, message: t("common.required") }]}>
            <Input style={{ width: 320 }} placeholder="https://" maxLength={500} />
          </Form.Item>
          <Form.Item name="events" label={t("accountability.webhooks.events")} rules={[{ required: true, message: t("common.required") }]}>
            <Select mode="multiple" style={{ width: 280 }} options={eventOptions} />
          </Form.Item>
          <Button htmlType="submit">{t("accountability.webhooks.register")}</Button>
        </Form>
        <Table<Webhook>
          rowKey="id"
          size="small"
          data-testid="webhooks-table"
          loading={hooks.loading}
          dataSource={hooks.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t("accountability.webhooks.none")} /> }}
          columns={[
            { title: t("accountability.webhooks.url"), dataIndex: "url", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            {
              title: t("accountability.webhooks.events"),
              dataIndex: "events",
              render: (e: string[]) => (
                <Space wrap size={4}>
                  {e.map((k) => (
                    <Tag key={k}>
                      <EventLabel kind={k} />
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t("common.status"),
              dataIndex: "active",
              render: (v: boolean) => (v ? <Tag color="green">{t("accountability.webhooks.active")}</Tag> : <Tag>{t("accountability.webhooks.inactive")}</Tag>),
            },
            { title: t("accountability.webhooks.createdAt"), key: "created", render: (_, h) => `${time(h.createdAt)} · ${staff.name(h.createdBy)}` },
            {
              title: t("common.actions"),
              key: "log",
              render: (_, h) => (
                <Button size="small" onClick={() => setLogOf(h)}>
                  {t("accountability.webhooks.log")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <DeliveryLog hook={logOf} onClose={() => setLogOf(null)} />
    </Space>
  );
}

const TABS = ["records", "appraisal", "cases", "awards", "drills", "channels"] as const;

function AccountabilityPage({ params }: { params: string[] }) {
  const { t } = useLabels();
  const tab = TABS.find((k) => k === params[0]) ?? "records";
  return (
    <Card title={t("accountability.title")}>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`accountability/${k}`)}
        items={[
          { key: "records", label: t("accountability.tabs.records"), children: <Records /> },
          // Appraisal, investigations and awards (issue #14, TRN-3, GOV-5).
          { key: "appraisal", label: t("appraisal.tabs.appraisal"), children: <AppraisalTab /> },
          { key: "cases", label: t("appraisal.tabs.cases"), children: <CasesTab /> },
          { key: "awards", label: t("appraisal.tabs.awards"), children: <AwardsTab /> },
          { key: "drills", label: t("accountability.tabs.drills"), children: <Drills /> },
          { key: "channels", label: t("accountability.tabs.channels"), children: <Channels /> },
        ]}
      />
    </Card>
  );
}

export const accountabilityScreen: Screen = {
  key: "accountability",
  icon: <AuditOutlined />,
  order: 59,
  group: "compliance",
  permission: "accountability.manage",
  component: AccountabilityPage,
};
