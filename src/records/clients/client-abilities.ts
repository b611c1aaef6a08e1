import type { Actor } from "../../access/policy/actor.js";
import { clientAbilities, type ClientAbilities } from "../../access/policy/abilities.js";
import type { ReadableClient } from "./client-access.js";

/** The caller's abilities on a client just read: every fact comes from the read itself (no query). */
export const abilitiesForRead = (actor: Actor, read: Pick<ReadableClient, "purpose" | "record" | "relation" | "state" | "decision">): ClientAbilities =>
  clientAbilities(actor, { purpose: read.purpose, record: read.record, relation: read.relation, ...read.state, readDecision: read.decision });
