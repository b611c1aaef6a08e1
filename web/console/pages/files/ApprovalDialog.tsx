import { Alert, App as AntApp, Form, Input, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, purpose } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";

/** ApprovalCreateSchema's justification codes and reference pattern. */
const JUSTIFICATIONS = [
  "court_filing",
  "client_instruction",
  "regulator_request",
  "due_diligence",
  "litigation_hold",
  "internal_investigation",
  "other",
] as const;
const REFERENCE = /^[A-Za-z0-9._:/-]{1,64}$/;
const DURATIONS = [60, 240, 1440, 10080] as const;

interface RequestForm {
  justification: string;
  reference?: string;
  durationMinutes: number;
}

/**
 * Asks for the approval a document operation needs: copy_document (download of L3+) or
 * forward_document (external share), for this client and, when given, matter, under the declared
 * purpose. Deciding happens on the approvals screen; the grant then covers the operation.
 */
export function ApprovalDialog({
  kind,
  clientId,
  matterId,
  open,
  onClose,
}: {
  kind: "copy_document" | "forward_document";
  clientId: string;
  matterId: string | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<RequestForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const declared = purpose();
  const submit = async (v: RequestForm) => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<{ id: string }>("/approvals", {
        kind,
        clientId,
        ...(matterId ? { matterId } : {}),
        purpose: declared,
        justification: v.justification,
        durationMinutes: v.durationMinutes,
        ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
      });
      void message.success(t("files.approval.done"));
      onClose();
      navigate(`approvals/${created.id}`);
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t(`files.approval.title.${kind}`)}
      okText={t("files.approval.submit")}
      okButtonProps={{ loading: busy, disabled: !declared }}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t(`files.approval.help.${kind}`)}</Typography.Paragraph>
      {error && <Alert data-testid="approval-dialog-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form<RequestForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ justification: "court_filing", durationMinutes: 240 }}
        onFinish={submit}
      >
        <Form.Item name="justification" label={t("files.approval.justification")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={JUSTIFICATIONS.map((j) => ({ value: j, label: t(`approvals.justification.${j}`) }))} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t("files.approval.reference")}
          extra={t("files.approval.referenceHelp")}
          rules={[{ pattern: REFERENCE, message: t("files.approval.referenceFormat") }]}
        >
          <Input placeholder="TICKET-2026-0042" autoComplete="off" />
        </Form.Item>
        <Form.Item name="durationMinutes" label={t("files.approval.duration")} rules={[{ required: true, message: t("common.required") }]}>
          <Select
            options={DURATIONS.map((m) => ({
              value: m,
              label: m % 1440 === 0 ? t("files.approval.days", { count: m / 1440 }) : t("files.approval.hours", { count: m / 60 }),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
