import { Space, Table, Tag, Typography } from "antd";
import { describeCron } from "./schedule";
import { splitSummary, useJobLabels } from "./labels";
import type { Job, JobRun, JobRunReport } from "./types";
import { paging } from "../../../shared/tables";

/** An outcome as a coloured tag with its label. */
export function OutcomeTag({ outcome }: { outcome: string }) {
  const l = useJobLabels();
  return (
    <Tag color={l.outcomeColour(outcome)} data-testid="job-outcome" data-outcome={outcome}>
      {l.outcome(outcome)}
    </Tag>
  );
}

/** A run's summary: the skip or failure reason as a label, then the operator's line (counts, never personal data). */
export function RunSummary({ outcome, summary, code }: { outcome: string; summary: string | null; code?: string | undefined }) {
  const l = useJobLabels();
  const split = code ? { code, text: summary === code ? "" : (summary ?? "").replace(`${code}: `, "") } : splitSummary(outcome, summary);
  if (!split.code && !split.text) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      {split.code && <Typography.Text strong>{l.code(split.code)}</Typography.Text>}
      {split.text && <Typography.Text type="secondary">{split.text}</Typography.Text>}
    </Space>
  );
}

/** The schedule in words, the cron it comes from, and the next run in the firm's time. */
export function ScheduleCell({ job }: { job: Job }) {
  const l = useJobLabels();
  const { t } = l;
  let words: string;
  if (!job.enabled) words = t("jobs.schedule.off");
  else if (job.after) words = t("jobs.schedule.after", { job: l.job(job.after) });
  else if (!job.cron) words = t("jobs.schedule.off");
  else {
    const w = describeCron(job.cron);
    words =
      w.key === "weekly"
        ? t("jobs.schedule.weekly", { days: w.weekdays.map((d) => t(`jobs.weekdays.${d}`)).join(t("jobs.schedule.separator")), time: w.time })
        : t(`jobs.schedule.${w.key}`, w);
  }
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text data-testid="job-schedule">{words}</Typography.Text>
      {job.cron && job.enabled && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("jobs.schedule.cron", { zone: job.timeZone })} <Typography.Text code>{job.cron}</Typography.Text>
        </Typography.Text>
      )}
      {job.enabled && job.nextRun && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="job-next-run">
          {t("jobs.schedule.next", { time: l.time(job.nextRun) })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The last five runs of a job (the expanded row). */
export function RecentRuns({ runs }: { runs: JobRun[] }) {
  const l = useJobLabels();
  return (
    <Table<JobRun>
      rowKey="id"
      size="small"
      pagination={paging({ quiet: true })}
      dataSource={runs}
      locale={{ emptyText: l.t("jobs.neverRun") }}
      columns={[
        { title: l.t("jobs.columns.startedAt"), dataIndex: "startedAt", render: l.time },
        { title: l.t("jobs.columns.finishedAt"), dataIndex: "finishedAt", render: l.time },
        { title: l.t("jobs.columns.trigger"), dataIndex: "trigger", render: l.trigger },
        { title: l.t("jobs.columns.outcome"), dataIndex: "outcome", render: (o: string) => <OutcomeTag outcome={o} /> },
        { title: l.t("jobs.columns.summary"), key: "summary", render: (_: unknown, r) => <RunSummary outcome={r.outcome} summary={r.summary} /> },
      ]}
    />
  );
}

/** What "Run now" answered: each run (the job and those that follow it) with its outcome. */
export function RunResult({ runs }: { runs: JobRunReport[] }) {
  const l = useJobLabels();
  if (runs.length === 0) return <Typography.Text>{l.t("jobs.run.alreadyRunning")}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2}>
      {runs.map((r) => (
        <Space key={r.job} size={6} wrap>
          <Typography.Text strong>{l.job(r.job)}</Typography.Text>
          <OutcomeTag outcome={r.result.outcome} />
          <RunSummary outcome={r.result.outcome} summary={r.result.summary} code={r.result.code} />
        </Space>
      ))}
    </Space>
  );
}
