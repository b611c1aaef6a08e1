import type { Role } from "./roles.js";

/** Who is acting. `system` is the server itself (migrations, sweeps), never a person. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

/** Per-request facts that travel with every command into its audit events. */
export interface RequestContext {
  readonly actor: Actor;
  readonly requestId: string;
  /** Declared purpose (X-Purpose), for reads and searches of personal data. */
  readonly purpose: string | null;
}
