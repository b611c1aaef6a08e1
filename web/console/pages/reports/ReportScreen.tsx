import { FlagOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Result, Select, Space, Switch, Table, Tabs, Tag, Timeline, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useCursorList, type CursorPage } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { shortId, useLabels, UUID } from "../programme/codes";
import type { Screen } from "../registry";
import { openableRow } from "../../../shared/tables";

// Mirrors src/response/incidents/internal-reports.ts (the API validates; these only fill the pickers).
export const REPORT_CATEGORIES = ["unauthorised_access", "data_taken_out", "sharing_credentials", "wall_breach", "other"] as const;
const REPORT_STATUSES = ["open", "investigating", "closed"] as const;
const STATUS_COLOURS: Record<string, string> = { open: "red", investigating: "gold", closed: "default" };

interface ListedReport {
  id: string;
  reporterId: string | null;
  anonymous: boolean;
  category: string;
  status: string;
  incidentId: string | null;
  createdAt: string;
  notes: number;
}
interface Report extends Omit<ListedReport, "notes"> {
  description: string;
  notes: { authorId: string; at: string; text: string }[];
}
interface IncidentRow {
  id: string;
  category: string;
  severity: string;
  status: string;
  openedAt: string;
}

/** Any staff member reports suspected misuse, in their own name or anonymously (AUD-4). */
function FileReport() {
  const { t, code } = useLabels();
  const [form] = Form.useForm();
  const [filed, setFiled] = useState<{ id: string; anonymous: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const anonymous = Form.useWatch("anonymous", form) as boolean | undefined;
  return (
    <Space orientation="vertical" style={{ width: "100%", maxWidth: 720 }}>
      <Typography.Paragraph type="secondary">{t("report.file.intro")}</Typography.Paragraph>
      {filed && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setFiled(null)}
          data-testid="report-filed"
          message={t("report.file.done")}
          description={t(filed.anonymous ? "report.file.doneAnonymous" : "report.file.doneNamed", { ref: shortId(filed.id) })}
        />
      )}
      {error && <Alert type="error" showIcon message={error} />}
      <Form
        form={form}
        name="report"
        layout="vertical"
        initialValues={{ anonymous: false }}
        onFinish={async (v: { category: string; description: string; anonymous: boolean }) => {
          setError(null);
          try {
            const r = await api.post<{ id: string }>("/reports", { category: v.category, description: v.description, anonymous: !!v.anonymous });
            setFiled({ id: r.id, anonymous: !!v.anonymous });
            form.resetFields();
          } catch (e) {
            if (!showFieldErrors(form, e)) setError(messageOf(e));
          }
        }}
      >
        <Form.Item name="category" label={t("report.fields.category")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={REPORT_CATEGORIES.map((c) => ({ value: c, label: code("report.category", c) }))} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t("report.fields.description")}
          extra={t("report.file.descriptionHelp")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Input.TextArea rows={6} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item
          name="anonymous"
          label={t("report.fields.anonymous")}
          valuePropName="checked"
          extra={t(anonymous ? "report.file.anonymousHelp" : "report.file.namedHelp")}
        >
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t("report.file.submit")}
        </Button>
      </Form>
    </Space>
  );
}

function Triage() {
  const { t, code, time } = useLabels();
  const staff = useStaffNames();
  const [status, setStatus] = useState<string | undefined>();
  const list = useCursorList((cursor) => api.get<CursorPage<ListedReport>>(`/reports${query({ status, cursor, limit: 50 })}`), [status]);
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("report.triage.allStatuses")}
          aria-label={t("common.status")}
          value={status}
          onChange={setStatus}
          options={REPORT_STATUSES.map((s) => ({ value: s, label: code("report.status", s) }))}
        />
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <Table<ListedReport>
        rowKey="id"
        size="small"
        data-testid="reports-table"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: <Empty description={t("report.triage.none")} /> }}
        onRow={openableRow((r) => navigate(`report/${r.id}`))}
        columns={[
          { title: t("report.fields.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("report.fields.category"), dataIndex: "category", render: (v: string) => code("report.category", v) },
          { title: t("report.fields.status"), dataIndex: "status", render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{code("report.status", v)}</Tag> },
          {
            title: t("report.fields.reporter"),
            key: "reporter",
            render: (_, r) => (r.anonymous ? <Tag>{t("report.anonymous")}</Tag> : staff.name(r.reporterId)),
          },
          { title: t("report.fields.notes"), dataIndex: "notes" },
          {
            title: t("report.fields.incident"),
            dataIndex: "incidentId",
            render: (v: string | null) => (v ? <Typography.Text code>{shortId(v)}</Typography.Text> : "—"),
          },
        ]}
      />
      {list.hasMore && (
        <Button style={{ marginTop: 12 }} onClick={list.more}>
          {t("common.loadMore")}
        </Button>
      )}
    </>
  );
}

