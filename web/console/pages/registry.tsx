import type { ComponentType, ReactNode } from "react";

/**
 * The console's screens. `permission` hides a menu entry from those the API would refuse anyway:
 * it is one of the caller's firm-level abilities (`permissions` from /auth/me, as the policy
 * answers them). The console keeps no role lists; without `permission` everyone sees the screen.
 */
/** The menu's sections, in menu order: 业务 / 合规 / 监督 / 设置 (labels: shell.groups.<group>). */
export const SCREEN_GROUPS = ["business", "compliance", "oversight", "settings"] as const;
export type ScreenGroup = (typeof SCREEN_GROUPS)[number];

export interface Screen {
  key: string;
  icon: ReactNode;
  /** Position in the menu (ascending), within its group. */
  order: number;
  /** The menu section it is listed under, and the first step of its breadcrumb. */
  group: ScreenGroup;
  /** Listed in the side menu (the account page is reached from the user menu instead). */
  inMenu?: boolean;
  /** Shown only to callers holding this permission (from /auth/me). */
  permission?: string;
  /** Reads personal data: the purpose selector must be set first. */
  needsPurpose?: boolean;
  component: ComponentType<{ params: string[] }>;
}

export const SCREENS: Screen[] = [];

/** The screens the caller may open, in menu order. */
export const screensFor = (permissions: readonly string[]): Screen[] =>
  SCREENS.filter((s) => !s.permission || permissions.includes(s.permission)).sort((a, b) => a.order - b.order);
