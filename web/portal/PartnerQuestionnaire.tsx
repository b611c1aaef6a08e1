/**
 * The partner's due-diligence questionnaire (issue #13), opened from a one-time link
 * `/portal/#/questionnaire/<token>`. The token sits in the URL fragment, which the browser never
 * sends to the server; the page posts it in the JSON body and keeps it in React state only. No
 * staff session, no cookie is involved; the answers are submitted once.
 */
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Layout, Radio, Result, Space, Spin, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../shared/api";
import { showFieldErrors } from "../shared/errors";
import { formatDate } from "../shared/format";
import { LanguageSwitch } from "../shared/LanguageSwitch";

interface LinkQuestion {
  code: string;
  textZh: string;
  textEn: string;
  kind: "yes_no" | "choice" | "text";
  answers: string[];
}
interface OpenedLink {
  firm: string | null;
  partnerName: string;
  language: string;
  expiresAt: string;
  questions: LinkQuestion[];
}

/** The token from `#/questionnaire/<token>`, or null. */
export const questionnaireToken = (hash: string): string | null => /^#\/questionnaire\/([A-Za-z0-9_.-]{1,200})$/.exec(hash)?.[1] ?? null;

type State = { kind: "loading" } | { kind: "open"; link: OpenedLink } | { kind: "done" } | { kind: "failed"; reason: "notFound" | "closed" | "failed" };

const reasonOf = (e: unknown): "notFound" | "closed" | "failed" =>
  e instanceof ApiError ? (e.status === 404 ? "notFound" : e.status === 410 ? "closed" : "failed") : "failed";

export function PartnerQuestionnaire({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();

  useEffect(() => {
    let live = true;
    api
      .post<OpenedLink>("/partner-questionnaire/open", { token })
      .then((link) => {
        if (!live) return;
        if (link.language === "en" && !localStorage.getItem("custodia.lang")) void i18n.changeLanguage("en");
        setState({ kind: "open", link });
      })
      .catch((e) => live && setState({ kind: "failed", reason: reasonOf(e) }));
    return () => {
      live = false;
    };
  }, [token, i18n]);

  const submit = async () => {
    setError(null);
    let values: Record<string, string | undefined>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const answers = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
      await api.post("/partner-questionnaire/submit", { token, answers });
      setState({ kind: "done" });
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        form.setFields(e.fields.map((f) => ({ name: f.field.replace(/^answers\./, ""), errors: [f.message] })));
      } else if (!showFieldErrors(form, e)) {
        const reason = reasonOf(e);
        if (reason === "failed") setError(t("partners.questionnaire.failed"));
        else setState({ kind: "failed", reason });
      }
    } finally {
      setBusy(false);
    }
  };

  const en = i18n.language === "en";
  let body: React.ReactNode;
  if (state.kind === "loading")
    body = (
      <Space>
        <Spin />
        {t("partners.questionnaire.loading")}
      </Space>
    );
  else if (state.kind === "done") body = <Result status="success" title={t("partners.questionnaire.submitted")} data-testid="questionnaire-done" />;
  else if (state.kind === "failed")
    body = (
      <Result status={state.reason === "failed" ? "error" : "warning"} title={t(`partners.questionnaire.${state.reason}`)} data-testid="questionnaire-failed" />
    );
  else {
    const { link } = state;
    body = (
      <Card data-testid="questionnaire">
        <Typography.Paragraph>
          {t("partners.questionnaire.intro", {
            firm: link.firm ?? t("partners.questionnaire.theFirm"),
            partner: link.partnerName,
            date: formatDate(link.expiresAt, i18n.language),
          })}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical">
          {link.questions.map((q) => (
            <Form.Item
              key={q.code}
              name={q.code}
              label={en ? q.textEn : q.textZh}
              rules={q.kind === "text" ? [] : [{ required: true, message: t("partners.questionnaire.required") }]}
            >
              {q.kind === "text" ? (
                <Input.TextArea rows={3} maxLength={2000} />
              ) : (
                <Radio.Group>
                  <Space orientation="vertical">
                    {q.answers.map((a) => (
                      <Radio key={a} value={a}>
                        {t(`partners.answer.${a}`, { defaultValue: a })}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              )}
            </Form.Item>
          ))}
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="questionnaire-submit">
            {t("partners.questionnaire.submit")}
          </Button>
        </Form>
      </Card>
    );
  }

  return (
    <Layout style={{ minHeight: "100vh", background: "#f5f7fa" }}>
      <Layout.Header style={{ background: "#fff", borderBottom: "1px solid #e5e8ec", padding: "0 16px", height: "auto", lineHeight: "normal" }}>
        <div style={{ maxWidth: 760, margin: "0 auto", display: "flex", justifyContent: "space-between", alignItems: "center", gap: 12, padding: "12px 0" }}>
          <span style={{ display: "flex", alignItems: "center", gap: 8 }}>
            <SafetyCertificateOutlined style={{ fontSize: 22, color: "#1f4e79" }} />
            <Typography.Text strong style={{ fontSize: 16 }}>
              {t("partners.questionnaire.title")}
            </Typography.Text>
          </span>
          <LanguageSwitch />
        </div>
      </Layout.Header>
      <Layout.Content style={{ padding: "12px 12px 24px" }}>
        <div style={{ maxWidth: 760, margin: "0 auto" }}>{body}</div>
      </Layout.Content>
    </Layout>
  );
}
