import { Alert, App, Button, Card, Checkbox, Form, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useLabels } from "../programme/codes";
import type { Partner, QuestionnaireLink } from "./types";
import { paging } from "../../../shared/tables";

const LINK_COLOURS: Record<string, string> = { active: "blue", used: "green", revoked: "default", expired: "orange" };

/**
 * One-time questionnaire links (issue #13): compliance issues one for a contact, optionally by
 * email; the link is shown once, here, and never again. Used, revoked and expired links stay listed.
 */
export function QuestionnaireLinks({ partner, manage, onChanged }: { partner: Partner; manage: boolean; onChanged: () => void }) {
  const { t, code, time } = useLabels();
  const { message } = App.useApp();
  const staff = useStaffNames();
  const [open, setOpen] = useState(false);
  const [issued, setIssued] = useState<{ url: string; emailed: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const contactName = (id: string) => partner.contacts.find((c) => c.id === id)?.name ?? t("partners.links.formerContact");

  const issue = async () => {
    setError(null);
    let v: { contactId: string; expiresInDays: number; language: string; email: boolean };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      const r = await api.post<{ path: string; link: QuestionnaireLink }>(`/partners/${partner.id}/questionnaire-links`, {
        contactId: v.contactId,
        expiresInDays: v.expiresInDays,
        language: v.language,
        email: Boolean(v.email),
      });
      setIssued({ url: `${window.location.origin}${r.path}`, emailed: r.link.emailed });
      onChanged();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  const close = () => {
    setOpen(false);
    setIssued(null);
    setError(null);
    form.resetFields();
  };
  const revoke = async (linkId: string) => {
    try {
      await api.post(`/partners/${partner.id}/questionnaire-links/${linkId}/revoke`);
      onChanged();
    } catch (e) {
      void message.error(messageOf(e));
    }
  };

  return (
    <Card
      title={t("partners.links.title")}
      data-testid="partner-links-card"
      extra={
        manage && (
          <Button size="small" onClick={() => setOpen(true)} disabled={partner.contacts.length === 0} data-testid="partner-link-issue">
            {t("partners.links.issue")}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t("partners.links.help")}</Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        pagination={paging({ quiet: true })}
        dataSource={partner.questionnaireLinks}
        locale={{ emptyText: t("partners.links.none") }}
        columns={[
          { title: t("partners.links.contact"), dataIndex: "contactId", render: contactName },
          {
            title: t("partners.links.status"),
            dataIndex: "status",
            render: (s: string) => <Tag color={LINK_COLOURS[s]}>{code("partners.links.state", s)}</Tag>,
          },
          { title: t("partners.links.issuedBy"), key: "issued", render: (_, l) => `${staff.name(l.issuedBy)} · ${time(l.issuedAt)}` },
          { title: t("partners.links.expiresAt"), dataIndex: "expiresAt", render: time },
          { title: t("partners.links.emailed"), dataIndex: "emailed", render: (e: boolean) => (e ? t("common.yes") : t("common.no")) },
          {
            key: "actions",
            render: (_, l) =>
              manage &&
              l.status === "active" && (
                <Popconfirm title={t("partners.links.revokeConfirm")} onConfirm={() => void revoke(l.id)}>
                  <Button size="small" danger>
                    {t("partners.links.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t("partners.links.issue")}
        onCancel={close}
        destroyOnHidden
        footer={
          issued ? (
            <Button onClick={close}>{t("partners.links.done")}</Button>
          ) : (
            <Space>
              <Button onClick={close}>{t("common.cancel")}</Button>
              <Button type="primary" onClick={() => void issue()}>
                {t("partners.links.issue")}
              </Button>
            </Space>
          )
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        {issued ? (
          <Space orientation="vertical" style={{ width: "100%" }}>
            <Alert type="warning" showIcon message={t(issued.emailed ? "partners.links.shownOnceEmailed" : "partners.links.shownOnce")} />
            <Typography.Paragraph copyable={{ text: issued.url }} code style={{ wordBreak: "break-all" }} data-testid="partner-link-url">
              {issued.url}
            </Typography.Paragraph>
          </Space>
        ) : (
          <Form form={form} layout="vertical" initialValues={{ expiresInDays: 14, language: "zh-CN", email: false }}>
            <Form.Item name="contactId" label={t("partners.links.contact")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={partner.contacts.map((c) => ({ value: c.id, label: c.email ? `${c.name} · ${c.email}` : c.name }))} />
            </Form.Item>
            <Form.Item name="expiresInDays" label={t("partners.links.days")}>
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Form.Item name="language" label={t("partners.links.language")}>
              <Select
                options={[
                  { value: "zh-CN", label: "中文" },
                  { value: "en", label: "English" },
                ]}
              />
            </Form.Item>
            <Form.Item name="email" valuePropName="checked">
              <Checkbox>{t("partners.links.email")}</Checkbox>
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Card>
  );
}
