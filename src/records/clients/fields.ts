/**
 * The schema registry (CLS-1, CLS-3): every client field with its data category, sensitivity
 * level, whether it is required, how it is stored and whether it is searchable. The data
 * inventory, masking, encryption and the policy all read this one table.
 */
import type { Level } from "../../access/policy/roles.js";

export type DataCategory = "identity" | "government_id" | "contact" | "case_notes" | "processing";

export interface FieldDefinition {
  readonly key: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly category: DataCategory;
  readonly level: Level;
  readonly required: boolean;
  /** Personal data: stored only as AES-256-GCM ciphertext under the client's data key. */
  readonly encrypted: boolean;
  /** Exact-match search through a keyed blind index. */
  readonly searchable: boolean;
  readonly purposeZh: string;
  readonly purposeEn: string;
}

export const CLIENT_FIELDS = [
  {
    key: "kind",
    labelZh: "客户类型",
    labelEn: "Client kind",
    category: "processing",
    level: 1,
    required: true,
    encrypted: false,
    searchable: false,
    purposeZh: "区分自然人与组织",
    purposeEn: "Tell natural persons from organisations",
  },
  {
    key: "name",
    labelZh: "姓名/名称",
    labelEn: "Name",
    category: "identity",
    level: 2,
    required: true,
    encrypted: true,
    searchable: true,
    purposeZh: "识别客户、利益冲突审查",
    purposeEn: "Identify the client; conflict checks",
  },
  {
    key: "idType",
    labelZh: "证件类型",
    labelEn: "Identifier type",
    category: "processing",
    level: 1,
    required: false,
    encrypted: false,
    searchable: false,
    purposeZh: "校验证件号码",
    purposeEn: "Validate the identifier",
  },
  {
    key: "idNumber",
    labelZh: "证件号码",
    labelEn: "Identifier number",
    category: "government_id",
    level: 4,
    required: false,
    encrypted: true,
    searchable: true,
    purposeZh: "身份核验、利益冲突审查",
    purposeEn: "Verify identity; conflict checks",
  },
  {
    key: "phone",
    labelZh: "电话",
    labelEn: "Phone",
    category: "contact",
    level: 3,
    required: false,
    encrypted: true,
    searchable: true,
    purposeZh: "联系客户",
    purposeEn: "Contact the client",
  },
  {
    key: "email",
    labelZh: "电子邮箱",
    labelEn: "Email",
    category: "contact",
    level: 3,
    required: false,
    encrypted: true,
    searchable: true,
    purposeZh: "联系客户、送达文件",
    purposeEn: "Contact the client; serve documents",
  },
  {
    key: "address",
    labelZh: "地址",
    labelEn: "Address",
    category: "contact",
    level: 3,
    required: false,
    encrypted: true,
    searchable: false,
    purposeZh: "送达文件",
    purposeEn: "Serve documents",
  },
  {
    key: "birthDate",
    labelZh: "出生日期",
    labelEn: "Date of birth",
    category: "identity",
    level: 3,
    required: false,
    encrypted: true,
    searchable: false,
    purposeZh: "身份核验、行为能力判断",
    purposeEn: "Verify identity; legal capacity",
  },
  {
    key: "notes",
    labelZh: "备注",
    labelEn: "Notes",
    category: "case_notes",
    level: 3,
    required: false,
    encrypted: true,
    searchable: false,
    purposeZh: "案件办理记录",
    purposeEn: "Case-handling notes",
  },
  {
    key: "purposes",
    labelZh: "允许的用途",
    labelEn: "Permitted purposes",
    category: "processing",
    level: 1,
    required: true,
    encrypted: false,
    searchable: false,
    purposeZh: "目的限制",
    purposeEn: "Purpose limitation",
  },
] as const satisfies readonly FieldDefinition[];

export type ClientFieldKey = (typeof CLIENT_FIELDS)[number]["key"];

export const PERSONAL_FIELDS = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export const SEARCHABLE_FIELDS = ["name", "idNumber", "phone", "email"] as const;
export type SearchableField = (typeof SEARCHABLE_FIELDS)[number];

export const FIELD_LEVELS: Readonly<Record<PersonalField, Level>> = Object.freeze(
  Object.fromEntries(CLIENT_FIELDS.filter((f) => f.encrypted).map((f) => [f.key, f.level])) as Record<PersonalField, Level>,
);

/** Storage column of each personal field's ciphertext and blind index. */
export const COLUMNS = {
  name: { ct: "name_ct", bidx: "name_bidx" },
  idNumber: { ct: "id_number_ct", bidx: "id_number_bidx" },
  phone: { ct: "phone_ct", bidx: "phone_bidx" },
  email: { ct: "email_ct", bidx: "email_bidx" },
  address: { ct: "address_ct", bidx: null },
  birthDate: { ct: "birth_date_ct", bidx: null },
  notes: { ct: "notes_ct", bidx: null },
} as const;
