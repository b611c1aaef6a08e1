/** Loading and writing access-review campaigns and items. SQL only; the policy decides who reviews. */
import type { Tx } from "../../platform/db/engine.js";
import type { DbAccessReviewCampaign, DbAccessReviewItem } from "../../platform/db/schema.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Vault } from "../../vault/vault.js";
import { openText } from "../../vault/sealed-text.js";
import { isOverdue, type CampaignProgress, type CloseReason, type ItemKind, type PresentedCampaign, type PresentedItem } from "./access-review.js";

type Reviewer = { reviewer_id: string | null; reviewer_pool: "user" | "compliance" };

/** Four-eyes at assignment: the named reviewer when there is one, active, and not the subject; else compliance. */
function reviewerFor(subjectId: string, candidate: string | null, active: ReadonlySet<string>): Reviewer {
  return candidate && candidate !== subjectId && active.has(candidate)
    ? { reviewer_id: candidate, reviewer_pool: "user" }
    : { reviewer_id: null, reviewer_pool: "compliance" };
}

/**
 * The campaign's snapshot, taken in its starting transaction: every team membership of an open
 * matter (reviewer: the matter's responsible partner), every current grant (compliance), and every
 * active staff user's role (their supervisor, else compliance). Disabled users hold no access and
 * are left out. Returns the count per kind.
 */
export async function snapshotItems(tx: Tx, campaignId: string, now: Date): Promise<Record<ItemKind, number> & { compliancePool: number }> {
  const at = now.toISOString();
  const users = await tx.selectFrom("users").select(["id", "role", "supervisor_id"]).where("status", "=", "active").orderBy("id").execute();
  const active = new Set(users.map((u) => u.id));
  const base = { campaign_id: campaignId, decision: null, reason_code: null, decided_by: null, decided_at: null, effect: null };
  const rows: DbAccessReviewItem[] = [];

  const members = await tx
    .selectFrom("matter_members as mm")
    .innerJoin("matters as m", "m.id", "mm.matter_id")
    .select(["mm.matter_id", "mm.user_id", "mm.role", "m.client_id", "m.responsible_partner_id"])
    .where("m.status", "=", "open")
    .orderBy("mm.matter_id")
    .orderBy("mm.user_id")
    .execute();
  for (const m of members) {
    if (!active.has(m.user_id)) continue;
    rows.push({
      ...base,
      id: uuidv7(),
      kind: "matter_member",
      subject_user_id: m.user_id,
      ...reviewerFor(m.user_id, m.responsible_partner_id, active),
      matter_id: m.matter_id,
      grant_id: null,
      client_id: m.client_id,
      access: m.role,
    });
  }

  const grants = await tx
    .selectFrom("access_grants")
    .select(["id", "user_id", "kind", "client_id", "matter_id"])
    .where("revoked_at", "is", null)
    .where("expires_at", ">", at)
    .orderBy("id")
    .execute();
  for (const g of grants) {
    if (!active.has(g.user_id)) continue;
    rows.push({
      ...base,
      id: uuidv7(),
      kind: "grant",
      subject_user_id: g.user_id,
      reviewer_id: null,
      reviewer_pool: "compliance",
      matter_id: g.matter_id,
      grant_id: g.id,
      client_id: g.client_id,
      access: g.kind,
    });
  }

  for (const u of users) {
    rows.push({
      ...base,
      id: uuidv7(),
      kind: "role",
      subject_user_id: u.id,
      ...reviewerFor(u.id, u.supervisor_id, active),
      matter_id: null,
      grant_id: null,
      client_id: null,
      access: u.role,
    });
  }

  // 16 columns a row: 500 rows stay well under both engines' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto("access_review_items")
      .values(rows.slice(i, i + 500))
      .execute();
  const count = (kind: ItemKind) => rows.filter((r) => r.kind === kind).length;
  return {
    matter_member: count("matter_member"),
    grant: count("grant"),
    role: count("role"),
    compliancePool: rows.filter((r) => r.reviewer_pool === "compliance").length,
  };
}

/** Decided/total per campaign, and whether an open campaign is past its due day. */
export async function progressOf(
  tx: Tx,
  campaigns: readonly Pick<DbAccessReviewCampaign, "id" | "due_on" | "status">[],
  now: Date,
): Promise<Map<string, CampaignProgress>> {
  const out = new Map<string, CampaignProgress>();
  for (const c of campaigns)
    out.set(c.id, { total: 0, decided: 0, kept: 0, revoked: 0, notReviewed: 0, pending: 0, overdue: isOverdue(c.due_on, c.status, now) });
  if (campaigns.length === 0) return out;
  const counts = await tx
    .selectFrom("access_review_items")
    .select((eb) => ["campaign_id", "decision", eb.fn.countAll().as("n")])
    .where(
      "campaign_id",
      "in",
      campaigns.map((c) => c.id),
    )
    .groupBy(["campaign_id", "decision"])
    .execute();
  for (const row of counts) {
    const p = out.get(row.campaign_id)!;
    const n = Number(row.n); // PostgreSQL counts arrive as strings
    p.total += n;
    if (row.decision === null) p.pending += n;
    else if (row.decision === "keep") p.kept += n;
    else if (row.decision === "revoke") p.revoked += n;
    else p.notReviewed += n;
  }
  for (const p of out.values()) p.decided = p.kept + p.revoked;
  return out;
}

export const findCampaign = (tx: Tx, id: string) => tx.selectFrom("access_review_campaigns").selectAll().where("id", "=", id).executeTakeFirst();

export const presentCampaign = (vault: Vault, row: DbAccessReviewCampaign, progress: CampaignProgress): PresentedCampaign => ({
  id: row.id,
  name: openText(vault, "access_review_campaigns", row.id, "name", row.name_ct),
  dueOn: row.due_on,
  status: row.status === "closed" ? "closed" : "open",
  startedBy: row.started_by,
  startedAt: row.started_at,
  closedBy: row.closed_by,
  closedAt: row.closed_at,
  closeReason: row.close_reason as CloseReason | null,
  progress,
});

export type ItemRow = DbAccessReviewItem & { matter_number: string | null };

/** Items with their matter's number (a docket number, not personal data) for the reviewer's list. */
export const itemsQuery = (tx: Tx) =>
  tx.selectFrom("access_review_items as i").leftJoin("matters as m", "m.id", "i.matter_id").selectAll("i").select("m.number as matter_number");

export const presentItem = (row: ItemRow): PresentedItem => ({
  id: row.id,
  campaignId: row.campaign_id,
  kind: row.kind as PresentedItem["kind"],
  subjectUserId: row.subject_user_id,
  reviewerId: row.reviewer_id,
  reviewerPool: row.reviewer_pool === "compliance" ? "compliance" : "user",
  matterId: row.matter_id,
  matterNumber: row.matter_number,
  grantId: row.grant_id,
  clientId: row.client_id,
  access: row.access,
  decision: row.decision as PresentedItem["decision"],
  reasonCode: row.reason_code,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  effect: row.effect as PresentedItem["effect"],
});
