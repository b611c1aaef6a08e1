import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { readableClient } from "../../records/clients/client-access.js";
import type { Services } from "../../platform/services.js";
import { listConsentRows } from "./consent-store.js";
import { consentFromRow, stateOf, type ConsentRecord } from "./consent.js";
import type { ConsentState } from "./consent-predicates.js";
import { isLegalBasis, LEGAL_BASIS_LABELS, type LegalBasis } from "./legal-basis.js";

export interface PurposeConsentSummary {
  purpose: string;
  legalBasis: LegalBasis;
  legalBasisZh: string;
  legalBasisEn: string;
  requiresSeparateConsentForSensitive: boolean;
  consent: ConsentState;
  since: string | null;
}

/**
 * A client's consent history and the current state per registered purpose. Reached like a client
 * read (role, declared purpose, walls, need-to-know), since it tells who the firm's clients are.
 */
export async function listConsents(
  services: Services,
  ctx: RequestContext,
  clientId: string,
): Promise<{ current: PurposeConsentSummary[]; items: ConsentRecord[] }> {
  return runAudited(services, ctx, async (w) => {
    const found = await readableClient(services, ctx, w, clientId, "client.read");
    if (!("client" in found)) return found;
    const rows = await listConsentRows(w.tx, clientId);
    const purposes = await w.tx
      .selectFrom("purposes")
      .select(["code", "legal_basis", "requires_separate_consent_for_sensitive"])
      .where("active", "=", 1)
      .orderBy("code")
      .execute();
    const current = purposes.map((p): PurposeConsentSummary => {
      const latest = rows.find((r) => r.purpose === p.code);
      const basis: LegalBasis = isLegalBasis(p.legal_basis) ? p.legal_basis : "consent";
      return {
        purpose: p.code,
        legalBasis: basis,
        legalBasisZh: LEGAL_BASIS_LABELS[basis].zh,
        legalBasisEn: LEGAL_BASIS_LABELS[basis].en,
        requiresSeparateConsentForSensitive: p.requires_separate_consent_for_sensitive === 1,
        consent: stateOf(latest),
        since: latest?.given_at ?? null,
      };
    });
    w.record({ action: "consent.list", targetType: "client", targetId: clientId, outcome: "success", details: { records: rows.length } });
    return { current, items: rows.map(consentFromRow) };
  });
}
