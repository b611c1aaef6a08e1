/**
 * Child process of the http benchmark, so autocannon's own CPU use never shares the server's
 * event loop. `http-server.ts ours <dataDir> <clients>` serves Custodia with a partner token and
 * seeded clients; `http-server.ts join <dataDir>` serves another server on the database `ours`
 * seeded (PostgreSQL, bench/servers.ts); `http-server.ts bare` serves one bare Fastify route. Either prints one JSON line
 * ({ port, token?, ids? }) on stdout when listening, and exits when stdin closes or on SIGTERM.
 */
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import type { ClientData } from "../src/records/clients/client.js";
import { importClients } from "../src/records/clients/client-importer.js";
import { loadConfig } from "../src/platform/config.js";
import { syntheticClients } from "../src/platform/demo/synthetic.js";
import { buildServer } from "../src/http/server.js";
import { openServices, type Services } from "../src/platform/services.js";
import { recordAgreement, recordTraining } from "../src/access/conditions/access-condition-commands.js";
import { CONSOLE_COMPLIANCE } from "../src/access/conditions/access-condition-cli.js";
import { createMatter } from "../src/records/matters/matter-creator.js";
import { addUser, CONSOLE_OPERATOR, createToken } from "../src/identity/users/user-admin.js";
import { createWall } from "../src/access/walls/wall-creator.js";
import { MemoryKeyProvider } from "./lib.js";

const [mode, dataDir, clientCount = "1000"] = process.argv.slice(2);

async function ours(): Promise<{ app: FastifyInstance; services: Services; token: string; ids: string[] }> {
  if (!dataDir) throw new Error("usage: http-server.ts ours <dataDir> <clients>");
  const services = await openBenchServices(dataDir);
  const email = "partner@bench.example.com";
  await addUser(services, CONSOLE_OPERATOR, { email, role: "partner", password: "bench-password-not-secret" }, "bench-setup-user");
  const { token } = await createToken(services, CONSOLE_OPERATOR, { email, name: "bench" }, "bench-setup-token");
  // Seeded the way `custodia demo` does it (the console operator, an admin, may not create clients).
  const next = syntheticClients(3);
  const batch: ClientData[] = Array.from({ length: Number(clientCount) }, () => ({
    ...next(),
    purposes: ["case-handling", "conflict-check", "billing", "client-service"],
  }));
  const ids = await importClients(services, { actor: { userId: "system:bench", role: "partner" }, requestId: "bench-setup-import", purpose: null }, batch);
  // BENCH_POLICY_MATTERS / BENCH_POLICY_WALLS: the same reads by a lawyer who reaches each client
  // through a matter, in a firm with that many matters and ethical walls (the policy's worst path).
  const matters = Number(process.env.BENCH_POLICY_MATTERS ?? 0);
  const reader = matters > 0 ? await seedPolicyLoad(services, ids, matters, Number(process.env.BENCH_POLICY_WALLS ?? 0)) : token;
  // One token reading 1,000 clients round robin at full speed is exactly what the bulk_read rule
  // exists to stop: rules keep evaluating (their cost is measured), but containment is off.
  await services.engine.db.updateTable("detection_rules").set({ containment: "none" }).execute();
  services.detector.invalidate();
  // For measuring detection's own cost: BENCH_DETECTION=off runs the same server without it.
  if (process.env.BENCH_DETECTION === "off") services.detector.setEnabled(false);
  // The per-address rate limit (1,200/min by default) would answer 429 to a load generator on one
  // address; 0 turns it off, as ServerOptions documents for benchmarks.
  // As `custodia serve` does: WAL checkpoints on a worker thread.
  services.engine.checkpointInBackground?.();
  return { app: await buildServer(services, { logLevel: "warn", rateLimitPerMinute: 0 }), services, token: reader, ids };
}

/**
 * SQLite in `dataDir`, or with BENCH_DATABASE_URL and BENCH_DATABASE_SCHEMA the PostgreSQL schema
 * several servers share (bench/servers.ts), opened with the key BENCH_MASTER_KEY gives them all.
 */