/** The compliance view of one report: the sealed description and notes, opened for this read only. */
function ReportDetail({ id }: { id: string }) {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const staff = useStaffNames();
  const loaded = useLoad(() => api.get<Report>(`/reports/${id}`), [id]);
  const incidents = useLoad(() => api.get<CursorPage<IncidentRow>>(`/incidents${query({ limit: 100 })}`), []);
  const [current, setCurrent] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const r = current ?? loaded.data;
  if (loaded.loading && !r) return <Card loading />;
  if (!r)
    return (
      <Result
        status="warning"
        title={t("report.detail.unavailable")}
        subTitle={messageOf(loaded.error)}
        extra={<Button onClick={() => navigate("report/triage")}>{t("report.back")}</Button>}
      />
    );
  const incidentOptions = (incidents.data?.items ?? []).map((i) => ({
    value: i.id,
    label: `${shortId(i.id)} · ${code("incidents.category", i.category)} · ${code("incidents.severity", i.severity)} · ${time(i.openedAt)}`,
  }));
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title={t("report.detail.title", { ref: shortId(r.id) })}
        extra={<Button onClick={() => navigate("report/triage")}>{t("report.back")}</Button>}
        data-testid="report-detail"
      >
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t("report.fields.category")}>{code("report.category", r.category)}</Descriptions.Item>
          <Descriptions.Item label={t("report.fields.status")}>
            <Tag color={STATUS_COLOURS[r.status]}>{code("report.status", r.status)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("report.fields.reporter")}>
            {r.anonymous ? <Tag>{t("report.anonymous")}</Tag> : staff.name(r.reporterId)}
          </Descriptions.Item>
          <Descriptions.Item label={t("report.fields.createdAt")}>{time(r.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t("report.fields.incident")} span={2}>
            {r.incidentId ? (
              <a href={`#/incidents/${r.incidentId}`} data-testid="report-incident">
                {shortId(r.incidentId)}
              </a>
            ) : (
              "—"
            )}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t("report.fields.description")}
        </Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }} data-testid="report-description">
          {r.description}
        </Typography.Paragraph>
      </Card>
      <Card title={t("report.detail.notes")}>
        {r.notes.length === 0 ? (
          <Typography.Text type="secondary">{t("report.detail.noNotes")}</Typography.Text>
        ) : (
          <Timeline
            data-testid="report-notes"
            items={r.notes.map((n, k) => ({
              key: k,
              children: (
                <>
                  <Typography.Text type="secondary">
                    {time(n.at)} · {staff.name(n.authorId)}
                  </Typography.Text>
                  <div style={{ whiteSpace: "pre-wrap" }}>{n.text}</div>
                </>
              ),
            }))}
          />
        )}
      </Card>
      <Card title={t("report.detail.triage")}>
        {error && <Alert type="error" showIcon closable onClose={() => setError(null)} message={error} style={{ marginBottom: 16 }} />}
        <Form
          form={form}
          name="triage"
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ status: r.status }}
          onFinish={async (v: { status?: string; note?: string; incidentId?: string }) => {
            setError(null);
            const change = {
              ...(v.status && v.status !== r.status ? { status: v.status } : {}),
              ...(v.note?.trim() ? { note: v.note.trim() } : {}),
              ...(v.incidentId && v.incidentId !== r.incidentId ? { incidentId: v.incidentId } : {}),
            };
            if (Object.keys(change).length === 0) return;
            try {
              const next = await api.patch<Report>(`/reports/${id}`, change);
              setCurrent(next);
              form.setFieldsValue({ status: next.status, note: undefined, incidentId: undefined });
              void message.success(t("common.saved"));
            } catch (e) {
              if (!showFieldErrors(form, e)) setError(messageOf(e));
            }
          }}
        >
          <Form.Item name="status" label={t("report.fields.status")}>
            <Select style={{ width: 200 }} options={REPORT_STATUSES.map((s) => ({ value: s, label: code("report.status", s) }))} />
          </Form.Item>
          <Form.Item name="incidentId" label={t("report.detail.linkIncident")} extra={t("report.detail.linkHelp")}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              loading={incidents.loading}
              options={incidentOptions}
              placeholder={t("report.detail.chooseIncident")}
            />
          </Form.Item>
          <Form.Item name="note" label={t("report.detail.note")} extra={t("report.detail.noteHelp")}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t("common.save")}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}

function ReportPage({ params }: { params: string[] }) {
  const { t } = useLabels();
  const { me } = useSession();
  const canTriage = me.permissions.includes("report.manage");
  if (params[0] && UUID.test(params[0]) && canTriage) return <ReportDetail key={params[0]} id={params[0]} />;
  const tab = canTriage && params[0] === "triage" ? "triage" : "file";
  return (
    <Card title={t("report.title")}>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(k === "triage" ? "report/triage" : "report")}
        items={[
          { key: "file", label: t("report.tabs.file"), children: <FileReport /> },
          ...(canTriage ? [{ key: "triage", label: t("report.tabs.triage"), children: <Triage /> }] : []),
        ]}
      />
    </Card>
  );
}

export const reportScreen: Screen = { key: "report", icon: <FlagOutlined />, order: 85, group: "business", component: ReportPage };
