/**
 * Shapes of the clients API (src/http/routes/clients/schema.ts and neighbours) as the console
 * reads them, and the enums the API accepts. The API decides every access: a record's buttons
 * follow the abilities it returns with the record, screens without a record the caller's
 * firm-level permissions from /auth/me. The console keeps no role lists.
 */
export const CLIENT_KINDS = ["person", "organization"] as const;
export const ID_TYPES = ["resident_id", "passport", "uscc"] as const;
export type IdType = (typeof ID_TYPES)[number];
/** ClientEraseSchema.reason (PIPL Art. 47 grounds). */
export const ERASURE_REASONS = [
  "client_request",
  "consent_withdrawn",
  "purpose_fulfilled",
  "retention_expired",
  "unlawful_processing",
  "legal_requirement",
] as const;
/** BreakGlassOpenSchema.justification. */
export const BREAK_GLASS_JUSTIFICATIONS = ["client_emergency", "court_deadline", "safety_risk", "regulator_deadline", "system_outage", "other"] as const;
export const REFERENCE = /^[A-Za-z0-9._:/-]{1,64}$/;
export const ERASE_REFERENCE = /^[A-Za-z0-9._/-]{1,64}$/;
/** ClientPurposesSchema.reason (PUT /clients/{id}/purposes) and its reference. */
export const PURPOSE_CHANGE_REASONS = ["engagement_changed", "client_instruction", "consent_withdrawn", "correction", "legal_requirement"] as const;
export const PURPOSE_CHANGE_REFERENCE = /^[A-Za-z0-9._/-]{1,64}$/;
export const CONSENT_CHANNELS = ["portal", "paper", "email", "in_person", "phone"] as const;
export const ACKNOWLEDGEMENT_KINDS = ["signed_form", "click", "email_message", "call_recording"] as const;
export const NOTICE_LANGUAGES = ["zh-CN", "en"] as const;
export const PERSONAL_FIELDS = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/**
 * Firm-level permissions (from /auth/me) for what the console offers where there is no record to
 * carry abilities: creating a client, or the way in after a refused read. The API still decides.
 */
const PERMISSION_FOR = {
  create: "client.create",
  breakGlass: "break_glass.open",
  // Compliance, or the responsible partner of an open matter of the client: the API decides per record.
  purposes: "client.purposes",
} as const;
export const roleMay = (permissions: readonly string[], what: keyof typeof PERMISSION_FOR) => permissions.includes(PERMISSION_FOR[what]);

export interface Access {
  decision: "allow" | "mask";
  reason: string;
  maskedFields: string[];
  via?: "grant" | "break_glass";
}

/** What the caller may do with one client (ClientAbilitiesSchema), returned with GET /clients/{id}. */
export interface ClientAbilities {
  read: boolean;
  update: boolean;
  erase: boolean;
  export: boolean;
  requestApproval: boolean;
  breakGlass: boolean;
  manageConsent: boolean;
  liftRestriction: boolean;
  openMatter: boolean;
  changePurposes: boolean;
}

export interface Client {
  id: string;
  kind: (typeof CLIENT_KINDS)[number];
  name: string;
  idType: IdType | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  birthDate: string | null;
  notes: string | null;
  purposes: string[];
  status: "active" | "erased";
  createdAt: string;
  updatedAt: string;
  access: Access;
}

/** GET /clients/{id}: the client with the caller's abilities on it. */
export interface ClientRecord extends Client {
  abilities: ClientAbilities;
}

export interface ClientListItem {
  id: string;
  kind: Client["kind"];
  name: string;
  status: Client["status"];
  createdAt: string;
  maskedFields: string[];
}
export interface ClientPage {
  items: ClientListItem[];
  nextCursor: string | null;
}

export interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  purpose: string | null;
  outcome: string;
  reason: string | null;
  requestId: string | null;
}

export interface Matter {
  id: string;
  clientId: string;
  number: string;
  title: string | null;
  practiceArea: string;
  status: "open" | "closed";
  responsiblePartnerId: string;
  team: { userId: string; role: string; addedAt: string }[];
  createdAt: string;
  closedAt: string | null;
}

export interface ConsentRecord {
  id: string;
  purpose: string;
  revision: number;
  status: "granted" | "withdrawn";
  separate: boolean;
  channel: string;
  noticeVersion: number | null;
  noticeLanguage: string | null;
  acknowledgement: { kind: string; reference: string };
  givenAt: string;
  recordedAt: string;
  recordedBy: string;
}
export interface ConsentList {
  current: {
    purpose: string;
    legalBasis: string;
    legalBasisZh: string;
    legalBasisEn: string;
    requiresSeparateConsentForSensitive: boolean;
    consent: "none" | "granted" | "separate";
    since: string | null;
  }[];
  items: ConsentRecord[];
}
