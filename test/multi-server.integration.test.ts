import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import type { Services } from "../src/platform/services.js";
import { runCli } from "./support/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildUser, clientInput, residentId, type TestUser } from "./support/factories.js";
import { startServer } from "./support/server-process.js";

describe.runIf(DIALECTS.includes("postgres"))("postgres: two Custodia servers on one database", () => {
  let db: TestDatabase;
  let partner: TestUser;
  let servers: Awaited<ReturnType<typeof startServer>>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    const services: Services = await db.open();
    partner = await buildUser(services, "partner");
    await services.close();
    servers = await Promise.all([startServer(db.env), startServer(db.env)]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.cleanup();
  });

  it("takes concurrent writes and reads on both; every record intact and the chain verifies", async () => {
    const headers = { authorization: `Bearer ${partner.token}`, "content-type": "application/json", "x-purpose": "case-handling" };
    const wanted = Array.from({ length: 60 }, (_, i) =>
      clientInput({ name: `并发客户${i}`, idNumber: residentId("19800101"), birthDate: "1980-01-01", phone: `1380000${String(i).padStart(4, "0")}` }),
    );
    // Both servers write at once, interleaved, and each reads back through the other server.
    const created = await Promise.all(
      wanted.map(async (input, i) => {
        const writer = servers[i % 2]!;
        const reader = servers[(i + 1) % 2]!;
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

    const services = await db.open();
    try {
      const report = await verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey);
      expect(report.ok).toBe(true);
      // 60 creates + 60 reads + 60 searches (summary + hit) + 60 final reads, at least.
      expect(report.events).toBeGreaterThanOrEqual(300);
    } finally {
      await services.close();
    }
    const cli = runCli(["audit", "verify", "--json"], db.env);
    expect([cli.status, JSON.parse(cli.stdout).ok]).toEqual([0, true]);
  });
});
