/**
 * discloseClients: the one command that lets client data leave the firm (issue #13, APR-2, VEN-2/3,
 * CON-2). In one audited unit of work, in this order: the role may disclose; each client is readable
 * by the caller under the purpose (walls, need-to-know, erasure, purpose, consent to the purpose);
 * each client has an approved `disclose` grant of the caller for that purpose; the partner may
 * receive what the profile sends (contracts, assessment, level, categories, transfer basis and
 * impact assessment); each client consented to this recipient where the legal basis or sensitive
 * data requires it. Any refusal is one audited event and nothing is written. Then the records are
 * decrypted and presented as the caller may see them, the package is built, the disclosure and one
 * holding per client are stored (manifest and digests, never data), each grant is used up, and one
 * `client.disclose` event per client lands in the client's access history.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { type PartnerSharingDecision, partnerSharingDecision } from "../../access/policy/partner-sharing.js";
import { authorize, authorizeRecordRead } from "../../access/policy/policy.js";
import { grantOf } from "../../access/policy/predicates.js";
import { revokeGrant } from "../../access/grants/grant-store.js";
import { partnerSharingFacts } from "../../governance/partners/partner-facts.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { consentTermsFor } from "../../rights/consent/consent-terms.js";
import { buildDisclosurePackage, derivePseudonymKey, type SourceRecord } from "../../vault/deidentification/index.js";
import { refuseRecord } from "../clients/client-access.js";
import { findClientRow, openRow } from "../clients/client-store.js";
import { FIELD_LEVELS } from "../clients/fields.js";
import { presentClient } from "../clients/present.js";
import { clientRelation } from "../matters/need-to-know.js";
import { findProfile } from "./profile-store.js";
import {
  DISCLOSURE_LEGAL_BASES,
  DISCLOSURE_REFERENCE,
  type DisclosureLegalBasis,
  MAX_CLIENTS,
  PartnerSharingRefusedError,
  RecipientConsentRequiredError,
  isGdprClient,
  recipientConsentNeeded,
  sentFields,
  sharingRequestOf,
} from "./disclosure.js";
import { recipientConsentGranted } from "./recipient-consent.js";

export interface DisclosureInput {
  partnerId: string;
  clientIds: string[];
  profileCode: string;
  /** A registered purpose code: the purpose the clients are read and the approvals were given for. */
  purpose: string;
  legalBasis: DisclosureLegalBasis;
  reference?: string | undefined;
}

export interface DisclosureResult {
  disclosureId: string;
  createdAt: string;
  partner: { id: string; name: string };
  profile: { code: string; version: number; sealed: boolean };
  clientIds: string[];
  warnings: string[];
  /** The package, handed over once and never stored: JSON and CSV, or the sealed bytes and their one-time key. */
  package: { json: string | null; csv: string | null; sealed: string | null; sealedKey: string | null };
  record: { jsonSha256: string; csvSha256: string | null; sealedSha256: string | null; recordsSha256: string };
}

const ACTION = "client.disclose";

function inputIssues(input: DisclosureInput, purposes: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ids = new Set(input.clientIds);
  if (input.clientIds.length < 1 || input.clientIds.length > MAX_CLIENTS || ids.size !== input.clientIds.length)
    issues.push({ field: "clientIds", code: "invalid_value", message: "Between 1 and 500 distinct client ids." });
  if (!purposes.has(input.purpose)) issues.push({ field: "purpose", code: "unknown_purpose", message: "Not a registered purpose code." });
  if (!(DISCLOSURE_LEGAL_BASES as readonly string[]).includes(input.legalBasis))
    issues.push({ field: "legalBasis", code: "invalid_value", message: "Not a legal basis for a disclosure." });
  if (input.reference !== undefined && !DISCLOSURE_REFERENCE.test(input.reference))
    issues.push({ field: "reference", code: "format", message: "A ticket or file number." });
  return issues;
}

