import { Alert, Button, Card, Form, Input, Progress, Radio, Result, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../shared/api";
import { messageOf, showFieldErrors } from "../shared/errors";
import { formatDate } from "../shared/format";
import { useLoad } from "../shared/useLoad";
import type { PortalSession } from "./portalApi";
import { solveProof } from "./proofOfWork";

export const REQUEST_TYPES = ["access", "copy", "correction", "deletion", "restriction", "withdraw_consent", "explanation"] as const;
const CHOICES = [...REQUEST_TYPES, "complaint"] as const;
type Choice = (typeof CHOICES)[number];
const ID_TYPES = ["resident_id", "passport", "uscc"] as const;
const COMPLAINT_CATEGORIES = ["data_handling", "request_handling", "disclosure", "security", "service", "other"] as const;
/** One of the firm's active purposes, from the public GET /portal/purposes. */
interface PublicPurpose {
  code: string;
  nameZh: string;
  nameEn: string;
  legalBasis: string;
}
const CORRECTABLE = ["name", "phone", "email", "address"] as const;

interface Values {
  type: Choice;
  identifier: "idNumber" | "phone" | "email";
  idType?: string;
  idNumber?: string;
  phone?: string;
  email?: string;
  channel?: "phone" | "email";
  purpose?: string;
  correction?: Partial<Record<(typeof CORRECTABLE)[number], string>>;
  category?: string;
  description?: string;
  contactEmail?: string;
  contactPhone?: string;
}

interface Receipt {
  requestId: string;
  status: "received";
  message: string;
  codeExpiresInSeconds: number;
}
interface ComplaintReceipt {
  complaintId: string;
  slaDueAt: string;
  message: string;
}
interface TokenAnswer {
  requestId: string;
  status: "verified";
  token: string;
  tokenExpiresAt: string;
}

const trimmed = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

async function proof(onProgress: (share: number) => void) {
  const c = await api.get<{ challenge: string; bits: number }>("/portal/challenge");
  return { challenge: c.challenge, nonce: await solveProof(c.challenge, c.bits, onProgress) };
}

/** Submitting a request or a complaint; then the neutral answer and the one-time code. */
export function RequestForm({ onVerified }: { onVerified: (session: PortalSession) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch("type", form);
  const identifier = Form.useWatch("identifier", form);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [complaint, setComplaint] = useState<ComplaintReceipt | null>(null);
  const language = i18n.language === "en" ? "en" : "zh-CN";
  // Loaded only when the client chooses to withdraw a consent.
  const withdrawing = type === "withdraw_consent";
  const purposes = useLoad(async () => (withdrawing ? (await api.get<{ items: PublicPurpose[] }>("/portal/purposes")).items : null), [withdrawing]);

  const submit = async (v: Values) => {
    setError(null);
    setProgress(0);
    try {
      const solved = await proof(setProgress);
      if (v.type === "complaint") {
        const body = {
          category: v.category,
          description: v.description,
          email: trimmed(v.contactEmail),
          phone: trimmed(v.contactPhone),
          language,
          proof: solved,
        };
        setComplaint(await api.post<ComplaintReceipt>("/portal/complaints", body));
        return;
      }
      const correction =
        v.type === "correction"
          ? Object.fromEntries(CORRECTABLE.map((k) => [k, trimmed(v.correction?.[k])]).filter(([, value]) => value !== undefined))
          : undefined;
      const body = {
        type: v.type,
        ...(v.identifier === "idNumber"
          ? { idType: v.idType, idNumber: trimmed(v.idNumber) }
          : v.identifier === "phone"
            ? { phone: trimmed(v.phone) }
            : { email: trimmed(v.email) }),
        channel: v.channel,
        language,
        ...(correction ? { correction } : {}),
        ...(v.type === "withdraw_consent" ? { purpose: v.purpose } : {}),
        proof: solved,
      };
      setReceipt(await api.post<Receipt>("/portal/requests", body));
    } catch (e) {
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setProgress(null);
    }
  };

  const restart = () => {
    setReceipt(null);
    setComplaint(null);
    setError(null);
    form.resetFields();
  };

  if (complaint) {
    return (
      <Card>
        <Result
          status="success"
          title={t("portal.complaint.filed")}
          subTitle={<span data-testid="complaint-answer">{complaint.message}</span>}
          extra={[
            <Typography.Paragraph key="sla">{t("portal.complaint.sla", { date: formatDate(complaint.slaDueAt, i18n.language) })}</Typography.Paragraph>,
            <Typography.Paragraph key="ref" copyable={{ text: complaint.complaintId }}>
              {t("portal.complaint.reference")}: {complaint.complaintId}
            </Typography.Paragraph>,
            <Button key="again" onClick={restart}>
              {t("portal.request.another")}
            </Button>,
          ]}
        />
      </Card>
    );
  }
  if (receipt) return <VerifyCode receipt={receipt} onVerified={onVerified} onRestart={restart} />;

  const working = progress !== null;
  return (
    <Card title={t("portal.request.title")}>
      <Typography.Paragraph type="secondary">{t("portal.request.intro")}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ type: "access", identifier: "idNumber", idType: "resident_id" }}
        disabled={working}
        requiredMark={false}
      >
        <Form.Item name="type" label={t("portal.request.type")} rules={[{ required: true }]}>
          <Radio.Group style={{ display: "flex", flexDirection: "column", gap: 8 }}>
            {CHOICES.map((c) => (
              <Radio key={c} value={c}>
                <span>{t(`portal.types.${c}`)}</span>
                <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
                  {t(`portal.typeHints.${c}`)}
                </Typography.Text>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>

        {type === "complaint" ? (
          <>
            <Form.Item name="category" label={t("portal.complaint.category")} rules={[{ required: true, message: t("portal.required") }]}>
              <Select
                options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`portal.complaint.categories.${c}`) }))}
                placeholder={t("portal.choose")}
              />
            </Form.Item>
            <Form.Item name="description" label={t("portal.complaint.description")} rules={[{ required: true, message: t("portal.required") }, { max: 4000 }]}>
              <Input.TextArea rows={5} maxLength={4000} showCount />
            </Form.Item>
            <Typography.Paragraph type="secondary">{t("portal.complaint.contactHint")}</Typography.Paragraph>
            <Form.Item name="contactEmail" label={t("portal.identity.email")} rules={[{ type: "email", message: t("portal.invalidEmail") }]}>
              <Input autoComplete="email" inputMode="email" />
            </Form.Item>
            <Form.Item name="contactPhone" label={t("portal.identity.phone")} rules={[{ min: 5, max: 30, message: t("portal.invalidPhone") }]}>
              <Input autoComplete="tel" inputMode="tel" />
            </Form.Item>
          </>
        ) : (
          <>
            <Typography.Title level={5}>{t("portal.identity.title")}</Typography.Title>
            <Typography.Paragraph type="secondary">{t("portal.identity.hint")}</Typography.Paragraph>
            <Form.Item name="identifier" label={t("portal.identity.by")}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: "idNumber", label: t("portal.identity.idNumberShort") },
                  { value: "phone", label: t("portal.identity.phone") },
                  { value: "email", label: t("portal.identity.email") },
                ]}
              />
            </Form.Item>
            {identifier === "idNumber" && (
              <>
                <Form.Item name="idType" label={t("portal.identity.idType")} rules={[{ required: true }]}>
                  <Select options={ID_TYPES.map((v) => ({ value: v, label: t(`portal.idTypes.${v}`) }))} />
                </Form.Item>
                <Form.Item
                  name="idNumber"
                  label={t("portal.identity.idNumber")}
                  rules={[{ required: true, whitespace: true, message: t("portal.required") }, { max: 200 }]}
                >
                  <Input autoComplete="off" />
                </Form.Item>
              </>
            )}
            {identifier === "phone" && (
              <Form.Item
                name="phone"
                label={t("portal.identity.phone")}
                rules={[{ required: true, whitespace: true, message: t("portal.required") }, { max: 200 }]}
              >
                <Input autoComplete="tel" inputMode="tel" />
              </Form.Item>
            )}
            {identifier === "email" && (
              <Form.Item
                name="email"
                label={t("portal.identity.email")}
                rules={[{ required: true, whitespace: true, message: t("portal.required") }, { max: 200 }]}
              >
                <Input autoComplete="email" inputMode="email" />
              </Form.Item>
            )}
            <Form.Item name="channel" label={t("portal.identity.channel")} extra={t("portal.identity.channelHint")}>
              <Radio.Group
                options={[
                  { value: "phone", label: t("portal.identity.bySms") },
                  { value: "email", label: t("portal.identity.byEmail") },
                ]}
              />
            </Form.Item>
            {type === "correction" && (
              <>
                <Typography.Title level={5}>{t("portal.correction.title")}</Typography.Title>
                <Typography.Paragraph type="secondary">{t("portal.correction.hint")}</Typography.Paragraph>
                {CORRECTABLE.map((k) => (
                  <Form.Item key={k} name={["correction", k]} label={t(`portal.correction.${k}`)} rules={[{ max: k === "address" ? 500 : 200 }]}>
                    <Input />
                  </Form.Item>
                ))}
              </>
            )}
            {type === "withdraw_consent" && (
              <Form.Item
                name="purpose"
                label={t("portal.withdraw.purpose")}
                rules={[{ required: true, message: t("portal.required") }]}
                {...(purposes.error ? { validateStatus: "error" as const, help: <span data-testid="purposes-error">{messageOf(purposes.error)}</span> } : {})}
              >
                <Select
                  loading={purposes.loading}
                  options={(purposes.data ?? []).map((p) => ({ value: p.code, label: language === "en" ? p.nameEn : p.nameZh }))}
                  placeholder={t("portal.choose")}
                />
              </Form.Item>
            )}
          </>
        )}

        {working && (
          <div data-testid="proof-progress" style={{ marginBottom: 16 }}>
            <Typography.Text>{t("portal.request.proof")}</Typography.Text>
            <Progress percent={Math.round((progress ?? 0) * 100)} status="active" aria-label={t("portal.request.proof")} />
          </div>
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="request-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={working}>
          {t(type === "complaint" ? "portal.complaint.submit" : "portal.request.submit")}
        </Button>
      </Form>
    </Card>
  );
}

