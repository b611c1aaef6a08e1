import { Alert, App, Button, Col, Descriptions, Drawer, Empty, Form, Input, Row, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { RegisterPicker } from "../../../shared/pickers";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { FormModal } from "../../../shared/FormModal";
import { useLabels } from "../programme/codes";
import { RULE_CODES, useStaffOptions } from "./shared";

// Mirrors src/governance/accountability/{accountability-records,accountability-cases,awards}.ts (the API validates).
const OUTCOMES = ["warning", "training", "suspension", "demotion", "dismissal", "referral", "no_violation"] as const;
const AWARDS = ["confidentiality_star", "privacy_champion", "incident_responder"] as const;
const CASE_STATUSES = ["opened", "investigating", "decided", "published", "closed"] as const;
const RATING_COLOURS: Record<string, string> = { excellent: "green", good: "blue", needs_improvement: "orange", unsatisfactory: "red" };
const STATUS_COLOURS: Record<string, string> = { opened: "default", investigating: "processing", decided: "orange", published: "purple", closed: "green" };

interface Appraisal {
  userId: string;
  role: string;
  score: number;
  rating: string;
  deductions: { input: string; points: number }[];
  inputs: {
    trainingCompletions: number | null;
    trainingCurrent: boolean | null;
    policiesRequired: number;
    policiesAttested: number;
    alerts: number;
    seriousAlerts: number;
    sanctions: string[];
  };
  awards: string[];
}
interface Case {
  id: string;
  subjectId: string;
  subjectRole: string;
  ruleCode: string;
  status: string;
  incidentId: string | null;
  findings: string | null;
  hasFindings?: boolean;
  outcome: string | null;
  decidedBy: string | null;
  decidedOn: string | null;
  openedBy: string;
  openedAt: string;
}
interface Award {
  id: string;
  userId: string;
  awardCode: string;
  period: string;
  citation: string | null;
  awardedOn: string;
  published: boolean;
}

/** The current quarter and the seven before it, newest first. */
function recentQuarters(): string[] {
  const now = new Date();
  let y = now.getFullYear();
  let q = Math.floor(now.getMonth() / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(`${y}-Q${q}`);
    if (--q === 0) {
      q = 4;
      y--;
    }
  }
  return out;
}

function GrantAward({ userId, period, onClose, onDone }: { userId: string | null; period: string; onClose: () => void; onDone: () => void }) {
  const { t, code } = useLabels();
  const staff = useStaffNames();
  return (
    <FormModal
      open={userId !== null}
      title={t("appraisal.awards.grantTo", { name: userId ? staff.name(userId) : "", period })}
      name="award"
      width={520}
      initialValues={{ awardCode: "confidentiality_star" }}
      onClose={onClose}
      submit={async (v) => {
        const citation = typeof v.citation === "string" ? v.citation.trim() : "";
        await api.post("/awards", { userId, period, awardCode: v.awardCode, ...(citation ? { citation } : {}) });
        onDone();
      }}
    >
      <Form.Item name="awardCode" label={t("appraisal.awards.award")} rules={[{ required: true, message: t("common.required") }]}>
        <Select options={AWARDS.map((a) => ({ value: a, label: code("appraisal.award", a) }))} />
      </Form.Item>
      <Form.Item name="citation" label={t("appraisal.awards.citation")} extra={t("appraisal.awards.citationHint")}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

/** Confidentiality performance per person for a quarter, with the inputs behind each score (TRN-3). */
export function AppraisalTab() {
  const { t, code } = useLabels();
  const staff = useStaffNames();
  const quarters = recentQuarters();
  const [period, setPeriod] = useState(quarters[0]!);
  const [awarding, setAwarding] = useState<string | null>(null);
  const list = useLoad(() => api.get<{ items: Appraisal[] }>(`/appraisals${query({ period })}`), [period]);
  const inputsOf = (a: Appraisal) => (
    <Descriptions size="small" column={2} bordered>
      <Descriptions.Item label={t("appraisal.inputs.training")}>
        {a.inputs.trainingCurrent === null
          ? t("appraisal.inputs.notTracked")
          : t("appraisal.inputs.trainingValue", {
              count: a.inputs.trainingCompletions ?? 0,
              current: a.inputs.trainingCurrent ? t("common.yes") : t("common.no"),
            })}
      </Descriptions.Item>
      <Descriptions.Item label={t("appraisal.inputs.attestations")}>
        {t("appraisal.inputs.attestationsValue", { attested: a.inputs.policiesAttested, required: a.inputs.policiesRequired })}
      </Descriptions.Item>
      <Descriptions.Item label={t("appraisal.inputs.alerts")}>
        {t("appraisal.inputs.alertsValue", { count: a.inputs.alerts, serious: a.inputs.seriousAlerts })}
      </Descriptions.Item>
      <Descriptions.Item label={t("appraisal.inputs.sanctions")}>
        {a.inputs.sanctions.map((s) => code("accountability.sanction", s)).join("、") || "—"}
      </Descriptions.Item>
      <Descriptions.Item label={t("appraisal.inputs.deductions")} span={2}>
        {a.deductions.map((d) => t("appraisal.inputs.deduction", { input: code("appraisal.input", d.input), points: d.points })).join("；") || "—"}
      </Descriptions.Item>
    </Descriptions>
  );
  return (
    <>
      <Typography.Paragraph type="secondary">{t("appraisal.intro")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          style={{ width: 140 }}
          value={period}
          onChange={setPeriod}
          options={quarters.map((q) => ({ value: q, label: q }))}
          data-testid="appraisal-period"
          aria-label={t("appraisal.awards.period")}
        />
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Appraisal>
        rowKey="userId"
        size="small"
        data-testid="appraisal-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: inputsOf }}
        columns={[
          { title: t("appraisal.fields.person"), dataIndex: "userId", render: (v: string) => staff.name(v) },
          { title: t("appraisal.fields.role"), dataIndex: "role", render: (v: string) => t(`roles.${v}`) },
          { title: t("appraisal.fields.score"), dataIndex: "score", sorter: (a, b) => a.score - b.score },
          {
            title: t("appraisal.fields.rating"),
            dataIndex: "rating",
            render: (v: string) => <Tag color={RATING_COLOURS[v]}>{code("appraisal.rating", v)}</Tag>,
          },
          {
            title: t("appraisal.fields.awards"),
            dataIndex: "awards",
            render: (v: string[]) =>
              v.map((a) => (
                <Tag key={a} color="gold">
                  {code("appraisal.award", a)}
                </Tag>
              )),
          },
          {
            title: "",
            key: "award",
            render: (_, a) => (
              <Button size="small" onClick={() => setAwarding(a.userId)}>
                {t("appraisal.awards.grant")}
              </Button>
            ),
          },
        ]}
      />
      <GrantAward
        userId={awarding}
        period={period}
        onClose={() => setAwarding(null)}
        onDone={() => {
          setAwarding(null);
          list.reload();
        }}
      />
    </>
  );
}

/** Awards granted, and publishing them to the internal noticeboard. */
export function AwardsTab() {
  const { t, code, date } = useLabels();
  const { message } = App.useApp();
  const staff = useStaffNames();
  const list = useLoad(() => api.get<{ items: Award[] }>("/awards"), []);
  const [error, setError] = useState<string | null>(null);
  const publish = async (a: Award) => {
    setError(null);
    try {
      await api.post(`/awards/${a.id}/publish`);
      message.success(t("appraisal.awards.published"));
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t("appraisal.awards.intro")}</Typography.Paragraph>
      {!!(list.error || error) && <Alert type="error" showIcon message={error ?? messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Award>
        rowKey="id"
        size="small"
        data-testid="awards-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("appraisal.awards.none")} /> }}
        columns={[
          { title: t("appraisal.awards.period"), dataIndex: "period" },
          { title: t("appraisal.fields.person"), dataIndex: "userId", render: (v: string) => staff.name(v) },
          { title: t("appraisal.awards.award"), dataIndex: "awardCode", render: (v: string) => <Tag color="gold">{code("appraisal.award", v)}</Tag> },
          { title: t("appraisal.awards.citation"), dataIndex: "citation", render: (v: string | null) => v ?? "—" },
          { title: t("appraisal.awards.awardedOn"), dataIndex: "awardedOn", render: (v: string) => date(v) },
          {
            title: "",
            key: "publish",
            render: (_, a) =>
              a.published ? (
                <Tag>{t("appraisal.awards.published")}</Tag>
              ) : (
                <Button size="small" onClick={() => void publish(a)}>
                  {t("appraisal.awards.publish")}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}

function CaseDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t, code, date, time } = useLabels();
  const staff = useStaffNames();
  const detail = useLoad(() => (id ? api.get<Case>(`/accountability-cases/${id}`) : Promise.resolve(null)), [id]);
  const [findings, setFindings] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const c = detail.data;
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      detail.reload();
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const text = findings ?? c?.findings ?? "";
  return (
    <Drawer open={id !== null} onClose={onClose} width={680} title={t("appraisal.cases.title")} destroyOnHidden>
      {!!(detail.error || error) && <Alert type="error" showIcon message={error ?? messageOf(detail.error)} style={{ marginBottom: 16 }} />}
      {c && (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t("appraisal.cases.subject")}>{`${staff.name(c.subjectId)} · ${t(`roles.${c.subjectRole}`)}`}</Descriptions.Item>
            <Descriptions.Item label={t("accountability.fields.ruleCode")}>{code("accountability.rule", c.ruleCode)}</Descriptions.Item>
            <Descriptions.Item label={t("appraisal.cases.status")}>
              <Tag color={STATUS_COLOURS[c.status]}>{code("appraisal.caseStatus", c.status)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("appraisal.cases.opened")}>{`${staff.name(c.openedBy)} · ${time(c.openedAt)}`}</Descriptions.Item>
            {c.outcome && (
              <Descriptions.Item label={t("appraisal.cases.outcome")}>
                {`${code("appraisal.outcome", c.outcome)} · ${c.decidedBy ? staff.name(c.decidedBy) : ""} · ${date(c.decidedOn)}`}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t("appraisal.cases.findings")}</Typography.Title>
          {c.status === "opened" || c.status === "investigating" ? (
            <>
              <Input.TextArea rows={6} value={text} onChange={(e) => setFindings(e.target.value)} maxLength={20000} />
              <Typography.Paragraph type="secondary">{t("appraisal.cases.findingsHint")}</Typography.Paragraph>
              <Space wrap style={{ marginBottom: 16 }}>
                <Button disabled={!text.trim()} onClick={() => void act(() => api.put(`/accountability-cases/${c.id}/findings`, { findings: text.trim() }))}>
                  {t("appraisal.cases.saveFindings")}
                </Button>
                {c.status === "opened" && (
                  <Button onClick={() => void act(() => api.post(`/accountability-cases/${c.id}/investigate`))}>{t("appraisal.cases.investigate")}</Button>
                )}
              </Space>
            </>
          ) : (
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{c.findings ?? "—"}</Typography.Paragraph>
          )}
          {c.status === "investigating" && (
            <Space wrap>
              <Select
                style={{ width: 240 }}
                placeholder={t("appraisal.cases.outcome")}
                value={outcome}
                onChange={setOutcome}
                options={OUTCOMES.map((o) => ({ value: o, label: code("appraisal.outcome", o) }))}
              />
              <Button type="primary" disabled={!outcome} onClick={() => void act(() => api.post(`/accountability-cases/${c.id}/decide`, { outcome }))}>
                {t("appraisal.cases.decide")}
              </Button>
            </Space>
          )}
          {c.status === "decided" && (
            <Space wrap>
              {c.outcome !== "no_violation" && (
                <Button type="primary" onClick={() => void act(() => api.post(`/accountability-cases/${c.id}/publish`))}>
                  {t("appraisal.cases.publish")}
                </Button>
              )}
              <Button onClick={() => void act(() => api.post(`/accountability-cases/${c.id}/close`))}>{t("appraisal.cases.close")}</Button>
            </Space>
          )}
          {c.status === "published" && (
            <Button onClick={() => void act(() => api.post(`/accountability-cases/${c.id}/close`))}>{t("appraisal.cases.close")}</Button>
          )}
          {c.status === "decided" && c.outcome !== "no_violation" && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              {t("appraisal.cases.publishHint")}
            </Typography.Paragraph>
          )}
        </>
      )}
    </Drawer>
  );
}

/** Investigations (GOV-5): opened → investigating → decided → published → closed. */
export function CasesTab() {
  const { t, code, time } = useLabels();
  const { staff, options } = useStaffOptions();
  const [status, setStatus] = useState<string | undefined>();
  const list = useLoad(() => api.get<{ items: Case[] }>(`/accountability-cases${query({ status })}`), [status]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const submit = async (v: Record<string, unknown>) => {
    const c = await api.post<Case>("/accountability-cases", {
      subjectId: v.subjectId,
      ruleCode: v.ruleCode,
      ...(v.incidentId ? { incidentId: v.incidentId } : {}),
    });
    list.reload();
    setOpenId(c.id);
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("appraisal.cases.allStatuses")}
          aria-label={t("appraisal.cases.allStatuses")}
          value={status}
          onChange={setStatus}
          options={CASE_STATUSES.map((s) => ({ value: s, label: code("appraisal.caseStatus", s) }))}
        />
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t("appraisal.cases.open")}
        </Button>
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Case>
        rowKey="id"
        size="small"
        data-testid="cases-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("appraisal.cases.none")} /> }}
        onRow={(c) => ({ onClick: () => setOpenId(c.id), style: { cursor: "pointer" } })}
        columns={[
          { title: t("appraisal.cases.opened"), dataIndex: "openedAt", render: (v: string) => time(v) },
          { title: t("appraisal.cases.subject"), dataIndex: "subjectId", render: (v: string) => staff.name(v) },
          { title: t("accountability.fields.ruleCode"), dataIndex: "ruleCode", render: (v: string) => code("accountability.rule", v) },
          {
            title: t("appraisal.cases.status"),
            dataIndex: "status",
            render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{code("appraisal.caseStatus", v)}</Tag>,
          },
          { title: t("appraisal.cases.outcome"), dataIndex: "outcome", render: (v: string | null) => (v ? code("appraisal.outcome", v) : "—") },
        ]}
      />
      <CaseDrawer id={openId} onClose={() => setOpenId(null)} onChanged={list.reload} />
      <FormModal open={creating} title={t("appraisal.cases.open")} name="case-open" width={520} onClose={() => setCreating(false)} submit={submit}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="subjectId" label={t("appraisal.cases.subject")} rules={[{ required: true, message: t("common.required") }]}>
              <Select showSearch optionFilterProp="label" options={options} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="ruleCode" label={t("accountability.fields.ruleCode")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={RULE_CODES.map((c) => ({ value: c, label: code("accountability.rule", c) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="incidentId" label={t("accountability.fields.incident")}>
          <RegisterPicker kind="incidents" />
        </Form.Item>
      </FormModal>
    </>
  );
}
