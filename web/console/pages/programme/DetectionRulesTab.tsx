import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography, type FormInstance } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../../shared/api";
import { useCodeLabel } from "../../../shared/codes";
import { messageOf } from "../../../shared/errors";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { useLabels } from "./codes";
import { paging } from "../../../shared/tables";

// Mirrors SEVERITIES and CONTAINMENTS in src/response/detection/rules.ts (the API validates).
const SEVERITIES = ["low", "medium", "high", "critical"] as const;
const CONTAINMENTS = ["none", "suspend_sessions_and_tokens", "require_reauth"] as const;
const SEVERITY_COLOURS: Record<string, string> = { low: "green", medium: "gold", high: "orange", critical: "red" };
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

type ParamValue = number | string | boolean | (string | number)[];
export interface DetectionRule {
  code: string;
  enabled: boolean;
  severity: string;
  containment: string;
  params: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string | null;
}
interface RuleForm {
  enabled: boolean;
  severity: string;
  containment: string;
  params: Record<string, ParamValue | null>;
}

/** The time zones this browser knows, the rule's own first (it may not be in the list). */
function timeZones(current: unknown): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return typeof current === "string" && !known.includes(current) ? [current, ...known] : known;
}

/**
 * The API's per-field errors on the form: "params.maxDistinctClients" → ["params","maxDistinctClients"],
 * "params.actions.2" → the actions list. Returns false when a message has no field to sit on.
 */
function showRuleErrors(form: FormInstance, error: unknown, paramKeys: string[]): boolean {
  if (!(error instanceof ApiError) || error.fields.length === 0) return false;
  let placed = true;
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const f of error.fields) {
    const [head, key] = f.field.split(".");
    const name =
      head === "params" && key && paramKeys.includes(key) ? ["params", key] : head && ["enabled", "severity", "containment"].includes(head) ? [head] : null;
    if (!name) {
      placed = false;
      continue;
    }
    const id = name.join(".");
    const entry = byField.get(id) ?? { name, errors: [] };
    if (!entry.errors.includes(f.message)) entry.errors.push(f.message);
    byField.set(id, entry);
  }
  form.setFields([...byField.values()]);
  return placed;
}

/** The audit actions the dictionary names, as options labelled for people; the code stays the value. */
function useActionOptions(current: unknown) {
  const { i18n } = useTranslation();
  const label = useCodeLabel();
  return useMemo(() => {
    const named = Object.keys((i18n.getResource(i18n.language, "translation", "codes.action") as Record<string, string> | undefined) ?? {});
    const extra = Array.isArray(current) ? current.map(String).filter((c) => !named.includes(c)) : [];
    return [...named, ...extra].map((c) => ({ value: c, label: label("action", c), title: c }));
  }, [i18n, i18n.language, label, current]);
}

/** A parameter's value as a person reads it: weekdays and actions by name. */
function useParamText() {
  const { t, code } = useLabels();
  const label = useCodeLabel();
  return (name: string, value: unknown): string => {
    if (name === "weekdays" && Array.isArray(value)) return value.map((d) => t(`incidents.rules.weekday.${String(d)}`)).join(" ");
    if (Array.isArray(value)) return value.length ? value.map((a) => label("action", String(a))).join("、") : "—";
    if (name === "via") return code("incidents.rules.via", String(value));
    return String(value);
  };
}

/** One parameter's input, chosen from its name and current value (the API holds the schema). */
function ParamInput({ name, sample, value, ...rest }: { name: string; sample: unknown; value?: unknown; onChange?: (v: unknown) => void; id?: string }) {
  const { t, code } = useLabels();
  const onChange = rest.onChange;
  const zones = useMemo(() => (name === "timeZone" ? timeZones(value) : []), [name, value]);
  const actions = useActionOptions(value);
  if (name === "timeZone")
    return (
      <Select id={rest.id} showSearch style={{ width: 260 }} value={value as string} onChange={onChange} options={zones.map((z) => ({ value: z, label: z }))} />
    );
  if (name === "weekdays") {
    return (
      <Select
        id={rest.id}
        mode="multiple"
        style={{ minWidth: 320 }}
        value={value as number[]}
        onChange={onChange}
        options={WEEKDAYS.map((d) => ({ value: d, label: t(`incidents.rules.weekday.${d}`) }))}
      />
    );
  }
  if (Array.isArray(sample)) {
    // Audit actions chosen by name; "tags" still takes a code the dictionary lacks (the API checks its form).
    return (
      <Select
        id={rest.id}
        mode="tags"
        style={{ minWidth: 360 }}
        tokenSeparators={[","]}
        value={(value as string[] | undefined) ?? []}
        onChange={onChange}
        showSearch={{ optionFilterProp: "label" }}
        options={actions}
        placeholder={t("incidents.rules.actionsHelp")}
      />
    );
  }
  if (typeof sample === "boolean") return <Switch id={rest.id} checked={value === true} onChange={onChange} />;
  if (typeof sample === "number") {
    const unit = /Minutes$/.test(name)
      ? t("incidents.rules.unit.minutes")
      : /Days$/.test(name)
        ? t("incidents.rules.unit.days")
        : name === "multiplier"
          ? "×"
          : undefined;
    // No client-side bounds: the API's per-rule schema is the one source, and its message shows on the field.
    return (
      <InputNumber
        id={rest.id}
        value={value as number | null}
        onChange={onChange}
        style={{ width: 200 }}
        {...(unit ? { suffix: unit } : {})}
        aria-label={code("incidents.rules.param", name)}
      />
    );
  }
  if (/^\d\d:\d\d$/.test(String(sample)))
    return (
      <Input
        id={rest.id}
        style={{ width: 120 }}
        maxLength={5}
        placeholder="HH:MM"
        value={(value as string | undefined) ?? ""}
        onChange={(e) => onChange?.(e.target.value)}
      />
    );
  return <Input id={rest.id} style={{ width: 260 }} value={(value as string | undefined) ?? ""} onChange={(e) => onChange?.(e.target.value)} />;
}

