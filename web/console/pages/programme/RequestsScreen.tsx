import { FileProtectOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Timeline, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { StaffName, StaffPicker } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { shortId, useLabels } from "./codes";
import { RegimesTab, UnverifiedTag, useRegimes } from "./RegimesTab";
import { byDate, filterBy, openableRow, paging } from "../../../shared/tables";

// Mirrors src/rights/requests/request.ts (the API validates; these only fill the pickers).
const STATUSES = ["received", "verified", "in_progress", "extended", "fulfilled", "refused"] as const;
const REFUSAL_REASONS = [
  "identity_not_verified",
  "manifestly_unfounded",
  "excessive",
  "legal_hold",
  "retention_required",
  "not_applicable",
  "client_erased",
] as const;
const EXTENSION_REASONS = ["complex_request", "numerous_requests"] as const;
const EVIDENCE_KINDS = ["id_document_in_person", "video_call", "signed_form", "notarised_letter"] as const;
const OPEN = new Set(["received", "verified", "in_progress", "extended"]);

export interface StaffRequest {
  id: string;
  type: string;
  status: string;
  receivedAt: string;
  dueDate: string;
  extendedDueDate: string | null;
  extensionReason: string | null;
  outcome: string | null;
  outcomeDetails: Record<string, string | null> | null;
  closedAt: string | null;
  regime: string;
  language: string;
  clientId: string | null;
  match: string;
  ownerId: string | null;
  verifiedAt: string | null;
  verificationMethod: string | null;
  verificationEvidence: string | null;
  reminder: boolean;
  overdue: boolean;
  history?: { seq: number; status: string; at: string; actorId: string | null; reason: string | null }[];
}

const STATUS_COLOURS: Record<string, string> = {
  received: "blue",
  verified: "cyan",
  in_progress: "geekblue",
  extended: "purple",
  fulfilled: "green",
  refused: "default",
};

function DeadlineTags({ row }: { row: StaffRequest }) {
  const { t } = useLabels();
  return (
    <Space size={4}>
      {row.overdue && <Tag color="red">{t("requests.flags.overdue")}</Tag>}
      {!row.overdue && row.reminder && <Tag color="orange">{t("requests.flags.reminder")}</Tag>}
    </Space>
  );
}

function RequestList() {
  const { t, code, date, time } = useLabels();
  const regimes = useRegimes();
  const [status, setStatus] = useState<string | undefined>();
  const [openOnly, setOpenOnly] = useState(true);
  const [overdue, setOverdue] = useState(false);
  const list = useLoad(
    () => api.get<{ items: StaffRequest[] }>(`/requests${query({ status, open: openOnly ? "true" : undefined, overdue: overdue ? "true" : undefined })}`),
    [status, openOnly, overdue],
  );
  const rows = list.data?.items ?? [];
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("requests.filters.status")}
          aria-label={t("requests.filters.status")}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: code("requests.status", s) }))}
        />
        <Checkbox checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)}>
          {t("requests.filters.open")}
        </Checkbox>
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>
          {t("requests.filters.overdue")}
        </Checkbox>
      </Space>
      {list.error ? <Alert type="error" showIcon message={t("common.loadFailed")} description={messageOf(list.error)} /> : null}
      <Table<StaffRequest>
        rowKey="id"
        size="small"
        data-testid="requests-table"
        loading={list.loading}
        dataSource={rows}
        pagination={paging()}
        onRow={openableRow((row) => navigate(`requests/${row.id}`))}
        columns={[
          {
            title: t("requests.fields.due"),
            key: "due",
            sorter: byDate((r) => r.extendedDueDate ?? r.dueDate),
            render: (_, row) => (
              <Space>
                <strong>{date(row.extendedDueDate ?? row.dueDate)}</strong>
                <DeadlineTags row={row} />
              </Space>
            ),
          },
          {
            title: t("requests.fields.type"),
            dataIndex: "type",
            ...filterBy(
              rows,
              (r) => r.type,
              (c) => code("requests.type", c),
            ),
            render: (v: string) => code("requests.type", v),
          },
          {
            title: t("common.status"),
            dataIndex: "status",
            ...filterBy(
              rows,
              (r) => r.status,
              (c) => code("requests.status", c),
            ),
            render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{code("requests.status", v)}</Tag>,
          },
          { title: t("requests.fields.regime"), dataIndex: "regime", ...filterBy(rows, (r) => r.regime, regimes.name), render: (v: string) => regimes.name(v) },
          { title: t("requests.fields.match"), dataIndex: "match", render: (v: string) => code("requests.match", v) },
          { title: t("requests.fields.receivedAt"), dataIndex: "receivedAt", sorter: byDate((r) => r.receivedAt), render: time },
          { title: t("requests.fields.owner"), dataIndex: "ownerId", render: (v: string | null) => <StaffName id={v} /> },
          { title: t("requests.fields.id"), dataIndex: "id", render: (v: string) => <Typography.Text code>{shortId(v)}</Typography.Text> },
        ]}
      />
    </>
  );
}

