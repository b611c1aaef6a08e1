import { randomUUID } from "node:crypto";
import type { Actor, RequestContext } from "../../src/access/policy/actor.js";
import type { Role } from "../../src/access/policy/roles.js";
import type { ClientCreateInput } from "../../src/records/clients/client-creator.js";
import { createClient } from "../../src/records/clients/client-creator.js";
import { residentIdCheckChar } from "../../src/records/clients/identifiers.js";
import { createMatter, type MatterCreateInput } from "../../src/records/matters/matter-creator.js";
import type { Services } from "../../src/platform/services.js";
import { addUser, CONSOLE_OPERATOR, createToken } from "../../src/identity/users/user-admin.js";
import { recordAgreement, recordTraining } from "../../src/access/conditions/access-condition-commands.js";
import { CONSOLE_COMPLIANCE } from "../../src/access/conditions/access-condition-cli.js";
import { isPrivilegedRole } from "../../src/access/policy/policy.js";

/** Passes the password policy (length, not on the common list). */
export const TEST_PASSWORD = "violet kettle under 7 bridges";

export interface TestUser {
  actor: Actor;
  token: string;
  email: string;
}

/**
 * Gives a user a role directly in the database, bypassing the four-eyes role grant (issue #10) that
 * a role at L3+ needs in production: for suites about other rules. Writes no audit event, so the
 * privileged_role detection rule does not fire on test setup.
 */
export async function setRoleDirectly(services: Services, userId: string, role: Role): Promise<void> {
  await services.engine.db.updateTable("users").set({ role }).where("id", "=", userId).execute();
}

/**
 * A staff user with a token. By default they have a current confidentiality agreement and privacy
 * training (TRN-2 access conditions), so suites about other rules keep their meaning; pass
 * `{ accessConditions: false }` to test the unmet case. A user at L3+ is made at paralegal and then
 * given the role directly (setRoleDirectly), bypassing the approval a real role grant needs.
 */
export async function buildUser(services: Services, role: Role, options: { accessConditions?: boolean } = {}): Promise<TestUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@firm.test`;
  const privileged = isPrivilegedRole(role);
  const user = await addUser(services, CONSOLE_OPERATOR, { email, role: privileged ? "paralegal" : role, password: TEST_PASSWORD }, "test");
  if (privileged) await setRoleDirectly(services, user.id, role);
  const { token } = await createToken(services, CONSOLE_OPERATOR, { email, name: "test" }, "test");
  if (options.accessConditions !== false) {
    await recordAgreement(services, CONSOLE_COMPLIANCE, "test", { id: user.id }, {});
    await recordTraining(
      services,
      CONSOLE_COMPLIANCE,
      "test",
      { id: user.id },
      { expiresOn: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10) },
    );
  }
  return { actor: { userId: user.id, role }, token, email };
}

/** How the staff directory (and so the console) names a user built here: no display name, so the email's local part. */
export const staffNameOf = (user: TestUser): string => user.email.split("@")[0]!;

export const contextFor = (actor: Actor, purpose: string | null = "case-handling"): RequestContext => ({ actor, requestId: `test-${randomUUID()}`, purpose });

let serial = 0;
/** A valid resident ID with a real birth date and correct check character. */
export function residentId(birth = "19850612"): string {
  const body = `110105${birth}${String(++serial % 1000).padStart(3, "0")}`;
  return body + residentIdCheckChar(body);
}

export function clientInput(overrides: Partial<ClientCreateInput> = {}): ClientCreateInput {
  return {
    kind: "person",
    name: "王小明",
    idType: "resident_id",
    idNumber: residentId(),
    phone: "13912345678",
    email: "wang.xiaoming@example.cn",
    address: "北京市朝阳区建国路88号",
    birthDate: "1985-06-12",
    notes: "劳动合同纠纷咨询",
    purposes: ["case-handling", "conflict-check"],
    ...overrides,
  };
}

export async function buildClient(services: Services, actor: Actor, overrides: Partial<ClientCreateInput> = {}) {
  return createClient(services, contextFor(actor, null), clientInput(overrides));
}

let matterSerial = 0;
/** Opens a matter for a client as `actor` (a partner by default in tests), with the given team. */
export async function buildMatter(
  services: Services,
  actor: Actor,
  clientId: string,
  team: { userId: string; role: "lead" | "member" | "observer" }[] = [],
  overrides: Partial<MatterCreateInput> = {},
) {
  return createMatter(services, contextFor(actor, null), {
    clientId,
    number: `2026-民-${String(++matterSerial).padStart(4, "0")}${randomUUID().replace(/\D/g, "").slice(0, 3)}`,
    title: "张三诉李四劳动合同纠纷",
    practiceArea: "labour",
    responsiblePartnerId: actor.userId,
    team,
    ...overrides,
  });
}
