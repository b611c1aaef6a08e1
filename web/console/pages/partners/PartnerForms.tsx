import { Checkbox, Col, Form, Input, InputNumber, Row, Select, Switch, Typography } from "antd";
import { api } from "../../../shared/api";
import { FormModal } from "../../../shared/FormModal";
import { useLabels } from "../programme/codes";
import { CATEGORIES, CONCLUSIONS, CONTRACT_KINDS, KINDS, MECHANISMS, OBLIGATIONS, PIPL_ROLES, type Partner, type Question, STATUSES } from "./types";

/** <input type="date"> gives YYYY-MM-DD, or "" when cleared. */
const dayOf = (d: unknown): string | null => (typeof d === "string" && d ? d : null);

type Props = { open: boolean; onClose: () => void };
const required = (t: (k: string) => string) => [{ required: true, message: t("common.required") }];

export function AddPartner({ open, onClose, onAdded }: Props & { onAdded: (p: Partner) => void }) {
  const { t, code } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("partners.add.title")}
      onClose={onClose}
      initialValues={{ status: "prospective", maxLevel: 2, dataCategories: [] }}
      submit={async (v) => {
        const contact = (v.contactName as string | undefined)?.trim()
          ? [
              {
                name: (v.contactName as string).trim(),
                ...((v.contactEmail as string | undefined)?.trim() ? { email: (v.contactEmail as string).trim() } : {}),
                ...((v.contactPhone as string | undefined)?.trim() ? { phone: (v.contactPhone as string).trim() } : {}),
              },
            ]
          : [];
        onAdded(
          await api.post<Partner>("/partners", {
            name: v.name,
            kind: v.kind,
            piplRole: v.piplRole,
            jurisdiction: String(v.jurisdiction).toUpperCase(),
            services: v.services ?? "",
            dataCategories: v.dataCategories,
            maxLevel: v.maxLevel,
            status: v.status,
            contacts: contact,
          }),
        );
      }}
    >
      <Form.Item name="name" label={t("partners.fields.name")} rules={required(t)}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="kind" label={t("partners.fields.kind")} rules={required(t)}>
            <Select options={KINDS.map((k) => ({ value: k, label: code("partners.kind", k) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="piplRole" label={t("partners.fields.piplRole")} rules={required(t)}>
            <Select options={PIPL_ROLES.map((k) => ({ value: k, label: code("partners.piplRole", k) }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="jurisdiction"
            label={t("partners.fields.jurisdiction")}
            extra={t("partners.add.jurisdictionHelp")}
            rules={[...required(t), { pattern: /^[A-Za-z]{2}$/, message: t("partners.add.jurisdictionHelp") }]}
          >
            <Input maxLength={2} style={{ textTransform: "uppercase" }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="maxLevel" label={t("partners.fields.maxLevel")} rules={required(t)}>
            <InputNumber min={1} max={4} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="status" label={t("partners.fields.status")}>
            <Select options={STATUSES.map((k) => ({ value: k, label: code("partners.status", k) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="dataCategories" label={t("partners.fields.dataCategories")}>
        <Select mode="multiple" options={CATEGORIES.map((k) => ({ value: k, label: code("partners.category", k) }))} />
      </Form.Item>
      <Form.Item name="services" label={t("partners.fields.services")}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Typography.Text type="secondary">{t("partners.add.contactHelp")}</Typography.Text>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="contactName" label={t("partners.contacts.name")}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="contactEmail" label={t("partners.contacts.email")}>
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="contactPhone" label={t("partners.contacts.phone")}>
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}

export function Assess({ open, onClose, partnerId, questions, onDone }: Props & { partnerId: string; questions: Question[]; onDone: () => void }) {
  const { t, code, lang } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("partners.assess.title")}
      onClose={onClose}
      width={760}
      submit={async (v) => {
        const answers = Object.fromEntries(
          questions.filter((q) => typeof v[q.code] === "string" && (v[q.code] as string).trim()).map((q) => [q.code, (v[q.code] as string).trim()]),
        );
        await api.post(`/partners/${partnerId}/assessments`, { answers, ...(v.assessedOn ? { assessedOn: dayOf(v.assessedOn) } : {}) });
        onDone();
      }}
    >
      <Typography.Paragraph type="secondary">{t("partners.assess.help")}</Typography.Paragraph>
      <Form.Item name="assessedOn" label={t("partners.assess.on")}>
        <Input type="date" />
      </Form.Item>
      {questions
        .filter((q) => q.active)
        .map((q) => (
          <Form.Item key={q.code} name={q.code} label={lang === "en" ? q.textEn : q.textZh}>
            {q.kind === "text" ? (
              <Input.TextArea rows={2} maxLength={2000} />
            ) : (
              <Select allowClear options={Object.keys(q.riskByAnswer).map((a) => ({ value: a, label: code("partners.answer", a) }))} />
            )}
          </Form.Item>
        ))}
    </FormModal>
  );
}

export function AddContract({ open, onClose, partnerId, onDone }: Props & { partnerId: string; onDone: () => void }) {
  const { t, code } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("partners.contracts.add")}
      onClose={onClose}
      initialValues={{ met: [] }}
      submit={async (v) => {
        const met = new Set(v.met as string[]);
        await api.post(`/partners/${partnerId}/contracts`, {
          kind: v.kind,
          version: v.version,
          signedOn: dayOf(v.signedOn),
          expiresOn: dayOf(v.expiresOn),
          obligations: Object.fromEntries(OBLIGATIONS.map((o) => [o, { met: met.has(o), note: (v[`note_${o}`] as string | undefined)?.trim() || null }])),
          ...((v.documentId as string | undefined)?.trim() ? { documentId: (v.documentId as string).trim() } : {}),
        });
        onDone();
      }}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="kind" label={t("partners.contracts.kind")} rules={required(t)}>
            <Select options={CONTRACT_KINDS.map((k) => ({ value: k, label: code("partners.contractKind", k) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="version" label={t("partners.contracts.version")} rules={required(t)}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="signedOn" label={t("partners.contracts.signedOn")} rules={required(t)}>
            <Input type="date" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="expiresOn" label={t("partners.contracts.expiresOn")}>
            <Input type="date" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="met" label={t("partners.contracts.obligations")} extra={t("partners.contracts.obligationsHelp")}>
        <Checkbox.Group options={OBLIGATIONS.map((o) => ({ value: o, label: code("partners.obligation", o) }))} />
      </Form.Item>
      <Form.Item name="note_return_or_deletion" label={t("partners.contracts.note")}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="documentId" label={t("partners.contracts.document")} extra={t("partners.contracts.documentHelp")}>
        <Input maxLength={36} autoComplete="off" />
      </Form.Item>
    </FormModal>
  );
}

export function AddTransfer({ open, onClose, partner, onDone }: Props & { partner: Partner; onDone: () => void }) {
  const { t, code, date } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("partners.transfers.add")}
      onClose={onClose}
      initialValues={{ destination: partner.jurisdiction, verified: false }}
      submit={async (v) => {
        await api.post(`/partners/${partner.id}/transfers`, {
          destination: String(v.destination).toUpperCase(),
          mechanism: v.mechanism,
          reference: v.reference,
          validFrom: dayOf(v.validFrom),
          validUntil: dayOf(v.validUntil),
          verified: Boolean(v.verified),
          ...(v.piaId ? { piaId: v.piaId } : {}),
        });
        onDone();
      }}
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item
            name="destination"
            label={t("partners.transfers.destination")}
            rules={[...required(t), { pattern: /^[A-Za-z]{2}$/, message: t("partners.add.jurisdictionHelp") }]}
          >
            <Input maxLength={2} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="mechanism" label={t("partners.transfers.mechanism")} rules={required(t)}>
            <Select options={MECHANISMS.map((k) => ({ value: k, label: code("partners.mechanism", k) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="reference" label={t("partners.transfers.reference")} rules={required(t)}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="validFrom" label={t("partners.transfers.validFrom")} rules={required(t)}>
            <Input type="date" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="validUntil" label={t("partners.transfers.validUntil")}>
            <Input type="date" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="piaId" label={t("partners.transfers.pia")}>
        <Select
          allowClear
          options={partner.pias.map((p) => ({ value: p.id, label: `${date(p.conductedOn)} · ${code("partners.conclusion", p.conclusion)}` }))}
        />
      </Form.Item>
      <Form.Item name="verified" label={t("partners.transfers.verified")} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}

export function AddPia({ open, onClose, partnerId, onDone }: Props & { partnerId: string; onDone: () => void }) {
  const { t, code } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("partners.pias.add")}
      onClose={onClose}
      submit={async (v) => {
        await api.post(`/partners/${partnerId}/pias`, { conductedOn: dayOf(v.conductedOn), summary: v.summary, conclusion: v.conclusion });
        onDone();
      }}
    >
      <Typography.Paragraph type="secondary">{t("partners.pias.help")}</Typography.Paragraph>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="conductedOn" label={t("partners.pias.conductedOn")} rules={required(t)}>
            <Input type="date" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="conclusion" label={t("partners.pias.conclusion")} rules={required(t)}>
            <Select options={CONCLUSIONS.map((k) => ({ value: k, label: code("partners.conclusion", k) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="summary" label={t("partners.pias.summary")} rules={required(t)}>
        <Input.TextArea rows={5} maxLength={8000} showCount />
      </Form.Item>
    </FormModal>
  );
}

export function AddIncident({
  open,
  onClose,
  partnerId,
  incidents,
  onDone,
  mayOpenIncident = false,
}: Props & { partnerId: string; incidents: { value: string; label: string }[]; onDone: () => void; mayOpenIncident?: boolean }) {
  const { t, code } = useLabels();
  return (
    <FormModal
      open={open}
      title={t("partners.incidents.add")}
      onClose={onClose}
      initialValues={{ clientDataInvolved: false, openIncident: false, category: "disclosure", cause: "under_investigation" }}
      submit={async (v) => {
        await api.post(`/partners/${partnerId}/incidents`, {
          occurredOn: dayOf(v.occurredOn),
          description: v.description,
          clientDataInvolved: Boolean(v.clientDataInvolved),
          ...(v.openIncident
            ? { openIncident: { category: v.category, cause: v.cause, measures: [], contact: v.contact } }
            : v.incidentId
              ? { incidentId: v.incidentId }
              : {}),
        });
        onDone();
      }}
    >
      <Form.Item name="occurredOn" label={t("partners.incidents.occurredOn")} rules={required(t)}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="description" label={t("partners.incidents.description")} rules={required(t)}>
        <Input.TextArea rows={4} maxLength={8000} />
      </Form.Item>
      <Form.Item name="clientDataInvolved" label={t("partners.incidents.clientDataInvolved")} valuePropName="checked">
        <Switch />
      </Form.Item>
      {mayOpenIncident && (
        <Form.Item name="openIncident" label={t("partners.notice.open")} valuePropName="checked" extra={t("partners.notice.openHelp")}>
          <Switch data-testid="partner-notice-open" />
        </Form.Item>
      )}
      <Form.Item noStyle shouldUpdate={(a, b) => a.openIncident !== b.openIncident}>
        {({ getFieldValue }) =>
          getFieldValue("openIncident") ? (
            <>
              <Form.Item name="category" label={t("partners.notice.category")} rules={required(t)}>
                <Select options={INCIDENT_CATEGORIES.map((c) => ({ value: c, label: code("incidents.category", c) }))} />
              </Form.Item>
              <Form.Item name="cause" label={t("partners.notice.cause")} rules={required(t)}>
                <Select options={INCIDENT_CAUSES.map((c) => ({ value: c, label: code("incidents.cause", c) }))} />
              </Form.Item>
              <Form.Item name="contact" label={t("partners.notice.contact")} extra={t("partners.notice.contactHelp")} rules={required(t)}>
                <Input maxLength={200} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="incidentId" label={t("partners.incidents.link")}>
              <Select allowClear showSearch optionFilterProp="label" options={incidents} />
            </Form.Item>
          )
        }
      </Form.Item>
    </FormModal>
  );
}

// Mirror src/response/incidents/incident.ts and src/platform/i18n/incident-notices.ts (the API validates).
const INCIDENT_CATEGORIES = ["unauthorised_access", "loss", "disclosure", "ransomware", "paper_file_loss", "other"] as const;
const INCIDENT_CAUSES = [
  "credential_compromise",
  "insider_misuse",
  "misdirected_disclosure",
  "lost_device",
  "malware",
  "paper_file_lost",
  "system_fault",
  "under_investigation",
] as const;
