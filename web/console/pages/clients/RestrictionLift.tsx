import { UnlockOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";

/** RestrictionLiftSchema.reason and .reference (POST /clients/{id}/restriction/lift). */
const LIFT_REASONS = ["client_request", "accuracy_verified", "objection_resolved", "ground_ended"] as const;
const LIFT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/**
 * Ending a restriction of processing (PIPL Art. 47): a reason code and optionally a reference. Shown
 * when the client's abilities say the caller may (liftRestriction: compliance, and a restriction in force).
 */
export function RestrictionLift({ clientId, onLifted }: { clientId: string; onLifted: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string; reference?: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: { reason: string; reference?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const reference = values.reference?.trim();
      await api.post(`/clients/${clientId}/restriction/lift`, { reason: values.reason, ...(reference ? { reference } : {}) });
      message.success(t("clients.restriction.lifted"));
      setOpen(false);
      onLifted();
    } catch (e) {
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button icon={<UnlockOutlined />} onClick={() => setOpen(true)}>
        {t("clients.restriction.button")}
      </Button>
      <Modal
        open={open}
        title={t("clients.restriction.title")}
        onCancel={() => setOpen(false)}
        okText={t("clients.restriction.confirm")}
        okButtonProps={{ loading: busy }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t("clients.restriction.help")} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="reason" label={t("clients.restriction.reason")} rules={[{ required: true, message: t("clients.issues.required") }]}>
            <Select options={LIFT_REASONS.map((r) => ({ value: r, label: t(`clients.restriction.reasons.${r}`) }))} />
          </Form.Item>
          <Form.Item name="reference" label={t("clients.restriction.reference")} rules={[{ pattern: LIFT_REFERENCE, message: t("clients.issues.format") }]}>
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
      </Modal>
    </>
  );
}
