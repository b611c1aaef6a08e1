/**
 * The public intake of client requests (DSR-1..3). Three rules shape it:
 * - it never tells whether the firm holds data on anyone: a request row is always created, a code
 *   is always generated (sent only to a contact on file, else nowhere), and the answer is the same
 *   body after the same minimum time;
 * - nothing is revealed before the identity is verified by a one-time code sent to a contact the
 *   firm already holds (or by staff, see request-fulfiller.ts);
 * - automation is slowed by a hashcash proof per submission plus counters per address and per
 *   identifier, kept in the database so every server behind a load balancer shares them.
 */
import { newToken, parseToken, PORTAL_TOKEN } from "../../platform/crypto/bearer.js";
import { constantTimeEqual, randomCode, randomSecret, sha256, sha256Hex } from "../../platform/crypto/secrets.js";
import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { Client, IdType } from "../../records/clients/client.js";
import { blindIndexOf } from "../../records/clients/client-sealing.js";
import { findCandidates, openRow } from "../../records/clients/client-store.js";
import { normaliseForIndex } from "../../records/clients/normalise.js";
import type { PersonalField } from "../../records/clients/fields.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbClientRequest } from "../../platform/db/schema.js";
import { ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { CodeChannel, CodeMessage } from "./code-sender.js";
import { dueDate, localDate } from "./deadlines.js";
import { runPortalAudited } from "./portal-audited.js";
import {
  CodeAttemptsExhaustedError,
  CodeInvalidError,
  PortalRateLimitedError,
  PortalTokenInvalidError,
  ProofInvalidError,
  type RequestSettings,
  type RequestType,
} from "./request.js";
import { defaultRegimeCode, findRegime, findRequestRow, firmTimeZone, setStatus, workCalendar, appendHistory, newRequestRow } from "./request-store.js";

export interface PortalSubmission {
  type: RequestType;
  idType?: IdType | undefined;
  idNumber?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  /** Where the requester would like the code; the other contact on file is used when this one is not. */
  channel?: CodeChannel | undefined;
  language: "zh-CN" | "en";
  /** Correction: the new values. */
  correction?: (Partial<Record<Exclude<PersonalField, "notes">, string | null>> & { idType?: IdType | null }) | undefined;
  /** Withdrawal of consent: the purpose. */
  purpose?: string | undefined;
  proof: { challenge: string; nonce: string };
}

export interface PortalReceipt {
  requestId: string;
  status: "received";
  /** Always the same sentence: a code was sent if the details match a client. */
  message: string;
  codeExpiresInSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Proof of work: a stateless, MAC'd challenge; a solution is spent once.

export function issueChallenge(services: Services, settings: RequestSettings): { challenge: string; bits: number; expiresAt: string } {
  const expires = settings.now().getTime() + settings.proofTtlMs;
  const body = `${randomSecret(12)}.${expires}.${settings.proofBits}`;
  return { challenge: `${body}.${services.vault.mac("portal.challenge", body)}`, bits: settings.proofBits, expiresAt: new Date(expires).toISOString() };
}

export function leadingZeroBits(hash: Buffer): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

/** What a client (the portal page) computes: the first nonce whose hash has enough leading zeros. */
export function solveChallenge(challenge: string, bits: number): string {
  for (let n = 0; ; n++) if (leadingZeroBits(sha256(`${challenge}:${n}`)) >= bits) return String(n);
}

export async function spendProof(services: Services, settings: RequestSettings, tx: Tx, proof: { challenge: string; nonce: string }): Promise<boolean> {
  const parts = proof.challenge.split(".");
  if (parts.length !== 4 || !/^\d{1,8}$/.test(proof.nonce)) return false;
  const [id, expires, bits, mac] = parts as [string, string, string, string];
  // Constant-time comparison: no timing side channel on the MAC.
  if (!constantTimeEqual(mac, services.vault.mac("portal.challenge", `${id}.${expires}.${bits}`))) return false;
  const now = settings.now();
  if (Number(expires) < now.getTime() || Number(bits) < settings.proofBits) return false;
  if (leadingZeroBits(sha256(`${proof.challenge}:${proof.nonce}`)) < Number(bits)) return false;
  await tx.deleteFrom("portal_proofs").where("expires_at", "<", now.toISOString()).execute();
  const spent = await tx
    .insertInto("portal_proofs")
    .values({ id, expires_at: new Date(Number(expires)).toISOString() })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(spent.numInsertedOrUpdatedRows ?? 0n) === 1;
}

// ---------------------------------------------------------------------------------------------
// Fixed-window counters.

export async function countAgainst(tx: Tx, key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
  const row = await tx.selectFrom("portal_throttles").selectAll().where("key", "=", key).executeTakeFirst();
  if (!row || Date.parse(row.window_start) + windowMs <= now.getTime()) {
    const fresh = { key, window_start: now.toISOString(), count: 1 };
    await tx
      .insertInto("portal_throttles")
      .values(fresh)
      .onConflict((oc) => oc.column("key").doUpdateSet({ window_start: fresh.window_start, count: 1 }))
      .execute();
    return true;
  }
  if (row.count >= limit) return false;
  await tx
    .updateTable("portal_throttles")
    .set({ count: row.count + 1 })
    .where("key", "=", key)
    .execute();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Intake.

type Identifier = { field: "idNumber"; bidx: string; value: string; idType: IdType } | { field: "phone" | "email"; bidx: string; value: string };

function identifierOf(services: Services, s: PortalSubmission): Identifier | null {
  const given = [s.idNumber !== undefined, s.phone !== undefined, s.email !== undefined].filter(Boolean).length;
  if (given !== 1) return null;
  if (s.idNumber !== undefined)
    return s.idType ? { field: "idNumber", idType: s.idType, value: s.idNumber, bidx: blindIndexOf(services.vault, "idNumber", s.idNumber) } : null;
  if (s.phone !== undefined) return { field: "phone", value: s.phone, bidx: blindIndexOf(services.vault, "phone", s.phone) };
  return { field: "email", value: s.email!, bidx: blindIndexOf(services.vault, "email", s.email!) };
}

/** Candidates by blind index, confirmed by decryption (an index may collide). */
async function matchClients(services: Services, tx: Tx, id: Identifier): Promise<Client[]> {
  const rows = await findCandidates(tx, { [id.field]: id.bidx }, 5);
  const wanted = normaliseForIndex(id.field, id.value);
  const out: Client[] = [];
  for (const row of rows) {
    const client = openRow(services.vault, await services.keyRing.openDataKey(tx, row.id), row);
    const held = client[id.field];
    if (held === null || normaliseForIndex(id.field, held) !== wanted) continue;
    if (id.field === "idNumber" && client.idType !== id.idType) continue;
    out.push(client);
  }
  return out;
}

function contactFor(client: Client, preferred: CodeChannel | undefined): { channel: CodeChannel; to: string } | null {
  const order: CodeChannel[] = preferred === "phone" ? ["phone", "email"] : preferred === "email" ? ["email", "phone"] : ["phone", "email"];
  for (const channel of order) {
    const to = channel === "phone" ? client.phone : client.email;
    if (to) return { channel, to };
  }
  return null;
}

export const newCode = () => randomCode("0123456789", 6);
/** Keyed, so a copy of the database alone cannot brute-force the million possible codes. */
export const codeHash = (services: Services, requestId: string, code: string) => services.vault.mac("portal.code", `${requestId}:${code}`);

export async function submitRequest(
  services: Services,
  settings: RequestSettings,
  httpRequestId: string,
  address: string,
  s: PortalSubmission,
  log: (e: unknown) => void = () => {},
): Promise<PortalReceipt> {
  const started = performance.now();
  let outgoing: CodeMessage | null = null;
  try {
    const receipt = await runPortalAudited(services, httpRequestId, async (w): Promise<PortalReceipt | Refusal> => {
      const event = { action: "request.submit", targetType: "client_request", targetId: null };
      if (!(await spendProof(services, settings, w.tx, s.proof))) return w.refuse(ProofInvalidError(), event, "denied");
      const identifier = identifierOf(services, s);
      if (!identifier) {
        return w.refuse(
          ValidationError([{ field: "idNumber", code: "identifier_required", message: "Give exactly one of: idType with idNumber, phone, email." }]),
          event,
          "failure",
        );
      }
      const now = settings.now();
      if (!(await countAgainst(w.tx, `ip:${services.vault.mac("portal.address", address)}`, settings.perAddressPerHour, 3600_000, now))) {
        return w.refuse(PortalRateLimitedError(), { ...event, details: { limit: "address" } });
      }
      if (!(await countAgainst(w.tx, `id:${identifier.field}:${identifier.bidx}`, settings.perIdentifierPerDay, 24 * 3600_000, now))) {
        return w.refuse(PortalRateLimitedError(), { ...event, details: { limit: "identifier" } });
      }
      const matches = await matchClients(services, w.tx, identifier);
      // More than one client shares the identifier (a family phone): verify through staff instead.
      const client = matches.length === 1 ? matches[0]! : null;
      const contact = client ? contactFor(client, s.channel) : null;
      const regimeCode = await defaultRegimeCode(w.tx);
      const regime = (await findRegime(w.tx, regimeCode)) ?? (await findRegime(w.tx, "pipl"))!;
      const receivedDate = localDate(now, await firmTimeZone(w.tx));
      const id = uuidv7();
      // A code exists for every request, known to nobody when there is no contact to send it to.
      const code = newCode();
      const details = s.type === "correction" ? { correction: s.correction ?? {} } : s.type === "withdraw_consent" ? { purpose: s.purpose ?? null } : null;
      const at = now.toISOString();
      const row = newRequestRow({
        id,
        type: s.type,
        regime: regime.code,
        language: s.language,
        client_id: client?.id ?? null,
        match: matches.length === 0 ? "none" : matches.length === 1 ? "one" : "ambiguous",
        id_type: identifier.field === "idNumber" ? identifier.idType : null,
        id_number_bidx: identifier.field === "idNumber" ? identifier.bidx : null,
        phone_bidx: identifier.field === "phone" ? identifier.bidx : null,
        email_bidx: identifier.field === "email" ? identifier.bidx : null,
        code_channel: contact?.channel ?? null,
        code_hash: codeHash(services, id, code),
        code_expires_at: new Date(now.getTime() + settings.codeTtlMs).toISOString(),
        details_ct: details ? services.vault.sealSecret({ table: "client_requests", recordId: id, field: "details" }, JSON.stringify(details)) : null,
        received_at: at,
        received_date: receivedDate,
        due_date: dueDate(receivedDate, regime, await workCalendar(w.tx)),
      });
      await w.tx.insertInto("client_requests").values(row).execute();
      await appendHistory(w.tx, id, "received", at, null);
      if (contact) outgoing = { ...contact, code, requestId: id, language: s.language };
      w.record({ ...event, targetId: id, outcome: "success", details: { type: s.type, regime: regime.code, match: row.match, codeChannel: row.code_channel } });
      return {
        requestId: id,
        status: "received" as const,
        message:
          s.language === "en"
            ? "Request received. If the details match our records, a verification code has been sent to the contact we hold."
            : "申请已收到。如信息与本所记录相符，验证码已发送至本所登记的联系方式。",
        codeExpiresInSeconds: Math.round(settings.codeTtlMs / 1000),
      };
    });
    // After the commit and never awaited: how long a relay takes must not show in the answer.
    const message = outgoing as CodeMessage | null;
    if (message) settings.sender.send(message).catch(log);
    return receipt;
  } finally {
    const left = settings.intakeFloorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

// ---------------------------------------------------------------------------------------------
// Verification by code, and the portal token.

export interface PortalToken {
  requestId: string;
  status: "verified";
  /** Shown once: the bearer secret for GET /portal/requests/{id} and its package. */
  token: string;
  tokenExpiresAt: string;
}

/** A random bearer secret; only its SHA-256 is stored. */
export function issueToken(now: Date, ttlMs: number): { token: string; hash: string; expiresAt: string } {
  const { token } = newToken(PORTAL_TOKEN);
  return { token, hash: sha256Hex(token), expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
}

export async function verifyCode(services: Services, settings: RequestSettings, httpRequestId: string, requestId: string, code: string): Promise<PortalToken> {
  return runPortalAudited(services, httpRequestId, async (w) => {
    const event = { action: "request.verify", targetType: "client_request", targetId: requestId };
    const row = await findRequestRow(w.tx, requestId);
    if (row?.status !== "received" || row.code_used_at || !row.code_hash || !row.code_expires_at) {
      return w.refuse(CodeInvalidError(), { ...event, targetId: row ? requestId : null, reason: row ? "code_not_pending" : "unknown_request" }, "failure");
    }
    if (row.code_attempts >= settings.maxCodeAttempts) return w.refuse(CodeAttemptsExhaustedError(), event, "denied");
    // Counted before checking, and committed with the refusal: guessing costs an attempt.
    await w.tx
      .updateTable("client_requests")
      .set({ code_attempts: row.code_attempts + 1 })
      .where("id", "=", requestId)
      .execute();
    const now = settings.now();
    if (Date.parse(row.code_expires_at) <= now.getTime()) return w.refuse(CodeInvalidError(), { ...event, reason: "code_expired" }, "failure");
    // An unmatched request's code went nowhere; a lucky guess must still verify nothing.
    // Constant-time comparison: no timing side channel on the code.
    if (!constantTimeEqual(row.code_hash, codeHash(services, requestId, code)) || row.match !== "one" || !row.client_id) {
      return w.refuse(CodeInvalidError(), { ...event, reason: "code_wrong", details: { attempt: row.code_attempts + 1 } }, "failure");
    }
    const at = now.toISOString();
    const issued = issueToken(now, settings.tokenTtlMs);
    await setStatus(w.tx, row, "verified", at, null, {
      code_used_at: at,
      code_hash: null,
      token_hash: issued.hash,
      token_expires_at: issued.expiresAt,
      verified_at: at,
      verification_method: "code",
    });
    w.record({ ...event, outcome: "success", details: { method: "code" } });
    return { requestId, status: "verified" as const, token: issued.token, tokenExpiresAt: issued.expiresAt };
  });
}

/** The request a portal token opens, or a refusal (audited). */
export async function requestForToken(
  _services: Services,
  settings: RequestSettings,
  w: AuditedWork,
  requestId: string,
  token: string | null,
  action: string,
): Promise<DbClientRequest | Refusal> {
  const event = { action, targetType: "client_request", targetId: requestId };
  const row = token ? await findRequestRow(w.tx, requestId) : undefined;
  if (
    !row ||
    !token ||
    // The shape is checked like every bearer token's; the hash covers the whole token, as issued.
    !parseToken(token, PORTAL_TOKEN) ||
    !row.token_hash ||
    !row.token_expires_at ||
    !constantTimeEqual(row.token_hash, sha256Hex(token)) ||
    Date.parse(row.token_expires_at) <= settings.now().getTime()
  ) {
    return w.refuse(PortalTokenInvalidError(), { ...event, targetId: row ? requestId : null }, "denied");
  }
  return row;
}
