import { Alert, App as AntApp, Button, Col, Form, Input, Radio, Row, Select, Space, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { CLIENT_KINDS, ID_TYPES, type PERSONAL_FIELDS, type Client, type PersonalField } from "./model";
import { usePurposes } from "./purposes";
import { birthDateRule, emailRule, idNumberRule, phoneRule } from "./validate";

interface Values {
  kind: Client["kind"];
  name?: string;
  idType?: Client["idType"];
  idNumber?: string;
  phone?: string;
  email?: string;
  address?: string;
  birthDate?: string;
  notes?: string;
  purposes: string[];
}

// Purposes are set at creation; afterwards they change only through PurposesEditor (with a reason).
const EDITABLE = ["name", "idType", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
const blank = (v: unknown) => (typeof v === "string" ? v.trim() || null : (v ?? null));

/**
 * Creates a client (POST /clients) or changes one (PATCH /clients/{id}, only the fields that
 * changed; masked fields stay locked, as the API would refuse them). Purposes are part of the
 * creation only: the API refuses them in a PATCH.
 */
export function ClientForm({ client, onSaved, onCancel }: { client?: Client; onSaved: (client: Client) => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const purposes = usePurposes();
  const masked = new Set(client?.access.maskedFields ?? []);
  const locked = (field: string) => masked.has(field);
  const kind = Form.useWatch("kind", form) ?? client?.kind ?? "person";

  const initial: Partial<Values> = client
    ? Object.fromEntries([["kind", client.kind], ...EDITABLE.filter((f) => !locked(f)).map((f) => [f, client[f] ?? undefined])])
    : { kind: "person", purposes: [] };

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      let saved: Client;
      if (!client) {
        const body = { ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k === "kind" || k === "purposes" ? v : blank(v)])) };
        saved = await api.post<Client>("/clients", body);
        message.success(t("clients.create.created"));
      } else {
        const patch: Record<string, unknown> = {};
        for (const field of EDITABLE) {
          if (locked(field)) continue;
          const next = blank(values[field]);
          if (JSON.stringify(next) !== JSON.stringify(client[field])) patch[field] = next;
        }
        if (Object.keys(patch).length === 0) {
          setError(t("clients.edit.nothingChanged"));
          return;
        }
        saved = await api.patch<Client>(`/clients/${client.id}`, patch, { purpose: true });
        message.success(t("clients.edit.saved"));
      }
      onSaved(saved);
    } catch (e) {
      // The API's field errors go on the fields; its summary stays above the buttons.
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const maskedTag = (field: PersonalField | "idType") => (locked(field) ? <Tag color="orange">{t("clients.access.masked")}</Tag> : null);
  const label = (field: (typeof PERSONAL_FIELDS)[number] | "idType") => (
    <Space size={4}>
      {t(`clients.fields.${field}`)}
      {maskedTag(field)}
    </Space>
  );

  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="client-form" style={{ maxWidth: 720 }}>
      {client && masked.size > 0 && <Alert type="warning" showIcon title={t("clients.edit.maskedLocked")} style={{ marginBottom: 16 }} />}
      <Form.Item name="kind" label={t("clients.fields.kind")} rules={[{ required: true, message: t("clients.issues.required") }]}>
        <Radio.Group disabled={!!client} options={CLIENT_KINDS.map((k) => ({ value: k, label: t(`clients.kinds.${k}`) }))} optionType="button" />
      </Form.Item>
      <Form.Item name="name" label={label("name")} rules={[{ required: !locked("name"), whitespace: true, message: t("clients.issues.required") }]}>
        <Input disabled={locked("name")} maxLength={200} autoComplete="off" placeholder={client && locked("name") ? client.name : undefined} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="idType" label={t("clients.fields.idType")}>
            <Select
              allowClear
              disabled={locked("idNumber")}
              placeholder={t("clients.create.idTypePlaceholder")}
              options={ID_TYPES.filter((type) => (kind === "organization" ? type === "uscc" : type !== "uscc")).map((type) => ({
                value: type,
                label: t(`clients.idTypes.${type}`),
              }))}
              onChange={() => void form.validateFields(["idNumber"]).catch(() => undefined)}
            />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="idNumber" label={label("idNumber")} dependencies={["idType"]} rules={[idNumberRule(t)]} validateFirst>
            <Input
              disabled={locked("idNumber")}
              maxLength={40}
              autoComplete="off"
              placeholder={client && locked("idNumber") ? (client.idNumber ?? undefined) : undefined}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="phone" label={label("phone")} rules={[phoneRule(t)]}>
            <Input
              disabled={locked("phone")}
              maxLength={32}
              autoComplete="off"
              placeholder={client && locked("phone") ? (client.phone ?? undefined) : undefined}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="email" label={label("email")} rules={[emailRule(t)]}>
            <Input
              disabled={locked("email")}
              maxLength={254}
              autoComplete="off"
              placeholder={client && locked("email") ? (client.email ?? undefined) : undefined}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={label("address")}>
        <Input
          disabled={locked("address")}
          maxLength={500}
          autoComplete="off"
          placeholder={client && locked("address") ? (client.address ?? undefined) : undefined}
        />
      </Form.Item>
      <Form.Item name="birthDate" label={label("birthDate")} rules={[birthDateRule(t)]} extra={t("clients.create.birthDateHint")}>
        <Input disabled={locked("birthDate")} maxLength={10} placeholder="YYYY-MM-DD" autoComplete="off" style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="notes" label={label("notes")}>
        <Input.TextArea
          disabled={locked("notes")}
          maxLength={4000}
          rows={3}
          placeholder={client && locked("notes") ? (client.notes ?? undefined) : undefined}
        />
      </Form.Item>
      {!client && (
        <Form.Item
          name="purposes"
          label={t("clients.fields.purposes")}
          extra={t("clients.create.purposesHelp")}
          rules={[{ required: true, type: "array", min: 1, message: t("clients.issues.purposesRequired") }]}
        >
          <Select mode="multiple" loading={purposes.loading} options={purposes.options} data-testid="client-purposes" />
        </Form.Item>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="client-form-error" />}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {client ? t("common.save") : t("clients.create.submit")}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t("common.cancel")}</Button>}
      </Space>
    </Form>
  );
}
