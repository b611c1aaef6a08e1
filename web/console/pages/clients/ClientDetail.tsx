import { AlertOutlined, AuditOutlined, DeleteOutlined, EditOutlined, ExportOutlined, FolderAddOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Result, Select, Space, Spin, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { IdText } from "../../../shared/IdText";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { announceBreakGlass, type OpenedBreakGlass } from "../break-glass/announce";
import { FilesTab } from "../files/FilesTab";
import { AccessHistory } from "./AccessHistory";
import { ClientForm } from "./ClientForm";
import { ClientMatters } from "./ClientMatters";
import { Consents } from "./Consents";
import { MaskedValue } from "./MaskedValue";
import { PurposesEditor } from "./PurposesEditor";
import { ReasonCodeAction } from "./ReasonCodeAction";
import { RestrictionLift } from "./RestrictionLift";
import { BREAK_GLASS_JUSTIFICATIONS, ERASE_REFERENCE, ERASURE_REASONS, REFERENCE, roleMay, type Client, type ClientRecord } from "./model";
import { usePurposes } from "./purposes";

/**
 * One client: every field as the API returns it (masked ones tagged, with the reason), actions and
 * tabs. The actions are the abilities the API returned with the record; a refused read has no
 * record, so its way in (break-glass) follows the caller's firm-level permissions.
 */
export function ClientDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const client = useLoad(() => api.get<ClientRecord>(`/clients/${id}`, { purpose: true }), [id]);
  const purposes = usePurposes();
  const [editing, setEditing] = useState(false);
  const [breakGlass, setBreakGlass] = useState(false);
  const back = <Button onClick={() => navigate("clients")}>{t("clients.detail.back")}</Button>;

  if (client.loading && !client.data) return <Spin />;
  if (client.error || !client.data) {
    const e = client.error;
    // Refused by need-to-know or a wall: the only way in is an audited break-glass access.
    const refused = e instanceof ApiError && e.status === 403 && ["not_on_matter", "screened_by_wall"].includes(e.code);
    // A record no purpose of the firm's reaches any more is repaired by setting its purposes again.
    const unusable = e instanceof ApiError && e.status === 403 && ["purpose_not_permitted", "consent_required"].includes(e.code);
    return (
      <>
        <Result
          status={e instanceof ApiError && e.status === 404 ? "404" : e instanceof ApiError && e.status === 403 ? "403" : "warning"}
          title={t("clients.detail.unavailable")}
          subTitle={<span data-testid="client-error">{messageOf(e)}</span>}
          extra={
            <Space>
              {back}
              {refused && roleMay(me.permissions, "breakGlass") && (
                <Button danger icon={<AlertOutlined />} onClick={() => setBreakGlass(true)}>
                  {t("clients.breakGlass.button")}
                </Button>
              )}
              {unusable && roleMay(me.permissions, "purposes") && <PurposesEditor clientId={id} current={[]} onChanged={client.reload} />}
            </Space>
          }
        />
        <BreakGlassModal clientId={id} open={breakGlass} onClose={() => setBreakGlass(false)} onOpened={client.reload} />
      </>
    );
  }
  const c = client.data;
  const a = c.access;
  const may = c.abilities;
  const v = (field: keyof Client, render?: (value: string) => string) => {
    const value = c[field] as string | null;
    return (
      <MaskedValue field={field} access={a}>
        {value == null ? "—" : render && !a.maskedFields.includes(field) ? render(value) : value}
      </MaskedValue>
    );
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={
          <Space>
            <span data-testid="client-name">{c.name}</span>
            <Tag color={c.status === "active" ? "green" : "default"}>{t(`clients.statuses.${c.status}`)}</Tag>
          </Space>
        }
        extra={
          <Space wrap>
            {back}
            {may.update && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t("common.edit")}
              </Button>
            )}
            {may.openMatter && (
              <Button icon={<FolderAddOutlined />} onClick={() => navigate(`matters/new/${c.id}`)}>
                {t("clients.detail.openMatter")}
              </Button>
            )}
            {may.export && <ExportButton clientId={c.id} />}
            {/* Without an export grant the way to one is an approval request, where the caller may ask. */}
            {!may.export && may.requestApproval && (
              <Button icon={<AuditOutlined />} title={t("clients.export.requestApprovalHelp")} onClick={() => navigate(`approvals/new/${c.id}`)}>
                {t("clients.export.requestApproval")}
              </Button>
            )}
            {may.breakGlass && (
              <Button danger icon={<AlertOutlined />} onClick={() => setBreakGlass(true)}>
                {t("clients.breakGlass.button")}
              </Button>
            )}
            {may.liftRestriction && <RestrictionLift clientId={c.id} onLifted={client.reload} />}
            {may.erase && <EraseButton clientId={c.id} onErased={client.reload} />}
          </Space>
        }
      >
        <Alert
          data-testid="access-decision"
          style={{ marginBottom: 16 }}
          type={a.decision === "allow" ? "success" : "warning"}
          showIcon
          title={t(`clients.access.decisions.${a.decision}`)}
          description={
            <Space orientation="vertical" size={2}>
              <span>{t(`clients.access.reasons.${a.reason}`)}</span>
              {a.maskedFields.length > 0 && (
                <span>
                  {t("clients.access.maskedList", { fields: a.maskedFields.map((f) => t(`clients.fields.${f}`)).join(t("clients.access.separator")) })}
                </span>
              )}
              {a.via && (
                <Tag color="red" data-testid="access-via">
                  {t(`clients.access.via.${a.via}`)}
                </Tag>
              )}
            </Space>
          }
        />
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="client-fields">
          <Descriptions.Item label={t("clients.fields.name")}>{v("name")}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.kind")}>{t(`clients.kinds.${c.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.idType")}>{c.idType ? t(`clients.idTypes.${c.idType}`) : "—"}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.idNumber")}>{v("idNumber")}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.phone")}>{v("phone")}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.email")}>{v("email")}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.address")} span={2}>
            {v("address")}
          </Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.birthDate")}>{v("birthDate")}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.purposes")}>
            <Space wrap size={4}>
              {c.purposes.map((p) => (
                <Tag key={p}>{purposes.nameOf(p)}</Tag>
              ))}
              {may.changePurposes && <PurposesEditor clientId={c.id} current={c.purposes} onChanged={client.reload} />}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.notes")} span={2}>
            {v("notes")}
          </Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.createdAt")}>{formatTime(c.createdAt, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t("clients.fields.updatedAt")}>{formatTime(c.updatedAt, i18n.language)}</Descriptions.Item>
          {/* A short reference to quote on paper or on the phone; the full id is copied, never shown. */}
          <Descriptions.Item label={t("clients.fields.id")} span={2}>
            <IdText id={c.id} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          items={[
            { key: "history", label: t("clients.tabs.history"), children: <AccessHistory clientId={c.id} /> },
            { key: "matters", label: t("clients.tabs.matters"), children: <ClientMatters clientId={c.id} /> },
            { key: "consents", label: t("clients.tabs.consents"), children: <Consents clientId={c.id} may={may.manageConsent} /> },
            ...(me.permissions.includes("document.read") ? [{ key: "files", label: t("files.tab"), children: <FilesTab clientId={c.id} /> }] : []),
          ]}
        />
      </Card>
      <Modal open={editing} title={t("clients.edit.title")} footer={null} width={760} destroyOnHidden onCancel={() => setEditing(false)}>
        <ClientForm
          client={c}
          onSaved={() => {
            setEditing(false);
            client.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      </Modal>
      <BreakGlassModal clientId={c.id} open={breakGlass} onClose={() => setBreakGlass(false)} onOpened={client.reload} />
    </Space>
  );
}

