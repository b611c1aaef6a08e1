import { Alert, Button, Card, Form, Input, Select, Space, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, purpose } from "../../../shared/api";
import { showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { ClientPicker } from "../../../shared/pickers";
import { useRegistries } from "./lookups";
import { type DisclosureResult, LEGAL_BASES, REFERENCE } from "./model";
import { PackageHandover } from "./PackageHandover";
import { refusalText } from "./refusal";

interface Values {
  partnerId: string;
  clientIds: string[];
  profileCode: string;
  purpose: string;
  legalBasis: string;
  reference?: string;
}
interface PartnerOption {
  id: string;
  name: string;
  status: string;
  readiness: { ready: boolean; reason: string | null };
}

/** A new disclosure: partner, clients and profile by name; a refusal in words; the package once. */
export function NewDisclosure() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { profiles, purposes, en } = useRegistries();
  const partners = useLoad(() => api.get<{ items: PartnerOption[] }>("/partners"), []);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<DisclosureResult | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setRefusal(null);
    try {
      const reference = v.reference?.trim();
      setDone(
        await api.post<DisclosureResult>("/disclosures", {
          partnerId: v.partnerId,
          clientIds: v.clientIds,
          profileCode: v.profileCode,
          purpose: v.purpose,
          legalBasis: v.legalBasis,
          ...(reference ? { reference } : {}),
        }),
      );
    } catch (e) {
      if (!showFieldErrors(form, e)) setRefusal(refusalText(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (done) return <PackageHandover result={done} />;
  return (
    <Card title={t("disclosures.new.title")} extra={<Button onClick={() => navigate("disclosures")}>{t("disclosures.back")}</Button>}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("disclosures.new.help")} />
      {refusal && <Alert data-testid="disclosure-refusal" type="error" showIcon style={{ marginBottom: 16 }} title={refusal} />}
      <Form<Values>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{ purpose: purpose() ?? undefined, legalBasis: "contract", clientIds: [] }}
        onFinish={submit}
      >
        <Form.Item name="partnerId" label={t("disclosures.fields.partner")} rules={[{ required: true, message: t("common.required") }]}>
          <Select
            data-testid="disclosure-partner"
            showSearch={{ optionFilterProp: "label" }}
            loading={partners.loading}
            placeholder={t("disclosures.new.partnerPlaceholder")}
            options={(partners.data?.items ?? []).filter((p) => p.status !== "ended").map((p) => ({ value: p.id, label: p.name, title: p.name }))}
            optionRender={(o) => (
              <Space>
                {o.label}
                {partners.data?.items.some((p) => p.id === o.value && !p.readiness.ready) && <Tag color="red">{t("disclosures.new.notReady")}</Tag>}
              </Space>
            )}
          />
        </Form.Item>
        <Form.Item
          name="clientIds"
          label={t("disclosures.new.clients")}
          extra={t("disclosures.new.clientsHelp")}
          rules={[{ required: true, type: "array", min: 1, message: t("disclosures.new.clientsRequired") }]}
        >
          <ClientPicker multiple data-testid="disclosure-clients" placeholder={t("disclosures.new.clientsPlaceholder")} />
        </Form.Item>
        <Form.Item
          name="profileCode"
          label={t("disclosures.fields.profile")}
          extra={t("disclosures.new.profileHelp")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Select
            data-testid="disclosure-profile"
            loading={profiles.loading}
            options={(profiles.data?.items ?? []).map((p) => ({ value: p.code, label: en ? p.nameEn : p.nameZh, title: en ? p.nameEn : p.nameZh }))}
          />
        </Form.Item>
        <Form.Item name="purpose" label={t("disclosures.fields.purpose")} rules={[{ required: true, message: t("common.required") }]}>
          <Select
            loading={purposes.loading}
            options={(purposes.data?.items ?? []).map((p) => ({ value: p.code, label: en ? p.nameEn : p.nameZh, title: en ? p.nameEn : p.nameZh }))}
          />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t("disclosures.fields.legalBasis")}
          extra={t("disclosures.new.legalBasisHelp")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Select options={LEGAL_BASES.map((b) => ({ value: b, label: t(`disclosures.legalBasis.${b}`), title: t(`disclosures.legalBasis.${b}`) }))} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t("disclosures.fields.reference")}
          extra={t("disclosures.new.referenceHelp")}
          rules={[{ pattern: REFERENCE, message: t("disclosures.new.referenceFormat") }]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="disclosure-submit">
          {t("disclosures.new.submit")}
        </Button>
      </Form>
    </Card>
  );
}
