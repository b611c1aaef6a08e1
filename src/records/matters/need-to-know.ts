/** Loads the facts the policy needs about the actor and some clients or a matter. SQL only. */
import type { Actor } from "../../access/policy/actor.js";
import { hasFirmScope, type ClientRelation, type MatterRelation } from "../../access/policy/predicates.js";
import type { Tx } from "../../platform/db/engine.js";
import { screenedClients } from "../../access/walls/screening.js";
import { accessConditionsOf } from "../../access/conditions/access-conditions.js";
import { openBreakGlass } from "../../access/break-glass/break-glass-store.js";
import { currentGrants } from "../../access/grants/grant-store.js";

export interface ClientRef {
  readonly id: string;
  readonly created_by: string | null;
}

/**
 * The actor's relation to each client, in a fixed number of queries whatever the count: matters,
 * walls, current grants and break-glass accesses (expiry checked against `now`), access conditions.
 */
export async function clientRelations(tx: Tx, actor: Actor, clients: readonly ClientRef[], now: Date = new Date()): Promise<Map<string, ClientRelation>> {
  const out = new Map<string, ClientRelation>();
  if (clients.length === 0) return out;
  const ids = clients.map((c) => c.id);
  const walls = await screenedClients(tx, actor.userId);
  // Firm-wide roles do not depend on matters: skip those queries on the hot path.
  const firm = hasFirmScope(actor);
  const withMatter = new Set<string>();
  const onOpen = new Set<string>();
  if (!firm) {
    // One query driven by the clients asked about (matters_client, then the members primary key
    // per matter): its cost follows the few matters of these clients. Joining from the actor's
    // memberships instead made SQLite walk every matter the actor was ever on, on every read.
    const matters = await tx
      .selectFrom("matters as m")
      .select((eb) => [
        "m.client_id",
        "m.status",
        eb
          .exists(eb.selectFrom("matter_members as mm").select("mm.user_id").whereRef("mm.matter_id", "=", "m.id").where("mm.user_id", "=", actor.userId))
          .as("member"),
      ])
      .where("m.client_id", "in", ids)
      .execute();
    for (const m of matters) {
      withMatter.add(m.client_id);
      // SQLite answers EXISTS with 0/1, PostgreSQL with a boolean.
      if (m.status === "open" && Number(m.member)) onOpen.add(m.client_id);
    }
  }
  const grants = await currentGrants(tx, actor.userId, ids, now);
  const breakGlass = await openBreakGlass(tx, actor.userId, ids, now);
  const conditions = await accessConditionsOf(tx, actor.userId, now);
  for (const c of clients) {
    out.set(c.id, {
      grants: grants.get(c.id) ?? [],
      breakGlass: breakGlass.get(c.id) ?? null,
      accessConditionsMet: conditions.met,
      onOpenMatter: onOpen.has(c.id),
      clientHasMatter: withMatter.has(c.id),
      createdClient: c.created_by !== null && c.created_by === actor.userId,
      screenedBy: walls.get(c.id) ?? [],
    });
  }
  return out;
}

export async function clientRelation(tx: Tx, actor: Actor, client: ClientRef, now: Date = new Date()): Promise<ClientRelation> {
  return (await clientRelations(tx, actor, [client], now)).get(client.id)!;
}

/** The actor's relation to one matter: team membership and the walls screening its client. */
export async function matterRelation(tx: Tx, actor: Actor, matter: { id: string; client_id: string }): Promise<MatterRelation> {
  const walls = await screenedClients(tx, actor.userId);
  const member = await tx
    .selectFrom("matter_members")
    .select("user_id")
    .where("matter_id", "=", matter.id)
    .where("user_id", "=", actor.userId)
    .executeTakeFirst();
  return { isMember: member !== undefined, screenedBy: walls.get(matter.client_id) ?? [] };
}

/**
 * The clients a matter-scope actor could reach, for lists: those of the open matters they are on,
 * those they created that have no matter yet, and those they hold a current read_sensitive grant
 * on. Null for firm-wide roles (every client is a candidate). Only a pre-filter: the policy still
 * decides on each row with its full relation (clientRelations).
 */
export async function needToKnowCandidates(tx: Tx, actor: Actor, now: Date = new Date()): Promise<Set<string> | null> {
  if (hasFirmScope(actor)) return null;
  const at = now.toISOString();
  const onOpen = await tx
    .selectFrom("matter_members as mm")
    .innerJoin("matters as m", "m.id", "mm.matter_id")
    .select("m.client_id as id")
    .where("mm.user_id", "=", actor.userId)
    .where("m.status", "=", "open")
    .execute();
  const created = await tx
    .selectFrom("clients as c")
    .select("c.id")
    .where("c.created_by", "=", actor.userId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("matters as m").select("m.id").whereRef("m.client_id", "=", "c.id"))))
    .execute();
  const granted = await tx
    .selectFrom("access_grants")
    .select("client_id as id")
    .where("user_id", "=", actor.userId)
    .where("kind", "=", "read_sensitive")
    .where("revoked_at", "is", null)
    .where("starts_at", "<=", at)
    .where("expires_at", ">", at)
    .execute();
  return new Set([...onOpen, ...created, ...granted].map((r) => r.id));
}
