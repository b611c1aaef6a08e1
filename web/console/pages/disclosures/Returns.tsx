import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { isoFromLocal, localFromIso } from "../programme/codes";
import { REFERENCE } from "./model";

/** Asks the partner to return or delete everything outstanding of one disclosure (email to its contacts). */
export function RequestReturn({ disclosureId, onDone }: { disclosureId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const ask = async () => {
    setBusy(true);
    try {
      const r = await api.post<{ holdings: unknown[]; partners: { emailsQueued: number }[] }>(`/disclosures/${disclosureId}/return-request`);
      const emails = r.partners.reduce((n, p) => n + p.emailsQueued, 0);
      void message.success(t("disclosures.returns.requested", { count: r.holdings.length, emails }));
      onDone();
    } catch (e) {
      void message.error(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm title={t("disclosures.returns.requestConfirm")} onConfirm={() => void ask()}>
      <Button loading={busy} data-testid="request-return">
        {t("disclosures.returns.request")}
      </Button>
    </Popconfirm>
  );
}

interface ConfirmValues {
  kind: "returned" | "deleted";
  confirmedAt: string;
  reference: string;
}

/** Records the partner's confirmation, for one client's rows or (no client) every outstanding row. */
export function ConfirmReturn({ disclosureId, clientId, label, onDone }: { disclosureId: string; clientId?: string; label: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<ConfirmValues>();
  const submit = async (v: ConfirmValues) => {
    setError(null);
    try {
      await api.post(`/disclosures/${disclosureId}/confirmations`, {
        kind: v.kind,
        confirmedAt: isoFromLocal(v.confirmedAt),
        reference: v.reference.trim(),
        ...(clientId ? { clientId } : {}),
      });
      setOpen(false);
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="confirm-return">
        {label}
      </Button>
      <Modal
        open={open}
        title={t("disclosures.returns.confirmTitle")}
        okText={t("common.submit")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
        <Form<ConfirmValues>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ kind: "deleted", confirmedAt: localFromIso(new Date().toISOString()) }}
          onFinish={submit}
        >
          <Form.Item name="kind" label={t("disclosures.returns.kind")} rules={[{ required: true, message: t("common.required") }]}>
            <Select
              options={(["deleted", "returned"] as const).map((k) => ({
                value: k,
                label: t(`disclosures.returns.kinds.${k}`),
                title: t(`disclosures.returns.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="confirmedAt" label={t("disclosures.returns.confirmedAt")} rules={[{ required: true, message: t("common.required") }]}>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item
            name="reference"
            label={t("disclosures.returns.reference")}
            extra={t("disclosures.new.referenceHelp")}
            rules={[
              { required: true, message: t("common.required") },
              { pattern: REFERENCE, message: t("disclosures.new.referenceFormat") },
            ]}
          >
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
