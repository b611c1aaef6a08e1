import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from "antd";
import { type ReactNode, useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { StaffName, StaffPicker } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useLabels } from "../programme/codes";
import {
  AGREEMENT_KINDS,
  type AgreementVersion,
  CHECK_OUTCOMES,
  CHECK_SCOPES,
  type CheckStatus,
  type Course,
  type Obligation,
  ROLES,
  type Report,
  titleOf,
} from "./types";
import { byDate, byText, filterBy, paging } from "../../../shared/tables";

/** One modal form: validates, posts, shows the API's field errors on the fields. */
function FormModal(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  submit: (v: Record<string, unknown>) => Promise<void>;
  children: ReactNode;
  width?: number;
}) {
  const { t } = useLabels();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const ok = async () => {
    const values = await form.validateFields();
    setError(null);
    try {
      await props.submit(values);
      form.resetFields();
      props.onClose();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => void ok()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      width={props.width ?? 680}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        {props.children}
      </Form>
    </Modal>
  );
}

/** "中文 | English" per line; a line without "|" serves both languages. */
const optionsOf = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [zh, en] = l.split("|").map((s) => s.trim());
      return { zh: zh!, en: en || zh! };
    });

function CreateCourse({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useLabels();
  const req = [{ required: true, message: t("common.required") }];
  return (
    <FormModal
      open={open}
      title={t("training.courses.create")}
      onClose={onClose}
      width={820}
      submit={async (v) => {
        const questions = ((v.questions as Record<string, unknown>[] | undefined) ?? []).map((q) => ({
          textZh: q.textZh,
          textEn: q.textEn || q.textZh,
          options: optionsOf(String(q.options ?? "")),
          correct: ((q.correct as number[] | undefined) ?? []).map((n) => n - 1),
        }));
        await api.post("/training/courses", {
          titleZh: v.titleZh,
          titleEn: v.titleEn,
          contentZh: v.contentZh ?? "",
          contentEn: v.contentEn ?? "",
          validityMonths: v.validityMonths,
          passMark: v.passMark,
          requiredForSensitive: Boolean(v.requiredForSensitive),
          questions,
        });
        onDone();
      }}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="titleZh" label={t("training.courses.titleZh")} rules={req}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="titleEn" label={t("training.courses.titleEn")} rules={req}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="contentZh" label={t("training.courses.contentZh")}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Form.Item name="contentEn" label={t("training.courses.contentEn")}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Space size="large">
        <Form.Item name="validityMonths" label={t("training.courses.validityMonths")} rules={req} initialValue={12}>
          <InputNumber min={1} max={120} />
        </Form.Item>
        <Form.Item name="passMark" label={t("training.courses.passMark")} rules={req} initialValue={80}>
          <InputNumber min={1} max={100} />
        </Form.Item>
        <Form.Item name="requiredForSensitive" label={t("training.courses.requiredForSensitive")} valuePropName="checked" initialValue={false}>
          <Switch />
        </Form.Item>
      </Space>
      <Typography.Title level={5}>{t("training.courses.questions")}</Typography.Title>
      <Form.List name="questions" initialValue={[{}]}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={t("training.courses.questionN", { n: i + 1 })}
                extra={
                  fields.length > 1 && (
                    <Button size="small" type="link" onClick={() => remove(f.name)}>
                      {t("training.courses.removeQuestion")}
                    </Button>
                  )
                }
              >
                <Form.Item name={[f.name, "textZh"]} label={t("training.courses.questionZh")} rules={req}>
                  <Input />
                </Form.Item>
                <Form.Item name={[f.name, "textEn"]} label={t("training.courses.questionEn")}>
                  <Input />
                </Form.Item>
                <Form.Item name={[f.name, "options"]} label={t("training.courses.options")} extra={t("training.courses.optionsHelp")} rules={req}>
                  <Input.TextArea rows={3} />
                </Form.Item>
                <Form.Item name={[f.name, "correct"]} label={t("training.courses.correct")} rules={req}>
                  <Select mode="multiple" options={[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ value: n, label: t("training.courses.optionN", { n }) }))} />
                </Form.Item>
              </Card>
            ))}
            <Button onClick={() => add({})}>{t("training.courses.addQuestion")}</Button>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}

