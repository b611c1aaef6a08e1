import { Alert, App as AntApp, Button, Form, Input, Modal, Select } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";

/**
 * A client action the API takes with a reason code and an optional reference (erasure, lifting a
 * restriction): a button, a confirmation with the codes, the API's field messages under the fields.
 * `texts` is an i18n prefix with button, title, confirm, notice, reason, reasons.<code>, reference, done.
 */
export function ReasonCodeAction(props: {
  path: string;
  texts: string;
  reasons: readonly string[];
  referencePattern: RegExp;
  icon: ReactNode;
  danger?: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string; reference?: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const text = (key: string) => t(`${props.texts}.${key}`);
  const submit = async (values: { reason: string; reference?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const reference = values.reference?.trim();
      await api.post(props.path, { reason: values.reason, ...(reference ? { reference } : {}) });
      message.success(text("done"));
      setOpen(false);
      props.onDone();
    } catch (e) {
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button danger={props.danger} icon={props.icon} onClick={() => setOpen(true)}>
        {text("button")}
      </Button>
      <Modal
        open={open}
        title={text("title")}
        onCancel={() => setOpen(false)}
        okText={text("confirm")}
        okButtonProps={{ danger: props.danger, loading: busy }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Alert type={props.danger ? "error" : "info"} showIcon title={text("notice")} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="reason" label={text("reason")} rules={[{ required: true, message: t("clients.issues.required") }]}>
            <Select options={props.reasons.map((r) => ({ value: r, label: text(`reasons.${r}`) }))} />
          </Form.Item>
          <Form.Item name="reference" label={text("reference")} rules={[{ pattern: props.referencePattern, message: t("clients.issues.format") }]}>
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
      </Modal>
    </>
  );
}