function openBenchServices(dir: string): Promise<Services> {
  const url = process.env.BENCH_DATABASE_URL;
  const env = url ? { CUSTODIA_DATABASE_URL: url, CUSTODIA_DATABASE_SCHEMA: process.env.BENCH_DATABASE_SCHEMA ?? "", CUSTODIA_BLOB_STORE: "database" } : {};
  const key = process.env.BENCH_MASTER_KEY;
  return openServices(loadConfig({ dataDir: dir }, env), { keyProvider: new MemoryKeyProvider(key ? Buffer.from(key, "hex") : undefined) });
}

/** Another server on the database `ours` seeded: no seeding of its own. */
async function join(): Promise<{ app: FastifyInstance; services: Services; token: null; ids: null }> {
  if (!dataDir) throw new Error("usage: http-server.ts join <dataDir>");
  const services = await openBenchServices(dataDir);
  return { app: await buildServer(services, { logLevel: "warn", rateLimitPerMinute: 0 }), services, token: null, ids: null };
}

async function seedPolicyLoad(services: Services, ids: string[], matters: number, walls: number): Promise<string> {
  const setup = (n: string) => `bench-setup-${n}`;
  const partner = await services.engine.db.selectFrom("users").select("id").where("email", "=", "partner@bench.example.com").executeTakeFirstOrThrow();
  const partnerCtx = { actor: { userId: partner.id, role: "partner" as const }, requestId: setup("policy"), purpose: null };
  const email = "lawyer@bench.example.com";
  // Seeding only: lawyers' roles need a second approver in production (issue #10), so they are
  // added as paralegals and given the role directly; agreement and training are compliance's to record.
  const asLawyer = (id: string) => services.engine.db.updateTable("users").set({ role: "lawyer" }).where("id", "=", id).execute();
  const lawyer = await addUser(services, CONSOLE_OPERATOR, { email, role: "paralegal", password: "bench-password-not-secret" }, setup("lawyer"));
  await asLawyer(lawyer.id);
  await recordAgreement(services, CONSOLE_COMPLIANCE, setup("agreement"), { email }, { version: 1 });
  await recordTraining(services, CONSOLE_COMPLIANCE, setup("training"), { email }, { expiresOn: "2099-12-31" });
  const others = [];
  for (let i = 0; i < 5; i++)
    others.push(
      (
        await addUser(
          services,
          CONSOLE_OPERATOR,
          { email: `other${i}@bench.example.com`, role: "paralegal", password: "bench-password-not-secret" },
          setup(`other${i}`),
        )
      ).id,
    );
  for (const id of others) await asLawyer(id);
  // One matter per client with the bench lawyer on the team; the rest staffed by others.
  for (let i = 0; i < matters; i++) {
    const member = i < ids.length ? lawyer.id : others[i % others.length]!;
    await createMatter(services, partnerCtx, {
      clientId: ids[i % ids.length]!,
      number: `2026-民-${i + 1}`,
      title: `基准案件${i}`,
      practiceArea: "litigation",
      responsiblePartnerId: partner.id,
      team: [{ userId: member, role: "member" }],
    });
  }
  // Walls screen other lawyers from some clients: the bench lawyer's reads evaluate them all.
  for (let i = 0; i < walls; i++) {
    await createWall(services, partnerCtx, {
      reason: "conflict_of_interest",
      clientIds: [ids[(i * 7) % ids.length]!],
      screenedUserIds: [others[i % others.length]!],
    });
  }
  return (await createToken(services, CONSOLE_OPERATOR, { email, name: "bench" }, setup("lawyer-token"))).token;
}

function bare(): FastifyInstance {
  const app = Fastify({ logger: false });
  // Same path shape as ours, so autocannon does identical work on both sides.
  app.get<{ Params: { id: string } }>("/api/v1/clients/:id", async (request) => ({ id: request.params.id, status: "ok" }));
  return app;
}

const served =
  mode === "ours" ? await ours() : mode === "join" ? await join() : mode === "bare" ? { app: bare(), services: null, token: null, ids: null } : null;
if (!served) throw new Error(`unknown mode ${mode}; use "ours", "join" or "bare"`);
await served.app.listen({ host: "127.0.0.1", port: 0 });
const { port } = served.app.server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port, token: served.token, ids: served.ids })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await served!.app.close();
  await served!.services?.close();
  process.exit(0);
}
process.once("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
