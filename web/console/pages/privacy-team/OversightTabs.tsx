import { Alert, Button, Col, Empty, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { type PolicySummary, policyTitle } from "./PoliciesTab";
import { paging } from "../../../shared/tables";

const DECISIONS = ["no_change", "amend", "new_policy", "retire"] as const;

interface AttestationRegister {
  currentVersion: number | null;
  attested: { userId: string; role: string; attestedAt: string }[];
  notAttested: { userId: string; role: string; lastAttestedVersion: number | null }[];
}
interface LawChange {
  id: string;
  reviewedOn: string;
  law: string;
  summary: string;
  affectedPolicyIds: string[];
  decision: string;
  reviewerId: string;
}
type Publication =
  | { id: string; kind: "award"; publishedOn: string; userId: string | null; awardCode: string | null; period: string | null }
  | { id: string; kind: "sanction"; publishedOn: string; subjectRole: string | null; ruleCode: string | null; sanction: string | null };

const usePolicies = () => useLoad(() => api.get<{ items: PolicySummary[] }>("/policies"), []);

/** Who has and has not attested the chosen policy's current version (`policy.oversee`). */
export function AttestationsTab() {
  const { t, date, lang } = useLabels();
  const staff = useStaffNames();
  const policies = usePolicies();
  const published = (policies.data?.items ?? []).filter((p) => p.status === "published");
  const [chosen, setChosen] = useState<string | undefined>();
  const policyId = chosen ?? published[0]?.id;
  const register = useLoad(() => (policyId ? api.get<AttestationRegister>(`/policies/${policyId}/attestations`) : Promise.resolve(null)), [policyId]);
  const r = register.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          style={{ width: 320 }}
          placeholder={t("policies.attestations.pick")}
          aria-label={t("policies.attestations.pick")}
          value={policyId}
          onChange={setChosen}
          options={published.map((p) => ({ value: p.id, label: policyTitle(p, lang) }))}
        />
        <Button onClick={register.reload}>{t("common.refresh")}</Button>
      </Space>
      {!!register.error && <Alert type="error" showIcon message={messageOf(register.error)} style={{ marginBottom: 16 }} />}
      {!policyId && <Empty description={t("policies.none")} />}
      {r && (
        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Typography.Title level={5}>{t("policies.attestations.missing", { count: r.notAttested.length })}</Typography.Title>
            <Table
              rowKey="userId"
              size="small"
              data-testid="not-attested-table"
              pagination={paging()}
              dataSource={r.notAttested}
              columns={[
                { title: t("policies.attestations.person"), dataIndex: "userId", render: (v: string) => staff.name(v) },
                { title: t("policies.attestations.role"), dataIndex: "role", render: (v: string) => t(`roles.${v}`) },
                {
                  title: t("policies.attestations.last"),
                  dataIndex: "lastAttestedVersion",
                  render: (v: number | null) => (v === null ? t("policies.attestations.never") : t("policies.versionN", { n: v })),
                },
              ]}
            />
          </Col>
          <Col xs={24} lg={12}>
            <Typography.Title level={5}>{t("policies.attestations.done", { count: r.attested.length })}</Typography.Title>
            <Table
              rowKey="userId"
              size="small"
              pagination={paging()}
              dataSource={r.attested}
              columns={[
                { title: t("policies.attestations.person"), dataIndex: "userId", render: (v: string) => staff.name(v) },
                { title: t("policies.attestations.role"), dataIndex: "role", render: (v: string) => t(`roles.${v}`) },
                { title: t("policies.attestations.when"), dataIndex: "attestedAt", render: (v: string) => date(v) },
              ]}
            />
          </Col>
        </Row>
      )}
    </>
  );
}

