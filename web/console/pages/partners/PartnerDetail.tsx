import { App, Button, Card, Descriptions, Empty, List, Popconfirm, Result, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import type { CursorPage } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { PartnerHoldings } from "../disclosures/PartnerHoldings";
import { useLabels } from "../programme/codes";
import { AddContract, AddIncident, AddPia, AddTransfer, Assess } from "./PartnerForms";
import { QuestionnaireLinks } from "./QuestionnaireLinks";
import { Readiness, StandingTags } from "./Standing";
import { countryName, OBLIGATIONS, type Partner, type Question, RISK_COLOURS, STATUS_COLOURS } from "./types";
import { paging } from "../../../shared/tables";

type Open = "assess" | "contract" | "transfer" | "pia" | "incident" | null;

export function PartnerDetail({ id }: { id: string }) {
  const { t, code, date, lang } = useLabels();
  const { me } = useSession();
  const { message } = App.useApp();
  const staff = useStaffNames();
  const manage = me.permissions.includes("partner.manage");
  const loaded = useLoad(() => api.get<Partner>(`/partners/${id}`), [id]);
  const questions = useLoad(() => api.get<{ items: Question[] }>("/partners/questionnaire"), []);
  const incidents = useLoad(
    () =>
      manage
        ? api.get<CursorPage<{ id: string; category: string; openedAt: string }>>(`/incidents${query({ limit: 100 })}`)
        : Promise.resolve({ items: [], nextCursor: null }),
    [manage],
  );
  const [open, setOpen] = useState<Open>(null);
  const p = loaded.data;
  if (loaded.loading && !p) return <Card loading />;
  if (!p)
    return (
      <Result
        status="warning"
        title={t("partners.unavailable")}
        subTitle={messageOf(loaded.error)}
        extra={<Button onClick={() => navigate("partners")}>{t("partners.back")}</Button>}
      />
    );
  const questionText = (codeOf: string) => {
    const q = questions.data?.items.find((x) => x.code === codeOf);
    return q ? (lang === "en" ? q.textEn : q.textZh) : codeOf;
  };
  const done = () => {
    setOpen(null);
    loaded.reload();
    void message.success(t("common.saved"));
  };
  const addButton = (what: Exclude<Open, null>, label: string) =>
    manage && (
      <Button size="small" onClick={() => setOpen(what)}>
        {label}
      </Button>
    );
  const setStatus = async (status: string) => {
    try {
      await api.patch(`/partners/${id}`, { status });
      done();
    } catch (e) {
      void message.error(messageOf(e));
    }
  };
  const review = async (assessmentId: string, decision: "confirm" | "reject") => {
    try {
      await api.post(`/partners/${id}/assessments/${assessmentId}/review`, { decision });
      done();
    } catch (e) {
      void message.error(messageOf(e));
    }
  };
  const contactName = (contactId: string | null) => p.contacts.find((c) => c.id === contactId)?.name ?? t("partners.links.formerContact");
  const setVerified = async (basisId: string, verified: boolean) => {
    try {
      await api.put(`/partners/${id}/transfers/${basisId}/verified`, { verified });
      done();
    } catch (e) {
      void message.error(messageOf(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle" data-testid="partner-detail">
      <Card title={p.name} extra={<Button onClick={() => navigate("partners")}>{t("partners.back")}</Button>}>
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t("partners.fields.status")}>
            <Space>
              <Tag color={STATUS_COLOURS[p.status]}>{code("partners.status", p.status)}</Tag>
              {manage && p.status !== "active" && p.status !== "ended" && (
                <Button size="small" onClick={() => void setStatus("active")}>
                  {t("partners.activate")}
                </Button>
              )}
              {manage && p.status === "active" && (
                <Popconfirm title={t("partners.suspendConfirm")} onConfirm={() => void setStatus("suspended")}>
                  <Button size="small">{t("partners.suspend")}</Button>
                </Popconfirm>
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.readiness")}>
            <Readiness r={p.readiness} />
          </Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.kind")}>{code("partners.kind", p.kind)}</Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.piplRole")}>{code("partners.piplRole", p.piplRole)}</Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.jurisdiction")}>
            {countryName(p.jurisdiction, lang)} {p.crossBorder && <Tag color="purple">{t("partners.crossBorder")}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.maxLevel")}>{`L${p.maxLevel}`}</Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.dataCategories")} span={2}>
            {p.dataCategories.length ? p.dataCategories.map((c) => <Tag key={c}>{code("partners.category", c)}</Tag>) : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.risk")} span={2}>
            <StandingTags p={p} />
          </Descriptions.Item>
          <Descriptions.Item label={t("partners.fields.services")} span={2}>
            <span style={{ whiteSpace: "pre-wrap" }}>{p.services || "—"}</span>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t("partners.contacts.title")}
        </Typography.Title>
        {p.contacts.length ? (
          <List
            size="small"
            dataSource={p.contacts}
            renderItem={(c) => (
              <List.Item>
                {c.name} {c.email && <Typography.Text type="secondary">· {c.email}</Typography.Text>}{" "}
                {c.phone && <Typography.Text type="secondary">· {c.phone}</Typography.Text>}
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t("partners.contacts.none")}</Typography.Text>
        )}
      </Card>

      <Card title={t("disclosures.holdings.tab")} data-testid="partner-holdings-card">
        <PartnerHoldings partnerId={id} />
      </Card>

      <Card title={t("partners.assessments.title")} extra={addButton("assess", t("partners.assess.open"))}>
        {p.assessments.length === 0 && <Empty description={t("partners.notAssessed")} />}
        {p.assessments.map((a) => (
          <Card key={a.id} type="inner" size="small" style={{ marginBottom: 8 }} data-testid="partner-assessment">
            <Space wrap>
              <Tag color={RISK_COLOURS[a.riskLevel]}>{code("partners.risk", a.riskLevel)}</Tag>
              <Typography.Text>{t("partners.assessments.by", { who: staff.name(a.assessorId), date: date(a.assessedOn) })}</Typography.Text>
              <Typography.Text type="secondary">{t("partners.reassessBy", { date: date(a.reassessmentDueOn) })}</Typography.Text>
              {a.answeredBy === "partner" && <Tag color="blue">{t("partners.review.answeredBy", { who: contactName(a.contactId) })}</Tag>}
              {a.reviewStatus !== "confirmed" && (
                <Tag color={a.reviewStatus === "rejected" ? "default" : "orange"} data-testid="assessment-review-status">
                  {code("partners.review.status", a.reviewStatus)}
                </Tag>
              )}
              {a.reviewStatus === "confirmed" && a.reviewedBy && (
                <Typography.Text type="secondary">{t("partners.review.confirmedBy", { who: staff.name(a.reviewedBy) })}</Typography.Text>
              )}
              {manage && a.reviewStatus === "pending_review" && (
                <>
                  <Button size="small" type="primary" onClick={() => void review(a.id, "confirm")} data-testid="assessment-confirm">
                    {t("partners.review.confirm")}
                  </Button>
                  <Popconfirm title={t("partners.review.rejectConfirm")} onConfirm={() => void review(a.id, "reject")}>
                    <Button size="small">{t("partners.review.reject")}</Button>
                  </Popconfirm>
                </>
              )}
            </Space>
            {a.reasons.length > 0 && (
              <ul style={{ marginTop: 8, marginBottom: 0 }}>
                {a.reasons.map((r) => (
                  <li key={r.question}>
                    <Tag color={RISK_COLOURS[r.risk]}>{code("partners.risk", r.risk)}</Tag>
                    {questionText(r.question)} — {r.answer === null ? t("partners.assessments.unanswered") : code("partners.answer", r.answer)}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ))}
      </Card>

      <QuestionnaireLinks partner={p} manage={manage} onChanged={loaded.reload} />

      <Card title={t("partners.contracts.title")} extra={addButton("contract", t("partners.contracts.add"))}>
        <Table
          rowKey="id"
          size="small"
          pagination={paging({ quiet: true })}
          dataSource={p.contracts}
          locale={{ emptyText: <Empty description={t("partners.contracts.none")} /> }}
          columns={[
            { title: t("partners.contracts.kind"), dataIndex: "kind", render: (v: string) => code("partners.contractKind", v) },
            { title: t("partners.contracts.version"), dataIndex: "version" },
            { title: t("partners.contracts.signedOn"), dataIndex: "signedOn", render: date },
            {
              title: t("partners.contracts.expiresOn"),
              dataIndex: "expiresOn",
              render: (v: string | null) => (v ? date(v) : t("partners.contracts.noExpiry")),
            },
            {
              title: t("partners.contracts.state"),
              key: "state",
              render: (_, c) => (
                <Space size={4}>
                  <Tag color={c.current ? "green" : "default"}>{t(c.current ? "partners.contracts.inForce" : "partners.contracts.notInForce")}</Tag>
                  {c.documentId && <Tag>{t("partners.contracts.attached")}</Tag>}
                </Space>
              ),
            },
            {
              title: t("partners.contracts.obligations"),
              key: "obligations",
              render: (_, c) => (
                <Space size={2} wrap>
                  {OBLIGATIONS.map((o) => (
                    <Tag key={o} color={c.obligations[o]?.met ? "green" : "red"} title={c.obligations[o]?.note ?? undefined}>
                      {code("partners.obligation", o)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card title={t("partners.transfers.title")} extra={addButton("transfer", t("partners.transfers.add"))}>
        {!p.crossBorder && <Typography.Paragraph type="secondary">{t("partners.transfers.mainland")}</Typography.Paragraph>}
        <Table
          rowKey="id"
          size="small"
          pagination={paging({ quiet: true })}
          dataSource={p.transferBases}
          locale={{ emptyText: <Empty description={t("partners.transfers.none")} /> }}
          columns={[
            { title: t("partners.transfers.destination"), dataIndex: "destination", render: (v: string) => countryName(v, lang) },
            { title: t("partners.transfers.mechanism"), dataIndex: "mechanism", render: (v: string) => code("partners.mechanism", v) },
            { title: t("partners.transfers.reference"), dataIndex: "reference" },
            {
              title: t("partners.transfers.validity"),
              key: "validity",
              render: (_, b) => `${date(b.validFrom)} – ${b.validUntil ? date(b.validUntil) : t("partners.contracts.noExpiry")}`,
            },
            {
              title: t("partners.transfers.verified"),
              key: "verified",
              render: (_, b) => (
                <Space size={4}>
                  <Tag color={b.verified ? "green" : "red"} data-testid="transfer-verified">
                    {t(b.verified ? "partners.transfers.isVerified" : "partners.transfers.unverified")}
                  </Tag>
                  {manage && (
                    <Button size="small" type="link" onClick={() => void setVerified(b.id, !b.verified)}>
                      {t(b.verified ? "partners.transfers.markUnverified" : "partners.transfers.markVerified")}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card title={t("partners.pias.title")} extra={addButton("pia", t("partners.pias.add"))}>
        {p.pias.length === 0 && <Empty description={t("partners.pias.none")} />}
        {p.pias.map((r) => (
          <Card key={r.id} type="inner" size="small" style={{ marginBottom: 8 }}>
            <Space wrap>
              <Typography.Text strong>{date(r.conductedOn)}</Typography.Text>
              <Tag>{code("partners.conclusion", r.conclusion)}</Tag>
              <Typography.Text type="secondary">{t("partners.pias.keptUntil", { date: date(r.keepUntil) })}</Typography.Text>
            </Space>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginTop: 8, marginBottom: 0 }}>{r.summary}</Typography.Paragraph>
          </Card>
        ))}
      </Card>

      <Card title={t("partners.incidents.title")} extra={addButton("incident", t("partners.incidents.add"))}>
        <List
          dataSource={p.incidents}
          locale={{ emptyText: <Empty description={t("partners.incidents.none")} /> }}
          renderItem={(i) => (
            <List.Item>
              <Space orientation="vertical" size={2}>
                <Space wrap>
                  <Typography.Text strong>{date(i.occurredOn)}</Typography.Text>
                  {i.clientDataInvolved && <Tag color="red">{t("partners.incidents.clientDataInvolved")}</Tag>}
                  {i.incidentId && <a href={`#/incidents/${i.incidentId}`}>{t("partners.incidents.openLinked")}</a>}
                  <Typography.Text type="secondary">{t("partners.incidents.recordedBy", { who: staff.name(i.recordedBy) })}</Typography.Text>
                </Space>
                <span style={{ whiteSpace: "pre-wrap" }}>{i.description}</span>
              </Space>
            </List.Item>
          )}
        />
      </Card>

      <Assess open={open === "assess"} onClose={() => setOpen(null)} partnerId={id} questions={questions.data?.items ?? []} onDone={done} />
      <AddContract open={open === "contract"} onClose={() => setOpen(null)} partnerId={id} onDone={done} />
      <AddTransfer open={open === "transfer"} onClose={() => setOpen(null)} partner={p} onDone={done} />
      <AddPia open={open === "pia"} onClose={() => setOpen(null)} partnerId={id} onDone={done} />
      <AddIncident
        open={open === "incident"}
        onClose={() => setOpen(null)}
        partnerId={id}
        incidents={(incidents.data?.items ?? []).map((x) => ({ value: x.id, label: `${code("incidents.category", x.category)} · ${date(x.openedAt)}` }))}
        mayOpenIncident={me.permissions.includes("incident.manage")}
        onDone={done}
      />
    </Space>
  );
}
