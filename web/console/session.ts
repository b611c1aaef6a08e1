import { createContext, useContext } from "react";

export interface Me {
  userId: string;
  /** Who is signed in, for the user menu (the staff directory's name). */
  displayName: string;
  email: string;
  role: string;
  clearance: number;
  /** The role's permissions, for showing only the actions the API would allow. */
  permissions: string[];
  mfa: { required: boolean; enrolled: boolean };
  session: { kind: "full" | "mfa" | "enrolment"; absoluteExpiresAt: string } | null;
}

export const SessionContext = createContext<{ me: Me; signOut: (everywhere: boolean) => Promise<void> } | null>(null);

export function useSession() {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in console");
  return session;
}
