/** Ethical walls (信息隔离墙): who is screened from which clients and matters, and why. */
/** Why a wall stands: codes only, so no party names sit in clear in the database. */
export const WALL_REASONS = ["conflict_of_interest", "lateral_hire", "confidential_transaction", "former_client", "regulatory", "other"] as const;
export type WallReason = (typeof WALL_REASONS)[number];
export const WALL_REFERENCE = /^[A-Za-z0-9._/-]{1,64}$/;
/** Why a wall comes down: codes only, like the reasons it went up. */
export const WALL_LIFT_REASONS = ["matter_concluded", "conflict_waived", "raised_in_error", "screened_user_left"] as const;
export type WallLiftReason = (typeof WALL_LIFT_REASONS)[number];

export interface PresentedWall {
  id: string;
  reason: WallReason;
  reference: string | null;
  ownerId: string;
  clientIds: string[];
  matterIds: string[];
  screenedUserIds: string[];
  createdAt: string;
  liftedAt?: string | null;
}
