import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { insertRows } from "../src/platform/db/insert-rows.js";
import type { ClientData } from "../src/records/clients/client.js";
import { importBatches } from "../src/records/clients/client-importer.js";
import { readClient } from "../src/records/clients/client-reader.js";
import { lookupClients } from "../src/records/clients/client-lookup.js";
import { CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { rotateKeys } from "../src/vault/keys/key-rotator.js";
import { DIALECTS, servicesSuite } from "./support/dialects.js";
import { buildUser, clientInput, contextFor, residentId } from "./support/factories.js";

/**
 * Bulk import (`custodia demo`, importBatches): batches checked and sealed on worker threads while
 * the previous batch is written, each batch its own audited transaction, with rows written through
 * insertRows (one prepared statement per row on SQLite's direct path, multi-row statements
 * elsewhere). Both engines.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: bulk import`, () => {
    const suite = servicesSuite(dialect);
    let serial = 0;
    const client = (overrides: Partial<ClientData> = {}): ClientData => {
      const n = ++serial;
      return clientInput({ name: `导入客户${n}`, phone: `139${String(10_000_000 + n).slice(-8)}`, idNumber: residentId(), ...overrides }) as ClientData;
    };

    it("insertRows writes exactly the rows given, inside a unit of work and outside, with uneven columns too", async () => {
      const { db } = suite.services.engine;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ target: fc.string({ maxLength: 12 }), minute: fc.integer({ min: 0, max: 59 }) }), { minLength: 1, maxLength: 40 }),
          fc.boolean(),
          fc.boolean(),
          async (picked, inUnit, uneven) => {
            const actor = `bulk-${++serial}`;
            const rows = picked.map((p, i) => ({
              actor_id: actor,
              action: "client.read",
              target_id: `${i}:${p.target}`,
              last_at: new Date(Date.UTC(2026, 0, 1, 0, p.minute)).toISOString(),
              // A column left undefined in one row: not the same columns everywhere, so Kysely writes them.
              ...(uneven && i === 0 ? { extra: undefined } : {}),
            }));
            if (inUnit) await suite.services.engine.runTransaction((tx) => insertRows(tx, "detection_target_marks", rows as never, 7));
            else await db.transaction().execute((tx) => insertRows(tx, "detection_target_marks", rows as never, 7));
            const stored = await db
              .selectFrom("detection_target_marks")
              .select(["target_id", "last_at"])
              .where("actor_id", "=", actor)
              .orderBy("target_id")
              .execute();
            expect(stored).toEqual(rows.map((r) => ({ target_id: r.target_id, last_at: r.last_at })).sort((a, b) => (a.target_id < b.target_id ? -1 : 1)));
          },
        ),
        { numRuns: 30 },
      );
    });

    it("imports every batch sealed on the threads: readable, found by phone and name, one audit event each", async () => {
      const partner = await buildUser(suite.services, "partner");
      const batches = [0, 1, 2].map(() => Array.from({ length: 5 }, () => client()));
      const totals: number[] = [];
      const before = await suite.services.engine.db
        .selectFrom("clients")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const imported = await importBatches(suite.services, contextFor(partner.actor, null), batches, (n) => {
        totals.push(n);
      });
      expect(imported).toBe(15);
      expect(totals).toEqual([5, 10, 15]);
      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["target_id", "details", "outcome", "actor_id"])
        .where("action", "=", "client.create")
        .where("actor_id", "=", partner.actor.userId)
        .orderBy("seq")
        .execute();
      expect(events).toHaveLength(15);
      const after = await suite.services.engine.db
        .selectFrom("clients")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(15);
      for (const [i, event] of events.entries()) {
        const input = batches[Math.floor(i / 5)]![i % 5]!;
        expect(event.outcome).toBe("success");
        expect(JSON.parse(event.details!)).toEqual({ via: "import", fields: ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"] });
        // Sealed on a thread, opened here: the fields, their bindings and the wrapped key all hold.
        const read = await readClient(suite.services, contextFor(partner.actor), event.target_id!);
        expect(read).toMatchObject({ name: input.name, phone: input.phone, idNumber: input.idNumber, notes: input.notes });
      }
      // The threads' blind indexes and search tokens are the vault's: exact phone and name prefix lookups find them.
      const last = batches[2]![4]!;
      const byPhoneTail = await lookupClients(suite.services, contextFor(partner.actor), last.phone!.slice(-4));
      expect(byPhoneTail.items.map((c) => c.name)).toContain(last.name);
      const byName = await lookupClients(suite.services, contextFor(partner.actor), last.name);
      expect(byName.items.map((c) => c.id)).toEqual([events[14]!.target_id]);
    });

    it("refuses a batch with one invalid record whole, keeps the batches before it, writes none after it", async () => {
      const partner = await buildUser(suite.services, "partner");
      const bad = client({ idNumber: "110105198506120000" });
      const batches = [
        [client(), client()],
        [client(), bad],
        [client(), client()],
      ];
      const count = async () =>
        Number(
          (
            await suite.services.engine.db
              .selectFrom("clients")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      await expect(importBatches(suite.services, contextFor(partner.actor, null), batches)).rejects.toMatchObject({
        code: "validation_error",
        fields: [expect.objectContaining({ field: "1.idNumber" })],
      });
      const events = await suite.services.engine.db
        .selectFrom("audit_events")
        .select(["action", "outcome", "details"])
        .where("actor_id", "=", partner.actor.userId)
        .where("action", "in", ["client.create", "client.import"])
        .orderBy("seq")
        .execute();
      expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(["client.create:success", "client.create:success", "client.import:failure"]);
      // The refusal names fields and codes, never the value.
      expect(events[2]!.details).not.toContain("110105198506120000");
      expect(await count()).toBe(before + 2);
    });

    it("a KEK rotated while batches are sealed ahead: they are sealed again under the active key before they are written", async () => {
      const partner = await buildUser(suite.services, "partner");
      const batches = [0, 1, 2].map(() => Array.from({ length: 3 }, () => client()));
      let rotated: number | null = null;
      await importBatches(suite.services, contextFor(partner.actor, null), batches, async (n) => {
        // After the first commit the other two batches are already sealed (or being sealed) under the old KEK.
        if (n === 3) rotated = (await rotateKeys(suite.services, contextFor(CONSOLE_OPERATOR, null))).version;
      });
      expect(rotated).not.toBeNull();
      const ids = (
        await suite.services.engine.db
          .selectFrom("audit_events")
          .select("target_id")
          .where("action", "=", "client.create")
          .where("actor_id", "=", partner.actor.userId)
          .execute()
      ).map((e) => e.target_id!);
      expect(ids).toHaveLength(9);
      const keys = await suite.services.engine.db.selectFrom("data_keys").select("kek_version").where("client_id", "in", ids).execute();
      expect(keys.map((k) => k.kek_version)).toEqual(ids.map(() => rotated));
      for (const id of ids) expect((await readClient(suite.services, contextFor(partner.actor), id)).id).toBe(id);
    });
  });
}
