import { EditOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { PURPOSE_CHANGE_REASONS, PURPOSE_CHANGE_REFERENCE } from "./model";
import { usePurposes } from "./purposes";

interface Values {
  purposes: string[];
  reason: string;
  reference?: string;
}

/**
 * Changing what a record may be used for (PUT /clients/{id}/purposes): the whole new list and a
 * reason code. Shown only to roles that may change purposes; the API still decides per record
 * (compliance, or the responsible partner of an open matter) and refuses a consent-based purpose
 * the client has not consented to.
 */
export function PurposesEditor({ clientId, current, onChanged }: { clientId: string; current: string[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const purposes = usePurposes();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const reference = values.reference?.trim();
      await api.put(`/clients/${clientId}/purposes`, { purposes: values.purposes, reason: values.reason, ...(reference ? { reference } : {}) });
      message.success(t("clients.purposes.saved"));
      setOpen(false);
      onChanged();
    } catch (e) {
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="purposes-edit">
        {t("clients.purposes.change")}
      </Button>
      <Modal
        open={open}
        title={t("clients.purposes.title")}
        onCancel={() => setOpen(false)}
        okText={t("common.save")}
        okButtonProps={{ loading: busy }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t("clients.purposes.help")} style={{ marginBottom: 16 }} />
        <Form<Values> form={form} layout="vertical" initialValues={{ purposes: current }} onFinish={submit} data-testid="purposes-form">
          <Form.Item
            name="purposes"
            label={t("clients.fields.purposes")}
            extra={t("clients.purposes.consentHint")}
            rules={[{ required: true, type: "array", min: 1, message: t("clients.issues.purposesRequired") }]}
          >
            <Select mode="multiple" loading={purposes.loading} options={purposes.options} />
          </Form.Item>
          <Form.Item name="reason" label={t("clients.purposes.reason")} rules={[{ required: true, message: t("clients.issues.required") }]}>
            <Select options={PURPOSE_CHANGE_REASONS.map((r) => ({ value: r, label: t(`clients.purposes.reasons.${r}`) }))} />
          </Form.Item>
          <Form.Item
            name="reference"
            label={t("clients.purposes.reference")}
            extra={t("clients.purposes.referenceHelp")}
            rules={[{ pattern: PURPOSE_CHANGE_REFERENCE, message: t("clients.issues.format") }]}
          >
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} data-testid="purposes-error" />}
      </Modal>
    </>
  );
}
