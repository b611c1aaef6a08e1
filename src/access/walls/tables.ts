/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbEthicalWall {
  id: string;
  /** A code from WALL_REASONS; never free text. */
  reason: string;
  reference: string | null;
  owner_id: string;
  created_by: string;
  created_at: string;
  lifted_at: string | null;
}

export interface DbWallSubject {
  wall_id: string;
  /** client | matter */
  kind: string;
  subject_id: string;
}

export interface DbWallScreenedUser {
  wall_id: string;
  user_id: string;
}

export interface WallTables {
  ethical_walls: DbEthicalWall;
  wall_subjects: DbWallSubject;
  wall_screened_users: DbWallScreenedUser;
}
