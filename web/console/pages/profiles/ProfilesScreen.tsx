import { EyeInvisibleOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import type { Screen } from "../registry";
import { FIELDS, type Field, type FieldRule, keptIdentifiers, type Profile } from "./model";
import { RuleEditor } from "./RuleEditor";
import { paging } from "../../../shared/tables";

/** How one field leaves under a profile, in words. */
function useRuleText() {
  const { t } = useTranslation();
  return (rule: FieldRule | undefined) =>
    !rule || rule.rule === "omit"
      ? t("profiles.rule.omit")
      : rule.rule === "generalise"
        ? t(`profiles.method.${rule.method}`)
        : t(`profiles.rule.${rule.rule}`);
}

function ProfileRules({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  const ruleText = useRuleText();
  return (
    <Descriptions size="small" column={2} bordered>
      {FIELDS.map((f) => (
        <Descriptions.Item key={f} label={t(`profiles.field.${f}`)}>
          <Space>
            {ruleText(profile.fields[f])}
            {profile.identifyingFields.includes(f) && <Tag color="red">{t("profiles.identifyingField")}</Tag>}
          </Space>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

type Draft = Omit<Profile, "version" | "identifyingFields" | "builtin" | "updatedAt" | "versionCreatedBy"> & { version?: number };
const EMPTY: Draft = {
  code: "",
  nameZh: "",
  nameEn: "",
  descriptionZh: "",
  descriptionEn: "",
  identifying: false,
  sealed: false,
  fields: { clientId: { rule: "pseudonym" } },
};

function ProfileEditor({ draft, onClose, onSaved }: { draft: Draft; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [fields, setFields] = useState<Partial<Record<Field, FieldRule>>>(draft.fields);
  const [error, setError] = useState<string | null>(null);
  const identifiers = keptIdentifiers(fields);
  const creating = draft.version === undefined;
  const save = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      const body = {
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        descriptionZh: v.descriptionZh,
        descriptionEn: v.descriptionEn,
        identifying: !!v.identifying,
        sealed: !!v.sealed,
        fields,
      };
      if (creating) await api.post("/deidentification-profiles", { ...body, code: v.code });
      else await api.put(`/deidentification-profiles/${draft.code}`, { ...body, expectedVersion: draft.version });
      message.success(t("common.saved"));
      onSaved();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open
      width={820}
      title={creating ? t("profiles.create") : t("profiles.editTitle", { code: draft.code })}
      onOk={save}
      onCancel={onClose}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
    >
      <Typography.Paragraph type="secondary">{t("profiles.editHelp")}</Typography.Paragraph>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
      <Form form={form} layout="vertical" initialValues={draft}>
        {creating && (
          <Form.Item
            name="code"
            label={t("profiles.code")}
            extra={t("profiles.codeHelp")}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t("profiles.codeHelp") }]}
          >
            <Input />
          </Form.Item>
        )}
        <Space style={{ width: "100%" }} styles={{ item: { flex: 1 } }}>
          <Form.Item name="nameZh" label={t("profiles.nameZh")} rules={[{ required: true, message: t("common.required") }]}>
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="nameEn" label={t("profiles.nameEn")} rules={[{ required: true, message: t("common.required") }]}>
            <Input maxLength={80} />
          </Form.Item>
        </Space>
        <Form.Item name="descriptionZh" label={t("profiles.descriptionZh")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="descriptionEn" label={t("profiles.descriptionEn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input maxLength={500} />
        </Form.Item>
        <RuleEditor value={fields} onChange={setFields} />
        {identifiers.length > 0 && (
          <Alert
            style={{ marginTop: 16 }}
            type="warning"
            showIcon
            message={t("profiles.identifyingWarning", { fields: identifiers.map((f) => t(`profiles.field.${f}`)).join(t("profiles.listSeparator")) })}
          />
        )}
        <Form.Item name="identifying" valuePropName="checked" style={{ marginTop: 16 }}>
          <Checkbox>{t("profiles.identifyingAck")}</Checkbox>
        </Form.Item>
        <Form.Item name="sealed" valuePropName="checked">
          <Checkbox>{t("profiles.sealedOption")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** De-identification profiles (VEN-3): what a disclosure sends and in what form; compliance edits them. */
function ProfilesPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const mayEdit = me.permissions.includes("profile.manage");
  const list = useLoad(() => api.get<{ items: Profile[] }>("/deidentification-profiles"), []);
  const [editing, setEditing] = useState<Draft | null>(null);
  const zh = i18n.language === "zh-CN";
  return (
    <Card
      title={t("profiles.title")}
      extra={
        <Space>
          <Button onClick={list.reload}>{t("common.refresh")}</Button>
          {mayEdit && (
            <Button type="primary" onClick={() => setEditing(EMPTY)}>
              {t("profiles.create")}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("profiles.help")}</Typography.Paragraph>
      {list.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t("common.loadFailed")} description={messageOf(list.error)} />}
      <Table<Profile>
        rowKey="code"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging({ quiet: true })}
        expandable={{ expandedRowRender: (p) => <ProfileRules profile={p} /> }}
        columns={[
          {
            title: t("profiles.name"),
            render: (_, p) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{zh ? p.nameZh : p.nameEn}</Typography.Text>
                <Typography.Text type="secondary">{zh ? p.descriptionZh : p.descriptionEn}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t("profiles.kind"),
            render: (_, p) => (
              <Space wrap>
                {p.identifying ? <Tag color="red">{t("profiles.identifying")}</Tag> : <Tag color="green">{t("profiles.deidentified")}</Tag>}
                {p.sealed && <Tag color="blue">{t("profiles.sealed")}</Tag>}
                {p.builtin && <Tag>{t("profiles.builtin")}</Tag>}
              </Space>
            ),
          },
          { title: t("profiles.version"), render: (_, p) => t("profiles.versionN", { n: p.version }) },
          { title: t("profiles.updatedAt"), render: (_, p) => formatTime(p.updatedAt, i18n.language) },
          ...(mayEdit
            ? [
                {
                  title: t("common.actions"),
                  render: (_: unknown, p: Profile) => <Button onClick={() => setEditing({ ...p })}>{t("common.edit")}</Button>,
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <ProfileEditor
          draft={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </Card>
  );
}

// Readable by whoever may ask for a disclosure (approval.request); editing needs profile.manage.
export const profilesScreen: Screen = {
  key: "profiles",
  icon: <EyeInvisibleOutlined />,
  order: 55,
  group: "compliance",
  permission: "approval.request",
  component: ProfilesPage,
};
