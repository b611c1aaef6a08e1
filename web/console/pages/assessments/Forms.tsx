import { DatePicker, Form, Input, Select } from "antd";
import type { Dayjs } from "dayjs";
import { api } from "../../../shared/api";
import { useStaffNames } from "../../../shared/useStaffNames";
import { FormModal } from "../../../shared/FormModal";
import { useLabels } from "../programme/codes";
import { AUDIT_CONCLUSIONS, AUDIT_KINDS, PIA_CONCLUSIONS, PIA_TRIGGERS, RUN_KINDS, SEVERITIES } from "./types";

const dayOf = (d: unknown): string | null => (d && typeof (d as Dayjs).format === "function" ? (d as Dayjs).format("YYYY-MM-DD") : null);
const trimmed = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

type Props = { open: boolean; onClose: () => void; onDone: () => void };
const required = (t: (k: string) => string) => [{ required: true, message: t("common.required") }];

export function PlanRun({ open, onClose, onDone, areas }: Props & { areas: string[] }) {
  const { t, code } = useLabels();
  const staff = useStaffNames();
  return (
    <FormModal
      open={open}
      title={t("assessments.plan.title")}
      onClose={onClose}
      initialValues={{ kind: "quarterly", scope: [] }}
      submit={async (v) => {
        await api.post("/assessments/runs", { kind: v.kind, plannedOn: dayOf(v.plannedOn), scope: v.scope ?? [], assessorId: v.assessorId });
        onDone();
      }}
    >
      <Form.Item name="kind" label={t("assessments.fields.kind")} rules={required(t)}>
        <Select options={RUN_KINDS.map((k) => ({ value: k, label: code("assessments.kinds", k) }))} />
      </Form.Item>
      <Form.Item name="plannedOn" label={t("assessments.fields.plannedOn")} rules={required(t)}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="scope" label={t("assessments.fields.scope")} extra={t("assessments.plan.scopeHint")}>
        <Select mode="multiple" allowClear options={areas.map((a) => ({ value: a, label: code("assessments.areas", a) }))} />
      </Form.Item>
      <Form.Item name="assessorId" label={t("assessments.fields.assessor")} rules={required(t)}>
        <Select showSearch optionFilterProp="label" loading={staff.loading} options={staff.options()} placeholder={t("common.pickStaff")} />
      </Form.Item>
    </FormModal>
  );
}

export function RaiseFinding({ open, onClose, onDone, runId, auditId, controls }: Props & { runId?: string; auditId?: string; controls?: string[] }) {
  const { t, code } = useLabels();
  const staff = useStaffNames();
  return (
    <FormModal
      open={open}
      title={t("assessments.raise.title")}
      onClose={onClose}
      initialValues={{ severity: "medium" }}
      submit={async (v) => {
        await api.post("/assessments/findings", {
          runId: runId ?? null,
          auditId: auditId ?? null,
          controlCode: v.controlCode ?? null,
          summary: String(v.summary ?? "").trim(),
          severity: v.severity,
          ownerId: v.ownerId,
          dueOn: dayOf(v.dueOn),
        });
        onDone();
      }}
    >
      {controls && (
        <Form.Item name="controlCode" label={t("assessments.fields.control")}>
          <Select allowClear showSearch options={controls.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
      )}
      <Form.Item name="summary" label={t("assessments.fields.summary")} rules={required(t)} extra={t("assessments.sealedHint")}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Form.Item name="severity" label={t("assessments.fields.severity")} rules={required(t)}>
        <Select options={SEVERITIES.map((s) => ({ value: s, label: code("assessments.severity", s) }))} />
      </Form.Item>
      <Form.Item name="ownerId" label={t("assessments.fields.owner")} rules={required(t)}>
        <Select showSearch optionFilterProp="label" loading={staff.loading} options={staff.options()} placeholder={t("common.pickStaff")} />
      </Form.Item>
      <Form.Item name="dueOn" label={t("assessments.fields.dueOn")} rules={required(t)}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
    </FormModal>
  );
}

export function ResolveFinding({ open, onClose, onDone, findingId }: Props & { findingId: string }) {
  const { t } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("assessments.resolve.title")}
      onClose={onClose}
      submit={async (v) => {
        await api.post(`/assessments/findings/${findingId}/progress`, { status: "resolved", resolution: String(v.resolution ?? "").trim() });
        onDone();
      }}
    >
      <Form.Item name="resolution" label={t("assessments.fields.resolution")} rules={required(t)} extra={t("assessments.sealedHint")}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </FormModal>
  );
}

