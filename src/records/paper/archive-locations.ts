/**
 * The archive's places (PAP-1): rooms, cabinets in rooms, shelves in cabinets. The archive keeper
 * (`paper.manage`) adds them; whoever reads the register (`paper.read`) sees them. Places hold no
 * personal data, so their codes and labels stay in clear.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPaperLocation } from "../../platform/db/schema.js";
import { ConflictError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { refusedUnless } from "./paper-access.js";
import { type LocationInput, type LocationKind, PARENT_KIND } from "./paper.js";

export interface PresentedLocation {
  id: string;
  parentId: string | null;
  kind: LocationKind;
  code: string;
  label: string;
  /** The room the place is in (itself for a room). */
  roomId: string;
}

export const loadLocations = (tx: Tx) => tx.selectFrom("paper_locations").selectAll().orderBy("code").execute();

/** Every place with the room it is in, in code order. */
export function presentLocations(rows: readonly DbPaperLocation[]): PresentedLocation[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const roomOf = (r: DbPaperLocation): string => {
    let at: DbPaperLocation | undefined = r;
    for (let i = 0; at?.parent_id && i < 4; i++) at = byId.get(at.parent_id);
    return at?.id ?? r.id;
  };
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, kind: r.kind as LocationKind, code: r.code, label: r.label, roomId: roomOf(r) }));
}

export async function createLocation(services: Services, ctx: RequestContext, input: LocationInput, now = new Date()): Promise<PresentedLocation> {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "paper.location.create", targetType: "paper_location", targetId: id };
    const refused = refusedUnless(w, ctx, "paper.manage", event);
    if (refused) return refused;
    const wanted = PARENT_KIND[input.kind];
    const parent = input.parentId ? await w.tx.selectFrom("paper_locations").selectAll().where("id", "=", input.parentId).executeTakeFirst() : undefined;
    if (wanted === null && input.parentId)
      return w.refuse(ValidationError([{ field: "parentId", code: "not_allowed", message: "A room sits in no other place." }]), event, "failure");
    if (wanted !== null && (!parent || parent.kind !== wanted))
      return w.refuse(ValidationError([{ field: "parentId", code: "wrong_parent", message: `A ${input.kind} sits in a ${wanted}.` }]), event, "failure");
    if (await w.tx.selectFrom("paper_locations").select("id").where("code", "=", input.code).executeTakeFirst())
      return w.refuse(ConflictError("location_code_taken", "Another place has this code."), event, "failure");
    await w.tx
      .insertInto("paper_locations")
      .values({
        id,
        parent_id: input.parentId ?? null,
        kind: input.kind,
        code: input.code,
        label: input.label,
        created_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { kind: input.kind, code: input.code, parentId: input.parentId ?? null } });
    return presentLocations(await loadLocations(w.tx)).find((l) => l.id === id)!;
  });
}

export async function listLocations(services: Services, ctx: RequestContext): Promise<{ items: PresentedLocation[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "paper.location.list", targetType: "paper_location", targetId: null };
    const refused = refusedUnless(w, ctx, "paper.read", event);
    if (refused) return refused;
    const items = presentLocations(await loadLocations(w.tx));
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return { items };
  });
}

/** A place and every place inside it (ids), for a stocktake of one room. */
export function withinPlace(locations: readonly PresentedLocation[], placeId: string): Set<string> {
  const inside = new Set([placeId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of locations)
      if (l.parentId && inside.has(l.parentId) && !inside.has(l.id)) {
        inside.add(l.id);
        grew = true;
      }
  }
  return inside;
}