/** The approval request behind a grant, with the purpose it was approved for. */
const grantRequest = (tx: Tx, grantId: string) =>
  tx
    .selectFrom("access_grants as g")
    .innerJoin("approval_requests as r", "r.id", "g.request_id")
    .select(["r.id", "r.purpose"])
    .where("g.id", "=", grantId)
    .executeTakeFirst();

export async function discloseClients(services: Services, ctx: RequestContext, input: DisclosureInput): Promise<DisclosureResult> {
  return runAudited(services, ctx, async (w) => {
    const base = { profile: input.profileCode, partnerId: input.partnerId, clients: input.clientIds.length };
    const event = { action: ACTION, targetType: "partner", targetId: input.partnerId, purpose: null, details: base };
    const role = authorize(ctx.actor, "client.disclose");
    if (role.effect === "deny") return w.deny(role, event);
    const issues = inputIssues(input, await services.purposes.codes(w.tx));
    if (issues.length)
      return w.refuse(ValidationError(issues), { ...event, details: { ...base, fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const partner = await w.tx.selectFrom("partners").select(["id", "name"]).where("id", "=", input.partnerId).executeTakeFirst();
    if (!partner) return w.refuse(NotFoundError("Partner"), event, "failure");
    const profile = await findProfile(w.tx, input.profileCode);
    if (!profile) return w.refuse(NotFoundError("Profile"), event, "failure");
    const purposeEvent = { ...event, purpose: input.purpose, details: { ...base, profileVersion: profile.version, legalBasis: input.legalBasis } };

    // Each client: readable by the caller under the purpose, and approved for disclosure.
    const now = new Date();
    const readable = [];
    for (const clientId of input.clientIds) {
      const clientEvent = { ...purposeEvent, targetType: "client", targetId: clientId };
      const row = await findClientRow(w.tx, clientId);
      if (!row) return w.refuse(NotFoundError("Client"), clientEvent, "failure");
      const relation = { ...(await clientRelation(w.tx, ctx.actor, row, now)), breakGlass: null };
      const consent = await consentTermsFor(w.tx, clientId, input.purpose);
      const record = { purposes: JSON.parse(row.purposes) as string[], erased: row.status === "erased", fieldLevels: FIELD_LEVELS, consent };
      // Break-glass opens reading in an emergency, never a disclosure: it is left out of the relation.
      const decision = authorizeRecordRead(ctx.actor, "client.read", input.purpose, record, relation);
      if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, clientEvent);
      const grant = grantOf(relation, "disclose");
      const approval = grant ? await grantRequest(w.tx, grant.id) : undefined;
      // An approval is for one purpose: a grant given for another does not cover this disclosure.
      if (!grant || !approval || approval.purpose !== input.purpose) return w.deny({ reason: "approval_required" }, clientEvent);
      readable.push({ row, decision, grantId: grant.id, approvalId: approval.id });
    }

    // The partner: may it receive what this profile sends, from these clients, now?
    const fields = sentFields(profile);
    const asked = sharingRequestOf(fields);
    const gdprClient = readable.some((r) => isGdprClient({ idType: r.row.id_type }));
    const facts = await partnerSharingFacts(w.tx, partner.id, now);
    const sharing: PartnerSharingDecision = facts
      ? partnerSharingDecision(facts, { level: asked.level, categories: asked.categories, gdprClient }, now)
      : { effect: "deny", reason: "partner_not_active" };
    if (sharing.effect === "deny")
      return w.refuse(PartnerSharingRefusedError(sharing.reason), { ...purposeEvent, details: { ...purposeEvent.details, level: asked.level, gdprClient } });

    // Consent to this recipient, where the legal basis or sensitive data needs it (PIPL Art 23, 29).
    if (recipientConsentNeeded(input.legalBasis, asked.sensitive)) {
      for (const r of readable) {
        if (!(await recipientConsentGranted(w.tx, r.row.id, partner.id, input.purpose)))
          return w.refuse(RecipientConsentRequiredError(), { ...purposeEvent, targetType: "client", targetId: r.row.id });
      }
    }

    // Everything allows it: decrypt as the caller may see it, build, record.
    const disclosureId = uuidv7();
    const createdAt = now.toISOString();
    const records: SourceRecord[] = [];
    for (const r of readable) {
      const key = await services.keyRing.openDataKey(w.tx, r.row.id);
      const shown = presentClient(openRow(services.vault, key, r.row), r.decision);
      records.push({
        id: shown.id,
        kind: shown.kind,
        name: shown.name,
        idType: shown.idType,
        idNumber: shown.idNumber,
        phone: shown.phone,
        email: shown.email,
        address: shown.address,
        birthDate: shown.birthDate,
        notes: shown.notes,
      });
    }
    const built = buildDisclosurePackage({
      disclosureId,
      partner: { id: partner.id, name: partner.name },
      purpose: input.purpose,
      legalBasis: input.legalBasis,
      profile,
      records,
      createdAt,
      pseudonymKey: derivePseudonymKey(services.vault, disclosureId),
    });
    const manifestFields = built.manifest.fields;
    await w.tx
      .insertInto("disclosures")
      .values({
        id: disclosureId,
        partner_id: partner.id,
        requester_id: ctx.actor.userId,
        purpose: input.purpose,
        legal_basis: input.legalBasis,
        profile_code: profile.code,
        profile_version: profile.version,
        reference: input.reference ?? null,
        manifest: JSON.stringify(built.manifest),
        json_sha256: built.record.jsonSha256,
        csv_sha256: built.record.csvSha256,
        sealed_sha256: built.record.sealedSha256,
        warnings: JSON.stringify(sharing.warnings),
        created_at: createdAt,
      })
      .execute();
    // The rows in the package, read back from the JSON so the holdings say what actually left.
    const rows = (JSON.parse(built.json.toString("utf8")) as { records: Record<string, string | null>[] }).records;
    for (const [i, r] of readable.entries()) {
      const out = rows[i] ?? {};
      const sent = manifestFields.filter((f) => out[f.field] !== null && out[f.field] !== undefined);
      await w.tx
        .insertInto("disclosure_holdings")
        .values({
          disclosure_id: disclosureId,
          client_id: r.row.id,
          approval_request_id: r.approvalId,
          grant_id: r.grantId,
          fields: JSON.stringify(sent),
          package_ref: out.clientId ?? null,
          status: "held",
          return_requested_at: null,
          return_reason: null,
          confirmed_at: null,
          confirmation_reference: null,
          confirmed_by: null,
        })
        .execute();
      // One approval, one disclosure: the approval does not name the partner, so it is used up here.
      await revokeGrant(w.tx, r.grantId, createdAt);
      w.record({
        action: ACTION,
        targetType: "client",
        targetId: r.row.id,
        outcome: "success",
        purpose: input.purpose,
        details: {
          disclosureId,
          partnerId: partner.id,
          profile: `${profile.code}@${profile.version}`,
          legalBasis: input.legalBasis,
          grantId: r.grantId,
          fields: sent.map((f) => `${f.field}:${f.rule}${f.method ? `/${f.method}` : ""}`).join(","),
          ...(sharing.warnings.length ? { warnings: sharing.warnings.join(",") } : {}),
        },
      });
    }
    return {
      disclosureId,
      createdAt,
      partner: { id: partner.id, name: partner.name },
      profile: { code: profile.code, version: profile.version, sealed: profile.sealed },
      clientIds: readable.map((r) => r.row.id),
      warnings: [...sharing.warnings],
      package: built.sealed
        ? { json: null, csv: null, sealed: built.sealed.bytes.toString("base64"), sealedKey: built.sealed.keyBase64 }
        : { json: built.json.toString("utf8"), csv: built.csv ? built.csv.toString("utf8") : null, sealed: null, sealedKey: null },
      record: {
        jsonSha256: built.record.jsonSha256,
        csvSha256: built.record.csvSha256,
        sealedSha256: built.record.sealedSha256,
        recordsSha256: built.manifest.recordsSha256,
      },
    };
  });
}
