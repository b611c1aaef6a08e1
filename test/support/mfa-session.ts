/**
 * A browser session that proved a second factor, obtained through the sign-in API as the console
 * does: a user without an authenticator enrols one (confirming it proves the factor for the
 * session), a user with one answers with a recovery code. Minting API tokens needs such a session.
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { timeStep, totpCode } from "../../src/identity/auth/totp.js";
import { TEST_PASSWORD } from "./factories.js";

export const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

const cookieOf = (res: LightMyRequestResponse): string | undefined => {
  const c = res.cookies.find((x) => x.name === "custodia_session");
  return c ? `custodia_session=${c.value}` : undefined;
};

/** Recovery codes of users enrolled here, per email, for their later sign-ins. */
const recoveryCodes = new Map<string, string[]>();

/** Request headers of a signed-in session (cookie and same-origin) whose second factor was just proven. */
export async function mfaSession(app: FastifyInstance, email: string): Promise<Record<string, string>> {
  return (await signInWithSecondFactor(app, email)).headers;
}

/**
 * The same, also returning the authenticator secret when this call enrolled one (a browser test
 * signs in with it later). `now` is the server's sign-in clock (browser suites move it).
 */
export async function signInWithSecondFactor(
  app: FastifyInstance,
  email: string,
  now: () => number = Date.now,
): Promise<{ headers: Record<string, string>; secret: string | null }> {
  const post = (url: string, cookie: string, payload?: object) =>
    app.inject({ method: "POST", url: `/api/v1/auth${url}`, headers: { cookie, ...SAME_ORIGIN }, ...(payload ? { payload } : {}) });
  const login = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: TEST_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.body}`);
  const cookie = cookieOf(login)!;
  if (login.json().status === "mfa_required") {
    const code = recoveryCodes.get(email)?.pop();
    if (!code) throw new Error(`${email} has an authenticator this helper did not enrol`);
    const done = await post("/totp", cookie, { recoveryCode: code });
    if (done.statusCode !== 200) throw new Error(`second factor failed: ${done.body}`);
    return { headers: { cookie: cookieOf(done)!, ...SAME_ORIGIN }, secret: null };
  }
  // enrolment_required (L3+) or signed_in (no factor yet): enrol, and the confirmation is the proof.
  const enrol = await post("/totp/enrol", cookie);
  if (enrol.statusCode !== 200) throw new Error(`enrolment failed: ${enrol.body}`);
  const secret = enrol.json().secret as string;
  const confirmed = await post("/totp/confirm", cookie, { code: totpCode(secret, timeStep(now())) });
  if (confirmed.statusCode !== 200) throw new Error(`confirmation failed: ${confirmed.body}`);
  recoveryCodes.set(email, confirmed.json().recoveryCodes);
  return { headers: { cookie: cookieOf(confirmed) ?? cookie, ...SAME_ORIGIN }, secret };
}

/** Headers of a plain password sign-in (no second factor proven): only for L1/L2 users without an authenticator. */
export async function passwordSession(app: FastifyInstance, email: string): Promise<Record<string, string>> {
  const login = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: TEST_PASSWORD } });
  if (login.json().status !== "signed_in") throw new Error(`expected a full session without a second factor: ${login.body}`);
  return { cookie: cookieOf(login)!, ...SAME_ORIGIN };
}
