/** What happened, to what, by whom and why. Never personal data: ids, codes and counts only. */
export interface AuditEventInput {
  action: string;
  outcome: "success" | "denied" | "failure";
  actorId?: string | null;
  actorRole?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  purpose?: string | null;
  reason?: string | null;
  requestId?: string | null;
  details?: Record<string, string | number | boolean | null | readonly string[]> | null;
}
