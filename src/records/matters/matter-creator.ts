import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeMatterCreate, mayBeResponsiblePartner } from "../../access/policy/policy.js";
import { isRole } from "../../access/policy/roles.js";
import { runAudited } from "../../platform/audit/audited.js";
import { refuseRecord } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { freeTextIssues } from "../clients/free-text-identifiers.js";
import { ConflictError, MatterNumberTakenError, NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import {
  MATTER_NUMBER,
  MATTER_NUMBER_MAX,
  MATTER_ROLES,
  MATTER_TEAM_MAX,
  MATTER_TITLE_MAX,
  PRACTICE_AREAS,
  type MatterRole,
  type PracticeArea,
  type PresentedMatter,
} from "./matter.js";
import { refuseScreenedMembers } from "./matter-access.js";
import { activeUsers, findMatterRow, presentMatter, sealTitle } from "./matter-store.js";
import { clientRelation } from "./need-to-know.js";

export interface MatterCreateInput {
  clientId: string;
  number: string;
  title: string;
  practiceArea: PracticeArea;
  responsiblePartnerId: string;
  team?: { userId: string; role: MatterRole }[] | undefined;
}

function checkShape(input: MatterCreateInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.number.length > MATTER_NUMBER_MAX || !MATTER_NUMBER.test(input.number))
    issues.push({ field: "number", code: "format", message: "Use year-category-serial, e.g. 2026-民-0001." });
  if (!input.title.trim() || input.title.length > MATTER_TITLE_MAX)
    issues.push({ field: "title", code: "format", message: "Give a title of at most 300 characters." });
  // Matter roles at L2 read titles: a resident ID or phone typed into one would escape its field's masking.
  issues.push(...freeTextIssues("title", input.title));
  if (!(PRACTICE_AREAS as readonly string[]).includes(input.practiceArea))
    issues.push({ field: "practiceArea", code: "invalid_value", message: "Not a practice area." });
  const team = input.team ?? [];
  if (team.length > MATTER_TEAM_MAX) issues.push({ field: "team", code: "too_big", message: "Too many team members." });
  if (new Set(team.map((m) => m.userId)).size !== team.length) issues.push({ field: "team", code: "duplicate", message: "A user is listed twice." });
  for (const [i, m] of team.entries())
    if (!(MATTER_ROLES as readonly string[]).includes(m.role)) issues.push({ field: `team.${i}.role`, code: "invalid_value", message: "Not a matter role." });
  return issues;
}

/**
 * Opens a matter for a client the creator may already reach. The creator joins the team as lead
 * unless listed with another role, so opening the matter never locks its author out of the client.
 */
export async function createMatter(services: Services, ctx: RequestContext, input: MatterCreateInput): Promise<PresentedMatter> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "matter.create", targetType: "matter", targetId: null };
    const role = authorize(ctx.actor, "matter.create");
    if (role.effect === "deny") return w.deny(role, event);
    const issues = checkShape(input);
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");

    const client = await findClientRow(w.tx, input.clientId);
    const clientEvent = { ...event, details: { clientId: input.clientId } };
    if (!client) return w.refuse(NotFoundError("Client"), clientEvent, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, client);
    const decision = authorizeMatterCreate(ctx.actor, { erased: client.status === "erased" }, relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, clientEvent);

    const team = [...(input.team ?? [])];
    if (!team.some((m) => m.userId === ctx.actor.userId)) team.unshift({ userId: ctx.actor.userId, role: "lead" });
    const users = await activeUsers(w.tx, [input.responsiblePartnerId, ...team.map((m) => m.userId)]);
    const userIssues: FieldIssue[] = [];
    const partnerRole = users.get(input.responsiblePartnerId);
    if (!partnerRole) userIssues.push({ field: "responsiblePartnerId", code: "unknown_user", message: "No active user has this id." });
    else if (!(isRole(partnerRole) && mayBeResponsiblePartner({ userId: input.responsiblePartnerId, role: partnerRole })))
      userIssues.push({ field: "responsiblePartnerId", code: "not_partner", message: "The responsible partner must be a partner." });
    for (const [i, m] of team.entries())
      if (!users.has(m.userId) && m.userId !== ctx.actor.userId)
        userIssues.push({ field: `team.${i}.userId`, code: "unknown_user", message: "No active user has this id." });
    if (userIssues.length)
      return w.refuse(ValidationError(userIssues), { ...event, details: { fields: userIssues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const screened = await refuseScreenedMembers(w, client.id, [input.responsiblePartnerId, ...team.map((m) => m.userId)], clientEvent);
    if (screened) return screened;
    // Checked inside the transaction; a concurrent duplicate still fails on the unique index.
    if (await w.tx.selectFrom("matters").select("id").where("number", "=", input.number).executeTakeFirst())
      return w.refuse(MatterNumberTakenError(), clientEvent, "failure");

    const key = await services.keyRing.openDataKey(w.tx, client.id);
    if (!key) return w.refuse(ConflictError("client_erased", "This client's data was erased."), clientEvent, "failure");
    const id = uuidv7();
    const now = new Date().toISOString();
    await w.tx
      .insertInto("matters")
      .values({
        id,
        client_id: client.id,
        number: input.number,
        title_ct: sealTitle(services.vault, key, id, input.title.trim()),
        practice_area: input.practiceArea,
        status: "open",
        responsible_partner_id: input.responsiblePartnerId,
        created_by: ctx.actor.userId,
        created_at: now,
        closed_at: null,
      })
      .execute();
    await w.tx
      .insertInto("matter_members")
      .values(team.map((m) => ({ matter_id: id, user_id: m.userId, role: m.role, added_at: now })))
      .execute();
    w.record({ ...event, targetId: id, outcome: "success", details: { clientId: client.id, practiceArea: input.practiceArea, team: team.length } });
    return presentMatter(w.tx, services.keyRing, (await findMatterRow(w.tx, id))!);
  });
}
