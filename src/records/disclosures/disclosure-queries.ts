/**
 * Reading the disclosure register: the disclosures (what left, to whom, under which approvals) and
 * per partner "who outside holds what". Those who read the partner register (`partner.read`:
 * partners, lawyers, compliance) read it. Clients are named by id only: the register is about
 * what the partner holds, and reading a client's name is a client read with its own checks.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbDisclosure, DbDisclosureHolding } from "../../platform/db/schema.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { PackageManifest } from "../../vault/deidentification/index.js";
import type { HoldingStatus } from "./disclosure.js";

export interface PresentedHolding {
  clientId: string;
  approvalRequestId: string;
  grantId: string;
  fields: { field: string; rule: string; method: string | null }[];
  packageRef: string | null;
  status: HoldingStatus;
  returnRequestedAt: string | null;
  returnReason: string | null;
  confirmedAt: string | null;
  confirmationReference: string | null;
  confirmedBy: string | null;
}

export interface PresentedDisclosure {
  id: string;
  partner: { id: string; name: string };
  requesterId: string;
  purpose: string;
  legalBasis: string;
  profile: { code: string; version: number };
  reference: string | null;
  warnings: string[];
  createdAt: string;
  manifest: PackageManifest;
  digests: { jsonSha256: string; csvSha256: string | null; sealedSha256: string | null };
  holdings: PresentedHolding[];
}

const presentHolding = (h: DbDisclosureHolding): PresentedHolding => ({
  clientId: h.client_id,
  approvalRequestId: h.approval_request_id,
  grantId: h.grant_id,
  fields: JSON.parse(h.fields),
  packageRef: h.package_ref,
  status: h.status as HoldingStatus,
  returnRequestedAt: h.return_requested_at,
  returnReason: h.return_reason,
  confirmedAt: h.confirmed_at,
  confirmationReference: h.confirmation_reference,
  confirmedBy: h.confirmed_by,
});

async function present(tx: Tx, rows: (DbDisclosure & { partner_name: string })[]): Promise<PresentedDisclosure[]> {
  if (rows.length === 0) return [];
  const holdings = await tx
    .selectFrom("disclosure_holdings")
    .selectAll()
    .where(
      "disclosure_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("client_id")
    .execute();
  return rows.map((d) => ({
    id: d.id,
    partner: { id: d.partner_id, name: d.partner_name },
    requesterId: d.requester_id,
    purpose: d.purpose,
    legalBasis: d.legal_basis,
    profile: { code: d.profile_code, version: Number(d.profile_version) },
    reference: d.reference,
    warnings: JSON.parse(d.warnings),
    createdAt: d.created_at,
    manifest: JSON.parse(d.manifest),
    digests: { jsonSha256: d.json_sha256, csvSha256: d.csv_sha256, sealedSha256: d.sealed_sha256 },
    holdings: holdings.filter((h) => h.disclosure_id === d.id).map(presentHolding),
  }));
}

const disclosureRows = (tx: Tx) =>
  tx.selectFrom("disclosures as d").innerJoin("partners as p", "p.id", "d.partner_id").selectAll("d").select("p.name as partner_name");

export interface DisclosureFilter {
  partnerId?: string | undefined;
  clientId?: string | undefined;
}

/** Disclosures, newest first, by partner and/or client; at most 200. */
export async function disclosuresIn(tx: Tx, filter: DisclosureFilter): Promise<PresentedDisclosure[]> {
  let q = disclosureRows(tx);
  if (filter.partnerId) q = q.where("d.partner_id", "=", filter.partnerId);
  if (filter.clientId) {
    const clientId = filter.clientId;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom("disclosure_holdings as h").select("h.client_id").whereRef("h.disclosure_id", "=", "d.id").where("h.client_id", "=", clientId)),
    );
  }
  return present(tx, await q.orderBy("d.created_at", "desc").orderBy("d.id", "desc").limit(200).execute());
}

export async function listDisclosures(services: Services, ctx: RequestContext, filter: DisclosureFilter): Promise<PresentedDisclosure[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "disclosure_register.list", targetType: "disclosure", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "partner.read");
    if (decision.effect === "deny") return w.deny(decision, event);
    const items = await disclosuresIn(w.tx, filter);
    w.record({ ...event, outcome: "success", details: { partnerId: filter.partnerId ?? null, clientId: filter.clientId ?? null, results: items.length } });
    return items;
  });
}

export async function readDisclosure(services: Services, ctx: RequestContext, id: string): Promise<PresentedDisclosure> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "disclosure_register.read", targetType: "disclosure", targetId: id, purpose: null };
    const decision = authorize(ctx.actor, "partner.read");
    if (decision.effect === "deny") return w.deny(decision, event);
    const [found] = await present(w.tx, await disclosureRows(w.tx).where("d.id", "=", id).execute());
    if (!found) return w.refuse(NotFoundError("Disclosure"), event, "failure");
    w.record({ ...event, outcome: "success", details: { partnerId: found.partner.id, clients: found.holdings.length } });
    return found;
  });
}

export interface PartnerHoldings {
  partnerId: string;
  /** Clients whose rows the partner still holds (nothing confirmed returned or deleted). */
  outstanding: number;
  disclosures: { id: string; createdAt: string; purpose: string; profile: { code: string; version: number }; holdings: PresentedHolding[] }[];
}

/** "Who outside holds what": one partner's disclosures and the status of each client's rows. */
export async function partnerHoldings(services: Services, ctx: RequestContext, partnerId: string): Promise<PartnerHoldings> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "disclosure_register.holdings", targetType: "partner", targetId: partnerId, purpose: null };
    const decision = authorize(ctx.actor, "partner.read");
    if (decision.effect === "deny") return w.deny(decision, event);
    const partner = await w.tx.selectFrom("partners").select("id").where("id", "=", partnerId).executeTakeFirst();
    if (!partner) return w.refuse(NotFoundError("Partner"), event, "failure");
    const items = await disclosuresIn(w.tx, { partnerId });
    const outstanding = new Set(items.flatMap((d) => d.holdings.filter((h) => h.status === "held" || h.status === "return_requested").map((h) => h.clientId)))
      .size;
    w.record({ ...event, outcome: "success", details: { disclosures: items.length, outstanding } });
    return {
      partnerId,
      outstanding,
      disclosures: items.map((d) => ({ id: d.id, createdAt: d.createdAt, purpose: d.purpose, profile: d.profile, holdings: d.holdings })),
    };
  });
}
