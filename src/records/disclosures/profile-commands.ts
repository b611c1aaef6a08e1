/**
 * De-identification profiles as editable, versioned data (VEN-3). Those who may ask for a
 * disclosure read them; compliance (`profile.manage`) creates and changes them. A change writes a
 * new version and leaves the old one as it was: a disclosure records the version it used.
 * Audit events carry codes, versions and rule summaries; a profile holds no personal data.
 */
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { allow, authorize, type Decision } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { type DeidentificationProfileBody, DeidentificationProfileBodySchema, PROFILE_CODE, PROFILE_FIELDS } from "../../vault/deidentification/profile.js";
import { currentProfiles, findProfile, profileVersions, type StoredProfile } from "./profile-store.js";

const TARGET = "deidentification_profile";

/**
 * Reading profiles: whoever may ask for a disclosure (`approval.request`, APR-2) chooses one; the
 * compliance officers who edit them read them too. Candidate for src/access/policy/policy.ts.
 */
export function authorizeProfileRead(actor: Actor): Decision {
  const manage = authorize(actor, "profile.manage");
  return manage.effect === "allow" ? allow : authorize(actor, "approval.request");
}

/** What an audit event keeps of a profile: field → rule codes, nothing typed by people. */
export const rulesSummary = (body: Pick<DeidentificationProfileBody, "fields">): string =>
  PROFILE_FIELDS.flatMap((f) => {
    const r = body.fields[f];
    return r && r.rule !== "omit" ? [`${f}:${r.rule}${r.rule === "generalise" ? `/${r.method}` : ""}`] : [];
  }).join(",");

const fieldIssues = (input: unknown): FieldIssue[] | DeidentificationProfileBody => {
  const parsed = DeidentificationProfileBodySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => ({
    field: i.path.join(".") || "body",
    code: (i as { params?: { code?: string } }).params?.code ?? i.code,
    message: i.code === "custom" ? i.message : "Invalid value.",
  }));
};

export async function listProfiles(services: Services, ctx: RequestContext): Promise<StoredProfile[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "deidentification_profile.list", targetType: TARGET, targetId: null, purpose: null };
    const decision = authorizeProfileRead(ctx.actor);
    if (decision.effect === "deny") return w.deny(decision, event);
    const items = await currentProfiles(w.tx);
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return items;
  });
}

export interface ProfileWithHistory {
  profile: StoredProfile;
  versions: { version: number; createdAt: string; createdBy: string | null }[];
}

/** One profile, in force or at a given version, with the list of its versions. */
export async function readProfile(services: Services, ctx: RequestContext, code: string, version?: number): Promise<ProfileWithHistory> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "deidentification_profile.read", targetType: TARGET, targetId: code, purpose: null };
    const decision = authorizeProfileRead(ctx.actor);
    if (decision.effect === "deny") return w.deny(decision, event);
    const profile = await findProfile(w.tx, code, version);
    if (!profile) return w.refuse(NotFoundError("Profile"), event, "failure");
    w.record({ ...event, outcome: "success", details: { version: profile.version } });
    return { profile, versions: await profileVersions(w.tx, code) };
  });
}

export async function createProfile(services: Services, ctx: RequestContext, code: string, input: unknown): Promise<StoredProfile> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "deidentification_profile.create", targetType: TARGET, targetId: PROFILE_CODE.test(code) ? code : null, purpose: null };
    const decision = authorize(ctx.actor, "profile.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!PROFILE_CODE.test(code))
      return w.refuse(
        ValidationError([{ field: "code", code: "invalid_code", message: "Lower-case letters, digits and _; 2-40 characters." }]),
        event,
        "failure",
      );
    const body = fieldIssues(input);
    if (Array.isArray(body)) return w.refuse(ValidationError(body), event, "failure");
    if (await findProfile(w.tx, code)) return w.refuse(ConflictError("profile_code_taken", "A profile with this code exists."), event, "failure");
    const at = new Date().toISOString();
    await w.tx.insertInto("deidentification_profiles").values({ code, current_version: 1, builtin: 0, created_at: at, updated_at: at }).execute();
    await insertVersion(w.tx, code, 1, body, at, ctx.actor.userId);
    w.record({ ...event, outcome: "success", details: { version: 1, identifying: body.identifying, sealed: body.sealed, rules: rulesSummary(body) } });
    return (await findProfile(w.tx, code))!;
  });
}

/**
 * A new version of a profile. `expectedVersion` is the version the editor started from: if someone
 * else saved meanwhile, the change is refused (409) rather than silently overwriting theirs.
 */
export async function updateProfile(services: Services, ctx: RequestContext, code: string, expectedVersion: number, input: unknown): Promise<StoredProfile> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "deidentification_profile.update", targetType: TARGET, targetId: code, purpose: null };
    const decision = authorize(ctx.actor, "profile.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const current = await findProfile(w.tx, code);
    if (!current) return w.refuse(NotFoundError("Profile"), event, "failure");
    const body = fieldIssues(input);
    if (Array.isArray(body)) return w.refuse(ValidationError(body), event, "failure");
    const version = current.version + 1;
    const at = new Date().toISOString();
    // Conditional on the version the editor saw: of two concurrent saves, one moves the head.
    const moved = await w.tx
      .updateTable("deidentification_profiles")
      .set({ current_version: version, updated_at: at })
      .where("code", "=", code)
      .where("current_version", "=", expectedVersion)
      .executeTakeFirst();
    if (expectedVersion !== current.version || Number(moved.numUpdatedRows) !== 1)
      return w.refuse(ConflictError("profile_version_conflict", "The profile was changed meanwhile; reload it."), event, "failure");
    await insertVersion(w.tx, code, version, body, at, ctx.actor.userId);
    w.record({
      ...event,
      outcome: "success",
      details: { from: current.version, version, identifying: body.identifying, sealed: body.sealed, before: rulesSummary(current), after: rulesSummary(body) },
    });
    return (await findProfile(w.tx, code))!;
  });
}

async function insertVersion(tx: Parameters<typeof findProfile>[0], code: string, version: number, body: DeidentificationProfileBody, at: string, by: string) {
  await tx
    .insertInto("deidentification_profile_versions")
    .values({
      code,
      version,
      name_zh: body.nameZh,
      name_en: body.nameEn,
      description_zh: body.descriptionZh,
      description_en: body.descriptionEn,
      rules: JSON.stringify(Object.fromEntries(PROFILE_FIELDS.filter((f) => body.fields[f]).map((f) => [f, body.fields[f]]))),
      identifying: body.identifying ? 1 : 0,
      sealed: body.sealed ? 1 : 0,
      created_at: at,
      created_by: by,
    })
    .execute();
}
