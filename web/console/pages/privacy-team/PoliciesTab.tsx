import { Alert, App, Button, Col, Drawer, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { openableRow, paging } from "../../../shared/tables";

export interface PolicySummary {
  id: string;
  code: string;
  titleZh: string;
  titleEn: string;
  ownerId: string;
  reviewMonths: number;
  nextReviewOn: string | null;
  reviewDue: boolean;
  currentVersion: number | null;
  status: string;
  attested: boolean;
}
interface PolicyVersion {
  version: number;
  textZh: string;
  textEn: string;
  changeNote: string;
  publishedOn: string | null;
}
interface PolicyDetail extends PolicySummary {
  myAttestation: { version: number; attestedAt: string } | null;
  versions: PolicyVersion[];
}

export const policyTitle = (p: Pick<PolicySummary, "titleZh" | "titleEn">, lang: string) => (lang === "en" ? p.titleEn : p.titleZh);
const STATUS_COLOURS: Record<string, string> = { draft: "default", published: "green", retired: "default" };

function NewPolicy({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useLabels();
  const staff = useStaffNames();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post("/policies", v);
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={open}
      title={t("policies.create.title")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      forceRender
      width={760}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="policy-create" layout="vertical" initialValues={{ reviewMonths: 12 }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t("policies.fields.code")}
              extra={t("policies.create.codeHint")}
              rules={[{ required: true, pattern: /^[a-z0-9_]{2,64}$/, message: t("policies.create.codeHint") }]}
            >
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="ownerId" label={t("policies.fields.owner")} rules={[{ required: true, message: t("common.required") }]}>
              <Select showSearch optionFilterProp="label" options={staff.options((e) => `${e.displayName} · ${t(`roles.${e.role}`)}`)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="reviewMonths" label={t("policies.fields.reviewMonths")} rules={[{ required: true, message: t("common.required") }]}>
              <InputNumber min={1} max={60} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="titleZh" label={t("policies.fields.titleZh")} rules={[{ required: true, message: t("common.required") }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="titleEn" label={t("policies.fields.titleEn")} rules={[{ required: true, message: t("common.required") }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="textZh" label={t("policies.fields.textZh")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="textEn" label={t("policies.fields.textEn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={6} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function NewVersion({ policy, onClose, onDone }: { policy: PolicyDetail | null; onClose: () => void; onDone: () => void }) {
  const { t } = useLabels();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const latest = policy?.versions[0];
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post(`/policies/${policy!.id}/versions`, { textZh: v.textZh, textEn: v.textEn, changeNote: v.changeNote ?? "" });
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={policy !== null}
      title={t("policies.version.title")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      forceRender
      width={760}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="policy-version" layout="vertical" initialValues={{ textZh: latest?.textZh, textEn: latest?.textEn }}>
        <Form.Item name="textZh" label={t("policies.fields.textZh")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="textEn" label={t("policies.fields.textEn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="changeNote" label={t("policies.fields.changeNote")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PolicyDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t, date, lang } = useLabels();
  const { message } = App.useApp();
  const { me } = useSession();
  const staff = useStaffNames();
  const manage = me.permissions.includes("policy.manage");
  const detail = useLoad(() => (id ? api.get<PolicyDetail>(`/policies/${id}`) : Promise.resolve(null)), [id]);
  const [versioning, setVersioning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const p = detail.data;
  const current = p?.versions.find((v) => v.version === p.currentVersion) ?? null;
  const draft = p?.versions.find((v) => v.publishedOn === null) ?? null;
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await work();
      message.success(t(done));
      detail.reload();
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const shown = current ?? draft;
  return (
    <Drawer open={id !== null} onClose={onClose} width={760} title={p ? policyTitle(p, lang) : ""} destroyOnHidden>
      {!!(detail.error || error) && <Alert type="error" showIcon message={error ?? messageOf(detail.error)} style={{ marginBottom: 16 }} />}
      {p && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={STATUS_COLOURS[p.status]}>{t(`policies.status.${p.status}`)}</Tag>
            {p.currentVersion !== null && <Tag>{t("policies.versionN", { n: p.currentVersion })}</Tag>}
            <span>
              {t("policies.fields.owner")}: {staff.name(p.ownerId)}
            </span>
            {p.nextReviewOn && (
              <span>
                {t("policies.fields.nextReviewOn")}: {date(p.nextReviewOn)} {p.reviewDue && <Tag color="orange">{t("policies.reviewDue")}</Tag>}
              </span>
            )}
          </Space>
          <Space wrap style={{ marginBottom: 16 }}>
            {p.currentVersion !== null &&
              (p.attested ? (
                <Tag color="green">{t("policies.attestedOn", { date: date(p.myAttestation?.attestedAt) })}</Tag>
              ) : (
                <Button
                  type="primary"
                  data-testid="policy-attest"
                  onClick={() => void act(() => api.post(`/policies/${p.id}/attest`, { version: p.currentVersion }), "policies.attestDone")}
                >
                  {t("policies.attest")}
                </Button>
              ))}
            {manage && !draft && <Button onClick={() => setVersioning(true)}>{t("policies.version.open")}</Button>}
            {manage && draft && (
              <Button type="primary" onClick={() => void act(() => api.post(`/policies/${p.id}/publish`, { version: draft.version }), "policies.publishDone")}>
                {t("policies.publish", { n: draft.version })}
              </Button>
            )}
            {manage && p.status === "published" && (
              <Button onClick={() => void act(() => api.post(`/policies/${p.id}/reviews`, {}), "policies.reviewDone")}>{t("policies.markReviewed")}</Button>
            )}
          </Space>
          {shown ? (
            <>
              <Typography.Title level={5}>
                {shown.publishedOn
                  ? t("policies.publishedOn", { n: shown.version, date: date(shown.publishedOn) })
                  : t("policies.draftN", { n: shown.version })}
              </Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap", lineHeight: 1.8 }}>{lang === "en" ? shown.textEn : shown.textZh}</Typography.Paragraph>
            </>
          ) : (
            <Empty />
          )}
          {p.versions.length > 1 && (
            <Table<PolicyVersion>
              rowKey="version"
              size="small"
              pagination={paging({ quiet: true })}
              title={() => t("policies.history")}
              dataSource={p.versions}
              columns={[
                { title: t("policies.fields.version"), dataIndex: "version", render: (v: number) => t("policies.versionN", { n: v }) },
                { title: t("policies.fields.publishedOn"), dataIndex: "publishedOn", render: (v: string | null) => (v ? date(v) : t("policies.status.draft")) },
                { title: t("policies.fields.changeNote"), dataIndex: "changeNote", render: (v: string) => v || "—" },
              ]}
            />
          )}
          <NewVersion
            policy={versioning ? p : null}
            onClose={() => setVersioning(false)}
            onDone={() => {
              setVersioning(false);
              detail.reload();
              onChanged();
            }}
          />
        </>
      )}
    </Drawer>
  );
}

export function PoliciesTab() {
  const { t, date, lang } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const list = useLoad(() => api.get<{ items: PolicySummary[] }>("/policies"), []);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Typography.Paragraph type="secondary">{t("policies.intro")}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        {me.permissions.includes("policy.manage") && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t("policies.create.open")}
          </Button>
        )}
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<PolicySummary>
        rowKey="id"
        size="small"
        data-testid="policies-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={paging()}
        locale={{ emptyText: <Empty description={t("policies.none")} /> }}
        onRow={openableRow((p) => setOpenId(p.id))}
        columns={[
          { title: t("policies.fields.title"), key: "title", render: (_, p) => policyTitle(p, lang) },
          { title: t("policies.fields.status"), dataIndex: "status", render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{t(`policies.status.${v}`)}</Tag> },
          {
            title: t("policies.fields.version"),
            dataIndex: "currentVersion",
            render: (v: number | null) => (v === null ? "—" : t("policies.versionN", { n: v })),
          },
          { title: t("policies.fields.owner"), dataIndex: "ownerId", render: (v: string) => staff.name(v) },
          {
            title: t("policies.fields.nextReviewOn"),
            key: "review",
            render: (_, p) => (
              <Space size={4}>
                {p.nextReviewOn ? date(p.nextReviewOn) : "—"}
                {p.reviewDue && <Tag color="orange">{t("policies.reviewDue")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("policies.fields.myAttestation"),
            key: "attested",
            render: (_, p) =>
              p.currentVersion === null ? (
                "—"
              ) : p.attested ? (
                <Tag color="green">{t("policies.attested")}</Tag>
              ) : (
                <Tag color="red">{t("policies.notAttested")}</Tag>
              ),
          },
        ]}
      />
      <PolicyDrawer id={openId} onClose={() => setOpenId(null)} onChanged={list.reload} />
      <NewPolicy
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          list.reload();
        }}
      />
    </>
  );
}
