import { ROLE_DEFINITIONS, ROLES, type Role } from "../../access/policy/roles.js";
import { CLIENT_FIELDS } from "../clients/fields.js";

export interface InventoryEntry {
  dataset: string;
  field: string;
  labelZh: string;
  labelEn: string;
  category: string;
  level: `L${1 | 2 | 3 | 4}`;
  required: boolean;
  storage: string;
  searchable: boolean;
  purposeZh: string;
  purposeEn: string;
  /** Roles that read the field unmasked (CLS-2 "who may see it"). */
  readableBy: Role[];
  /** Roles that see it masked. */
  maskedFor: Role[];
  retention: string;
}

/** The data inventory (CLS-2), generated from the schema registry and the role table. */
export function buildInventory(): InventoryEntry[] {
  const reading = ROLES.filter((r) => ROLE_DEFINITIONS[r].permissions.has("client.read"));
  return CLIENT_FIELDS.map((f) => ({
    dataset: "clients",
    field: f.key,
    labelZh: f.labelZh,
    labelEn: f.labelEn,
    category: f.category,
    level: `L${f.level}` as const,
    required: f.required,
    storage: f.encrypted ? "AES-256-GCM, per-client data key, wrapped by a versioned KEK" : "plain column (not personal data)",
    searchable: f.searchable,
    purposeZh: f.purposeZh,
    purposeEn: f.purposeEn,
    readableBy: reading.filter((r) => ROLE_DEFINITIONS[r].clearance >= f.level),
    maskedFor: reading.filter((r) => ROLE_DEFINITIONS[r].clearance < f.level),
    // Retention schedules arrive with the lifecycle work; until then records stay until erased.
    retention: "until erased (no retention schedule configured yet)",
  }));
}