/** A short reading of a parameter for the table. */
function ParamTag({ name, value }: { name: string; value: unknown }) {
  const { code } = useLabels();
  const text = useParamText();
  return (
    <Tag style={{ whiteSpace: "normal" }}>
      {code("incidents.rules.param", name)}: {text(name, value)}
    </Tag>
  );
}

/** Detection rules (AUD-2): who may read alerts sees them; compliance (alert.manage) tunes them. */
export function DetectionRulesTab() {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  const canEdit = me.permissions.includes("alert.manage");
  const rules = useLoad(() => api.get<{ items: DetectionRule[] }>("/detection-rules"), []);
  const [editing, setEditing] = useState<DetectionRule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<RuleForm>();
  const paramKeys = editing ? Object.keys(editing.params) : [];

  const edit = (r: DetectionRule) => {
    setError(null);
    form.resetFields();
    form.setFieldsValue({ enabled: r.enabled, severity: r.severity, containment: r.containment, params: r.params as RuleForm["params"] });
    setEditing(r);
  };
  const save = async () => {
    const v = form.getFieldsValue(true) as RuleForm;
    setBusy(true);
    setError(null);
    try {
      await api.patch<DetectionRule>(`/detection-rules/${editing!.code}`, {
        enabled: v.enabled,
        severity: v.severity,
        containment: v.containment,
        params: v.params,
      });
      setEditing(null);
      void message.success(t("common.saved"));
      rules.reload();
    } catch (e) {
      if (!showRuleErrors(form, e, paramKeys)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t("incidents.rules.help")}</Typography.Paragraph>
      {rules.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t("common.loadFailed")} description={messageOf(rules.error)} /> : null}
      <Table<DetectionRule>
        rowKey="code"
        size="small"
        data-testid="rules-table"
        loading={rules.loading}
        dataSource={rules.data?.items ?? []}
        pagination={paging({ quiet: true })}
        columns={[
          {
            title: t("incidents.alerts.rule"),
            dataIndex: "code",
            // The rule's name only: its code stays in the row's data-row-key for whoever matches it to the API.
            render: (v: string) => code("incidents.rule", v),
          },
          {
            title: t("incidents.rules.enabled"),
            dataIndex: "enabled",
            render: (v: boolean) => (v ? <Tag color="green">{t("incidents.rules.on")}</Tag> : <Tag>{t("incidents.rules.off")}</Tag>),
          },
          {
            title: t("incidents.fields.severity"),
            dataIndex: "severity",
            render: (v: string) => <Tag color={SEVERITY_COLOURS[v]}>{code("incidents.severity", v)}</Tag>,
          },
          { title: t("incidents.rules.containment"), dataIndex: "containment", render: (v: string) => code("incidents.rules.containments", v) },
          {
            title: t("incidents.rules.params"),
            dataIndex: "params",
            render: (p: Record<string, unknown>) => (
              <Space wrap size={[4, 4]} style={{ maxWidth: 520 }}>
                {Object.entries(p).map(([k, v]) => (
                  <ParamTag key={k} name={k} value={v} />
                ))}
              </Space>
            ),
          },
          {
            title: t("incidents.rules.updated"),
            key: "updated",
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                {time(r.updatedAt)}
                {r.updatedBy && <StaffName id={r.updatedBy} />}
              </Space>
            ),
          },
          ...(canEdit
            ? [
                {
                  title: t("common.actions"),
                  key: "edit",
                  render: (_: unknown, r: DetectionRule) => (
                    <Button size="small" onClick={() => edit(r)}>
                      {t("common.edit")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        width={720}
        title={editing ? t("incidents.rules.editTitle", { rule: code("incidents.rule", editing.code) }) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy }}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t("incidents.rules.editHelp")} />
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="rule-error" />}
        <Form form={form} name="rule" layout="vertical" data-testid="rule-form">
          <Space wrap size="large">
            <Form.Item name="enabled" label={t("incidents.rules.enabled")} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="severity" label={t("incidents.fields.severity")}>
              <Select style={{ width: 160 }} options={SEVERITIES.map((s) => ({ value: s, label: code("incidents.severity", s) }))} />
            </Form.Item>
            <Form.Item name="containment" label={t("incidents.rules.containment")} extra={t("incidents.rules.containmentHelp")}>
              <Select style={{ width: 260 }} options={CONTAINMENTS.map((c) => ({ value: c, label: code("incidents.rules.containments", c) }))} />
            </Form.Item>
          </Space>
          {paramKeys.map((k) => (
            <Form.Item key={`${editing?.code}/${k}`} name={["params", k]} label={code("incidents.rules.param", k)}>
              <ParamInput name={k} sample={editing?.params[k]} />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </>
  );
}
