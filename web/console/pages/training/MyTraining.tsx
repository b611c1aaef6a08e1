import { Alert, Button, Card, Checkbox, Empty, Modal, Radio, Result, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useLabels } from "../programme/codes";
import { type AttemptResult, type MyAgreement, type MyCourse, type QuizQuestion, type Course, titleOf } from "./types";
import { paging } from "../../../shared/tables";

const STATUS_COLOURS: Record<string, string> = { on_time: "green", late: "gold", pending: "blue", overdue: "red", unassigned: "default" };

/** The current staff NDA, when it still needs acknowledging: read it and agree. */
export function AgreementPrompt({ onDone }: { onDone?: () => void }) {
  const { t, lang } = useLabels();
  const mine = useLoad(() => api.get<{ items: MyAgreement[] }>("/agreements/mine"), []);
  const [reading, setReading] = useState<MyAgreement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = (mine.data?.items ?? []).filter((a) => a.pending);
  const acknowledge = async (a: MyAgreement) => {
    setError(null);
    try {
      await api.post(`/agreements/${a.kind}/acknowledgements`, { version: a.version });
      setReading(null);
      mine.reload();
      onDone?.();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      {pending.map((a) => (
        <Alert
          key={a.kind}
          type="warning"
          showIcon
          data-testid="agreement-prompt"
          style={{ marginBottom: 16 }}
          message={t("training.agreement.prompt", { title: titleOf(a, lang), version: a.version })}
          description={t("training.agreement.promptHelp")}
          action={
            <Button type="primary" onClick={() => setReading(a)}>
              {t("training.agreement.read")}
            </Button>
          }
        />
      ))}
      <Modal
        open={reading !== null}
        title={reading ? `${titleOf(reading, lang)} · ${t("training.agreement.version", { version: reading.version })}` : ""}
        onCancel={() => setReading(null)}
        onOk={() => reading && void acknowledge(reading)}
        okText={t("training.agreement.acknowledge")}
        cancelText={t("common.cancel")}
        destroyOnHidden
        width={680}
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{reading ? (lang === "en" ? reading.textEn : reading.textZh) : ""}</Typography.Paragraph>
      </Modal>
    </>
  );
}

/** One course: its text, then its quiz; the server grades it and answers pass or fail. */
function TakeCourse({ courseId, onClose }: { courseId: string; onClose: () => void }) {
  const { t, lang, date } = useLabels();
  const detail = useLoad(() => api.get<{ course: Course; questions: QuizQuestion[] }>(`/training/courses/${courseId}`), [courseId]);
  const [answers, setAnswers] = useState<Record<string, number[]>>({});
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      setResult(await api.post<AttemptResult>(`/training/courses/${courseId}/attempts`, { answers }));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const course = detail.data?.course;
  return (
    <Modal open title={course ? titleOf(course, lang) : t("training.mine.take")} onCancel={onClose} footer={null} width={760} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {course && (
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }} data-testid="course-content">
          {lang === "en" ? course.contentEn : course.contentZh}
        </Typography.Paragraph>
      )}
      {result ? (
        <div data-testid="quiz-result">
          <Result
            status={result.passed ? "success" : "warning"}
            title={
              result.passed ? t("training.quiz.passed", { score: result.score }) : t("training.quiz.failed", { score: result.score, passMark: result.passMark })
            }
            subTitle={
              result.passed && result.completion ? t("training.quiz.validUntil", { date: date(result.completion.expiresAt) }) : t("training.quiz.tryAgain")
            }
            extra={
              <Space>
                {!result.passed && (
                  <Button
                    onClick={() => {
                      setResult(null);
                      setAnswers({});
                    }}
                  >
                    {t("training.quiz.retry")}
                  </Button>
                )}
                <Button type="primary" onClick={onClose}>
                  {t("training.quiz.close")}
                </Button>
              </Space>
            }
          />
        </div>
      ) : (
        <Card size="small" title={t("training.quiz.title")}>
          {(detail.data?.questions ?? []).map((q, i) => (
            <div key={q.id} style={{ marginBottom: 16 }} data-testid="quiz-question">
              <Typography.Text strong>
                {i + 1}. {lang === "en" ? q.textEn : q.textZh}
                {q.multiple && <Typography.Text type="secondary"> ({t("training.quiz.multiple")})</Typography.Text>}
              </Typography.Text>
              <div style={{ marginTop: 8 }}>
                {q.multiple ? (
                  <Checkbox.Group
                    value={answers[q.id] ?? []}
                    onChange={(v) => setAnswers({ ...answers, [q.id]: v as number[] })}
                    options={q.options.map((o, k) => ({ value: k, label: lang === "en" ? o.en : o.zh }))}
                  />
                ) : (
                  <Radio.Group
                    value={answers[q.id]?.[0]}
                    onChange={(e) => setAnswers({ ...answers, [q.id]: [e.target.value as number] })}
                    options={q.options.map((o, k) => ({ value: k, label: lang === "en" ? o.en : o.zh }))}
                  />
                )}
              </div>
            </div>
          ))}
          <Button type="primary" onClick={() => void submit()}>
            {t("training.quiz.submit")}
          </Button>
        </Card>
      )}
    </Modal>
  );
}

/** The caller's own courses: assigned or required, due dates, completion and the last attempt. */
export function MyTraining() {
  const { t, code, lang, date } = useLabels();
  const mine = useLoad(() => api.get<{ items: MyCourse[] }>("/training/mine"), []);
  const [taking, setTaking] = useState<string | null>(null);
  return (
    <>
      <AgreementPrompt />
      <Table<MyCourse>
        rowKey="courseId"
        size="small"
        data-testid="my-training"
        loading={mine.loading}
        dataSource={mine.data?.items ?? []}
        pagination={paging({ quiet: true })}
        locale={{ emptyText: <Empty description={t("training.mine.none")} /> }}
        columns={[
          {
            title: t("training.fields.title"),
            key: "title",
            render: (_, c) => (
              <Space>
                {titleOf(c, lang)}
                {c.requiredForSensitive && <Tag color="purple">{t("training.fields.required")}</Tag>}
              </Space>
            ),
          },
          { title: t("training.fields.dueOn"), dataIndex: "dueOn", render: (v: string | null) => v ?? "—" },
          { title: t("training.fields.status"), dataIndex: "status", render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{code("training.status", v)}</Tag> },
          {
            title: t("training.fields.completion"),
            key: "completion",
            render: (_, c) =>
              c.current ? (
                <Tag color="green" data-testid="completion-current">
                  {t("training.mine.currentUntil", { date: date(c.expiresAt) })}
                </Tag>
              ) : c.expiresAt ? (
                <Tag color="red">{t("training.mine.expired", { date: date(c.expiresAt) })}</Tag>
              ) : (
                <Typography.Text type="secondary">{t("training.mine.notYet")}</Typography.Text>
              ),
          },
          {
            title: t("training.fields.lastAttempt"),
            key: "attempt",
            render: (_, c) =>
              c.lastAttempt ? t(c.lastAttempt.passed ? "training.mine.attemptPassed" : "training.mine.attemptFailed", { score: c.lastAttempt.score }) : "—",
          },
          {
            title: t("common.actions"),
            key: "take",
            render: (_, c) => (
              <Button size="small" type={c.current ? "default" : "primary"} onClick={() => setTaking(c.courseId)}>
                {t("training.mine.take")}
              </Button>
            ),
          },
        ]}
      />
      {taking && (
        <TakeCourse
          courseId={taking}
          onClose={() => {
            setTaking(null);
            mine.reload();
          }}
        />
      )}
    </>
  );
}