function AssignCourse({ course, onClose }: { course: Course | null; onClose: () => void }) {
  const { t, lang } = useLabels();
  const [target, setTarget] = useState<"role" | "user">("role");
  return (
    <FormModal
      open={course !== null}
      title={course ? t("training.assign.title", { title: titleOf(course, lang) }) : ""}
      onClose={onClose}
      submit={async (v) => {
        const due = v.dueOn as { format: (f: string) => string };
        await api.post(`/training/courses/${course!.id}/assignments`, {
          ...(target === "role" ? { role: v.role } : { userId: v.userId }),
          dueOn: due.format("YYYY-MM-DD"),
        });
      }}
    >
      <Form.Item label={t("training.assign.target")}>
        <Select
          value={target}
          onChange={setTarget}
          options={[
            { value: "role", label: t("training.assign.byRole") },
            { value: "user", label: t("training.assign.byPerson") },
          ]}
        />
      </Form.Item>
      {target === "role" ? (
        <Form.Item name="role" label={t("training.assign.role")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
      ) : (
        <Form.Item name="userId" label={t("training.assign.person")} rules={[{ required: true, message: t("common.required") }]}>
          <StaffPicker />
        </Form.Item>
      )}
      <Form.Item name="dueOn" label={t("training.fields.dueOn")} rules={[{ required: true, message: t("common.required") }]}>
        <DatePicker />
      </Form.Item>
    </FormModal>
  );
}

export function CourseAdmin() {
  const { t, code, lang } = useLabels();
  const list = useLoad(() => api.get<{ items: Course[] }>("/training/courses"), []);
  const rows = list.data?.items ?? [];
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<Course | null>(null);
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t("training.courses.create")}
        </Button>
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
      </Space>
      <Table<Course>
        rowKey="id"
        size="small"
        data-testid="courses-table"
        loading={list.loading}
        dataSource={rows}
        pagination={paging()}
        columns={[
          {
            title: t("training.fields.title"),
            key: "title",
            sorter: byText((c) => titleOf(c, lang)),
            render: (_, c) => (
              <Space>
                {titleOf(c, lang)}
                {c.requiredForSensitive && <Tag color="purple">{t("training.fields.required")}</Tag>}
              </Space>
            ),
          },
          { title: t("training.courses.validityMonths"), dataIndex: "validityMonths" },
          { title: t("training.courses.passMark"), dataIndex: "passMark", render: (v: number) => `${v}%` },
          { title: t("training.courses.questions"), dataIndex: "questionCount" },
          {
            title: t("training.fields.status"),
            dataIndex: "status",
            ...filterBy(
              rows,
              (c) => c.status,
              (v) => code("training.courseStatus", v),
            ),
            render: (v: string) => code("training.courseStatus", v),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, c) =>
              c.status === "active" && (
                <Button size="small" onClick={() => setAssigning(c)}>
                  {t("training.assign.open")}
                </Button>
              ),
          },
        ]}
      />
      <CreateCourse open={creating} onClose={() => setCreating(false)} onDone={list.reload} />
      <AssignCourse course={assigning} onClose={() => setAssigning(null)} />
    </>
  );
}

