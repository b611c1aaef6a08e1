import { runUnitOfWork, type AuditedWork, type Refusal } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";

/** The public portal's use cases: the one unit of work, with the portal (no staff member) as actor. */
export const runPortalAudited = <T>(services: Services, requestId: string, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> =>
  runUnitOfWork(services, { actor: { kind: "portal" }, requestId, purpose: null }, work);
