import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { setSupervisor } from "../src/access/conditions/access-condition-commands.js";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import type { Services } from "../src/platform/services.js";
import { CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { runCli } from "./support/cli.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

interface Item {
  id: string;
  campaignId: string;
  kind: string;
  subjectUserId: string;
  reviewerId: string | null;
  reviewerPool: string;
  matterId: string | null;
  matterNumber: string | null;
  grantId: string | null;
  access: string;
  decision: string | null;
  effect: string | null;
}
interface Campaign {
  id: string;
  name: string;
  status: string;
  dueOn: string;
  progress: { total: number; decided: number; kept: number; revoked: number; notReviewed: number; pending: number; overdue: boolean };
  items?: Item[];
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

for (const dialect of DIALECTS) {
  describe(`${dialect}: access reviews (recertification)`, () => {
    let services: Services;
    let app: FastifyInstance;
    let partner!: TestUser,
      lawyer!: TestUser,
      paralegal!: TestUser,
      supervised!: TestUser,
      supervisor!: TestUser,
      compliance!: TestUser,
      compliance2!: TestUser;
    let clientId = "",
      matterId = "",
      grantId = "";

    const suite = httpSuite(dialect);
    const post = (who: TestUser, url: string, payload: object) => app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(who.token), payload });
    const get = (who: TestUser, url: string, purpose?: string) => app.inject({ method: "GET", url: `/api/v1${url}`, headers: auth(who.token, purpose) });
    const events = (action: string) => services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "asc").execute();
    const start = async (name = "2026 Q2 recertification", dueOn = inDays(14)) => {
      const res = await post(compliance, "/access-reviews", { name, dueOn });
      expect(res.statusCode, res.body).toBe(201);
      const detail = await get(compliance, `/access-reviews/${res.json().id}`);
      expect(detail.statusCode, detail.body).toBe(200);
      return detail.json() as Campaign & { items: Item[] };
    };
    const find = (c: { items: Item[] }, kind: string, subject: TestUser, extra: (i: Item) => boolean = () => true) =>
      c.items.find((i) => i.kind === kind && i.subjectUserId === subject.actor.userId && extra(i));

    beforeAll(async () => {
      ({ services, app } = suite);
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      paralegal = await buildUser(services, "paralegal");
      supervised = await buildUser(services, "paralegal");
      supervisor = await buildUser(services, "partner");
      compliance = await buildUser(services, "compliance");
      compliance2 = await buildUser(services, "compliance");
      await setSupervisor(services, CONSOLE_OPERATOR, "test", { id: supervised.actor.userId }, { id: supervisor.actor.userId });
      clientId = (await buildClient(services, partner.actor)).id;
      matterId = (
        await buildMatter(services, partner.actor, clientId, [
          { userId: lawyer.actor.userId, role: "member" },
          { userId: paralegal.actor.userId, role: "observer" },
        ])
      ).id;
      // A current read_sensitive grant for the paralegal, approved by compliance.
      const req = await post(paralegal, "/approvals", {
        kind: "read_sensitive",
        clientId,
        purpose: "case-handling",
        justification: "court_filing",
        reference: "TKT-9",
        durationMinutes: 120,
      });
      expect(req.statusCode, req.body).toBe(201);
      const ok = await post(compliance, `/approvals/${req.json().id}/approve`, {});
      grantId = ok.json().grant.id;
    });

    it("snapshots memberships, current grants and roles, each with its reviewer; four-eyes sends self-reviews to compliance", async () => {
      const denied = await post(partner, "/access-reviews", { name: "Not mine", dueOn: inDays(3) });
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect((await events("access_review.start")).at(-1)).toMatchObject({ actor_id: partner.actor.userId, outcome: "denied" });

      const c = await start("Q2 snapshot");
      expect(c).toMatchObject({ name: "Q2 snapshot", status: "open", progress: { decided: 0, overdue: false } });
      expect(c.progress.total).toBe(c.items.length);
      // The lawyer's membership goes to the matter's responsible partner …
      expect(find(c, "matter_member", lawyer)).toMatchObject({ matterId, reviewerId: partner.actor.userId, reviewerPool: "user", access: "member" });
      expect(find(c, "matter_member", lawyer)!.matterNumber).toMatch(/^2026-民-/);
      expect(find(c, "matter_member", paralegal)).toMatchObject({ reviewerId: partner.actor.userId, access: "observer" });
      // … but the partner's own (lead) membership to compliance: nobody reviews their own access.
      expect(find(c, "matter_member", partner)).toMatchObject({ reviewerId: null, reviewerPool: "compliance", access: "lead" });
      expect(find(c, "grant", paralegal)).toMatchObject({ grantId, reviewerPool: "compliance", access: "read_sensitive" });
      expect(find(c, "role", supervised)).toMatchObject({ reviewerId: supervisor.actor.userId, reviewerPool: "user", access: "paralegal" });
      expect(find(c, "role", lawyer)).toMatchObject({ reviewerId: null, reviewerPool: "compliance", access: "lawyer" });
      expect(c.items.filter((i) => i.subjectUserId === lawyer.actor.userId)).toHaveLength(2);

      const startEvent = (await events("access_review.start")).at(-1)!;
      expect(startEvent).toMatchObject({ actor_id: compliance.actor.userId, outcome: "success", target_id: c.id });
      expect(JSON.parse(startEvent.details!)).toMatchObject({ matterMembers: expect.any(Number), grants: 1, roles: expect.any(Number) });
      // The campaign's name is sealed at rest.
      const stored = await services.engine.db.selectFrom("access_review_campaigns").selectAll().where("id", "=", c.id).executeTakeFirstOrThrow();
      expect(stored.name_ct).not.toContain("Q2 snapshot");
    });

    it("a partner's revoke removes the member at once: the lawyer can no longer read the client", async () => {
      const c = await start("Revoke now");
      expect((await get(lawyer, `/clients/${clientId}`, "case-handling")).statusCode).toBe(200);
      const mine = (await get(partner, "/access-reviews/my-items")).json().items as Item[];
      const item = mine.find((i) => i.kind === "matter_member" && i.subjectUserId === lawyer.actor.userId && i.campaignId === c.id)!;
      expect(item).toBeDefined();
      expect(mine.every((i) => i.subjectUserId !== partner.actor.userId)).toBe(true);

      const res = await post(partner, `/access-reviews/items/${item.id}/decision`, { decision: "revoke", reasonCode: "left_matter" });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ decision: "revoke", effect: "member_removed", reasonCode: "left_matter" });
      const read = await get(lawyer, `/clients/${clientId}`, "case-handling");
      expect([403, 404]).toContain(read.statusCode);
      expect(read.json().error.code).toBe("not_on_matter");

      const removal = (await events("matter.member.remove")).at(-1)!;
      expect(removal).toMatchObject({ actor_id: partner.actor.userId, target_id: matterId, outcome: "success" });
      expect(JSON.parse(removal.details!)).toEqual({ userId: lawyer.actor.userId, accessReviewItemId: item.id });
      expect((await events("access_review.decide")).at(-1)).toMatchObject({
        actor_id: partner.actor.userId,
        target_id: item.id,
        outcome: "success",
        reason: "left_matter",
      });

      const again = await post(partner, `/access-reviews/items/${item.id}/decision`, { decision: "keep" });
      expect([again.statusCode, again.json().error.code]).toEqual([409, "review_item_decided"]);
      const progress = (await get(compliance, `/access-reviews/${c.id}`)).json().progress;
      expect(progress).toMatchObject({ decided: 1, revoked: 1 });
    });

    it("refuses self-review and strangers; compliance decides its items; grant and role revokes take effect", async () => {
      const c = await start("Four eyes");
      const own = find(c, "matter_member", partner)!;
      const self = await post(partner, `/access-reviews/items/${own.id}/decision`, { decision: "keep" });
      expect([self.statusCode, self.json().error.code]).toEqual([403, "reviewer_is_subject"]);
      expect((await events("access_review.decide")).at(-1)).toMatchObject({
        actor_id: partner.actor.userId,
        target_id: own.id,
        outcome: "denied",
        reason: "reviewer_is_subject",
      });
      const zh = await app.inject({
        method: "POST",
        url: `/api/v1/access-reviews/items/${own.id}/decision`,
        headers: { ...auth(partner.token), "accept-language": "zh-CN" },
        payload: { decision: "keep" },
      });
      expect(zh.json().error.message).toBe("不能复核本人的访问权限，该项由合规部门复核。");

      const paralegalMembership = find(c, "matter_member", paralegal)!;
      const stranger = await post(lawyer, `/access-reviews/items/${paralegalMembership.id}/decision`, { decision: "revoke" });
      expect([stranger.statusCode, stranger.json().error.code]).toEqual([403, "not_the_reviewer"]);

      // A compliance officer's own role item sits in compliance's pool, but not in their own list.
      const ownRole = find(c, "role", compliance)!;
      expect(ownRole.reviewerPool).toBe("compliance");
      const complianceList = ((await get(compliance, "/access-reviews/my-items")).json().items as Item[]).map((i) => i.id);
      expect(complianceList).toContain(own.id);
      expect(complianceList).not.toContain(ownRole.id);
      expect((await post(compliance, `/access-reviews/items/${ownRole.id}/decision`, { decision: "keep" })).json().error.code).toBe("reviewer_is_subject");
      expect((await post(compliance2, `/access-reviews/items/${ownRole.id}/decision`, { decision: "keep", reasonCode: "still_needed" })).statusCode).toBe(200);
      expect((await post(compliance, `/access-reviews/items/${own.id}/decision`, { decision: "keep" })).json()).toMatchObject({
        decision: "keep",
        effect: null,
      });

      // Revoking the grant ends it at once.
      const grant = find(c, "grant", paralegal)!;
      const revoked = await post(compliance, `/access-reviews/items/${grant.id}/decision`, { decision: "revoke", reasonCode: "no_longer_needed" });
      expect(revoked.json()).toMatchObject({ effect: "grant_revoked" });
      const row = await services.engine.db.selectFrom("access_grants").select("revoked_at").where("id", "=", grantId).executeTakeFirstOrThrow();
      expect(row.revoked_at).not.toBeNull();
      expect((await events("grant.revoke")).at(-1)).toMatchObject({ target_id: grantId, outcome: "success" });

      // The supervisor revokes a role: the account is disabled (the leaver path), its token stops at once.
      const role = find(c, "role", supervised)!;
      expect((await get(supervised, "/auth/me")).statusCode).toBe(200);
      const cut = await post(supervisor, `/access-reviews/items/${role.id}/decision`, { decision: "revoke", reasonCode: "left_firm" });
      expect(cut.json()).toMatchObject({ effect: "user_disabled" });
      expect((await get(supervised, "/auth/me")).statusCode).toBe(401);
      expect(JSON.parse((await events("user.disable")).at(-1)!.details!)).toMatchObject({ accessReviewItemId: role.id, tokensRevoked: 1 });

      const bad = await post(supervisor, `/access-reviews/items/${role.id}/decision`, { decision: "maybe" });
      expect([bad.statusCode, bad.json().error.code]).toEqual([400, "validation_error"]);
    });

    it("flags a campaign overdue after its due day, and refuses to close it with undecided items unless a reason is given", async () => {
      const past = await post(compliance, "/access-reviews", { name: "Too late", dueOn: inDays(-2) });
      expect([past.statusCode, past.json().error.fields[0]]).toEqual([400, expect.objectContaining({ field: "dueOn", code: "in_past" })]);

      const c = await start("Overdue check", inDays(1));
      const listed = () => get(compliance, "/access-reviews").then((r) => (r.json().items as Campaign[]).find((x) => x.id === c.id)!);
      expect((await listed()).progress.overdue).toBe(false);
      await services.engine.db
        .updateTable("access_review_campaigns")
        .set({ due_on: inDays(-1) })
        .where("id", "=", c.id)
        .execute();
      expect((await listed()).progress.overdue).toBe(true);
      expect((await get(partner, "/access-reviews")).statusCode).toBe(403);

      const refused = await post(compliance, `/access-reviews/${c.id}/close`, {});
      expect([refused.statusCode, refused.json().error.code]).toEqual([409, "review_incomplete"]);
      expect((await events("access_review.close")).at(-1)).toMatchObject({ outcome: "failure", reason: "review_incomplete" });
      const pending = (await listed()).progress.pending;
      expect(pending).toBeGreaterThan(0);

      const closed = await post(compliance, `/access-reviews/${c.id}/close`, { reason: "deadline_passed" });
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ status: "closed", closeReason: "deadline_passed", progress: { pending: 0, notReviewed: pending, overdue: false } });
      const detail = (await get(compliance, `/access-reviews/${c.id}`)).json() as Campaign & { items: Item[] };
      expect(detail.items.every((i) => i.decision === "not_reviewed")).toBe(true);
      // Not reviewed is not revoked: the lawyer's access stays as it was.
      expect((await get(paralegal, `/matters/${matterId}`, "case-handling")).statusCode).toBe(200);

      const late = detail.items.find((i) => i.reviewerId === partner.actor.userId)!;
      // After closing, the item no longer waits in anyone's list, and a decision is refused.
      expect(((await get(partner, "/access-reviews/my-items")).json().items as Item[]).map((i) => i.id)).not.toContain(late.id);
      const afterClose = await post(partner, `/access-reviews/items/${late.id}/decision`, { decision: "keep" });
      expect(afterClose.json().error.code).toMatch(/review_campaign_closed|review_item_decided/);
      expect((await post(compliance, `/access-reviews/${c.id}/close`, { reason: "other" })).json().error.code).toBe("review_campaign_closed");
      expect(await verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });

    it.runIf(dialect === "sqlite")("starts, lists and reports campaigns from the CLI", async () => {
      const started = await runCli(["access-review", "start", "--name", "CLI run", "--due", inDays(30), "--json"], suite.db.env);
      expect(started.status, started.stderr).toBe(0);
      const campaign = JSON.parse(started.stdout) as Campaign;
      expect(campaign).toMatchObject({ name: "CLI run", status: "open" });
      const list = await runCli(["access-review", "list"], suite.db.env);
      expect(list.stdout).toContain(campaign.id);
      expect(list.stdout).toContain("CLI run");
      const status = await runCli(["access-review", "status", campaign.id], suite.db.env);
      expect(status.stdout).toMatch(/role\s+0\/\d+ decided/);
      const bad = await runCli(["access-review", "start", "--name", "x", "--due", "tomorrow", "--json"], suite.db.env);
      expect([bad.status, JSON.parse(bad.stdout).error.code]).toEqual([1, "validation_error"]);
    });
  });
}
