import { SendOutlined } from "@ant-design/icons";
import { Alert, Button, Col, Descriptions, Form, Input, InputNumber, Modal, Result, Row, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { type ClientDocument, type CreatedShare, RECIPIENT_KINDS, type Share, type ShareForm, shareBody } from "./model";
import { ShareTable } from "./ShareTable";

/** ShareCreateSchema's limits (SHARE_MAX_DAYS, SHARE_MAX_DOWNLOADS). */
const MAX_DAYS = 30;
const MAX_DOWNLOADS = 20;

/**
 * Forwarding a document outside the firm: a time-limited link for one recipient, a download cap,
 * a one-time code sent to the recipient, a watermark on each copy, under a `forward_document`
 * approval; an L4 share waits for a second person before its link opens. Without the approval the
 * API answers approval_required and the dialog offers to ask for it.
 */
export function ShareDialog({ document, onClose, onRequestApproval }: { document: ClientDocument; onClose: () => void; onRequestApproval: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ShareForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [made, setMade] = useState<CreatedShare | null>(null);
  const shares = useLoad(() => api.get<{ items: Share[] }>(`/documents/${document.id}/shares`, { purpose: true }), [document.id]);

  const submit = async (v: ShareForm) => {
    setBusy(true);
    setError(null);
    try {
      setMade(await api.post<CreatedShare>(`/documents/${document.id}/shares`, shareBody(v), { purpose: true }));
      shares.reload();
    } catch (e) {
      // The API names nested fields "recipient.name": the form's fields are flat.
      if (e instanceof ApiError && e.fields.length) {
        const flat: Record<string, keyof ShareForm> = {
          "recipient.kind": "recipientKind",
          "recipient.name": "recipientName",
          "recipient.organisation": "organisation",
          "recipient.email": "email",
          expiresInDays: "days",
          maxDownloads: "maxDownloads",
        };
        form.setFields(e.fields.flatMap((f) => (flat[f.field] ? [{ name: flat[f.field]!, errors: [f.message] }] : [])));
        if (e.fields.some((f) => !flat[f.field])) setError(e);
      } else setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const needsApproval = error instanceof ApiError && error.code === "approval_required";

  return (
    <Modal
      open
      width={820}
      title={t("files.share.title", { title: document.title ?? t("files.masked.tag") })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        made ? (
          <Button onClick={onClose}>{t("files.share.close")}</Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => form.submit()}>
              {t("files.share.submit")}
            </Button>
          </Space>
        )
      }
    >
      {made ? (
        <ShareMade created={made} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t(document.level >= 4 ? "files.share.helpL4" : "files.share.help")}</Typography.Paragraph>
          {error && (
            <Alert
              data-testid="share-error"
              style={{ marginBottom: 16 }}
              type={needsApproval ? "warning" : "error"}
              showIcon
              title={needsApproval ? t("files.share.approvalRequired") : messageOf(error)}
              description={
                needsApproval ? (
                  <Space orientation="vertical" size={4}>
                    <span>{t("files.share.approvalHelp")}</span>
                    <Button size="small" data-testid="share-request-approval" onClick={onRequestApproval}>
                      {t("files.share.requestApproval")}
                    </Button>
                  </Space>
                ) : undefined
              }
            />
          )}
          <Form<ShareForm> form={form} layout="vertical" initialValues={{ recipientKind: "court", days: 7, maxDownloads: 1 }} onFinish={submit}>
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Form.Item name="recipientKind" label={t("files.share.recipientKind")} rules={[{ required: true, message: t("common.required") }]}>
                  <Select options={RECIPIENT_KINDS.map((k) => ({ value: k, label: t(`files.recipientKinds.${k}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="recipientName"
                  label={t("files.share.recipientName")}
                  rules={[
                    { required: true, whitespace: true, message: t("common.required") },
                    { max: 100, message: t("files.share.tooLong", { max: 100 }) },
                  ]}
                >
                  <Input autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="organisation" label={t("files.share.organisation")} rules={[{ max: 200, message: t("files.share.tooLong", { max: 200 }) }]}>
                  <Input autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="email"
                  label={t("files.share.email")}
                  extra={t("files.share.emailHelp")}
                  rules={[
                    { required: true, message: t("common.required") },
                    { type: "email", message: t("files.share.emailFormat") },
                  ]}
                >
                  <Input autoComplete="off" inputMode="email" />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item name="days" label={t("files.share.days")} rules={[{ required: true, message: t("common.required") }]}>
                  <InputNumber min={1} max={MAX_DAYS} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item name="maxDownloads" label={t("files.share.maxDownloads")} rules={[{ required: true, message: t("common.required") }]}>
                  <InputNumber min={1} max={MAX_DOWNLOADS} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
            </Row>
          </Form>
        </>
      )}
      {shares.data && shares.data.items.length > 0 && (
        <div style={{ marginTop: 16 }}>
          <Typography.Title level={5}>{t("files.share.existing")}</Typography.Title>
          <ShareTable items={shares.data.items} onChanged={shares.reload} />
        </div>
      )}
    </Modal>
  );
}

/** The link, shown once; the code goes to the recipient (at L4 only once the second person confirms). */
function ShareMade({ created }: { created: CreatedShare }) {
  const { t, i18n } = useTranslation();
  const { share } = created;
  const link = new URL(created.link, window.location.origin).toString();
  const pending = share.status === "pending";
  return (
    <Result
      status={pending ? "info" : "success"}
      title={t(pending ? "files.share.madePending" : "files.share.made")}
      subTitle={t(pending ? "files.share.pendingHelp" : "files.share.codeSent")}
      extra={
        <Descriptions size="small" column={1} bordered data-testid="share-made">
          <Descriptions.Item label={t("files.share.link")}>
            <Typography.Text code copyable={{ text: link }} data-testid="share-link">
              {link}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("files.share.expiresAt")}>{formatTime(share.expiresAt, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t("files.share.maxDownloads")}>{share.maxDownloads}</Descriptions.Item>
        </Descriptions>
      }
    />
  );
}