export function AgreementAdmin() {
  const { t, code, lang, time } = useLabels();
  const list = useLoad(() => api.get<{ items: AgreementVersion[] }>("/agreements"), []);
  const [publishing, setPublishing] = useState(false);
  const req = [{ required: true, message: t("common.required") }];
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setPublishing(true)}>
          {t("training.agreements.publish")}
        </Button>
      </Space>
      <Table<AgreementVersion>
        rowKey="id"
        size="small"
        data-testid="agreements-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        columns={[
          { title: t("training.agreements.kindLabel"), dataIndex: "kind", render: (v: string) => code("training.agreements.kind", v) },
          { title: t("training.fields.title"), key: "title", render: (_, v) => titleOf(v, lang) },
          {
            title: t("training.agreements.versionLabel"),
            key: "version",
            render: (_, v) => (
              <Space>
                {t("training.agreement.version", { version: v.version })}
                {v.current && <Tag color="green">{t("training.agreements.current")}</Tag>}
              </Space>
            ),
          },
          { title: t("training.agreements.publishedAt"), dataIndex: "publishedAt", render: (v: string) => time(v) },
        ]}
      />
      <FormModal
        open={publishing}
        title={t("training.agreements.publish")}
        onClose={() => setPublishing(false)}
        submit={async (v) => {
          await api.post(`/agreements/${v.kind}/versions`, { titleZh: v.titleZh, titleEn: v.titleEn, textZh: v.textZh, textEn: v.textEn });
          list.reload();
        }}
      >
        <Typography.Paragraph type="secondary">{t("training.agreements.publishHelp")}</Typography.Paragraph>
        <Form.Item name="kind" label={t("training.agreements.kindLabel")} rules={req} initialValue="staff_nda">
          <Select options={AGREEMENT_KINDS.map((k) => ({ value: k, label: code("training.agreements.kind", k) }))} />
        </Form.Item>
        <Form.Item name="titleZh" label={t("training.courses.titleZh")} rules={req}>
          <Input />
        </Form.Item>
        <Form.Item name="titleEn" label={t("training.courses.titleEn")} rules={req}>
          <Input />
        </Form.Item>
        <Form.Item name="textZh" label={t("training.agreements.textZh")} rules={req}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="textEn" label={t("training.agreements.textEn")} rules={req}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </FormModal>
    </>
  );
}

