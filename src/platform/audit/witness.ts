/**
 * Pushing checkpoints to witnesses (C2SP tlog-witness `add-checkpoint`): an outside party keeps
 * the largest tree it has seen of this log and cosigns it only if the new checkpoint extends it
 * (a consistency proof). Whoever rewrites or cuts the database's tail cannot get a cosignature for
 * it, and the witness still holds the larger size, so a deleted tail is provable off the premises.
 * Cosignatures are kept in `audit_cosignatures`; a refusal is an audited failure.
 */
import type { Services } from "../services.js";
import { ConfigError } from "../config.js";
import { runUnitOfWork } from "./audited.js";
import { consistencyPath, latestTreeCheckpoint } from "./audit-proofs.js";
import { type CosignerKey, parseCosignerKey, verifyCosignature } from "./merkle/cosignature.js";

export interface Witness {
  /** Submission prefix: `add-checkpoint` is posted under it. */
  readonly url: string;
  readonly key: CosignerKey;
}

export type WitnessOutcome =
  | { witness: string; outcome: "cosigned"; size: number }
  | { witness: string; outcome: "up_to_date"; size: number }
  | { witness: string; outcome: "refused"; reason: "witness_ahead" | "inconsistent" | "bad_cosignature" | "rejected"; status?: number; witnessSize?: number }
  | { witness: string; outcome: "unreachable" };

/**
 * `CUSTODIA_AUDIT_WITNESSES`: `<witness vkey> <url>` pairs separated by `;`. The URL must be https,
 * or http to a loopback address (a witness on the same machine, or tests).
 */
export function witnessesFromEnv(env = process.env): Witness[] {
  const spec = env.CUSTODIA_AUDIT_WITNESSES?.trim();
  if (!spec) return [];
  return spec.split(";").map((pair) => {
    const [vkey = "", url = "", ...rest] = pair.trim().split(/\s+/);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError("CUSTODIA_AUDIT_WITNESSES: each entry is `<witness verifier key> <https URL>`.");
    }
    const loopback = ["127.0.0.1", "[::1]", "localhost"].includes(parsed.hostname);
    if (rest.length || !(parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback)))
      throw new ConfigError("CUSTODIA_AUDIT_WITNESSES: each entry is `<witness verifier key> <https URL>` (plain http only to loopback).");
    try {
      return { url: url.replace(/\/$/, ""), key: parseCosignerKey(vkey) };
    } catch {
      throw new ConfigError("CUSTODIA_AUDIT_WITNESSES: a witness verifier key is malformed.");
    }
  });
}

const lastCosigned = async (services: Services, witness: string) =>
  Number(
    (
      await services.engine.db
        .selectFrom("audit_cosignatures")
        .select((eb) => eb.fn.max("size").as("size"))
        .where("witness", "=", witness)
        .executeTakeFirst()
    )?.size ?? 0,
  );

async function submit(witness: Witness, body: string, fetcher: typeof fetch) {
  const res = await fetcher(`${witness.url}/add-checkpoint`, {
    method: "POST",
    headers: { "content-type": "text/plain; charset=utf-8" },
    body,
    redirect: "error",
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** Sends the latest signed checkpoint to one witness, with a consistency proof from what it last cosigned. */
export async function pushToWitness(services: Services, witness: Witness, fetcher: typeof fetch = fetch): Promise<WitnessOutcome> {
  const name = witness.key.name;
  const latest = await latestTreeCheckpoint(services.engine.db);
  let old = await lastCosigned(services, name);
  if (!latest || (old > 0 && latest.size <= old)) return { witness: name, outcome: "up_to_date", size: old };
  const body = latest.note.slice(0, latest.note.lastIndexOf("\n\n") + 1);
  // Twice at most: the first answer may tell us the size the witness holds (409), if our record of it is lost.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (old > latest.size) return { witness: name, outcome: "refused", reason: "witness_ahead", witnessSize: old };
    // From the events as stored now, whether or not the checkpoint the witness saw is still here:
    // if the log was rewritten, the witness is the one to say so.
    const proof = old > 0 && old < latest.size ? await consistencyPath(services.engine.db, old, latest.size) : [];
    let answer: Awaited<ReturnType<typeof submit>>;
    try {
      answer = await submit(witness, `old ${old}\n${proof.map((p) => `${p}\n`).join("")}\n${latest.note}`, fetcher);
    } catch {
      return { witness: name, outcome: "unreachable" };
    }
    if (answer.status === 409 && answer.type.startsWith("text/x.tlog.size") && attempt === 0) {
      const size = Number(answer.text.trim());
      if (Number.isSafeInteger(size) && size >= 0 && size !== old) {
        old = size;
        continue;
      }
    }
    if (answer.status !== 200) {
      const reason = answer.status === 422 || answer.status === 409 ? "inconsistent" : "rejected";
      return { witness: name, outcome: "refused", reason, status: answer.status, witnessSize: old };
    }
    for (const line of answer.text.split("\n")) {
      const time = verifyCosignature(body, line, witness.key);
      if (time === null) continue;
      await services.engine.db
        .insertInto("audit_cosignatures")
        .values({ witness: name, size: latest.size, cosigned_at: new Date(time * 1000).toISOString(), signature: line })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return { witness: name, outcome: "cosigned", size: latest.size };
    }
    return { witness: name, outcome: "refused", reason: "bad_cosignature", status: 200 };
  }
  return { witness: name, outcome: "unreachable" };
}

/**
 * Pushes to every witness. A refusal is audited (no personal data: sizes and codes), because it
 * means the log this server holds is not the one the witness saw; an unreachable witness is not.
 */
export async function pushToWitnesses(services: Services, witnesses: readonly Witness[], fetcher: typeof fetch = fetch): Promise<WitnessOutcome[]> {
  const outcomes: WitnessOutcome[] = [];
  for (const witness of witnesses) {
    const outcome = await pushToWitness(services, witness, fetcher);
    outcomes.push(outcome);
    if (outcome.outcome !== "refused") continue;
    await runUnitOfWork(services, { actor: { kind: "system" }, requestId: null, purpose: null }, async (w) => {
      w.record({
        action: "audit.witness",
        outcome: "failure",
        reason: `witness_${outcome.reason}`,
        targetType: "audit_witness",
        targetId: outcome.witness,
        details: { status: outcome.status ?? null, witnessSize: outcome.witnessSize ?? null },
      });
    });
  }
  return outcomes;
}
