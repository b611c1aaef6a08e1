import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography } from "antd";
import { useCallback, useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { useLabels } from "./codes";
import { paging } from "../../../shared/tables";

// Mirrors src/rights/requests/regimes.ts (the API validates).
const UNITS = ["working_days", "calendar_days", "months"] as const;

export interface Regime {
  code: string;
  nameZh: string;
  nameEn: string;
  unit: string;
  amount: number;
  extension: { unit: string; amount: number } | null;
  reminderDays: number;
  verified: boolean;
  source: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The deadline regimes (GET /request-regimes) with the name in the UI language; `name` falls back to the catalogue's label. */
export function useRegimes() {
  const { code, lang } = useLabels();
  const regimes = useLoad(() => api.get<{ items: Regime[] }>("/request-regimes"), []);
  const items = regimes.data?.items ?? [];
  const byCode = useCallback((c: string | null | undefined) => items.find((r) => r.code === c), [items]);
  const name = useCallback(
    (c: string | null | undefined) => {
      const r = byCode(c);
      return r ? (lang === "en" ? r.nameEn : r.nameZh) : code("requests.regime", c);
    },
    [byCode, code, lang],
  );
  return { ...regimes, items, byCode, name };
}

/** The warning on a regime whose figures the firm has not checked against their source. */
export function UnverifiedTag({ regime, testId }: { regime: Regime | undefined; testId?: string }) {
  const { t } = useLabels();
  if (!regime || regime.verified) return null;
  return (
    <Tooltip title={t("requests.regimes.unverifiedHelp")}>
      <Tag color="red" data-testid={testId}>
        {t("requests.regimes.unverified")}
      </Tag>
    </Tooltip>
  );
}

interface RegimeForm {
  nameZh: string;
  nameEn: string;
  unit: string;
  amount: number;
  hasExtension: boolean;
  extensionUnit?: string;
  extensionAmount?: number;
  reminderDays: number;
  verified: boolean;
  source: string;
}

/** Deadline regimes: everyone handling requests reads them; compliance (regime.manage) edits them. */
export function RegimesTab() {
  const { t, time } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  const regimes = useRegimes();
  const [editing, setEditing] = useState<Regime | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<RegimeForm>();
  const hasExtension = Form.useWatch("hasExtension", form);
  const canEdit = me.permissions.includes("regime.manage");
  const period = (unit: string, amount: number) => t(`requests.regimes.period.${unit}`, { count: amount });

  const edit = (r: Regime) => {
    setError(null);
    form.setFieldsValue({
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      unit: r.unit,
      amount: r.amount,
      hasExtension: r.extension !== null,
      extensionUnit: r.extension?.unit ?? "working_days",
      extensionAmount: r.extension?.amount ?? r.amount,
      reminderDays: r.reminderDays,
      verified: r.verified,
      source: r.source,
    });
    setEditing(r);
  };
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.put(`/request-regimes/${editing!.code}`, {
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        unit: v.unit,
        amount: v.amount,
        reminderDays: v.reminderDays,
        verified: v.verified,
        source: v.source,
        extension: v.hasExtension ? { unit: v.extensionUnit, amount: v.extensionAmount } : null,
      });
      setEditing(null);
      void message.success(t("common.saved"));
      regimes.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t("requests.regimes.help")}</Typography.Paragraph>
      {regimes.error ? (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t("common.loadFailed")} description={messageOf(regimes.error)} />
      ) : null}
      <Table<Regime>
        rowKey="code"
        size="small"
        data-testid="regimes-table"
        loading={regimes.loading}
        dataSource={regimes.items}
        pagination={paging({ quiet: true })}
        columns={[
          {
            title: t("requests.regimes.name"),
            key: "name",
            // The name only: the code stays in the row's data-row-key.
            render: (_, r) => regimes.name(r.code),
          },
          { title: t("requests.regimes.deadline"), key: "deadline", render: (_, r) => period(r.unit, r.amount) },
          {
            title: t("requests.regimes.extension"),
            key: "extension",
            render: (_, r) => (r.extension ? period(r.extension.unit, r.extension.amount) : t("requests.regimes.noExtension")),
          },
          { title: t("requests.regimes.reminderDays"), dataIndex: "reminderDays", render: (v: number) => t("requests.regimes.days", { count: v }) },
          {
            title: t("requests.regimes.verifiedLabel"),
            dataIndex: "verified",
            render: (_, r) =>
              r.verified ? <Tag color="green">{t("requests.regimes.verified")}</Tag> : <UnverifiedTag regime={r} testId={`regime-unverified-${r.code}`} />,
          },
          {
            title: t("requests.regimes.source"),
            dataIndex: "source",
            render: (v: string) => (
              <Typography.Paragraph style={{ maxWidth: 320, margin: 0 }} ellipsis={{ rows: 2, tooltip: v }}>
                {v}
              </Typography.Paragraph>
            ),
          },
          {
            title: t("requests.regimes.updated"),
            key: "updated",
            render: (_, r) =>
              r.updatedAt ? (
                <Space direction="vertical" size={0}>
                  {time(r.updatedAt)}
                  <StaffName id={r.updatedBy} />
                </Space>
              ) : (
                "—"
              ),
          },
          ...(canEdit
            ? [
                {
                  title: t("common.actions"),
                  key: "edit",
                  render: (_: unknown, r: Regime) => (
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
        width={640}
        title={editing ? regimes.name(editing.code) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy }}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t("requests.regimes.editHelp")} />
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="regime-error" />}
        <Form form={form} name="regime" layout="vertical">
          <Space wrap>
            <Form.Item
              name="nameZh"
              label={t("requests.regimes.nameZh")}
              rules={[{ required: true, whitespace: true, message: t("common.required") }, { max: 100 }]}
            >
              <Input style={{ width: 280 }} />
            </Form.Item>
            <Form.Item
              name="nameEn"
              label={t("requests.regimes.nameEn")}
              rules={[{ required: true, whitespace: true, message: t("common.required") }, { max: 100 }]}
            >
              <Input style={{ width: 280 }} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="amount" label={t("requests.regimes.amount")} rules={[{ required: true, message: t("common.required") }]}>
              <InputNumber min={1} max={365} precision={0} />
            </Form.Item>
            <Form.Item name="unit" label={t("requests.regimes.unit")} rules={[{ required: true, message: t("common.required") }]}>
              <Select style={{ width: 160 }} options={UNITS.map((u) => ({ value: u, label: t(`requests.regimes.units.${u}`) }))} />
            </Form.Item>
            <Form.Item name="reminderDays" label={t("requests.regimes.reminderDays")} rules={[{ required: true, message: t("common.required") }]}>
              <InputNumber min={0} max={60} precision={0} />
            </Form.Item>
          </Space>
          <Form.Item name="hasExtension" label={t("requests.regimes.extension")} valuePropName="checked">
            <Switch />
          </Form.Item>
          {hasExtension && (
            <Space wrap>
              <Form.Item name="extensionAmount" label={t("requests.regimes.amount")} rules={[{ required: true, message: t("common.required") }]}>
                <InputNumber min={1} max={365} precision={0} />
              </Form.Item>
              <Form.Item name="extensionUnit" label={t("requests.regimes.unit")} rules={[{ required: true, message: t("common.required") }]}>
                <Select style={{ width: 160 }} options={UNITS.map((u) => ({ value: u, label: t(`requests.regimes.units.${u}`) }))} />
              </Form.Item>
            </Space>
          )}
          <Form.Item
            name="source"
            label={t("requests.regimes.source")}
            extra={t("requests.regimes.sourceHelp")}
            rules={[{ required: true, whitespace: true, message: t("common.required") }, { max: 500 }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="verified" valuePropName="checked">
            <Checkbox>{t("requests.regimes.verifiedCheck")}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
