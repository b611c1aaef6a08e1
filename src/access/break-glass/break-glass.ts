/** Break-glass (紧急访问): emergency access to one client, short-lived, alerted and reviewed afterwards. */

/** How long an emergency access lasts. Short on purpose: open it again if the emergency goes on. */
export const BREAK_GLASS_MINUTES = 30;

/** Why: codes plus a mandatory ticket or incident reference, never free text. */
export const BREAK_GLASS_JUSTIFICATIONS = ["client_emergency", "court_deadline", "safety_risk", "regulator_deadline", "system_outage", "other"] as const;
export type BreakGlassJustification = (typeof BREAK_GLASS_JUSTIFICATIONS)[number];
export const BREAK_GLASS_REFERENCE = /^[A-Za-z0-9._:/-]{1,64}$/;

export const REVIEW_OUTCOMES = ["accepted", "rejected"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface PresentedBreakGlass {
  id: string;
  userId: string;
  clientId: string;
  justification: BreakGlassJustification;
  reference: string;
  openedAt: string;
  expiresAt: string;
  review: { status: "pending" | ReviewOutcome; reviewerId: string | null; reviewedAt: string | null };
}
