/** Matters (案件/委托): the engagements a client has with the firm, and their teams. */
export const PRACTICE_AREAS = ["litigation", "corporate", "labour", "ip", "family", "criminal", "tax", "other"] as const;
export type PracticeArea = (typeof PRACTICE_AREAS)[number];

export const MATTER_ROLES = ["lead", "member", "observer"] as const;
export type MatterRole = (typeof MATTER_ROLES)[number];

export type MatterStatus = "open" | "closed";

/** Year, a short category in any script, a serial: `2026-民-0001`, `2026-IP-12`. */
export const MATTER_NUMBER = /^[0-9]{4}-[\p{L}]{1,10}-[0-9]{1,8}$/u;
export const MATTER_NUMBER_MAX = 40;
export const MATTER_TITLE_MAX = 300;
export const MATTER_TEAM_MAX = 50;

export interface MatterMember {
  userId: string;
  role: MatterRole;
  addedAt: string;
}

/** A matter as the API returns it: an allow-list of fields, the title decrypted. */
export interface PresentedMatter {
  id: string;
  clientId: string;
  number: string;
  /** Null once the client was erased (the title was sealed with the client's data key). */
  title: string | null;
  practiceArea: PracticeArea;
  status: MatterStatus;
  responsiblePartnerId: string;
  team: MatterMember[];
  createdAt: string;
  closedAt: string | null;
}
