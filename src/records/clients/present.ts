import type { ClientAbilities } from "../../access/policy/abilities.js";
import type { Decision } from "../../access/policy/policy.js";
import type { Client } from "./client.js";
import { maskField } from "./masking.js";
import { PERSONAL_FIELDS } from "./fields.js";

/** The client as the API returns it: an allow-list of fields, masked where the decision says. */
export type PresentedClient = Omit<Client, "rowVersion"> & {
  access: { decision: "allow" | "mask"; reason: string; maskedFields: string[]; via?: "grant" | "break_glass" };
};

/** One client as GET /clients/{id} returns it: with what the caller may do with it. */
export type PresentedClientRecord = PresentedClient & { abilities: ClientAbilities };

export const presentClientRecord = (client: Client, decision: Decision, abilities: ClientAbilities): PresentedClientRecord => ({
  ...presentClient(client, decision),
  abilities,
});

export function presentClient(client: Client, decision: Decision): PresentedClient {
  if (decision.effect === "deny") throw new Error("A denied record is never presented");
  const masked = new Set(decision.effect === "mask" ? decision.maskedFields : []);
  const shown = {} as Record<(typeof PERSONAL_FIELDS)[number], string | null>;
  for (const field of PERSONAL_FIELDS) {
    const value = client[field];
    shown[field] = value !== null && masked.has(field) ? maskField(field, value, client.idType) : value;
  }
  return {
    id: client.id,
    kind: client.kind,
    idType: client.idType,
    ...shown,
    name: shown.name ?? "",
    purposes: client.purposes,
    status: client.status,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
    access: {
      decision: decision.effect,
      reason: decision.reason,
      // Only fields that hold a value were actually masked.
      maskedFields: PERSONAL_FIELDS.filter((f) => masked.has(f) && client[f] !== null),
      // What let the reader in beyond role and matter: a grant or break-glass access.
      ...(decision.via ? { via: decision.via.kind } : {}),
    },
  };
}
