import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import type { Services } from "../src/platform/services.js";
import { runCli } from "./support/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { startServer } from "./support/server-process.js";

/**
 * Several stateless servers on one PostgreSQL (issue #12): requests on every server only insert
 * their audit events; each server's sequencer competes for the sequencer lock, and whichever holds
 * it places what is pending. Afterwards every event has exactly one position, the positions run
 * 1..n without a gap, and the tree verifies against the signed checkpoints.
 */
describe.runIf(DIALECTS.includes("postgres")).each([2, 4])("postgres: %i Custodia servers on one database", (count) => {
  let db: TestDatabase;
  let partner: TestUser;
  let servers: Awaited<ReturnType<typeof startServer>>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    const services: Services = await db.open();
    partner = await buildUser(services, "partner");
    await services.close();
    // A short sequencer interval, so every server's loop runs many times during the load.
    servers = await Promise.all(Array.from({ length: count }, () => startServer({ ...db.env, CUSTODIA_AUDIT_SEQUENCER_MS: "100" })));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.cleanup();
  });

  it("takes concurrent writes and reads on every server; every record intact, every event placed once, the tree verifies", async () => {
    const headers = { authorization: `Bearer ${partner.token}`, "content-type": "application/json", "x-purpose": "case-handling" };
    const wanted = Array.from({ length: 60 }, (_, i) =>
      clientInput({ name: `并发客户${i}`, idNumber: residentId("19800101"), birthDate: "1980-01-01", phone: `1380000${String(i).padStart(4, "0")}` }),
    );
    // Every server writes at once, interleaved, and each reads back through the next server.
    const created = await Promise.all(
      wanted.map(async (input, i) => {
        const writer = servers[i % count]!;
        const reader = servers[(i + 1) % count]!;
        const res = await fetch(`${writer.url}/api/v1/clients`, { method: "POST", headers, body: JSON.stringify(input) });
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: string };
        const back = await fetch(`${reader.url}/api/v1/clients/${id}`, { headers });
        expect(back.status).toBe(200);
        const search = await fetch(`${reader.url}/api/v1/clients/search`, { method: "POST", headers, body: JSON.stringify({ phone: input.phone }) });
        expect(((await search.json()) as { items: unknown[] }).items).toHaveLength(1);
        return { id, input };
      }),
    );
    for (const { id, input } of created) {
      const res = await fetch(`${servers[0]!.url}/api/v1/clients/${id}`, { headers });
      expect(await res.json()).toMatchObject({ name: input.name, idNumber: input.idNumber, phone: input.phone, email: input.email });
    }

    // Read-only here: a long interval keeps this process's own sequencer out of the way.
    const services = await db.open({ sequencerIntervalMs: 3_600_000 });
    try {
      const pending = () =>
        services.engine.db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("position", "is", null)
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n));
      await expect.poll(pending, { timeout: 30_000, interval: 200 }).toBe(0);
      const rows = await services.engine.db.selectFrom("audit_events").select(["seq", "position"]).execute();
      const positions = rows.map((r) => Number(r.position)).sort((a, b) => a - b);
      // Exactly once: as many positions as events, no repeats, no gaps.
      expect(positions).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      const report = await verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey);
      expect(report).toMatchObject({ ok: true, pending: 0, events: rows.length });
      // 60 creates + 60 reads + 60 searches (summary + hit) + 60 final reads, at least.
      expect(report.events).toBeGreaterThanOrEqual(300);
      const signed = await services.engine.db.selectFrom("audit_checkpoints").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
      expect(Number(signed.seq)).toBe(rows.length);
    } finally {
      await services.close();
    }
    const cli = await runCli(["audit", "verify", "--json"], db.env);
    expect([cli.status, JSON.parse(cli.stdout).ok]).toEqual([0, true]);
  });
});
