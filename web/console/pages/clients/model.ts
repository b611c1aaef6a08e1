/**
 * Shapes of the clients API (src/http/routes/clients/schema.ts and neighbours) as the console
 * reads them, and the enums the API accepts. The API decides every access; the role lists below
 * only keep buttons honest (they mirror src/access/policy/roles.ts and hide what would be refused).
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
export const CONSENT_CHANNELS = ["portal", "paper", "email", "in_person", "phone"] as const;
export const ACKNOWLEDGEMENT_KINDS = ["signed_form", "click", "email_message", "call_recording"] as const;
export const NOTICE_LANGUAGES = ["zh-CN", "en"] as const;
export const PERSONAL_FIELDS = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** Which of the role's permissions (from /auth/me) each client action needs; the API still decides. */
const PERMISSION_FOR = {
  create: "client.create",
  update: "client.update",
  erase: "client.erase",
  consent: "consent.manage",
  breakGlass: "break_glass.open",
  // An export needs a grant, and only roles that may ask for approvals can hold one.
  export: "approval.request",
  read: "client.read",
  conflicts: "conflict.check",
} as const;
export const roleMay = (permissions: readonly string[], what: keyof typeof PERMISSION_FOR) => permissions.includes(PERMISSION_FOR[what]);

export interface Access {
  decision: "allow" | "mask";
  reason: string;
  maskedFields: string[];
  via?: "grant" | "break_glass";
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
