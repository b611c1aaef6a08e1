import type { ComponentType, ReactNode } from "react";

/**
 * The console's screens. `roles` hides a menu entry from roles the API would refuse anyway
 * (the API decides; this only keeps the menu honest). Without `roles` every role sees it.
 */
export interface Screen {
  key: string;
  icon: ReactNode;
  /** Position in the menu (ascending). */
  order: number;
  /** Listed in the side menu (the account page is reached from the user menu instead). */
  inMenu?: boolean;
  roles?: readonly string[];
  /** Shown only to roles holding this permission (from /auth/me). */
  permission?: string;
  /** Reads personal data: the purpose selector must be set first. */
  needsPurpose?: boolean;
  component: ComponentType<{ params: string[] }>;
}

export const SCREENS: Screen[] = [];
