import { PlayCircleOutlined, ScheduleOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Popconfirm, Space, Table, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { OutcomeTag, RecentRuns, RunResult, RunSummary, ScheduleCell } from "./JobParts";
import { useJobLabels } from "./labels";
import type { Job, JobList, JobRunReport } from "./types";
import { paging } from "../../../shared/tables";

type Outcome = { job: string; runs: JobRunReport[] } | { job: string; error: unknown };

const alertType = (o: Outcome) => {
  if ("error" in o) return "error";
  const outcomes = o.runs.map((r) => r.result.outcome);
  if (outcomes.includes("failed")) return "error";
  // No runs: this occurrence was already claimed (a run in progress), nothing started twice.
  return outcomes.length > 0 && outcomes.every((x) => x === "ok") ? "success" : "warning";
};

/**
 * Scheduled jobs (issue #16): each job's schedule, next and last run, and "Run now" for the admin
 * (`job.manage`), as `custodia jobs list` / `jobs run`. A run answers when it has finished.
 */
function JobsPage() {
  const l = useJobLabels();
  const { t } = l;
  const jobs = useLoad(() => api.get<JobList>("/jobs"), []);
  const [running, setRunning] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async (name: string) => {
    setRunning(name);
    setOutcome(null);
    try {
      const r = await api.post<{ runs: JobRunReport[] }>(`/jobs/${encodeURIComponent(name)}/run`);
      setOutcome({ job: name, runs: r.runs });
    } catch (error) {
      setOutcome({ job: name, error });
    } finally {
      setRunning(null);
      jobs.reload();
    }
  };

  const leader = jobs.data?.leader;
  // A run also runs the jobs that follow it (the backup's verification): say so before it starts.
  const followersNote = (name: string) => {
    const followers = (jobs.data?.items ?? []).filter((j) => j.after === name && j.enabled).map((j) => l.job(j.name));
    return followers.length ? t("jobs.run.confirmFollowers", { jobs: followers.join(t("jobs.schedule.separator")) }) : t("jobs.run.confirmHelp");
  };
  return (
    <Card title={t("jobs.title")} extra={<Button onClick={jobs.reload}>{t("common.refresh")}</Button>}>
      <Space orientation="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Text type="secondary" data-testid="jobs-leader">
          {leader ? t("jobs.leader", { server: leader.holder, until: l.time(leader.expiresAt) }) : t("jobs.noLeader")}
        </Typography.Text>
        {jobs.error !== null && <Alert type="error" showIcon title={messageOf(jobs.error)} />}
        {outcome && (
          <Alert
            type={alertType(outcome)}
            showIcon
            closable={{ onClose: () => setOutcome(null) }}
            data-testid="jobs-run-result"
            title={t("jobs.run.result", { job: l.job(outcome.job) })}
            description={"error" in outcome ? messageOf(outcome.error) : <RunResult runs={outcome.runs} />}
          />
        )}
        <Table<Job>
          rowKey="name"
          size="small"
          loading={jobs.loading}
          dataSource={jobs.data?.items ?? []}
          pagination={paging()}
          data-testid="jobs-table"
          expandable={{ expandedRowRender: (j) => <RecentRuns runs={j.recentRuns} /> }}
          columns={[
            {
              title: t("jobs.columns.job"),
              dataIndex: "name",
              render: (name: string) => (
                <Typography.Text strong data-testid="job-name">
                  {l.job(name)}
                </Typography.Text>
              ),
            },
            { title: t("jobs.columns.schedule"), key: "schedule", render: (_: unknown, j) => <ScheduleCell job={j} /> },
            { title: t("jobs.columns.lastRun"), key: "lastRun", render: (_: unknown, j) => (j.lastRun ? l.time(j.lastRun.startedAt) : t("jobs.neverRun")) },
            {
              title: t("jobs.columns.outcome"),
              key: "outcome",
              render: (_: unknown, j) => (j.lastRun ? <OutcomeTag outcome={j.lastRun.outcome} /> : "—"),
            },
            {
              title: t("jobs.columns.summary"),
              key: "summary",
              render: (_: unknown, j) => (j.lastRun ? <RunSummary outcome={j.lastRun.outcome} summary={j.lastRun.summary} /> : "—"),
            },
            {
              title: t("common.actions"),
              key: "run",
              render: (_: unknown, j) => (
                <Popconfirm
                  title={t("jobs.run.confirm", { job: l.job(j.name) })}
                  description={followersNote(j.name)}
                  onConfirm={() => run(j.name)}
                  disabled={running !== null}
                >
                  <Button
                    icon={<PlayCircleOutlined />}
                    loading={running === j.name}
                    disabled={(running !== null && running !== j.name) || j.lastRun?.outcome === "running"}
                    data-testid={`job-run-${j.name}`}
                  >
                    {t("jobs.run.button")}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}

export const jobsScreen: Screen = { key: "jobs", icon: <ScheduleOutlined />, order: 92, group: "settings", permission: "job.manage", component: JobsPage };
