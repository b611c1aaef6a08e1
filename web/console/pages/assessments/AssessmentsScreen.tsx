import { AuditOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Space, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { UUID, useLabels } from "../programme/codes";
import type { Screen } from "../registry";
import { FindingsTab } from "./Findings";
import { PlanRun } from "./Forms";
import { AuditsTab, ControlsTab, PiasTab } from "./Registers";
import { RunDetail } from "./RunDetail";
import { type Control, RUN_COLOURS, type RunSummary } from "./types";
import { openableRow, paging } from "../../../shared/tables";

async function downloadPack() {
  const blob = await api.blob("/inspection-pack");
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `inspection-pack-${new Date().toISOString().slice(0, 10)}.zip`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function RunsTab() {
  const { t, code, date } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const list = useLoad(() => api.get<{ items: RunSummary[] }>("/assessments/runs"), []);
  const controls = useLoad(() => api.get<{ items: Control[] }>("/assessments/controls"), []);
  const [planning, setPlanning] = useState(false);
  const areas = [...new Set((controls.data?.items ?? []).map((c) => c.area))];
  return (
    <>
      {me.permissions.includes("assessment.manage") && (
        <Button type="primary" onClick={() => setPlanning(true)} style={{ marginBottom: 12 }}>
          {t("assessments.plan.open")}
        </Button>
      )}
      {list.error !== null && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 12 }} />}
      <Table<RunSummary>
        rowKey="id"
        size="small"
        data-testid="runs-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: t("assessments.run.none") }}
        onRow={openableRow((r) => navigate(`assessments/${r.id}`))}
        columns={[
          { title: t("assessments.fields.plannedOn"), dataIndex: "plannedOn", render: (v: string) => date(v) },
          { title: t("assessments.fields.kind"), dataIndex: "kind", render: (v: string) => code("assessments.kinds", v) },
          {
            title: t("assessments.fields.scope"),
            dataIndex: "scope",
            render: (v: string[]) => (v.length ? v.map((a) => code("assessments.areas", a)).join("、") : t("assessments.allAreas")),
          },
          { title: t("assessments.fields.assessor"), dataIndex: "assessorId", render: (v: string) => staff.name(v) },
          {
            title: t("assessments.fields.status"),
            dataIndex: "status",
            render: (v: string) => <Tag color={RUN_COLOURS[v]}>{code("assessments.runStatus", v)}</Tag>,
          },
          {
            title: t("assessments.fields.progress"),
            key: "progress",
            render: (_, r) => t("assessments.run.progress", { answered: r.counts.answered, controls: r.counts.controls, gaps: r.counts.gaps }),
          },
          { title: t("assessments.fields.openFindings"), key: "open", render: (_, r) => r.counts.openFindings },
        ]}
      />
      <PlanRun open={planning} areas={areas} onClose={() => setPlanning(false)} onDone={list.reload} />
    </>
  );
}

function AssessmentsHome() {
  const { t } = useLabels();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const pack = async () => {
    setBusy(true);
    try {
      await downloadPack();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title={t("assessments.title")}
      extra={
        <Space>
          {me.permissions.includes("inspection.pack") && (
            <Button onClick={() => void pack()} loading={busy} data-testid="inspection-pack">
              {t("assessments.pack.download")}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("assessments.intro")}</Typography.Paragraph>
      <Tabs
        destroyOnHidden
        items={[
          { key: "runs", label: t("assessments.tabs.runs"), children: <RunsTab /> },
          { key: "findings", label: t("assessments.tabs.findings"), children: <FindingsTab /> },
          { key: "audits", label: t("assessments.tabs.audits"), children: <AuditsTab /> },
          { key: "pias", label: t("assessments.tabs.pias"), children: <PiasTab /> },
          { key: "controls", label: t("assessments.tabs.controls"), children: <ControlsTab /> },
        ]}
      />
    </Card>
  );
}

function AssessmentsPage({ params }: { params: string[] }) {
  if (params[0] && UUID.test(params[0])) return <RunDetail key={params[0]} id={params[0]} />;
  return <AssessmentsHome />;
}

export const assessmentsScreen: Screen = {
  key: "assessments",
  icon: <AuditOutlined />,
  order: 62,
  group: "oversight",
  permission: "assessment.read",
  component: AssessmentsPage,
};
