import { Alert, App as AntApp, Button, Popconfirm, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { FindingsTable } from "./Findings";
import { RaiseFinding, RecordAudit, RecordPia } from "./Forms";
import type { Audit, Control, Pia } from "./types";
import { paging } from "../../../shared/tables";

/** Compliance audits (PIPL Art 54), each with its findings. */
export function AuditsTab() {
  const { t, code, date } = useLabels();
  const { me } = useSession();
  const list = useLoad(() => api.get<{ items: Audit[] }>("/assessments/audits"), []);
  const [adding, setAdding] = useState(false);
  const [raisingFor, setRaisingFor] = useState<string | null>(null);
  const manages = me.permissions.includes("assessment.manage");
  return (
    <>
      {manages && (
        <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          {t("assessments.audit.open")}
        </Button>
      )}
      {list.error !== null && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 12 }} />}
      <Table<Audit>
        rowKey="id"
        size="small"
        data-testid="audits-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        locale={{ emptyText: t("assessments.audit.none") }}
        columns={[
          { title: t("assessments.fields.completedOn"), dataIndex: "completedOn", render: (v: string) => date(v) },
          { title: t("assessments.fields.auditKind"), dataIndex: "kind", render: (v: string) => code("assessments.auditKinds", v) },
          { title: t("assessments.fields.auditor"), dataIndex: "auditor" },
          { title: t("assessments.fields.period"), key: "period", render: (_, a) => `${date(a.periodFrom)} – ${date(a.periodTo)}` },
          { title: t("assessments.fields.reportReference"), dataIndex: "reportReference", render: (v: string | null) => v ?? "—" },
          { title: t("assessments.fields.conclusion"), dataIndex: "conclusion", render: (v: string) => code("assessments.auditConclusions", v) },
          { title: t("assessments.fields.openFindings"), dataIndex: "openFindings" },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, a) =>
              manages && (
                <Button size="small" onClick={() => setRaisingFor(a.id)}>
                  {t("assessments.raise.open")}
                </Button>
              ),
          },
        ]}
        expandable={{
          expandedRowRender: (a) => (
            <Space direction="vertical" style={{ width: "100%" }}>
              <Typography.Text>
                {t("assessments.fields.auditScope")}: {a.scope}
              </Typography.Text>
              <FindingsTable items={a.findings} onChanged={list.reload} />
            </Space>
          ),
        }}
      />
      <RecordAudit open={adding} onClose={() => setAdding(false)} onDone={list.reload} />
      {raisingFor && (
        <RaiseFinding
          open
          auditId={raisingFor}
          onClose={() => setRaisingFor(null)}
          onDone={() => {
            setRaisingFor(null);
            list.reload();
          }}
        />
      )}
    </>
  );
}

/** The PIA register (PIPL Art 55–56): partner PIAs and processing-activity PIAs, kept three years. */
export function PiasTab() {
  const { t, code, date } = useLabels();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const list = useLoad(() => api.get<{ items: Pia[] }>("/assessments/pias"), []);
  const [adding, setAdding] = useState(false);
  const manages = me.permissions.includes("assessment.manage");
  const remove = async (id: string) => {
    try {
      await api.delete(`/assessments/pias/${id}`);
      list.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t("assessments.pia.intro")}</Typography.Paragraph>
      {manages && (
        <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          {t("assessments.pia.open")}
        </Button>
      )}
      {list.error !== null && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 12 }} />}
      <Table<Pia>
        rowKey="id"
        size="small"
        data-testid="pias-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        locale={{ emptyText: t("assessments.pia.none") }}
        columns={[
          { title: t("assessments.fields.conductedOn"), dataIndex: "conductedOn", render: (v: string) => date(v) },
          { title: t("assessments.fields.subject"), key: "subject", render: (_, p) => p.subject ?? p.partnerName ?? "—" },
          { title: t("assessments.fields.partner"), dataIndex: "partnerName", render: (v: string | null) => v ?? "—" },
          { title: t("assessments.fields.trigger"), dataIndex: "trigger", render: (v: string | null) => code("assessments.triggers", v) },
          { title: t("assessments.fields.conclusion"), dataIndex: "conclusion", render: (v: string) => code("assessments.piaConclusions", v) },
          { title: t("assessments.fields.keepUntil"), dataIndex: "keepUntil", render: (v: string) => date(v) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, p) =>
              manages && p.deletable ? (
                <Popconfirm title={t("assessments.pia.confirmDelete")} onConfirm={() => void remove(p.id)}>
                  <Button size="small" danger>
                    {t("assessments.pia.delete")}
                  </Button>
                </Popconfirm>
              ) : (
                <Typography.Text type="secondary">{t("assessments.pia.kept")}</Typography.Text>
              ),
          },
        ]}
        expandable={{ expandedRowRender: (p) => <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{p.summary}</Typography.Paragraph> }}
      />
      <RecordPia open={adding} onClose={() => setAdding(false)} onDone={list.reload} />
    </>
  );
}

/** The control list (data): applicability can be switched by compliance. */
export function ControlsTab() {
  const { t, code, lang } = useLabels();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const list = useLoad(() => api.get<{ items: Control[] }>("/assessments/controls"), []);
  const manages = me.permissions.includes("assessment.manage");
  const setApplicable = async (c: Control, applicable: boolean) => {
    try {
      await api.patch(`/assessments/controls/${c.code}`, { applicable });
      list.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  return (
    <>
      {list.error !== null && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 12 }} />}
      <Table<Control>
        rowKey="code"
        size="small"
        data-testid="controls-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ pageSize: 50 })}
        columns={[
          { title: t("assessments.fields.control"), dataIndex: "code", width: 90 },
          { title: t("assessments.fields.area"), dataIndex: "area", render: (v: string) => code("assessments.areas", v) },
          { title: t("assessments.fields.title"), key: "title", render: (_, c) => (lang === "en" ? c.titleEn : c.titleZh) },
          {
            title: t("assessments.fields.evidenceSource"),
            dataIndex: "evidenceSource",
            render: (v: string | null) => (v ? <Tag color="blue">{code("assessments.sources", v)}</Tag> : t("assessments.byHand")),
          },
          {
            title: t("assessments.fields.applicable"),
            key: "applicable",
            render: (_, c) => (
              <Space>
                {manages ? (
                  <Switch
                    size="small"
                    aria-label={`${t("assessments.fields.applicable")} ${c.code}`}
                    checked={c.applicable}
                    onChange={(v) => void setApplicable(c, v)}
                  />
                ) : c.applicable ? (
                  t("common.yes")
                ) : (
                  t("common.no")
                )}
                {c.applicabilityNote && <Typography.Text type="secondary">{c.applicabilityNote}</Typography.Text>}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
