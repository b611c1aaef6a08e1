import { Alert, Button, Col, Descriptions, Empty, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { paging } from "../../../shared/tables";

// Mirrors src/governance/privacy-team/privacy-team.ts (the API validates; this only fills the picker).
const ROLE_CODES = ["privacy_officer", "response_team_member", "archive_keeper", "security_officer", "training_coordinator"] as const;

export interface PrivacyRole {
  id: string;
  code: string;
  holderId: string;
  deputyIds: string[];
  dutiesZh: string;
  dutiesEn: string;
  contactEmail: string | null;
  contactPhone: string | null;
  updatedAt: string;
}

function RoleForm({ role, open, onClose, onDone }: { role: PrivacyRole | null; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t, code } = useLabels();
  const staff = useStaffNames();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const people = staff.options((e) => `${e.displayName} · ${t(`roles.${e.role}`)}`);
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    const contact = (s: string | undefined) => (s?.trim() ? s.trim() : role ? null : undefined);
    const body = {
      holderId: v.holderId,
      deputyIds: v.deputyIds ?? [],
      dutiesZh: v.dutiesZh,
      dutiesEn: v.dutiesEn,
      ...(contact(v.contactEmail) !== undefined ? { contactEmail: contact(v.contactEmail) } : {}),
      ...(contact(v.contactPhone) !== undefined ? { contactPhone: contact(v.contactPhone) } : {}),
    };
    try {
      if (role) await api.patch(`/privacy-team/${role.id}`, body);
      else await api.post("/privacy-team", { code: v.code, ...body });
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={open}
      title={role ? t("privacyTeam.team.edit", { role: code("privacyTeam.role", role.code) }) : t("privacyTeam.team.add")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      forceRender
      width={680}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        name="privacy-role"
        layout="vertical"
        initialValues={
          role
            ? {
                code: role.code,
                holderId: role.holderId,
                deputyIds: role.deputyIds,
                dutiesZh: role.dutiesZh,
                dutiesEn: role.dutiesEn,
                contactEmail: role.contactEmail ?? "",
                contactPhone: role.contactPhone ?? "",
              }
            : {}
        }
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="code" label={t("privacyTeam.fields.role")} rules={[{ required: true, message: t("common.required") }]}>
              <Select disabled={role !== null} options={ROLE_CODES.map((c) => ({ value: c, label: code("privacyTeam.role", c) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="holderId" label={t("privacyTeam.fields.holder")} rules={[{ required: true, message: t("common.required") }]}>
              <Select showSearch optionFilterProp="label" options={people} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="deputyIds" label={t("privacyTeam.fields.deputies")}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={people} maxCount={5} />
        </Form.Item>
        <Form.Item name="dutiesZh" label={t("privacyTeam.fields.dutiesZh")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="dutiesEn" label={t("privacyTeam.fields.dutiesEn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t("privacyTeam.team.contactHint")}</Typography.Paragraph>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="contactEmail" label={t("privacyTeam.fields.contactEmail")} rules={[{ type: "email", message: t("privacyTeam.invalidEmail") }]}>
              <Input placeholder="privacy@firm.example.cn" maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="contactPhone" label={t("privacyTeam.fields.contactPhone")}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

export function TeamTab() {
  const { t, code, lang } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const manage = me.permissions.includes("privacy_team.manage");
  const list = useLoad(() => api.get<{ items: PrivacyRole[] }>("/privacy-team"), []);
  const [editing, setEditing] = useState<PrivacyRole | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async (r: PrivacyRole) => {
    try {
      await api.delete(`/privacy-team/${r.id}`);
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t("privacyTeam.team.intro")}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        {manage && (
          <Button
            type="primary"
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
          >
            {t("privacyTeam.team.add")}
          </Button>
        )}
      </Space>
      {!!(list.error || error) && <Alert type="error" showIcon message={error ?? messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<PrivacyRole>
        rowKey="id"
        size="small"
        data-testid="privacy-team-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        locale={{ emptyText: <Empty description={t("privacyTeam.team.none")} /> }}
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t("privacyTeam.fields.duties")}>
                <span style={{ whiteSpace: "pre-wrap" }}>{lang === "en" ? r.dutiesEn : r.dutiesZh}</span>
              </Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          { title: t("privacyTeam.fields.role"), dataIndex: "code", render: (v: string) => code("privacyTeam.role", v) },
          { title: t("privacyTeam.fields.holder"), dataIndex: "holderId", render: (v: string) => staff.name(v) },
          { title: t("privacyTeam.fields.deputies"), dataIndex: "deputyIds", render: (v: string[]) => v.map((id) => staff.name(id)).join("、") || "—" },
          {
            title: t("privacyTeam.fields.contact"),
            key: "contact",
            render: (_, r) => [r.contactEmail, r.contactPhone].filter(Boolean).join(" · ") || "—",
          },
          ...(manage
            ? [
                {
                  title: "",
                  key: "actions",
                  render: (_: unknown, r: PrivacyRole) => (
                    <Space size={4}>
                      <Button
                        size="small"
                        onClick={() => {
                          setEditing(r);
                          setOpen(true);
                        }}
                      >
                        {t("privacyTeam.team.editButton")}
                      </Button>
                      <Popconfirm
                        title={t("privacyTeam.team.removeConfirm")}
                        onConfirm={() => void remove(r)}
                        okText={t("common.submit")}
                        cancelText={t("common.cancel")}
                      >
                        <Button size="small" danger>
                          {t("privacyTeam.team.remove")}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <RoleForm
        key={editing?.id ?? "new"}
        role={editing}
        open={open}
        onClose={() => setOpen(false)}
        onDone={() => {
          setOpen(false);
          list.reload();
        }}
      />
    </>
  );
}
