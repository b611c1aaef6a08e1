/**
 * Child process of the http benchmark, so autocannon's own CPU use never shares the server's
 * event loop. `http-server.ts ours <dataDir> <clients>` serves Custodia with a partner token and
 * seeded clients; `http-server.ts bare` serves one bare Fastify route. Either prints one JSON line
 * ({ port, token?, ids? }) on stdout when listening, and exits when stdin closes or on SIGTERM.
 */
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import type { ClientData } from "../src/clients/client.js";
import { importClients } from "../src/clients/client-importer.js";
import { loadConfig } from "../src/config.js";
import { syntheticClients } from "../src/demo/synthetic.js";
import { buildServer } from "../src/http/server.js";
import { openServices, type Services } from "../src/services.js";
import { addUser, CONSOLE_OPERATOR, createToken } from "../src/users/user-admin.js";
import { MemoryKeyProvider } from "./lib.js";

const [mode, dataDir, clientCount = "1000"] = process.argv.slice(2);

async function ours(): Promise<{ app: FastifyInstance; services: Services; token: string; ids: string[] }> {
  if (!dataDir) throw new Error("usage: http-server.ts ours <dataDir> <clients>");
  const services = await openServices(loadConfig({ dataDir }, {}), { keyProvider: new MemoryKeyProvider() });
  const email = "partner@bench.example.com";
  await addUser(services, CONSOLE_OPERATOR, { email, role: "partner", password: "bench-password-not-secret" }, "bench-setup-user");
  const { token } = await createToken(services, CONSOLE_OPERATOR, { email, name: "bench" }, "bench-setup-token");
  // Seeded the way `custodia demo` does it (the console operator, an admin, may not create clients).
  const next = syntheticClients(3);
  const batch: ClientData[] = Array.from({ length: Number(clientCount) }, () => ({ ...next(), purposes: ["case-handling", "conflict-check", "billing", "client-service"] }));
  const ids = await importClients(services, { actor: { userId: "system:bench", role: "partner" }, requestId: "bench-setup-import", purpose: null }, batch);
  // One token reading 1,000 clients round robin at full speed is exactly what the bulk_read rule
  // exists to stop: rules keep evaluating (their cost is measured), but containment is off.
  await services.engine.db.updateTable("detection_rules").set({ containment: "none" }).execute();
  services.detector.invalidate();
  // For measuring detection's own cost: BENCH_DETECTION=off runs the same server without it.
  if (process.env.BENCH_DETECTION === "off") services.detector.setEnabled(false);
  // The per-address rate limit (1,200/min by default) would answer 429 to a load generator on one
  // address; 0 turns it off, as ServerOptions documents for benchmarks.
  return { app: await buildServer(services, { logLevel: "warn", rateLimitPerMinute: 0 }), services, token, ids };
}

function bare(): FastifyInstance {
  const app = Fastify({ logger: false });
  // Same path shape as ours, so autocannon does identical work on both sides.
  app.get<{ Params: { id: string } }>("/api/v1/clients/:id", async (request) => ({ id: request.params.id, status: "ok" }));
  return app;
}

const served = mode === "ours" ? await ours() : mode === "bare" ? { app: bare(), services: null, token: null, ids: null } : null;
if (!served) throw new Error(`unknown mode ${mode}; use "ours" or "bare"`);
await served.app.listen({ host: "127.0.0.1", port: 0 });
const { port } = served.app.server.address() as AddressInfo;
process.stdout.write(JSON.stringify({ port, token: served.token, ids: served.ids }) + "\n");

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
