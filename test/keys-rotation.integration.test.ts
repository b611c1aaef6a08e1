import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readClient } from "../src/records/clients/client-reader.js";
import { rotateKeys } from "../src/vault/keys/key-rotator.js";
import type { Services } from "../src/platform/services.js";
import { CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { runCli } from "./support/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, type TestUser } from "./support/factories.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: key rotation`, () => {
    let db: TestDatabase;
    let services: Services;
    let partner: TestUser;
    const ids: string[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      partner = await buildUser(services, "partner");
      for (let i = 0; i < 1200; i++) ids.push((await buildClient(services, partner.actor, { name: `客户${i}` })).id);
    });
    afterAll(async () => {
      await services?.close();
      await db?.cleanup();
    });

    it("re-wraps every data key under a new KEK while reads continue", async () => {
      const before = await services.engine.db.selectFrom("data_keys").select(["client_id", "wrapped_key"]).execute();
      let reads = 0;
      let rotating = true;
      const reader = (async () => {
        for (let i = 0; rotating; i++) {
          const c = await readClient(services, contextFor(partner.actor), ids[(i * 7) % ids.length]!);
          expect(c.name).toMatch(/^客户\d+$/);
          reads++;
        }
      })();
      const result = await rotateKeys(services, contextFor(CONSOLE_OPERATOR, null));
      rotating = false;
      await reader;
      expect(reads).toBeGreaterThan(0);
      expect(result).toEqual({ version: 2, rewrapped: 1200 });

      const after = await services.engine.db.selectFrom("data_keys").select(["client_id", "kek_version", "wrapped_key"]).execute();
      expect(new Set(after.map((k) => k.kek_version))).toEqual(new Set([2]));
      const old = new Map(before.map((k) => [k.client_id, k.wrapped_key!.toString("hex")]));
      expect(after.every((k) => old.get(k.client_id) !== k.wrapped_key!.toString("hex"))).toBe(true);
      const versions = await services.engine.db.selectFrom("key_versions").selectAll().orderBy("version").execute();
      expect(versions.map((v) => [v.version, v.retired_at === null])).toEqual([
        [1, false],
        [2, true],
      ]);
      for (const id of [ids[0]!, ids[599]!, ids[1199]!]) expect((await readClient(services, contextFor(partner.actor), id)).name).toMatch(/^客户/);
      const events = await services.engine.db
        .selectFrom("audit_events")
        .select(["action", "details"])
        .where("action", "=", "key.rotate")
        .orderBy("seq")
        .execute();
      expect(events.map((e) => JSON.parse(e.details!).phase)).toEqual(["activated", "rewrapped"]);
    });

    it("is refused to roles without key management, and works from the CLI", async () => {
      await expect(rotateKeys(services, contextFor(partner.actor, null))).rejects.toMatchObject({ code: "role_lacks_permission" });
      await services.close();
      const cli = await runCli(["keys", "rotate", "--json"], db.env);
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toEqual({ version: 3, rewrapped: 1200 });
      services = await db.open();
      expect((await readClient(services, contextFor(partner.actor), ids[5]!)).name).toBe("客户5");
    });
  });
}