type Dialog = null | "assign" | "verify" | "extend" | "refuse";

function RequestDetail({ id }: { id: string }) {
  const { t, code, date, time } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  const staff = useStaffNames();
  const regimes = useRegimes();
  const request = useLoad(() => api.get<StaffRequest>(`/requests/${id}`), [id]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ token: string; tokenExpiresAt: string } | null>(null);
  const [form] = Form.useForm();

  const r = request.data;
  const open = (d: Dialog) => {
    setError(null);
    form.resetFields();
    if (d === "verify" && r?.clientId) form.setFieldsValue({ clientId: r.clientId });
    if (d === "assign" && r) form.setFieldsValue({ ownerId: r.ownerId ?? me.userId, regime: r.regime });
    setDialog(d);
  };
  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      setDialog(null);
      void message.success(t("common.saved"));
      request.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    const v = await form.validateFields();
    if (dialog === "assign") await act(() => api.post(`/requests/${id}/assign`, { ownerId: v.ownerId || undefined, regime: v.regime || undefined }));
    if (dialog === "extend") await act(() => api.post(`/requests/${id}/extend`, { reason: v.reason }));
    if (dialog === "refuse") await act(() => api.post(`/requests/${id}/refuse`, { reason: v.reason }));
    if (dialog === "verify") {
      await act(async () => {
        const out = await api.post<StaffRequest & { token: string; tokenExpiresAt: string }>(`/requests/${id}/verify`, {
          clientId: v.clientId,
          evidence: { kind: v.kind, reference: v.reference },
        });
        setIssued({ token: out.token, tokenExpiresAt: out.tokenExpiresAt });
      });
    }
  };
  const fulfil = () => act(() => api.post(`/requests/${id}/fulfil`));

  if (request.error)
    return (
      <Alert
        type="error"
        showIcon
        message={t("common.loadFailed")}
        description={messageOf(request.error)}
        action={<Button onClick={() => navigate("requests")}>{t("requests.back")}</Button>}
      />
    );
  if (!r) return <Card loading />;
  const isOpen = OPEN.has(r.status);
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={
          <Space>
            {t("requests.detail.title")}
            <Tag color={STATUS_COLOURS[r.status]}>{code("requests.status", r.status)}</Tag>
            <DeadlineTags row={r} />
          </Space>
        }
        extra={<Button onClick={() => navigate("requests")}>{t("requests.back")}</Button>}
      >
        {issued && (
          <Alert
            type="success"
            showIcon
            closable
            style={{ marginBottom: 16 }}
            message={t("requests.detail.tokenIssued")}
            description={
              <Space direction="vertical">
                <Typography.Text code copyable data-testid="request-token">
                  {issued.token}
                </Typography.Text>
                <span>{t("requests.detail.tokenExpires", { at: time(issued.tokenExpiresAt) })}</span>
              </Space>
            }
            onClose={() => setIssued(null)}
          />
        )}
        {error && !dialog && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="request-error" />}
        <Descriptions bordered size="small" column={2} data-testid="request-facts">
          <Descriptions.Item label={t("requests.fields.type")}>{code("requests.type", r.type)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.regime")}>{regimes.name(r.regime)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.receivedAt")}>{time(r.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.due")}>
            <Space size={4}>
              {date(r.dueDate)}
              <UnverifiedTag regime={regimes.byCode(r.regime)} testId="due-unverified" />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.extendedDue")}>{date(r.extendedDueDate)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.extensionReason")}>{code("requests.extension", r.extensionReason)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.match")}>{code("requests.match", r.match)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.client")}>
            <Typography.Text code>{r.clientId ?? "—"}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.owner")}>
            <span data-testid="request-owner">
              <StaffName id={r.ownerId} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.language")}>{r.language}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.verifiedAt")}>{time(r.verifiedAt)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.verification")}>
            {r.verificationMethod
              ? `${code("requests.method", r.verificationMethod)}${r.verificationEvidence ? ` · ${code("requests.evidence", r.verificationEvidence.split(":")[0])} ${r.verificationEvidence.split(":").slice(1).join(":")}` : ""}`
              : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.outcome")}>{code("requests.outcome", r.outcome)}</Descriptions.Item>
          <Descriptions.Item label={t("requests.fields.closedAt")}>{time(r.closedAt)}</Descriptions.Item>
        </Descriptions>
        {isOpen && (
          <Space wrap style={{ marginTop: 16 }}>
            <Button onClick={() => open("assign")}>{t("requests.actions.assign")}</Button>
            {r.status === "received" && (
              <Button type="primary" onClick={() => open("verify")}>
                {t("requests.actions.verify")}
              </Button>
            )}
            {r.status !== "received" && <Button onClick={() => open("extend")}>{t("requests.actions.extend")}</Button>}
            {r.status !== "received" && (
              <Popconfirm
                title={t("requests.actions.fulfilConfirm")}
                description={t(`requests.fulfilHelp.${r.type === "deletion" ? "deletion" : "other"}`)}
                onConfirm={fulfil}
              >
                <Button type="primary" loading={busy}>
                  {t("requests.actions.fulfil")}
                </Button>
              </Popconfirm>
            )}
            <Button danger onClick={() => open("refuse")}>
              {t("requests.actions.refuse")}
            </Button>
          </Space>
        )}
      </Card>
      <Card title={t("requests.detail.history")}>
        <Timeline
          data-testid="request-history"
          items={(r.history ?? []).map((h) => ({
            key: h.seq,
            color: h.status === "refused" ? "red" : h.status === "fulfilled" ? "green" : "blue",
            children: (
              <Space direction="vertical" size={0}>
                <strong>{code("requests.status", h.status)}</strong>
                <Typography.Text type="secondary">
                  {time(h.at)} · {h.actorId ? staff.name(h.actorId) : t("requests.detail.portal")}
                </Typography.Text>
                {h.reason && <Tag>{code("requests.reason", h.reason)}</Tag>}
              </Space>
            ),
          }))}
        />
      </Card>
      <Modal
        open={dialog !== null}
        title={dialog ? t(`requests.actions.${dialog}`) : ""}
        okText={t("common.submit")}
        cancelText={t("common.cancel")}
        okButtonProps={{ danger: dialog === "refuse", loading: busy }}
        onOk={() => void submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="request-dialog-error" />}
        <Form form={form} layout="vertical" preserve={false}>
          {dialog === "assign" && (
            <>
              <Form.Item
                name="ownerId"
                label={t("requests.fields.owner")}
                extra={
                  <Button type="link" size="small" onClick={() => form.setFieldsValue({ ownerId: me.userId })}>
                    {t("requests.detail.assignMe")}
                  </Button>
                }
              >
                <StaffPicker />
              </Form.Item>
              <Form.Item name="regime" label={t("requests.fields.regime")} extra={t("requests.detail.regimeHelp")}>
                <Select options={regimes.items.map((g) => ({ value: g.code, label: regimes.name(g.code) }))} />
              </Form.Item>
            </>
          )}
          {dialog === "verify" && (
            <>
              <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t("requests.detail.verifyHelp")} />
              <Form.Item name="clientId" label={t("requests.fields.client")} rules={[{ required: true, message: t("common.required") }]}>
                <Input placeholder="00000000-0000-0000-0000-000000000000" />
              </Form.Item>
              <Form.Item name="kind" label={t("requests.fields.evidenceKind")} rules={[{ required: true, message: t("common.required") }]}>
                <Select options={EVIDENCE_KINDS.map((k) => ({ value: k, label: code("requests.evidence", k) }))} />
              </Form.Item>
              <Form.Item
                name="reference"
                label={t("requests.fields.evidenceReference")}
                extra={t("requests.detail.referenceHelp")}
                rules={[{ required: true, message: t("common.required") }]}
              >
                <Input />
              </Form.Item>
            </>
          )}
          {dialog === "extend" && (
            <Form.Item name="reason" label={t("requests.fields.reason")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={EXTENSION_REASONS.map((k) => ({ value: k, label: code("requests.extension", k) }))} />
            </Form.Item>
          )}
          {dialog === "refuse" && (
            <>
              <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t("requests.detail.refuseHelp")} />
              <Form.Item name="reason" label={t("requests.fields.reason")} rules={[{ required: true, message: t("common.required") }]}>
                <Select options={REFUSAL_REASONS.map((k) => ({ value: k, label: code("requests.reason", k) }))} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

/** The requests, and the deadline regimes behind their due dates (`#/requests/regimes`). */
function RequestsHome({ tab }: { tab: "requests" | "regimes" }) {
  const { t } = useLabels();
  return (
    <Card title={t("requests.title")}>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(k === "regimes" ? "requests/regimes" : "requests")}
        items={[
          { key: "requests", label: t("requests.tabs.requests"), children: <RequestList /> },
          { key: "regimes", label: t("requests.tabs.regimes"), children: <RegimesTab /> },
        ]}
      />
    </Card>
  );
}

function RequestsPage({ params }: { params: string[] }) {
  if (params[0] === "regimes") return <RequestsHome tab="regimes" />;
  return params[0] ? <RequestDetail key={params[0]} id={params[0]} /> : <RequestsHome tab="requests" />;
}

export const requestsScreen: Screen = {
  key: "requests",
  icon: <FileProtectOutlined />,
  order: 50,
  group: "compliance",
  permission: "request.manage",
  component: RequestsPage,
};
