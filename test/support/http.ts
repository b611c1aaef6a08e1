import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { Writable } from "node:stream";
import { buildServer, type ServerOptions } from "../../src/http/server.js";
import type { Services } from "../../src/platform/services.js";
import { createTestDatabase, type Dialect, type TestDatabase } from "./dialects.js";
import { TEST_PASSWORD } from "./factories.js";

/** A real server (no listening socket needed: inject) whose log lines are kept for inspection. */
export async function buildTestServer(services: Services, options: ServerOptions = {}): Promise<{ app: FastifyInstance; logs: string[] }> {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer(services, { logLevel: "debug", logStream: { write: (s: string) => logStream.write(s) }, ...options });
  await app.ready();
  return { app, logs };
}

export const auth = (token: string, purpose?: string) => ({ authorization: `Bearer ${token}`, ...(purpose ? { "x-purpose": purpose } : {}) });

/**
 * A database and a server for one describe block, created before its tests and removed after.
 * Register it first; later beforeAll hooks (creating users) see it ready.
 */
export function httpSuite(dialect: Dialect) {
  const suite = {} as { db: TestDatabase; services: Services; app: FastifyInstance; logs: string[] };
  beforeAll(async () => {
    suite.db = await createTestDatabase(dialect);
    suite.services = await suite.db.open();
    Object.assign(suite, await buildTestServer(suite.services));
  });
  afterAll(async () => {
    await suite.app?.close();
    await suite.services?.close();
    await suite.db?.cleanup();
  });
  return suite;
}

/** The session cookie a sign-in step set, if it set one. */
export const sessionCookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === "custodia_session")?.value;

/**
 * A server whose sign-in clock the suite moves (sessions, lockouts and TOTP steps all read it),
 * for the sign-in, passkey and password tests. `newAddress()` gives each test its own client
 * address, so one test's per-address lockout does not leak into another.
 */
export function clockedSignInSuite(dialect: Dialect) {
  let address = 0;
  const suite = {
    now: Date.now(),
    newAddress: () => `10.0.${Math.floor(++address / 250)}.${(address % 250) + 1}`,
    /** The first sign-in step, with the test password. */
    login: (email: string, ip: string) =>
      suite.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: TEST_PASSWORD }, remoteAddress: ip }),
    /** A call as the console makes it: the session cookie, from the same origin. */
    call: (method: "GET" | "POST" | "DELETE", url: string, cookie: string, payload?: object, ip = "10.8.0.1") =>
      suite.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { cookie: `custodia_session=${cookie}`, "sec-fetch-site": "same-origin" },
        remoteAddress: ip,
        ...(payload ? { payload } : {}),
      }),
  } as {
    db: TestDatabase;
    services: Services;
    app: FastifyInstance;
    now: number;
    newAddress(): string;
    login(email: string, ip: string): Promise<LightMyRequestResponse>;
    call(method: "GET" | "POST" | "DELETE", url: string, cookie: string, payload?: object, ip?: string): Promise<LightMyRequestResponse>;
  };
  beforeAll(async () => {
    suite.db = await createTestDatabase(dialect);
    suite.services = await suite.db.open();
    suite.app = await buildServer(suite.services, { logLevel: "silent", signIn: { now: () => suite.now } });
    await suite.app.ready();
  });
  afterAll(async () => {
    await suite.app?.close();
    await suite.services?.close();
    await suite.db?.cleanup();
  });
  return suite;
}
