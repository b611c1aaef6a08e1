import { CommentOutlined } from "@ant-design/icons";
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
  Modal,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useCursorList, type CursorPage } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { shortId, useLabels, UUID } from "../programme/codes";
import type { Screen } from "../registry";
import { openableRow } from "../../../shared/tables";

// Mirrors src/rights/complaints/complaints.ts (the API validates; these only fill the pickers).
const CATEGORIES = ["data_handling", "request_handling", "disclosure", "security", "service", "other"] as const;
const STATUSES = ["open", "investigating", "responded", "closed"] as const;
const STATUS_COLOURS: Record<string, string> = { open: "red", investigating: "gold", responded: "green", closed: "default" };

interface ListedComplaint {
  id: string;
  channel: string;
  category: string;
  language: string;
  status: string;
  slaDueAt: string;
  overdue: boolean;
  incidentId: string | null;
  filedBy: string | null;
  hasEmail: boolean;
  hasPhone: boolean;
  respondedAt: string | null;
  createdAt: string;
  closedAt: string | null;
}
interface Complaint {
  id: string;
  channel: string;
  category: string;
  language: string;
  status: string;
  slaDueAt: string;
  overdue: boolean;
  incidentId: string | null;
  filedBy: string | null;
  createdAt: string;
  closedAt: string | null;
  description: string;
  email: string | null;
  phone: string | null;
  response: { text: string; at: string; by: string; emailed: boolean } | null;
  notes: { authorId: string; at: string; text: string }[];
}
interface IncidentRow {
  id: string;
  category: string;
  severity: string;
  openedAt: string;
}

function Sla({ due, overdue }: { due: string; overdue: boolean }) {
  const { t, date } = useLabels();
  return (
    <Space size={4}>
      {date(due)}
      {overdue && <Tag color="red">{t("complaints.overdue")}</Tag>}
    </Space>
  );
}