/** The law-change review log: compliance records, compliance and the auditor read. */
export function LawChangesTab() {
  const { t, code, date, lang } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const list = useLoad(() => api.get<{ items: LawChange[] }>("/policies/law-changes"), []);
  const policies = usePolicies();
  const title = (id: string) => {
    const p = policies.data?.items.find((x) => x.id === id);
    return p ? policyTitle(p, lang) : "—";
  };
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post("/policies/law-changes", { ...v, affectedPolicyIds: v.affectedPolicyIds ?? [] });
      setOpen(false);
      list.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t("policies.lawChanges.intro")}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        {me.permissions.includes("policy.manage") && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              setError(null);
              setOpen(true);
            }}
          >
            {t("policies.lawChanges.add")}
          </Button>
        )}
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<LawChange>
        rowKey="id"
        size="small"
        data-testid="law-changes-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("policies.lawChanges.none")} /> }}
        expandable={{ expandedRowRender: (r) => <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{r.summary}</Typography.Paragraph> }}
        columns={[
          { title: t("policies.lawChanges.reviewedOn"), dataIndex: "reviewedOn", render: (v: string) => date(v) },
          { title: t("policies.lawChanges.law"), dataIndex: "law" },
          { title: t("policies.lawChanges.decision"), dataIndex: "decision", render: (v: string) => <Tag>{code("policies.decision", v)}</Tag> },
          { title: t("policies.lawChanges.affected"), dataIndex: "affectedPolicyIds", render: (v: string[]) => v.map(title).join("、") || "—" },
          { title: t("policies.lawChanges.reviewer"), dataIndex: "reviewerId", render: (v: string) => staff.name(v) },
        ]}
      />
      <Modal
        open={open}
        title={t("policies.lawChanges.add")}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        okText={t("common.submit")}
        cancelText={t("common.cancel")}
        destroyOnHidden
        forceRender
        width={680}
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} name="law-change" layout="vertical">
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="reviewedOn" label={t("policies.lawChanges.reviewedOn")} rules={[{ required: true, message: t("common.required") }]}>
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item name="law" label={t("policies.lawChanges.law")} rules={[{ required: true, message: t("common.required") }]}>
                <Input maxLength={300} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="summary" label={t("policies.lawChanges.summary")} rules={[{ required: true, message: t("common.required") }]}>
            <Input.TextArea rows={4} maxLength={8000} />
          </Form.Item>
          <Form.Item name="affectedPolicyIds" label={t("policies.lawChanges.affected")}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={(policies.data?.items ?? []).map((p) => ({ value: p.id, label: policyTitle(p, lang) }))}
            />
          </Form.Item>
          <Form.Item name="decision" label={t("policies.lawChanges.decision")} rules={[{ required: true, message: t("common.required") }]}>
            <Select options={DECISIONS.map((d) => ({ value: d, label: code("policies.decision", d) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** The internal noticeboard (GOV-5): awards by name, sanctions by role and rule only. Everyone reads it. */
export function NoticeboardTab() {
  const { t, code, date } = useLabels();
  const staff = useStaffNames();
  const list = useLoad(() => api.get<{ items: Publication[] }>("/accountability-publications"), []);
  return (
    <>
      <Typography.Paragraph type="secondary">{t("privacyTeam.board.intro")}</Typography.Paragraph>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Publication>
        rowKey="id"
        size="small"
        data-testid="noticeboard-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("privacyTeam.board.none")} /> }}
        columns={[
          { title: t("privacyTeam.board.publishedOn"), dataIndex: "publishedOn", render: (v: string) => date(v) },
          {
            title: t("privacyTeam.board.kind"),
            dataIndex: "kind",
            render: (v: string) => <Tag color={v === "award" ? "gold" : "red"}>{t(`privacyTeam.board.${v === "award" ? "award" : "sanction"}`)}</Tag>,
          },
          {
            title: t("privacyTeam.board.what"),
            key: "what",
            render: (_, p) =>
              p.kind === "award"
                ? t("privacyTeam.board.awardText", {
                    name: p.userId ? staff.name(p.userId) : "—",
                    award: code("appraisal.award", p.awardCode),
                    period: p.period ?? "",
                  })
                : t("privacyTeam.board.sanctionText", {
                    role: p.subjectRole ? t(`roles.${p.subjectRole}`) : "—",
                    rule: code("accountability.rule", p.ruleCode),
                    sanction: code("accountability.sanction", p.sanction),
                  }),
          },
        ]}
      />
    </>
  );
}
