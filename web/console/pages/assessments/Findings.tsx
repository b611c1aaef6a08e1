import { Alert, App as AntApp, Button, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { ResolveFinding } from "./Forms";
import { type Finding, FINDING_COLOURS, SEVERITY_COLOURS } from "./types";
import { paging } from "../../../shared/tables";

/** A findings table: owner, deadline (red when overdue), status, and the step the caller may take. */
export function FindingsTable({ items, onChanged, loading }: { items: Finding[]; onChanged: () => void; loading?: boolean }) {
  const { t, code, date } = useLabels();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const staff = useStaffNames();
  const [resolving, setResolving] = useState<string | null>(null);
  const manages = me.permissions.includes("assessment.manage");
  const act = async (path: string, body: object) => {
    try {
      await api.post(path, body);
      onChanged();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  return (
    <>
      <Table<Finding>
        rowKey="id"
        size="small"
        data-testid="findings-table"
        loading={loading}
        dataSource={items}
        pagination={paging({ quiet: true })}
        locale={{ emptyText: t("assessments.findings.none") }}
        columns={[
          {
            title: t("assessments.fields.summary"),
            dataIndex: "summary",
            render: (v: string) => <Typography.Text ellipsis={{ tooltip: v }}>{v}</Typography.Text>,
          },
          { title: t("assessments.fields.control"), dataIndex: "controlCode", render: (v: string | null) => v ?? "—" },
          {
            title: t("assessments.fields.severity"),
            dataIndex: "severity",
            render: (v: string) => <Tag color={SEVERITY_COLOURS[v]}>{code("assessments.severity", v)}</Tag>,
          },
          { title: t("assessments.fields.owner"), dataIndex: "ownerId", render: (v: string) => staff.name(v) },
          {
            title: t("assessments.fields.dueOn"),
            key: "due",
            render: (_, f) => (
              <Space size={4}>
                <span>{date(f.dueOn)}</span>
                {f.overdue && <Tag color="red">{t("assessments.findings.overdue")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("assessments.fields.status"),
            dataIndex: "status",
            render: (v: string) => <Tag color={FINDING_COLOURS[v]}>{code("assessments.findingStatus", v)}</Tag>,
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, f) => {
              const mayMove = f.ownerId === me.userId || manages;
              return (
                <Space size={4} wrap>
                  {mayMove && f.status === "open" && (
                    <Button size="small" onClick={() => void act(`/assessments/findings/${f.id}/progress`, { status: "in_remediation" })}>
                      {t("assessments.findings.start")}
                    </Button>
                  )}
                  {mayMove && (f.status === "open" || f.status === "in_remediation") && (
                    <Button size="small" onClick={() => setResolving(f.id)}>
                      {t("assessments.findings.resolve")}
                    </Button>
                  )}
                  {manages && f.status === "resolved" && f.ownerId !== me.userId && (
                    <>
                      <Button size="small" type="primary" onClick={() => void act(`/assessments/findings/${f.id}/verify`, { accepted: true })}>
                        {t("assessments.findings.verify")}
                      </Button>
                      <Button size="small" onClick={() => void act(`/assessments/findings/${f.id}/verify`, { accepted: false })}>
                        {t("assessments.findings.reject")}
                      </Button>
                    </>
                  )}
                </Space>
              );
            },
          },
        ]}
        expandable={{
          rowExpandable: (f) => f.resolution !== null,
          expandedRowRender: (f) => (
            <Typography.Paragraph style={{ margin: 0 }}>
              {t("assessments.fields.resolution")}: {f.resolution}
              {f.verifiedBy && ` · ${t("assessments.findings.verifiedBy", { name: staff.name(f.verifiedBy) })}`}
            </Typography.Paragraph>
          ),
        }}
      />
      {resolving && (
        <ResolveFinding
          open
          findingId={resolving}
          onClose={() => setResolving(null)}
          onDone={() => {
            setResolving(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

/** Every finding, or only the overdue ones. */
export function FindingsTab() {
  const { t } = useLabels();
  const [overdue, setOverdue] = useState(false);
  const list = useLoad(() => api.get<{ items: Finding[] }>(`/assessments/findings${query({ overdue: overdue ? "true" : undefined })}`), [overdue]);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Switch aria-label={t("assessments.findings.onlyOverdue")} checked={overdue} onChange={setOverdue} />
        <span>{t("assessments.findings.onlyOverdue")}</span>
      </Space>
      {list.error !== null && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 12 }} />}
      <FindingsTable items={list.data?.items ?? []} loading={list.loading} onChanged={list.reload} />
    </>
  );
}