export function RecordAudit({ open, onClose, onDone }: Props) {
  const { t, code } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("assessments.audit.title")}
      onClose={onClose}
      initialValues={{ kind: "internal", conclusion: "compliant" }}
      submit={async (v) => {
        await api.post("/assessments/audits", {
          kind: v.kind,
          auditor: String(v.auditor ?? "").trim(),
          periodFrom: dayOf(v.periodFrom),
          periodTo: dayOf(v.periodTo),
          scope: String(v.scope ?? "").trim(),
          reportReference: trimmed(v.reportReference),
          conclusion: v.conclusion,
          completedOn: dayOf(v.completedOn),
        });
        onDone();
      }}
    >
      <Form.Item name="kind" label={t("assessments.fields.auditKind")} rules={required(t)}>
        <Select options={AUDIT_KINDS.map((k) => ({ value: k, label: code("assessments.auditKinds", k) }))} />
      </Form.Item>
      <Form.Item name="auditor" label={t("assessments.fields.auditor")} rules={required(t)} extra={t("assessments.sealedHint")}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="periodFrom" label={t("assessments.fields.periodFrom")} rules={required(t)}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="periodTo" label={t("assessments.fields.periodTo")} rules={required(t)}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="scope" label={t("assessments.fields.auditScope")} rules={required(t)} extra={t("assessments.sealedHint")}>
        <Input.TextArea rows={2} maxLength={4000} />
      </Form.Item>
      <Form.Item name="reportReference" label={t("assessments.fields.reportReference")}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="conclusion" label={t("assessments.fields.conclusion")} rules={required(t)}>
        <Select options={AUDIT_CONCLUSIONS.map((c) => ({ value: c, label: code("assessments.auditConclusions", c) }))} />
      </Form.Item>
      <Form.Item name="completedOn" label={t("assessments.fields.completedOn")} rules={required(t)}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
    </FormModal>
  );
}

export function RecordPia({ open, onClose, onDone }: Props) {
  const { t, code } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("assessments.pia.title")}
      onClose={onClose}
      initialValues={{ trigger: "sensitive_pi", conclusion: "acceptable" }}
      submit={async (v) => {
        await api.post("/assessments/pias", {
          subject: String(v.subject ?? "").trim(),
          trigger: v.trigger,
          conductedOn: dayOf(v.conductedOn),
          summary: String(v.summary ?? "").trim(),
          conclusion: v.conclusion,
        });
        onDone();
      }}
    >
      <Form.Item name="subject" label={t("assessments.fields.subject")} rules={required(t)}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="trigger" label={t("assessments.fields.trigger")} rules={required(t)}>
        <Select options={PIA_TRIGGERS.map((k) => ({ value: k, label: code("assessments.triggers", k) }))} />
      </Form.Item>
      <Form.Item name="conductedOn" label={t("assessments.fields.conductedOn")} rules={required(t)}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="summary" label={t("assessments.fields.piaSummary")} rules={required(t)} extra={t("assessments.sealedHint")}>
        <Input.TextArea rows={4} maxLength={8000} />
      </Form.Item>
      <Form.Item name="conclusion" label={t("assessments.fields.conclusion")} rules={required(t)}>
        <Select options={PIA_CONCLUSIONS.map((c) => ({ value: c, label: code("assessments.piaConclusions", c) }))} />
      </Form.Item>
    </FormModal>
  );
}
