import { Alert, App as AntApp, Button, Card, Descriptions, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { FindingsTable } from "./Findings";
import { RaiseFinding } from "./Forms";
import { type Figure, RESULT_COLOURS, RESULTS, type Result, RUN_COLOURS, type Run, SHARE_FIGURES } from "./types";
import { paging } from "../../../shared/tables";

/** The figures an evidence source snapshotted, with labels; shares as percentages. */
export function EvidenceFigures({ figures }: { figures: Record<string, Figure> }) {
  const { t, code, time } = useLabels();
  const show = (key: string, value: Figure) => {
    if (value === null) return "—";
    if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
    if (typeof value === "number" && SHARE_FIGURES.has(key)) return `${(value * 100).toFixed(1)}%`;
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return time(value);
    return String(value);
  };
  return (
    <Space size={[8, 2]} wrap>
      {Object.entries(figures).map(([k, v]) => (
        <Typography.Text key={k} type="secondary">
          {code("assessments.figures", k)}: <Typography.Text strong>{show(k, v)}</Typography.Text>
        </Typography.Text>
      ))}
    </Space>
  );
}

export function RunDetail({ id }: { id: string }) {
  const { t, code, date, time, lang } = useLabels();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const staff = useStaffNames();
  const run = useLoad(() => api.get<Run>(`/assessments/runs/${id}`), [id]);
  const [raising, setRaising] = useState(false);
  const manages = me.permissions.includes("assessment.manage");
  const post = async (path: string, body: object = {}) => {
    try {
      await api.post(path, body);
      run.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const answer = async (c: Result, result: string) => {
    try {
      await api.put(`/assessments/runs/${id}/controls/${c.code}`, { result, notes: c.notes, documentRefs: c.documentRefs });
      run.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  if (run.error !== null) return <Alert type="error" showIcon message={messageOf(run.error)} />;
  const r = run.data;
  return (
    <Card
      loading={run.loading && !r}
      title={r ? `${code("assessments.kinds", r.kind)} · ${date(r.plannedOn)}` : t("assessments.run.title")}
      extra={
        <Space>
          <Button onClick={() => navigate("assessments")}>{t("assessments.back")}</Button>
          {r && manages && r.status === "planned" && (
            <Button type="primary" onClick={() => void post(`/assessments/runs/${id}/start`)}>
              {t("assessments.run.start")}
            </Button>
          )}
          {r && manages && r.status === "in_progress" && (
            <Button type="primary" onClick={() => void post(`/assessments/runs/${id}/complete`)}>
              {t("assessments.run.complete")}
            </Button>
          )}
          {r && manages && r.status !== "planned" && <Button onClick={() => setRaising(true)}>{t("assessments.raise.open")}</Button>}
        </Space>
      }
    >
      {r && (
        <>
          <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t("assessments.fields.status")}>
              <Tag color={RUN_COLOURS[r.status]}>{code("assessments.runStatus", r.status)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("assessments.fields.assessor")}>{staff.name(r.assessorId)}</Descriptions.Item>
            <Descriptions.Item label={t("assessments.fields.scope")}>
              {r.scope.length ? r.scope.map((a) => code("assessments.areas", a)).join("、") : t("assessments.allAreas")}
            </Descriptions.Item>
            <Descriptions.Item label={t("assessments.fields.startedAt")}>{time(r.startedAt)}</Descriptions.Item>
            <Descriptions.Item label={t("assessments.fields.completedAt")}>{time(r.completedAt)}</Descriptions.Item>
            <Descriptions.Item label={t("assessments.fields.progress")}>
              {t("assessments.run.progress", { answered: r.counts.answered, controls: r.counts.controls, gaps: r.counts.gaps })}
            </Descriptions.Item>
          </Descriptions>
          {r.status === "planned" && <Alert type="info" showIcon message={t("assessments.run.plannedHint")} style={{ marginBottom: 16 }} />}
          {r.carriedOver.length > 0 && (
            <>
              <Typography.Title level={5}>{t("assessments.run.carriedOver")}</Typography.Title>
              <FindingsTable items={r.carriedOver} onChanged={run.reload} />
            </>
          )}
          <Typography.Title level={5}>{t("assessments.run.controls")}</Typography.Title>
          <Table<Result>
            rowKey="code"
            size="small"
            data-testid="run-controls"
            dataSource={r.results}
            pagination={paging({ quiet: true })}
            columns={[
              { title: t("assessments.fields.control"), dataIndex: "code", width: 90 },
              { title: t("assessments.fields.title"), key: "title", render: (_, c) => (lang === "en" ? c.titleEn : c.titleZh) },
              {
                title: t("assessments.fields.evidence"),
                key: "evidence",
                render: (_, c) =>
                  c.evidence ? (
                    <Space direction="vertical" size={2}>
                      <Typography.Text>{code("assessments.sources", c.evidenceSource)}</Typography.Text>
                      <EvidenceFigures figures={c.evidence} />
                      {c.suggested && (
                        <span>
                          {t("assessments.suggested")}: <Tag color={RESULT_COLOURS[c.suggested]}>{code("assessments.results", c.suggested)}</Tag>
                        </span>
                      )}
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t("assessments.byHand")}</Typography.Text>
                  ),
              },
              {
                title: t("assessments.fields.result"),
                key: "result",
                width: 170,
                render: (_, c) =>
                  manages && r.status === "in_progress" ? (
                    <Select
                      size="small"
                      style={{ width: 150 }}
                      value={c.result ?? undefined}
                      placeholder={t("assessments.unanswered")}
                      onChange={(v) => void answer(c, v)}
                      options={RESULTS.map((x) => ({ value: x, label: code("assessments.results", x) }))}
                    />
                  ) : c.result ? (
                    <Tag color={RESULT_COLOURS[c.result]}>{code("assessments.results", c.result)}</Tag>
                  ) : (
                    "—"
                  ),
              },
              {
                title: t("assessments.fields.notes"),
                dataIndex: "notes",
                render: (v: string | null, c) => [v, ...c.documentRefs].filter(Boolean).join(" · ") || "—",
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("assessments.run.findings")}
          </Typography.Title>
          <FindingsTable items={r.findings} onChanged={run.reload} />
          {raising && (
            <RaiseFinding
              open
              runId={id}
              controls={r.results.map((c) => c.code)}
              onClose={() => setRaising(false)}
              onDone={() => {
                setRaising(false);
                run.reload();
              }}
            />
          )}
        </>
      )}
    </Card>
  );
}