/** The neutral answer, then the one-time code; the token it returns is handed up, kept in memory only. */
function VerifyCode({ receipt, onVerified, onRestart }: { receipt: Receipt; onVerified: (session: PortalSession) => void; onRestart: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<TokenAnswer>(`/portal/requests/${receipt.requestId}/verify`, { code: code.trim() });
      onVerified({ requestId: answer.requestId, token: answer.token, tokenExpiresAt: answer.tokenExpiresAt });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t("portal.verify.title")}>
      <Alert type="info" showIcon message={<span data-testid="request-answer">{receipt.message}</span>} style={{ marginBottom: 16 }} />
      <Typography.Paragraph type="secondary">{t("portal.verify.hint", { minutes: Math.round(receipt.codeExpiresInSeconds / 60) })}</Typography.Paragraph>
      <Form layout="vertical" onFinish={(v: { code: string }) => void verify(v)} requiredMark={false}>
        <Form.Item name="code" label={t("portal.verify.code")} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t("portal.verify.codeFormat") }]}>
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ letterSpacing: 6, fontSize: 20 }} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="verify-error" />}
        <Space direction="vertical" style={{ width: "100%" }}>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t("portal.verify.submit")}
          </Button>
          <Button block onClick={onRestart}>
            {t("portal.request.another")}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
