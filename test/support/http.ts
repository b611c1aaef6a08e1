import type { FastifyInstance } from "fastify";
import { Writable } from "node:stream";
import { buildServer } from "../../src/http/server.js";
import type { Services } from "../../src/services.js";

/** A real server (no listening socket needed: inject) whose log lines are kept for inspection. */
export async function buildTestServer(services: Services): Promise<{ app: FastifyInstance; logs: string[] }> {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer(services, { logLevel: "debug", logStream: { write: (s: string) => logStream.write(s) } });
  await app.ready();
  return { app, logs };
}

export const auth = (token: string, purpose?: string) => ({ authorization: `Bearer ${token}`, ...(purpose ? { "x-purpose": purpose } : {}) });
