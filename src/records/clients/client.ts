export const CLIENT_KINDS = ["person", "organization"] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];
export const ID_TYPES = ["resident_id", "passport", "uscc"] as const;
export type IdType = (typeof ID_TYPES)[number];

/** A client's data as the firm knows it (decrypted, validated, normalised). */
export interface ClientData {
  kind: ClientKind;
  name: string;
  idType: IdType | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  birthDate: string | null;
  notes: string | null;
  purposes: string[];
}

export interface Client extends ClientData {
  id: string;
  status: "active" | "erased";
  rowVersion: number;
  createdAt: string;
  updatedAt: string;
}