export function Overview() {
  const { t, lang } = useLabels();
  const report = useLoad(() => api.get<Report>("/training/report"), []);
  const overdue = useLoad(() => api.get<{ items: Obligation[] }>("/training/overdue"), []);
  const courses = useLoad(() => api.get<{ items: Course[] }>("/training/courses"), []);
  const courseTitle = (id: string) => {
    const c = courses.data?.items.find((x) => x.id === id);
    return c ? titleOf(c, lang) : "—";
  };
  const overdueRows = overdue.data?.items ?? [];
  const f = report.data?.figures;
  return (
    <>
      {f && (
        <Row gutter={16} style={{ marginBottom: 16 }} data-testid="training-figures">
          <Col span={6}>
            <Statistic title={t("training.overview.assigned")} value={f.assigned} />
          </Col>
          <Col span={6}>
            <Statistic title={t("training.overview.completedOnTime")} value={f.completedOnTime} />
          </Col>
          <Col span={6}>
            <Statistic title={t("training.overview.overdue")} value={f.overdue} />
          </Col>
          <Col span={6}>
            <Statistic title={t("training.overview.acknowledged")} value={`${f.staffAcknowledged} / ${f.staffNeedingAck}`} />
          </Col>
        </Row>
      )}
      <Typography.Title level={5}>{t("training.overview.overdueList")}</Typography.Title>
      <Table<Obligation>
        rowKey={(o) => `${o.userId}|${o.courseId}`}
        size="small"
        loading={overdue.loading}
        dataSource={overdueRows}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("training.overview.noneOverdue")} /> }}
        columns={[
          { title: t("training.overview.person"), dataIndex: "userId", render: (v: string) => <StaffName id={v} /> },
          {
            title: t("training.fields.title"),
            dataIndex: "courseId",
            ...filterBy(overdueRows, (o) => o.courseId, courseTitle),
            render: (v: string) => courseTitle(v),
          },
          { title: t("training.fields.dueOn"), dataIndex: "dueOn", sorter: byDate((o) => o.dueOn) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("training.overview.completions")}
      </Typography.Title>
      <Table
        rowKey="courseId"
        size="small"
        dataSource={report.data?.courses ?? []}
        pagination={paging({ quiet: true })}
        columns={[
          { title: t("training.fields.title"), dataIndex: "courseId", render: (v: string) => courseTitle(v) },
          {
            title: t("training.overview.current"),
            dataIndex: "currentCompletions",
            render: (v: number) => `${v} / ${report.data?.activeStaff ?? 0}`,
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("training.overview.pendingAck")}
      </Typography.Title>
      <Space wrap>
        {(report.data?.pendingAcknowledgement ?? []).map((id) => (
          <StaffName key={id} id={id} />
        ))}
        {report.data?.pendingAcknowledgement.length === 0 && <Typography.Text type="secondary">{t("common.none")}</Typography.Text>}
      </Space>
    </>
  );
}

export function BackgroundChecks() {
  const { t, code } = useLabels();
  const list = useLoad(() => api.get<{ items: CheckStatus[] }>("/background-checks"), []);
  const rows = list.data?.items ?? [];
  const [recording, setRecording] = useState(false);
  const req = [{ required: true, message: t("common.required") }];
  return (
    <>
      <Typography.Paragraph type="secondary">{t("training.checks.intro")}</Typography.Paragraph>
      <Button type="primary" style={{ marginBottom: 16 }} onClick={() => setRecording(true)}>
        {t("training.checks.record")}
      </Button>
      <Table<CheckStatus>
        rowKey="userId"
        size="small"
        loading={list.loading}
        dataSource={rows}
        pagination={paging()}
        columns={[
          { title: t("training.overview.person"), dataIndex: "userId", render: (v: string) => <StaffName id={v} /> },
          {
            title: t("training.checks.role"),
            dataIndex: "role",
            ...filterBy(
              rows,
              (c) => c.role,
              (v) => t(`roles.${v}`),
            ),
            render: (v: string) => t(`roles.${v}`),
          },
          { title: t("training.checks.checkedOn"), key: "on", sorter: byDate((c) => c.latest?.checkedOn), render: (_, c) => c.latest?.checkedOn ?? "—" },
          {
            title: t("training.checks.outcome"),
            key: "outcome",
            ...filterBy(
              rows,
              (c) => c.latest?.outcome,
              (v) => code("training.checks.outcomes", v),
            ),
            render: (_, c) => code("training.checks.outcomes", c.latest?.outcome),
          },
          { title: t("training.checks.notes"), key: "notes", render: (_, c) => c.latest?.notes ?? "—" },
          {
            title: t("training.checks.nextDueOn"),
            key: "next",
            render: (_, c) => (c.due ? <Tag color="red">{t("training.checks.due")}</Tag> : (c.latest?.nextDueOn ?? "—")),
          },
        ]}
      />
      <FormModal
        open={recording}
        title={t("training.checks.record")}
        onClose={() => setRecording(false)}
        submit={async (v) => {
          const day = (d: unknown) => (d ? (d as { format: (f: string) => string }).format("YYYY-MM-DD") : null);
          await api.post("/background-checks", {
            userId: v.userId,
            checkedOn: day(v.checkedOn),
            scope: v.scope,
            outcome: v.outcome,
            ...(v.notes ? { notes: v.notes } : {}),
            nextDueOn: day(v.nextDueOn),
          });
          list.reload();
        }}
      >
        <Form.Item name="userId" label={t("training.overview.person")} rules={req}>
          <StaffPicker />
        </Form.Item>
        <Form.Item name="checkedOn" label={t("training.checks.checkedOn")} rules={req}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="scope" label={t("training.checks.scope")} rules={req}>
          <Select mode="multiple" options={CHECK_SCOPES.map((s) => ({ value: s, label: code("training.checks.scopes", s) }))} />
        </Form.Item>
        <Form.Item name="outcome" label={t("training.checks.outcome")} rules={req}>
          <Select options={CHECK_OUTCOMES.map((s) => ({ value: s, label: code("training.checks.outcomes", s) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t("training.checks.notes")} extra={t("training.checks.notesHelp")}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="nextDueOn" label={t("training.checks.nextDueOn")}>
          <DatePicker />
        </Form.Item>
      </FormModal>
    </>
  );
}
