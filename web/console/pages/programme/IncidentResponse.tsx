/**
 * Changes compliance makes to an open incident from its detail page: the impact criteria (which
 * regrade it and may add notification duties) and the response team.
 */
import { Alert, App, Button, Col, Form, InputNumber, Modal, Row, Select, Space, Switch, Tag } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { StaffPicker } from "../../../shared/Staff";
import { useLabels } from "./codes";

// Mirrors RESPONSE_ROLES in src/response/incidents/incident.ts (the API validates).
const RESPONSE_ROLES = ["lead", "investigator", "legal", "it", "communications"] as const;
const SEVERITY_COLOURS: Record<string, string> = { low: "green", medium: "gold", high: "orange", critical: "red" };

/** The part of GET /incidents/{id} these forms read. */
interface IncidentShape {
  id: string;
  severity: string;
  impact: { peopleAffected: number; l4Involved: boolean; leftFirm: boolean; euSubjects: boolean };
  duties: { id: string; regime: string; recipient: string; dueAt: string }[];
}
interface ImpactForm {
  peopleAffected: number;
  l4Involved: boolean;
  leftFirm: boolean;
  euSubjects: boolean;
}
interface Regraded {
  from: string;
  to: string;
  added: IncidentShape["duties"];
}

/** "Update impact" (PATCH /incidents/{id}/impact) and what it changed: the grade and any new duties. */
export function ImpactUpdate<I extends IncidentShape>({ incident, onChanged }: { incident: I; onChanged: (next: I) => void }) {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Regraded | null>(null);
  const [form] = Form.useForm<ImpactForm>();

  const start = () => {
    setError(null);
    form.resetFields();
    form.setFieldsValue(incident.impact);
    setOpen(true);
  };
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const next = await api.patch<I>(`/incidents/${incident.id}/impact`, {
        peopleAffected: v.peopleAffected,
        l4Involved: !!v.l4Involved,
        leftFirm: !!v.leftFirm,
        euSubjects: !!v.euSubjects,
      });
      const before = new Set(incident.duties.map((d) => d.id));
      setResult({ from: incident.severity, to: next.severity, added: next.duties.filter((d) => !before.has(d.id)) });
      setOpen(false);
      onChanged(next);
      void message.success(t("common.saved"));
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={start} data-testid="impact-update">
        {t("incidents.impactUpdate.action")}
      </Button>
      {result && (
        <Alert
          type={result.added.length > 0 ? "warning" : "info"}
          showIcon
          closable
          onClose={() => setResult(null)}
          style={{ marginTop: 16 }}
          data-testid="impact-result"
          message={
            <Space wrap size={4}>
              {t("incidents.impactUpdate.grade")}
              <Tag color={SEVERITY_COLOURS[result.from]}>{code("incidents.severity", result.from)}</Tag>→
              <Tag color={SEVERITY_COLOURS[result.to]}>{code("incidents.severity", result.to)}</Tag>
            </Space>
          }
          description={
            result.added.length === 0 ? (
              t("incidents.impactUpdate.noNewDuties")
            ) : (
              <Space direction="vertical" size={0}>
                {t("incidents.impactUpdate.newDuties", { n: result.added.length })}
                {result.added.map((d) => (
                  <span key={d.id}>
                    {code("incidents.regime", d.regime)} · {code("incidents.recipient", d.recipient)} · {time(d.dueAt)}
                  </span>
                ))}
              </Space>
            )
          }
        />
      )}
      <Modal
        open={open}
        width={640}
        title={t("incidents.impactUpdate.title")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy }}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t("incidents.impactUpdate.help")} />
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
        <Form form={form} name="impact" layout="vertical">
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item name="peopleAffected" label={t("incidents.fields.peopleAffected")} rules={[{ required: true, message: t("common.required") }]}>
                <InputNumber min={0} precision={0} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="l4Involved" label={t("incidents.fields.l4Involved")} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="leftFirm" label={t("incidents.fields.leftFirm")} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="euSubjects" label={t("incidents.fields.euSubjects")} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </>
  );
}

/** Adds a response-team member with a role (POST /incidents/{id}/members); the person is chosen by name. */
export function TeamMemberForm<I>({ incidentId, onChanged }: { incidentId: string; onChanged: (next: I) => void }) {
  const { t, code } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ userId: string; role: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (v: { userId: string; role: string }) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.post<I>(`/incidents/${incidentId}/members`, { userId: v.userId, role: v.role }));
      form.resetFields(["userId"]);
      void message.success(t("common.saved"));
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      name="member"
      layout="vertical"
      style={{ marginTop: 12 }}
      initialValues={{ role: "investigator" }}
      onFinish={(v) => void add(v)}
      data-testid="member-form"
    >
      {error && <Alert type="error" showIcon style={{ marginBottom: 8 }} message={error} />}
      <Form.Item name="userId" label={t("incidents.member.person")} rules={[{ required: true, message: t("common.required") }]}>
        <StaffPicker style={{ width: "100%", minWidth: 0 }} />
      </Form.Item>
      <Form.Item name="role" label={t("incidents.member.role")} rules={[{ required: true, message: t("common.required") }]}>
        <Select options={RESPONSE_ROLES.map((r) => ({ value: r, label: code("incidents.role", r) }))} />
      </Form.Item>
      <Button htmlType="submit" loading={busy}>
        {t("incidents.member.add")}
      </Button>
    </Form>
  );
}
