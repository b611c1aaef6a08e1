/**
 * De-identification profiles (issue #13, VEN-3) on both engines: the seeded defaults, reading and
 * editing through the API with versions, refusals with their codes, the audit events, and the
 * canary: two real clients through the stored "masked ID, birth year only" profile with a key the
 * vault derives, the package's bytes scanned for the ID numbers and birth dates.
 */
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../src/http/authenticate.js";
import { handleError } from "../src/http/errors.js";
import { deidentificationProfileRoutes } from "../src/http/routes/deidentification-profiles/index.js";
import { createSignInServices } from "../src/identity/auth/sign-in-services.js";
import { seededProfiles } from "../src/platform/db/migrations/0029-deidentification-profiles.js";
import type { Services } from "../src/platform/services.js";
import { readClient } from "../src/records/clients/client-reader.js";
import { findProfile } from "../src/records/disclosures/profile-store.js";
import { DEFAULT_PROFILES } from "../src/vault/deidentification/default-profiles.js";
import { buildDisclosurePackage } from "../src/vault/deidentification/package.js";
import { derivePseudonymKey } from "../src/vault/deidentification/pseudonym.js";
import { DIALECTS, type TestDatabase, createTestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth } from "./support/http.js";

const newProfile = {
  code: "auditor_counts",
  nameZh: "审计（最少）",
  nameEn: "Auditor (minimum)",
  descriptionZh: "仅化名与出生年代。",
  descriptionEn: "A pseudonym and the birth decade only.",
  identifying: false,
  fields: { clientId: { rule: "pseudonym" }, birthDate: { rule: "generalise", method: "birth_decade" } },
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: de-identification profiles`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser;
    let lawyer: TestUser;
    let auditor: TestUser;
    let partner: TestUser;
    const events = (action: string) =>
      services.engine.db
        .selectFrom("audit_events")
        .select(["action", "outcome", "reason", "actor_id", "target_id", "details"])
        .where("action", "=", action)
        .orderBy("seq")
        .execute();

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      [compliance, lawyer, auditor, partner] = await Promise.all([
        buildUser(services, "compliance"),
        buildUser(services, "lawyer"),
        buildUser(services, "auditor"),
        buildUser(services, "partner"),
      ]);
      // The routes as server.ts mounts them: behind the bearer/session hook, under /api/v1.
      const http = Fastify({ logger: false });
      http.setValidatorCompiler(validatorCompiler);
      http.setSerializerCompiler(serializerCompiler);
      http.setErrorHandler(handleError);
      http.decorateRequest("custodia", null);
      http.decorateRequest("custodiaSession", null);
      await http.register(
        async (api) => {
          api.addHook("onRequest", authenticate(createSignInServices(services)));
          await api.register(deidentificationProfileRoutes(services));
        },
        { prefix: "/api/v1" },
      );
      await http.ready();
      app = http;
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("migration 0029 seeds the shipped profiles as version 1, the same as the code's defaults", async () => {
      expect(seededProfiles.map((p) => p.code)).toEqual(DEFAULT_PROFILES.map((p) => p.code));
      for (const expected of DEFAULT_PROFILES) {
        const stored = await services.engine.db.transaction().execute((tx) => findProfile(tx, expected.code));
        expect(stored).toMatchObject({ ...expected, builtin: true, versionCreatedBy: null });
      }
    });

    it("lists the profiles to those who may ask for a disclosure, identifying ones marked, and audits the read", async () => {
      const res = await app.inject({ method: "GET", url: "/api/v1/deidentification-profiles", headers: auth(lawyer.token) });
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { code: string; identifying: boolean; identifyingFields: string[] }[];
      expect(items.map((i) => i.code).sort()).toEqual(DEFAULT_PROFILES.map((p) => p.code).sort());
      expect(items.find((i) => i.code === "court_filing")).toMatchObject({ identifying: true, identifyingFields: ["name", "idNumber", "address"] });
      expect(items.find((i) => i.code === "masked_ids_birth_year")).toMatchObject({ identifying: false, identifyingFields: [] });
      expect(await events("deidentification_profile.list")).toEqual([
        expect.objectContaining({ outcome: "success", actor_id: lawyer.actor.userId, details: expect.stringContaining('"results":5') }),
      ]);
    });

    it("refuses the auditor (no disclosures) with 403, audited", async () => {
      const res = await app.inject({ method: "GET", url: "/api/v1/deidentification-profiles", headers: auth(auditor.token) });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe("role_lacks_permission");
      expect((await events("deidentification_profile.list")).at(-1)).toMatchObject({
        outcome: "denied",
        reason: "role_lacks_permission",
        actor_id: auditor.actor.userId,
      });
    });

    it("lets only compliance create a profile", async () => {
      const denied = await app.inject({ method: "POST", url: "/api/v1/deidentification-profiles", headers: auth(lawyer.token), payload: newProfile });
      expect(denied.statusCode).toBe(403);
      const res = await app.inject({ method: "POST", url: "/api/v1/deidentification-profiles", headers: auth(compliance.token), payload: newProfile });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ code: "auditor_counts", version: 1, builtin: false, sealed: false, versionCreatedBy: compliance.actor.userId });
      const again = await app.inject({ method: "POST", url: "/api/v1/deidentification-profiles", headers: auth(compliance.token), payload: newProfile });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe("profile_code_taken");
      const created = await events("deidentification_profile.create");
      expect(created.map((e) => [e.outcome, e.reason])).toEqual([
        ["denied", "role_lacks_permission"],
        ["success", null],
        ["failure", "profile_code_taken"],
      ]);
      expect(JSON.parse(created[1]!.details!)).toEqual({
        version: 1,
        identifying: false,
        sealed: false,
        rules: "clientId:pseudonym,birthDate:generalise/birth_decade",
      });
    });

    it("refuses a profile keeping the full ID number unless it is marked identifying, and rules that do not fit", async () => {
      const keepsId = { ...newProfile, code: "leaky", fields: { idNumber: { rule: "keep" } } };
      const res = await app.inject({ method: "POST", url: "/api/v1/deidentification-profiles", headers: auth(compliance.token), payload: keepsId });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: "validation_error",
        fields: [expect.objectContaining({ field: "identifying", code: "identifying_not_acknowledged" })],
      });
      const wrong = { ...newProfile, code: "wrong", fields: { name: { rule: "pseudonym" }, phone: { rule: "generalise", method: "city" } } };
      const res2 = await app.inject({ method: "POST", url: "/api/v1/deidentification-profiles", headers: auth(compliance.token), payload: wrong });
      expect(res2.statusCode).toBe(400);
      expect(
        res2
          .json()
          .error.fields.map((f: { code: string }) => f.code)
          .sort(),
      ).toEqual(["generalisation_not_applicable", "pseudonym_client_id_only"]);
      const ok = await app.inject({
        method: "POST",
        url: "/api/v1/deidentification-profiles",
        headers: auth(compliance.token),
        payload: { ...keepsId, identifying: true },
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ identifying: true, identifyingFields: ["idNumber"] });
      const unknownField = await app.inject({
        method: "POST",
        url: "/api/v1/deidentification-profiles",
        headers: auth(compliance.token),
        payload: { ...newProfile, code: "x_unknown", fields: { salary: { rule: "keep" } } },
      });
      expect(unknownField.statusCode).toBe(400);
    });

    it("an edit writes a new version; the old one stays readable; a stale edit is refused", async () => {
      const url = "/api/v1/deidentification-profiles/auditor_counts";
      const change = {
        ...newProfile,
        code: undefined,
        expectedVersion: 1,
        fields: { ...newProfile.fields, address: { rule: "generalise", method: "province" } },
      };
      const denied = await app.inject({ method: "PUT", url, headers: auth(partner.token), payload: change });
      expect(denied.statusCode).toBe(403);
      const res = await app.inject({ method: "PUT", url, headers: auth(compliance.token), payload: change });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: 2, fields: { address: { rule: "generalise", method: "province" } } });
      const stale = await app.inject({ method: "PUT", url, headers: auth(compliance.token), payload: change });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe("profile_version_conflict");
      const v1 = await app.inject({ method: "GET", url: `${url}?version=1`, headers: auth(lawyer.token) });
      expect(v1.statusCode).toBe(200);
      expect(v1.json().profile.fields.address).toBeUndefined();
      expect(v1.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const current = await app.inject({ method: "GET", url, headers: auth(lawyer.token) });
      expect(current.json().profile.version).toBe(2);
      const missing = await app.inject({ method: "GET", url: "/api/v1/deidentification-profiles/nope", headers: auth(lawyer.token) });
      expect(missing.statusCode).toBe(404);
      const updates = await events("deidentification_profile.update");
      expect(updates.map((e) => [e.outcome, e.reason])).toEqual([
        ["denied", "role_lacks_permission"],
        ["success", null],
        ["failure", "profile_version_conflict"],
      ]);
      expect(JSON.parse(updates[1]!.details!)).toMatchObject({ from: 1, version: 2, after: expect.stringContaining("address:generalise/province") });
    });

    it("canary: two clients through the stored profile masking IDs and keeping the birth year: no ID number or birth date in the package", async () => {
      const births = [
        ["19850612", "1985-06-12"],
        ["19770930", "1977-09-30"],
      ] as const;
      const ids: string[] = [];
      const clients = [];
      for (const [compact, iso] of births) {
        const idNumber = residentId(compact);
        ids.push(idNumber);
        const created = await buildClient(services, partner.actor, { idNumber, birthDate: iso });
        const read = await readClient(services, contextFor(partner.actor), created.id);
        expect(read.idNumber).toBe(idNumber);
        clients.push({ ...read, id: created.id });
      }
      const profile = (await services.engine.db.transaction().execute((tx) => findProfile(tx, "masked_ids_birth_year")))!;
      const disclosureId = "disclosure-canary-1";
      const pkg = buildDisclosurePackage({
        disclosureId,
        partner: { id: "partner-1", name: "Expert Ltd" },
        purpose: "case-handling",
        legalBasis: "contract",
        profile,
        records: clients,
        createdAt: new Date().toISOString(),
        pseudonymKey: derivePseudonymKey(services.vault, disclosureId),
      });
      for (const bytes of [pkg.json, pkg.csv!]) {
        for (const id of ids) expect(bytes.includes(Buffer.from(id))).toBe(false);
        for (const [compact, iso] of births) {
          for (const form of [iso, compact, iso.replace(/-/g, "/")]) expect(bytes.includes(Buffer.from(form)), form).toBe(false);
          expect(bytes.includes(Buffer.from(compact.slice(0, 4)))).toBe(true); // the birth year did go
        }
        for (const c of clients) expect(bytes.includes(Buffer.from(c.id))).toBe(false); // pseudonyms, not the firm's ids
      }
      expect(pkg.manifest).toMatchObject({ profile: { code: "masked_ids_birth_year", version: 1 }, recordCount: 2 });
      // Same disclosure, same key, same pseudonyms; another disclosure cannot be linked to it.
      const again = derivePseudonymKey(services.vault, disclosureId);
      expect(again.equals(derivePseudonymKey(services.vault, "disclosure-canary-2"))).toBe(false);
      expect(again.equals(derivePseudonymKey(services.vault, disclosureId))).toBe(true);
    });
  });
}
