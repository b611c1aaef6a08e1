/** Storage shapes of the partner register (migration 0028). Dates are YYYY-MM-DD, instants ISO. */

export interface DbPartner {
  id: string;
  name: string;
  /** vendor | co_counsel | expert | court_authority | client_representative | cloud_provider | translator | auditor */
  kind: string;
  /** entrusted_processor | independent_handler | joint_handler (PIPL Art 20–21) */
  pipl_role: string;
  /** ISO 3166-1 alpha-2; CN is mainland China. */
  jurisdiction: string;
  services: string;
  /** JSON array of data categories the partner may receive. */
  data_categories: string;
  /** Highest sensitivity level (1–4) the partner may receive. */
  max_level: number;
  /** prospective | active | suspended | ended */
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A contact person at a partner: personal data, so name, email and phone are sealed. */
export interface DbPartnerContact {
  id: string;
  partner_id: string;
  name_ct: string;
  email_ct: string | null;
  phone_ct: string | null;
  created_at: string;
}

/** The due-diligence questionnaire, as editable data (seeded from questionnaire.ts). */
export interface DbPartnerQuestion {
  code: string;
  position: number;
  text_zh: string;
  text_en: string;
  /** yes_no | choice | text */
  answer_kind: string;
  /** JSON: answer → risk (low | medium | high); text questions have {}. */
  risk_by_answer: string;
  active: number;
  updated_at: string;
  updated_by: string | null;
}

export interface DbPartnerAssessment {
  id: string;
  partner_id: string;
  assessed_on: string;
  assessor_id: string;
  /** JSON: { [questionCode]: answer }. */
  answers: string;
  /** low | medium | high */
  risk_level: string;
  /** JSON: the reasons the score gives (question code, answer, risk). */
  reasons: string;
  reassessment_due_on: string;
  created_at: string;
  /** staff | partner (answered through a one-time link; migration 0036). */
  answered_by: string;
  /** The partner contact the link was issued to, when the partner answered. */
  contact_id: string | null;
  link_id: string | null;
  /** confirmed | pending_review | rejected: only confirmed assessments count for the sharing rule. */
  review_status: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/** A one-time link for a partner contact to answer the questionnaire (migration 0036): `id.secret`, only a SHA-256 of the secret kept. */
export interface DbPartnerQuestionnaireLink {
  id: string;
  /** The token's id part: finds the row. */
  token_id: string;
  /** Hex SHA-256 of the token's secret part. */
  secret_hash: string;
  partner_id: string;
  contact_id: string;
  /** zh-CN | en: the language the email and the page open in. */
  language: string;
  /** active | used | revoked (expired is read from expires_at, never written). */
  status: string;
  issued_by: string;
  issued_at: string;
  expires_at: string;
  emailed: number;
  used_at: string | null;
  assessment_id: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** What a partner held of one client when its breach notice opened an incident (migration 0036): ids and field forms only. */
export interface DbIncidentPartnerExposure {
  incident_id: string;
  partner_id: string;
  disclosure_id: string;
  client_id: string;
  /** JSON: [{ field, rule, method }] as the holding recorded them. */
  fields: string;
  computed_at: string;
}

export interface DbPartnerContract {
  id: string;
  partner_id: string;
  /** dpa | entrusted_processing | nda | standard_contract */
  kind: string;
  version: string;
  signed_on: string;
  expires_on: string | null;
  /** JSON: the PIPL Art 21 checklist, { [item]: { met, note } }. */
  obligations: string;
  /** A document in the document store (src/records/documents/), by id only. */
  document_id: string | null;
  terminated_on: string | null;
  created_by: string;
  created_at: string;
}

/**
 * PI protection impact assessment (PIPL Art 55–56): kept at least 3 years. Since migration 0035 this
 * is the firm's PIA register: a PIA about a processing activity has no partner (src/governance/assessments/pia-register.ts).
 */
export interface DbPartnerPia {
  id: string;
  partner_id: string | null;
  /** The processing activity assessed (migration 0035); null on PIAs recorded from the partner register. */
  subject: string | null;
  /** The PIPL Art 55 case: sensitive_pi | automated_decision | entrusting | providing | publishing | cross_border | other (migration 0035). */
  trigger: string | null;
  conducted_on: string;
  summary_ct: string;
  /** acceptable | acceptable_with_measures | not_acceptable */
  conclusion: string;
  /** The earliest day it may be deleted: conducted_on + 3 years. */
  keep_until: string;
  created_by: string;
  created_at: string;
}

export interface DbPartnerTransferBasis {
  id: string;
  partner_id: string;
  destination: string;
  /** PIPL Art 38: cac_security_assessment | standard_contract_filing | certification | exemption; GDPR Chapter V: adequacy | sccs | bcrs | derogation */
  mechanism: string;
  reference: string;
  valid_from: string;
  valid_until: string | null;
  /** 0: recorded but not verified (shown as UNVERIFIED). */
  verified: number;
  pia_id: string | null;
  created_by: string;
  created_at: string;
}

export interface DbPartnerIncident {
  id: string;
  partner_id: string;
  occurred_on: string;
  description_ct: string;
  client_data_involved: number;
  /** A Custodia incident (src/response/incidents/), by id only. */
  incident_id: string | null;
  recorded_by: string;
  created_at: string;
}

export interface PartnerTables {
  partners: DbPartner;
  partner_contacts: DbPartnerContact;
  partner_questions: DbPartnerQuestion;
  partner_assessments: DbPartnerAssessment;
  partner_contracts: DbPartnerContract;
  partner_pias: DbPartnerPia;
  partner_transfer_bases: DbPartnerTransferBasis;
  partner_incidents: DbPartnerIncident;
  partner_questionnaire_links: DbPartnerQuestionnaireLink;
  incident_partner_exposures: DbIncidentPartnerExposure;
}
