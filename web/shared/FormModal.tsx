import { Alert, Form, Modal } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { messageOf, showFieldErrors } from "./errors";

/**
 * One modal form: validates, submits, shows the API's field errors on the fields and anything else
 * above them. Closing it (done or cancelled) empties it, so it opens fresh each time.
 */
export function FormModal({
  open,
  title,
  onClose,
  submit,
  children,
  name,
  initialValues,
  width = 640,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  submit: (values: Record<string, unknown>) => Promise<void>;
  children: ReactNode;
  /** Prefixes the fields' ids (`name_field`). */
  name?: string;
  initialValues?: Record<string, unknown>;
  width?: number;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };
  const ok = async () => {
    const values = await form.validateFields();
    setError(null);
    try {
      await submit(values);
      close();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={close}
      onOk={() => void ok()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      width={width}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name={name} layout="vertical" initialValues={initialValues}>
        {children}
      </Form>
    </Modal>
  );
}
