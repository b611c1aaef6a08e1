import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { type CreatedUser, ROLES, type RoleChange, type StaffUser } from "./types";
import { WorkingHoursCard } from "./WorkingHoursCard";
import { paging } from "../../../shared/tables";

interface NewUser {
  email: string;
  displayName?: string;
  role: string;
  password: string;
}

export function UsersTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const users = useLoad(() => api.get<{ items: StaffUser[] }>("/users"), []);
  const [creating, setCreating] = useState(false);
  const [roleOf, setRoleOf] = useState<StaffUser | null>(null);
  const [hoursOf, setHoursOf] = useState<StaffUser | null>(null);
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const roleName = (r: string) => (i18n.exists(`roles.${r}`) ? t(`roles.${r}`) : r);

  const disable = async (user: StaffUser) => {
    try {
      const r = await api.post<{ sessionsRevoked: number; tokensRevoked: number; grantsRevoked: number }>(`/users/${encodeURIComponent(user.id)}/disable`);
      message.success(t("admin.users.disabled", { sessions: r.sessionsRevoked, tokens: r.tokensRevoked, grants: r.grantsRevoked }));
      users.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
          {t("admin.users.create")}
        </Button>
        <Button onClick={users.reload}>{t("common.refresh")}</Button>
      </Space>
      {users.error !== null && <Typography.Paragraph type="danger">{messageOf(users.error)}</Typography.Paragraph>}
      <Table<StaffUser>
        rowKey="id"
        size="small"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        pagination={paging()}
        data-testid="users-table"
        columns={[
          {
            title: t("admin.users.name"),
            key: "name",
            render: (_, u) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{u.displayName}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {u.email}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t("admin.users.role"),
            dataIndex: "role",
            render: (r: string, u) => (
              <Space size={4} wrap>
                <Tag color="blue">{roleName(r)}</Tag>
                {u.pendingRole && (
                  <Tag color="gold" data-testid="user-pending-role">
                    <a href={`#/approvals/${u.pendingRole.approvalId}`}>{t("admin.users.pendingRole", { role: roleName(u.pendingRole.role) })}</a>
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t("common.status"),
            dataIndex: "status",
            // A new account at L3+ waits disabled for its approval: say so rather than "disabled".
            render: (s: string, u) =>
              s !== "active" && u.pendingRole && u.disabledAt === null ? (
                <Tag color="gold">{t("admin.users.status.awaitingApproval")}</Tag>
              ) : (
                <Tag color={s === "active" ? "green" : "default"}>{t(`admin.users.status.${s}`)}</Tag>
              ),
          },
          {
            title: t("admin.users.mfa"),
            dataIndex: "mfaEnrolled",
            render: (v: boolean) => <Tag color={v ? "green" : "orange"}>{t(v ? "admin.users.mfaOn" : "admin.users.mfaOff")}</Tag>,
          },
          { title: t("admin.users.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, u) =>
              // Nobody changes their own role; one awaiting approval is decided first.
              u.status === "active" && u.id !== me.userId ? (
                <Space>
                  <Button size="small" onClick={() => setHoursOf(u)} data-testid="user-working-hours">
                    {t("admin.users.calendar.open")}
                  </Button>
                  <Button size="small" onClick={() => setRoleOf(u)} disabled={u.pendingRole !== null}>
                    {t("admin.users.setRole")}
                  </Button>
                  <Popconfirm
                    title={t("admin.users.disableConfirm", { name: u.displayName })}
                    description={t("admin.users.disableHelp")}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => disable(u)}
                  >
                    <Button size="small" danger>
                      {t("admin.users.disable")}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      {hoursOf && <WorkingHoursCard key={hoursOf.id} user={hoursOf} onClose={() => setHoursOf(null)} />}
      <CreateUser open={creating} roleOptions={roleOptions} onClose={() => setCreating(false)} onCreated={users.reload} />
      <SetRole user={roleOf} roleOptions={roleOptions} onClose={() => setRoleOf(null)} onSaved={users.reload} />
    </>
  );
}

type Options = { value: string; label: string }[];

function CreateUser({ open, roleOptions, onClose, onCreated }: { open: boolean; roleOptions: Options; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewUser>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: NewUser) => {
    setSaving(true);
    try {
      const created = await api.post<CreatedUser>("/users", { ...values, displayName: values.displayName?.trim() || undefined });
      if (created.approvalId) message.info(t("admin.users.createdPending", { email: values.email, role: t(`roles.${values.role}`) }));
      else message.success(t("admin.users.created", { email: values.email }));
      form.resetFields();
      onClose();
      onCreated();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(messageOf(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("admin.users.create")}
      onCancel={onClose}
      okText={t("common.create")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      forceRender
    >
      <Form<NewUser> form={form} layout="vertical" onFinish={submit} initialValues={{ role: "lawyer" }}>
        <Form.Item
          name="email"
          label={t("admin.users.email")}
          rules={[
            { required: true, message: t("common.required") },
            { type: "email", message: t("admin.users.emailInvalid") },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t("admin.users.displayName")} extra={t("admin.users.displayNameHelp")}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="role"
          label={t("admin.users.role")}
          extra={t("admin.users.setRoleApprovalHelp")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <Select options={roleOptions} data-testid="new-user-role" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("admin.users.password")}
          extra={t("admin.users.passwordHelp")}
          rules={[
            { required: true, message: t("common.required") },
            { min: 12, message: t("admin.users.passwordShort") },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SetRole({ user, roleOptions, onClose, onSaved }: { user: StaffUser | null; roleOptions: Options; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [role, setRole] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    if (!user || !role) return;
    setSaving(true);
    try {
      const changed = await api.put<RoleChange>(`/users/${encodeURIComponent(user.id)}/role`, { role });
      if (changed.pendingApproval) message.info(t("admin.users.roleRequested", { name: user.displayName, role: t(`roles.${role}`) }));
      else message.success(t("admin.users.roleChanged", { name: user.displayName, role: t(`roles.${role}`) }));
      setRole(null);
      onClose();
      onSaved();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={user !== null}
      title={t("admin.users.setRoleFor", { name: user?.displayName ?? "" })}
      onCancel={() => {
        setRole(null);
        onClose();
      }}
      onOk={save}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !role || role === user?.role }}
      confirmLoading={saving}
    >
      <Typography.Paragraph type="secondary">{t("admin.users.setRoleHelp")}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t("admin.users.setRoleApprovalHelp")}</Typography.Paragraph>
      <Select style={{ width: "100%" }} value={role ?? user?.role} options={roleOptions} onChange={setRole} />
    </Modal>
  );
}
