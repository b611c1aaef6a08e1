import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { ACKNOWLEDGEMENT_KINDS, CONSENT_CHANNELS, NOTICE_LANGUAGES, type ConsentList, type ConsentRecord } from "./model";
import { usePurposes } from "./purposes";
import { paging } from "../../../shared/tables";

const ACK_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const STATE_COLOURS = { none: "default", granted: "green", separate: "blue" } as const;

type Dialog = { kind: "record"; purpose?: string } | { kind: "withdraw"; purpose: string } | null;

/** The client's consent state per purpose and its history; recording and withdrawing when `may` (the client's manageConsent ability). */
export function Consents({ clientId, may }: { clientId: string; may: boolean }) {
  const { t, i18n } = useTranslation();
  const purposes = usePurposes();
  const consents = useLoad(() => api.get<ConsentList>(`/clients/${clientId}/consents`, { purpose: true }), [clientId]);
  const [dialog, setDialog] = useState<Dialog>(null);
  if (consents.error) return <Alert type="error" showIcon title={messageOf(consents.error)} />;
  const time = (v: string | null) => formatTime(v, i18n.language);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("clients.consents.current")}
        </Typography.Title>
        {may && (
          <Button type="primary" onClick={() => setDialog({ kind: "record" })}>
            {t("clients.consents.record")}
          </Button>
        )}
      </Space>
      <Table
        data-testid="consents-current"
        rowKey="purpose"
        size="small"
        loading={consents.loading}
        pagination={paging({ quiet: true })}
        dataSource={consents.data?.current ?? []}
        columns={[
          { title: t("clients.consents.purpose"), dataIndex: "purpose", render: (v: string) => purposes.nameOf(v) },
          { title: t("clients.consents.legalBasis"), key: "basis", render: (_, row) => (i18n.language === "en" ? row.legalBasisEn : row.legalBasisZh) },
          {
            title: t("clients.consents.state"),
            dataIndex: "consent",
            render: (v: keyof typeof STATE_COLOURS) => <Tag color={STATE_COLOURS[v]}>{t(`clients.consents.states.${v}`)}</Tag>,
          },
          { title: t("clients.consents.since"), dataIndex: "since", render: time },
          ...(may
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  render: (_: unknown, row: ConsentList["current"][number]) =>
                    row.consent === "none" ? (
                      <Button size="small" onClick={() => setDialog({ kind: "record", purpose: row.purpose })}>
                        {t("clients.consents.record")}
                      </Button>
                    ) : (
                      <Button size="small" danger onClick={() => setDialog({ kind: "withdraw", purpose: row.purpose })}>
                        {t("clients.consents.withdraw")}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t("clients.consents.history")}
      </Typography.Title>
      <Table<ConsentRecord>
        rowKey="id"
        size="small"
        loading={consents.loading}
        pagination={paging({ quiet: true })}
        dataSource={consents.data?.items ?? []}
        locale={{ emptyText: t("clients.consents.empty") }}
        columns={[
          { title: t("clients.consents.purpose"), dataIndex: "purpose", render: (v: string) => purposes.nameOf(v) },
          { title: t("clients.consents.revision"), dataIndex: "revision" },
          {
            title: t("common.status"),
            dataIndex: "status",
            render: (v: string, row) => (
              <Space size={4}>
                <Tag color={v === "granted" ? "green" : "red"}>{t(`clients.consents.statuses.${v}`)}</Tag>
                {row.separate && <Tag color="blue">{t("clients.consents.separate")}</Tag>}
              </Space>
            ),
          },
          { title: t("clients.consents.channel"), dataIndex: "channel", render: (v: string) => t(`clients.consents.channels.${v}`) },
          {
            title: t("clients.consents.acknowledgement"),
            dataIndex: "acknowledgement",
            render: (v: ConsentRecord["acknowledgement"]) => (
              <>
                {t(`clients.consents.ackKinds.${v.kind}`)} <Typography.Text code>{v.reference}</Typography.Text>
              </>
            ),
          },
          {
            title: t("clients.consents.notice"),
            key: "notice",
            render: (_, row) => (row.noticeVersion ? `v${row.noticeVersion} · ${row.noticeLanguage ?? ""}` : "—"),
          },
          { title: t("clients.consents.givenAt"), dataIndex: "givenAt", render: time },
          { title: t("clients.consents.recordedAt"), dataIndex: "recordedAt", render: time },
        ]}
      />
      <ConsentDialog clientId={clientId} dialog={dialog} purposeOptions={purposes.options} onClose={() => setDialog(null)} onDone={consents.reload} />
    </Space>
  );
}

interface ConsentValues {
  purpose: string;
  separate?: boolean;
  channel: string;
  noticeLanguage: string;
  ackKind: string;
  ackReference: string;
}

function ConsentDialog({
  clientId,
  dialog,
  purposeOptions,
  onClose,
  onDone,
}: {
  clientId: string;
  dialog: Dialog;
  purposeOptions: { value: string; label: string }[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ConsentValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const withdraw = dialog?.kind === "withdraw";
  const submit = async (values: ConsentValues) => {
    if (!dialog) return;
    setBusy(true);
    setError(null);
    const acknowledgement = { kind: values.ackKind, reference: values.ackReference };
    try {
      if (withdraw) {
        await api.post(`/clients/${clientId}/consents/${encodeURIComponent(dialog.purpose)}/withdraw`, { channel: values.channel, acknowledgement });
        message.success(t("clients.consents.withdrawn"));
      } else {
        await api.post(`/clients/${clientId}/consents`, {
          purpose: values.purpose,
          separate: values.separate ?? false,
          channel: values.channel,
          noticeLanguage: values.noticeLanguage,
          acknowledgement,
        });
        message.success(t("clients.consents.recorded"));
      }
      onClose();
      onDone();
    } catch (e) {
      // The API names acknowledgement fields "acknowledgement.reference": shown on the reference field.
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!dialog}
      title={t(withdraw ? "clients.consents.withdrawTitle" : "clients.consents.recordTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, danger: withdraw }}
      destroyOnHidden
    >
      {withdraw && <Alert type="warning" showIcon title={t("clients.consents.withdrawWarning")} style={{ marginBottom: 16 }} />}
      <Form<ConsentValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          purpose: dialog?.kind === "withdraw" || dialog?.kind === "record" ? dialog.purpose : undefined,
          separate: false,
          noticeLanguage: i18n.language === "en" ? "en" : "zh-CN",
        }}
      >
        <Form.Item name="purpose" label={t("clients.consents.purpose")} rules={[{ required: !withdraw, message: t("clients.issues.required") }]}>
          <Select disabled={withdraw} options={purposeOptions} />
        </Form.Item>
        {!withdraw && (
          <>
            <Form.Item name="separate" label={t("clients.consents.separate")} valuePropName="checked" extra={t("clients.consents.separateHelp")}>
              <Switch />
            </Form.Item>
            <Form.Item name="noticeLanguage" label={t("clients.consents.noticeLanguage")} rules={[{ required: true, message: t("clients.issues.required") }]}>
              <Select options={NOTICE_LANGUAGES.map((l) => ({ value: l, label: t(`clients.consents.languages.${l === "zh-CN" ? "zh" : "en"}`) }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="channel" label={t("clients.consents.channel")} rules={[{ required: true, message: t("clients.issues.required") }]}>
          <Select options={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`clients.consents.channels.${c}`) }))} />
        </Form.Item>
        <Form.Item name="ackKind" label={t("clients.consents.ackKind")} rules={[{ required: true, message: t("clients.issues.required") }]}>
          <Select options={ACKNOWLEDGEMENT_KINDS.map((k) => ({ value: k, label: t(`clients.consents.ackKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="ackReference"
          label={t("clients.consents.ackReference")}
          extra={t("clients.consents.ackReferenceHelp")}
          rules={[
            { required: true, message: t("clients.issues.required") },
            { pattern: ACK_REFERENCE, message: t("clients.issues.format") },
          ]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
