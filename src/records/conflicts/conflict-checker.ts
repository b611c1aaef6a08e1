import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeConflictCheck } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { requirePurpose } from "../clients/client-access.js";
import { blindIndexOf } from "../clients/client-sealing.js";
import { findCandidates, openRow } from "../clients/client-store.js";
import type { DbClient } from "../../platform/db/schema.js";
import { ValidationError } from "../../platform/errors.js";
import type { PracticeArea } from "../matters/matter.js";
import { normaliseForIndex } from "../clients/normalise.js";
import type { Services } from "../../platform/services.js";
import { raiseWallBreachAlerts, screenedClients } from "../../access/walls/screening.js";

export const CONFLICT_FIELDS = ["name", "idNumber"] as const;
export type ConflictField = (typeof CONFLICT_FIELDS)[number];
export type ConflictCriteria = Partial<Record<ConflictField, string>>;

/**
 * What a conflict check reveals. For a client the caller may be told about: its id, which of the
 * given criteria matched, its number of open matters and the practice areas of all its matters
 * (past engagements conflict too). For a client walled from the caller: only `{ walled: true }`,
 * counted in `total` and `walled` — the check must flag the conflict so it goes to compliance,
 * but never says which client, which matters or why. Names and identifiers are never returned.
 */
export type ConflictHit =
  | { walled: false; clientId: string; matchedOn: ConflictField[]; openMatters: number; practiceAreas: PracticeArea[] }
  | { walled: true };
export interface ConflictReport {
  total: number;
  walled: number;
  hits: ConflictHit[];
}

const MAX_PER_FIELD = 100;

/**
 * Matches the given name and/or ID number against every active client by blind index (a hit on
 * either is a potential conflict), decrypting candidates to drop index collisions. Conflict checks
 * are a professional duty before any engagement, so they cover clients whatever purposes their
 * records permit: the answer holds no personal data. Walled hits are audited as denied reads and
 * raise wall-breach alerts, like any other attempt that meets a wall.
 */
export async function checkConflicts(services: Services, ctx: RequestContext, criteria: ConflictCriteria): Promise<ConflictReport> {
  return runAudited(services, ctx, async (w) => {
    const fields = CONFLICT_FIELDS.filter((f) => criteria[f]?.trim());
    const event = { action: "conflict.check", targetType: "client", targetId: null, details: { by: fields } };
    const role = authorize(ctx.actor, "conflict.check");
    if (role.effect === "deny") return w.deny(role, event);
    if (fields.length === 0)
      return w.refuse(ValidationError([{ field: "query", code: "required", message: "Give a name, an ID number or both." }]), event, "failure");
    const purpose = await requirePurpose(services, ctx, w, "conflict.check", null);
    if (typeof purpose !== "string") return purpose;
    const decision = authorizeConflictCheck(ctx.actor, purpose);
    if (decision.effect === "deny") return w.deny(decision, event);

    const matched = new Map<string, { row: DbClient; on: ConflictField[] }>();
    for (const field of fields) {
      const wanted = normaliseForIndex(field, criteria[field] as string);
      for (const row of await findCandidates(w.tx, { [field]: blindIndexOf(services.vault, field, criteria[field] as string) }, MAX_PER_FIELD)) {
        const client = openRow(services.vault, await services.keyRing.openDataKey(w.tx, row.id), row);
        const value = client[field];
        if (value === null || normaliseForIndex(field, value) !== wanted) continue; // index collision
        const hit = matched.get(row.id) ?? { row, on: [] };
        hit.on.push(field);
        matched.set(row.id, hit);
      }
    }

    const walls = await screenedClients(w.tx, ctx.actor.userId);
    const open = [...matched.values()].filter((h) => !walls.get(h.row.id)?.length);
    const matters = open.length
      ? await w.tx
          .selectFrom("matters")
          .select(["client_id", "status", "practice_area"])
          .where(
            "client_id",
            "in",
            open.map((h) => h.row.id),
          )
          .execute()
      : [];
    const hits: ConflictHit[] = open.map((h) => {
      const own = matters.filter((m) => m.client_id === h.row.id);
      return {
        walled: false as const,
        clientId: h.row.id,
        matchedOn: h.on,
        openMatters: own.filter((m) => m.status === "open").length,
        practiceAreas: [...new Set(own.map((m) => m.practice_area as PracticeArea))].sort(),
      };
    });
    let walled = 0;
    for (const h of matched.values()) {
      const screening = walls.get(h.row.id);
      if (!screening?.length) continue;
      walled++;
      hits.push({ walled: true });
      w.record(
        { action: "client.read", targetType: "client", targetId: h.row.id, outcome: "denied", reason: "screened_by_wall", details: { via: "conflict-check" } },
        raiseWallBreachAlerts(w.tx, ctx.actor.userId, screening),
      );
    }
    w.record({ ...event, outcome: "success", details: { by: fields, hits: hits.length, walled } });
    return { total: hits.length, walled, hits };
  });
}
