/**
 * What every paper command loads and checks: the file, its client's relation to the acting user
 * (need-to-know and walls, as for the client record), and how a refusal is answered.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, paperTitleShown } from "../../access/policy/policy.js";
import type { ClientRelation } from "../../access/policy/predicates.js";
import type { Action, Level } from "../../access/policy/roles.js";
import type { AuditDraft, AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPaperFile } from "../../platform/db/schema.js";
import type { KeyRing } from "../../vault/keys/key-ring.js";
import type { DataKey } from "../../vault/vault.js";
import { clientRelations } from "../matters/need-to-know.js";
import { firmDay } from "./paper.js";

export type PaperEvent = Omit<AuditDraft, "outcome">;

/** A refusal for want of the role's action: 403 with the policy's reason, audited. */
export function refusedUnless(w: AuditedWork, ctx: RequestContext, action: Action, event: PaperEvent): Refusal | null {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
}

export const titleBinding = (fileId: string) => ({ table: "paper_files", recordId: fileId, field: "title" });

export const findFile = (tx: Tx, id: string) => tx.selectFrom("paper_files").selectAll().where("id", "=", id).executeTakeFirst();
export const findFileByCode = (tx: Tx, code: string) => tx.selectFrom("paper_files").selectAll().where("code", "=", code).executeTakeFirst();

export interface PresentedPaperFile {
  id: string;
  code: string;
  clientId: string;
  matterId: string | null;
  reference: string;
  /** Null unless the reader could read the client at the file's level (paperTitleShown). */
  title: string | null;
  level: Level;
  homeLocationId: string;
  homeLocationCode: string;
  status: "active" | "destroyed";
  /** The current loan or the request waiting for approval. */
  checkout: { id: string; borrowerId: string; purpose: string; dueOn: string; status: "pending" | "out"; overdue: boolean } | null;
  createdAt: string;
}

/**
 * Presents files for one reader: relations in a fixed number of queries, titles opened only where
 * the policy shows them (each client's data key opened once), the current loan of each file.
 */
export async function presentFiles(tx: Tx, keyRing: KeyRing, ctx: RequestContext, rows: readonly DbPaperFile[], now: Date): Promise<PresentedPaperFile[]> {
  if (rows.length === 0) return [];
  const clientIds = [...new Set(rows.map((r) => r.client_id))];
  const clients = await tx.selectFrom("clients").select(["id", "created_by"]).where("id", "in", clientIds).execute();
  const relations = await clientRelations(tx, ctx.actor, clients, now);
  const locations = new Map(
    (
      await tx
        .selectFrom("paper_locations")
        .select(["id", "code"])
        .where("id", "in", [...new Set(rows.map((r) => r.home_location_id))])
        .execute()
    ).map((l) => [l.id, l.code]),
  );
  const loans = new Map(
    (
      await tx
        .selectFrom("paper_checkouts")
        .selectAll()
        .where(
          "file_id",
          "in",
          rows.map((r) => r.id),
        )
        .where("status", "in", ["pending", "out"])
        .orderBy("id")
        .execute()
    ).map((c) => [c.file_id, c]),
  );
  const keys = new Map<string, DataKey | null>();
  const today = firmDay(now);
  const out: PresentedPaperFile[] = [];
  for (const r of rows) {
    const relation = relations.get(r.client_id);
    let title: string | null = null;
    if (r.title_ct && relation && paperTitleShown(ctx.actor, relation, r.level as Level)) {
      if (!keys.has(r.client_id)) keys.set(r.client_id, await keyRing.openDataKey(tx, r.client_id));
      const key = keys.get(r.client_id);
      title = key ? keyRing.vault.open(key, titleBinding(r.id), r.title_ct) : null;
    }
    const loan = loans.get(r.id);
    out.push({
      id: r.id,
      code: r.code,
      clientId: r.client_id,
      matterId: r.matter_id,
      reference: r.reference,
      title,
      level: r.level as Level,
      homeLocationId: r.home_location_id,
      homeLocationCode: locations.get(r.home_location_id) ?? "",
      status: r.status as PresentedPaperFile["status"],
      checkout: loan
        ? {
            id: loan.id,
            borrowerId: loan.borrower_id,
            purpose: loan.purpose,
            dueOn: loan.due_on,
            status: loan.status as "pending" | "out",
            overdue: loan.status === "out" && loan.due_on < today,
          }
        : null,
      createdAt: r.created_at,
    });
  }
  return out;
}

/** The reader's relation to each client, to leave out files of clients a wall screens them from. */
export async function relationsFor(tx: Tx, ctx: RequestContext, clientIds: readonly string[], now: Date): Promise<Map<string, ClientRelation>> {
  if (clientIds.length === 0) return new Map();
  const clients = await tx
    .selectFrom("clients")
    .select(["id", "created_by"])
    .where("id", "in", [...new Set(clientIds)])
    .execute();
  return clientRelations(tx, ctx.actor, clients, now);
}