/** Emergency access: a justification code and a ticket number are mandatory; compliance is alerted. */
function BreakGlassModal({ clientId, open, onClose, onOpened }: { clientId: string; open: boolean; onClose: () => void; onOpened: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ justification: string; reference: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: { justification: string; reference: string }) => {
    setBusy(true);
    setError(null);
    try {
      // What really happened (for whom, until when, who was told): pages/break-glass/announce.tsx.
      await announceBreakGlass(message, await api.post<OpenedBreakGlass>(`/clients/${clientId}/break-glass`, values));
      form.resetFields();
      onClose();
      onOpened();
    } catch (e) {
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("clients.breakGlass.title")}
      onCancel={onClose}
      okText={t("clients.breakGlass.confirm")}
      okButtonProps={{ danger: true, loading: busy }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t("clients.breakGlass.warning")} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="justification" label={t("clients.breakGlass.justification")} rules={[{ required: true, message: t("clients.issues.required") }]}>
          <Select options={BREAK_GLASS_JUSTIFICATIONS.map((j) => ({ value: j, label: t(`clients.breakGlass.justifications.${j}`) }))} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t("clients.breakGlass.reference")}
          extra={t("clients.breakGlass.referenceHelp")}
          rules={[
            { required: true, message: t("clients.issues.required") },
            { pattern: REFERENCE, message: t("clients.issues.format") },
          ]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

interface ExportResult {
  client: Client;
  purpose: string;
  grantId: string;
  exportedAt: string;
}

/** Export needs a current approval grant: without one the API answers approval_required. */
function ExportButton({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.get<ExportResult>(`/clients/${clientId}/export`, { purpose: true }));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const needsApproval = error instanceof ApiError && error.code === "approval_required";
  return (
    <>
      <Button icon={<ExportOutlined />} loading={busy} onClick={() => void run()}>
        {t("clients.export.button")}
      </Button>
      <Modal open={!!error} title={t("clients.export.title")} footer={null} onCancel={() => setError(null)}>
        <Alert
          data-testid="export-error"
          type={needsApproval ? "info" : "error"}
          showIcon
          title={messageOf(error)}
          description={
            needsApproval ? (
              <Space orientation="vertical">
                <span>{t("clients.export.approvalRequired")}</span>
                <a href="#/approvals" onClick={() => setError(null)}>
                  {t("clients.export.goApprovals")}
                </a>
              </Space>
            ) : undefined
          }
        />
      </Modal>
      <Modal open={!!result} title={t("clients.export.title")} footer={null} width={760} onCancel={() => setResult(null)}>
        {result && (
          <Space orientation="vertical" style={{ width: "100%" }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t("clients.export.exportedAt")}>{formatTime(result.exportedAt, i18n.language)}</Descriptions.Item>
              <Descriptions.Item label={t("clients.export.grant")}>
                <IdText id={result.grantId} />
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph copyable={{ text: JSON.stringify(result, null, 2) }}>
              <pre style={{ maxHeight: 360, overflow: "auto" }}>{JSON.stringify(result.client, null, 2)}</pre>
            </Typography.Paragraph>
          </Space>
        )}
      </Modal>
    </>
  );
}

/** Crypto-shredding, behind a confirmation with the API's reason codes. */
const EraseButton = ({ clientId, onErased }: { clientId: string; onErased: () => void }) => (
  <ReasonCodeAction
    path={`/clients/${clientId}/erase`}
    texts="clients.erase"
    reasons={ERASURE_REASONS}
    referencePattern={ERASE_REFERENCE}
    icon={<DeleteOutlined />}
    danger
    onDone={onErased}
  />
);