/** A complaint received by letter, phone or in person (POST /complaints). */
function RecordComplaint({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, code } = useLabels();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      const c = await api.post<Complaint>("/complaints", {
        category: v.category,
        description: v.description,
        language: v.language,
        ...(v.email?.trim() ? { email: v.email.trim() } : {}),
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      });
      form.resetFields();
      onClose();
      navigate(`complaints/${c.id}`);
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={open}
      title={t("complaints.record.title")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      width={640}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t("complaints.record.help")}</Typography.Paragraph>
      <Form form={form} name="complaint" layout="vertical" initialValues={{ language: "zh-CN" }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="category" label={t("complaints.fields.category")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={CATEGORIES.map((c) => ({ value: c, label: code("complaints.category", c) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="language" label={t("complaints.fields.language")}>
              <Select
                options={[
                  { value: "zh-CN", label: "中文" },
                  { value: "en", label: "English" },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t("complaints.fields.description")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={5} maxLength={4000} showCount />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="email" label={t("complaints.fields.email")} extra={t("complaints.record.emailHelp")}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label={t("complaints.fields.phone")}>
              <Input maxLength={30} autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function ComplaintList() {
  const { t, code, time } = useLabels();
  const [status, setStatus] = useState<string | undefined>();
  const [recording, setRecording] = useState(false);
  const list = useCursorList((cursor) => api.get<CursorPage<ListedComplaint>>(`/complaints${query({ status, cursor, limit: 50 })}`), [status]);
  return (
    <Card
      title={t("complaints.title")}
      extra={
        <Space>
          <Button onClick={list.reload}>{t("common.refresh")}</Button>
          <Button type="primary" onClick={() => setRecording(true)}>
            {t("complaints.record.open")}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("complaints.allStatuses")}
          aria-label={t("common.status")}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: code("complaints.status", s) }))}
        />
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <Table<ListedComplaint>
        rowKey="id"
        size="small"
        data-testid="complaints-table"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: <Empty description={t("complaints.none")} /> }}
        onRow={openableRow((c) => navigate(`complaints/${c.id}`))}
        columns={[
          { title: t("complaints.fields.reference"), dataIndex: "id", render: (v: string) => <Typography.Text code>{shortId(v)}</Typography.Text> },
          { title: t("complaints.fields.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("complaints.fields.channel"), dataIndex: "channel", render: (v: string) => code("complaints.channel", v) },
          { title: t("complaints.fields.category"), dataIndex: "category", render: (v: string) => code("complaints.category", v) },
          {
            title: t("complaints.fields.status"),
            dataIndex: "status",
            render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{code("complaints.status", v)}</Tag>,
          },
          { title: t("complaints.fields.sla"), key: "sla", render: (_, c) => <Sla due={c.slaDueAt} overdue={c.overdue} /> },
          {
            title: t("complaints.fields.contact"),
            key: "contact",
            render: (_, c) => (
              <Space size={4}>
                {c.hasEmail && <Tag>{t("complaints.fields.email")}</Tag>}
                {c.hasPhone && <Tag>{t("complaints.fields.phone")}</Tag>}
                {!c.hasEmail && !c.hasPhone && "—"}
              </Space>
            ),
          },
          {
            title: t("complaints.fields.incident"),
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
      <RecordComplaint open={recording} onClose={() => setRecording(false)} />
    </Card>
  );
}

function ComplaintDetail({ id }: { id: string }) {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const staff = useStaffNames();
  const loaded = useLoad(() => api.get<Complaint>(`/complaints/${id}`), [id]);
  const incidents = useLoad(() => api.get<CursorPage<IncidentRow>>(`/incidents${query({ limit: 100 })}`), []);
  const [current, setCurrent] = useState<Complaint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const [answer] = Form.useForm();
  const c = current ?? loaded.data;
  if (loaded.loading && !c) return <Card loading />;
  if (!c)
    return (
      <Result
        status="warning"
        title={t("complaints.detail.unavailable")}
        subTitle={messageOf(loaded.error)}
        extra={<Button onClick={() => navigate("complaints")}>{t("complaints.back")}</Button>}
      />
    );
  const closed = c.status === "closed";
  const saved = (next: Complaint) => {
    setCurrent(next);
    void message.success(t("common.saved"));
  };
  const respond = async () => {
    const v = await answer.validateFields();
    setError(null);
    try {
      saved(await api.post<Complaint>(`/complaints/${id}/response`, { text: v.text }));
      answer.resetFields();
    } catch (e) {
      if (!showFieldErrors(answer, e)) setError(messageOf(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} message={error} data-testid="complaint-error" />}
      <Card
        title={t("complaints.detail.title", { ref: shortId(c.id) })}
        extra={<Button onClick={() => navigate("complaints")}>{t("complaints.back")}</Button>}
        data-testid="complaint-detail"
      >
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t("complaints.fields.status")}>
            <Tag color={STATUS_COLOURS[c.status]} data-testid="complaint-status">
              {code("complaints.status", c.status)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.sla")}>
            <span data-testid="complaint-sla">
              <Sla due={c.slaDueAt} overdue={c.overdue} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.category")}>{code("complaints.category", c.category)}</Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.channel")}>{code("complaints.channel", c.channel)}</Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.createdAt")}>{time(c.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.filedBy")}>
            {c.filedBy ? staff.name(c.filedBy) : code("complaints.channel", c.channel)}
          </Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.email")}>{c.email ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.phone")}>{c.phone ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.language")}>{c.language === "en" ? "English" : "中文"}</Descriptions.Item>
          <Descriptions.Item label={t("complaints.fields.incident")}>
            {c.incidentId ? <a href={`#/incidents/${c.incidentId}`}>{shortId(c.incidentId)}</a> : "—"}
          </Descriptions.Item>
          {c.closedAt && <Descriptions.Item label={t("complaints.fields.closedAt")}>{time(c.closedAt)}</Descriptions.Item>}
        </Descriptions>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t("complaints.fields.description")}
        </Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{c.description}</Typography.Paragraph>
      </Card>

      <Card title={t("complaints.detail.response")}>
        {c.response ? (
          <div data-testid="complaint-response">
            <Typography.Paragraph type="secondary">
              {t("complaints.detail.respondedBy", { who: staff.name(c.response.by), at: time(c.response.at) })}{" "}
              <Tag color={c.response.emailed ? "green" : "default"}>{t(c.response.emailed ? "complaints.detail.emailed" : "complaints.detail.notEmailed")}</Tag>
            </Typography.Paragraph>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{c.response.text}</Typography.Paragraph>
          </div>
        ) : closed ? (
          <Typography.Text type="secondary">{t("complaints.detail.noResponse")}</Typography.Text>
        ) : (
          <Form form={answer} name="response" layout="vertical" style={{ maxWidth: 760 }}>
            <Form.Item
              name="text"
              label={t("complaints.detail.answer")}
              extra={t(c.email ? "complaints.detail.answerEmailHelp" : "complaints.detail.answerNoEmailHelp")}
              rules={[{ required: true, whitespace: true, message: t("common.required") }]}
            >
              <Input.TextArea rows={5} maxLength={8000} showCount />
            </Form.Item>
            <Popconfirm
              title={t("complaints.detail.answerConfirm")}
              onConfirm={() => void respond()}
              okText={t("common.submit")}
              cancelText={t("common.cancel")}
            >
              <Button type="primary">{t("complaints.detail.sendAnswer")}</Button>
            </Popconfirm>
          </Form>
        )}
      </Card>

      <Card title={t("complaints.detail.handling")}>
        {c.notes.length > 0 && (
          <Timeline
            data-testid="complaint-notes"
            items={c.notes.map((n, k) => ({
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
        {closed ? (
          <Typography.Text type="secondary">{t("complaints.detail.closed")}</Typography.Text>
        ) : (
          <Form
            form={form}
            name="handling"
            layout="vertical"
            style={{ maxWidth: 760 }}
            initialValues={{ status: c.status }}
            onFinish={async (v: { status?: string; note?: string; incidentId?: string }) => {
              setError(null);
              const change = {
                ...(v.status && v.status !== c.status ? { status: v.status } : {}),
                ...(v.note?.trim() ? { note: v.note.trim() } : {}),
                ...(v.incidentId && v.incidentId !== c.incidentId ? { incidentId: v.incidentId } : {}),
              };
              if (Object.keys(change).length === 0) return;
              try {
                const next = await api.patch<Complaint>(`/complaints/${id}`, change);
                saved(next);
                form.setFieldsValue({ status: next.status, note: undefined, incidentId: undefined });
              } catch (e) {
                if (!showFieldErrors(form, e)) setError(messageOf(e));
              }
            }}
          >
            <Form.Item name="status" label={t("complaints.fields.status")}>
              <Select style={{ width: 200 }} options={STATUSES.map((s) => ({ value: s, label: code("complaints.status", s) }))} />
            </Form.Item>
            <Form.Item name="incidentId" label={t("complaints.detail.linkIncident")}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                loading={incidents.loading}
                placeholder={t("complaints.detail.chooseIncident")}
                options={(incidents.data?.items ?? []).map((i) => ({
                  value: i.id,
                  label: `${shortId(i.id)} · ${code("incidents.category", i.category)} · ${code("incidents.severity", i.severity)} · ${time(i.openedAt)}`,
                }))}
              />
            </Form.Item>
            <Form.Item name="note" label={t("complaints.detail.note")} extra={t("complaints.detail.noteHelp")}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
            <Button htmlType="submit">{t("common.save")}</Button>
          </Form>
        )}
      </Card>
    </Space>
  );
}

function ComplaintsPage({ params }: { params: string[] }) {
  if (params[0] && UUID.test(params[0])) return <ComplaintDetail key={params[0]} id={params[0]} />;
  return <ComplaintList />;
}

export const complaintsScreen: Screen = {
  key: "complaints",
  icon: <CommentOutlined />,
  order: 58,
  group: "compliance",
  permission: "complaint.manage",
  component: ComplaintsPage,
};
