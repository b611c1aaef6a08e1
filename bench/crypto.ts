/**
 * crypto: in-process encryption and decryption of one client row (6 personal fields, 3 blind
 * indexes) with our Vault vs ciphersweet-js 2.x (ModernCrypto, "fast" blind indexes).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import cs from "ciphersweet-js";
import { normaliseForIndex } from "../src/records/clients/normalise.js";
import { syntheticClients } from "../src/platform/demo/synthetic.js";
import { Vault, type WrappedDataKey } from "../src/vault/vault.js";
import { MemoryKeyProvider, now, settle, type Benchmark, type BenchOptions } from "./lib.js";

const { BlindIndex, CipherSweet, EncryptedRow, ModernCrypto, StringProvider } = cs;

const FIELDS = ["name", "idNumber", "phone", "email", "address", "birthDate"] as const;
const INDEXED = ["name", "idNumber", "phone"] as const;
type Field = (typeof FIELDS)[number];
type Plain = { id: string } & Record<Field, string>;

/** Each side must hand back the same plaintext it was given, or its figure means nothing. */
function assertRoundTrip(label: string, expected: Plain, actual: Record<string, unknown>) {
  for (const f of FIELDS) {
    if (actual[f] !== expected[f]) throw new Error(`${label}: field ${f} did not round-trip`);
  }
}

// --- ours ------------------------------------------------------------------------------------

interface OurSealed {
  key: WrappedDataKey;
  fields: Record<Field, Buffer>;
  indexes: Record<(typeof INDEXED)[number], string>;
}

async function ours() {
  const vault = await Vault.open(new MemoryKeyProvider());
  vault.createKek(1);
  // One fresh data key per row: that is what every new client costs us (ENC-4).
  const encrypt = (row: Plain): OurSealed => {
    const { dataKey, wrapped } = vault.newDataKey(row.id, 1);
    const fields = {} as Record<Field, Buffer>;
    for (const f of FIELDS) fields[f] = vault.seal(dataKey, { table: "clients", recordId: row.id, field: f }, row[f]);
    const indexes = {} as OurSealed["indexes"];
    for (const f of INDEXED) indexes[f] = vault.blindIndex(`clients.${f}`, normaliseForIndex(f, row[f]));
    return { key: wrapped, fields, indexes };
  };
  const decrypt = (sealed: OurSealed): Record<Field, string> => {
    const key = vault.openDataKey(sealed.key);
    const out = {} as Record<Field, string>;
    for (const f of FIELDS) out[f] = vault.open(key, { table: "clients", recordId: sealed.key.ownerId, field: f }, sealed.fields[f]);
    return out;
  };
  return { encrypt, decrypt };
}

// --- ciphersweet-js ----------------------------------------------------------------------------

function ciphersweet() {
  const engine = new CipherSweet(new StringProvider(randomBytes(32).toString("hex")), new ModernCrypto());
  const row = new EncryptedRow(engine, "clients");
  // Each field bound to the row id as AAD, like our FieldBinding; 64-bit fast indexes, like ours.
  for (const f of FIELDS) row.addTextField(f, "id");
  for (const f of INDEXED) row.addBlindIndex(f, new BlindIndex(`${f}_bidx`, [], 64, true));
  // ciphersweet-js turns strings into bytes as latin1, which mangles Chinese text: a correct caller
  // passes UTF-8 Buffers in and re-decodes the strings it gets back. That work is counted for it.
  const encrypt = async (plain: Plain) => {
    const input: Record<string, string | Buffer> = { id: plain.id };
    for (const f of FIELDS) input[f] = Buffer.from(plain[f], "utf8");
    return row.prepareRowForStorage(input);
  };
  const decrypt = async (stored: Record<string, string>) => {
    // Its typings say Map, but decryptRow takes and returns plain objects.
    const raw = (await row.decryptRow(stored as unknown as Map<string, unknown>)) as unknown as Record<string, string>;
    const out = {} as Record<Field, string>;
    for (const f of FIELDS) out[f] = Buffer.from(raw[f]!, "latin1").toString("utf8");
    return out;
  };
  return { encrypt, decrypt };
}

// --- measurement -----------------------------------------------------------------------------

/** Runs `op` over the pool, round-robin, for `seconds` of wall time; returns rows/s. */
async function rate(pool: number, seconds: number, op: (i: number) => unknown): Promise<number> {
  const start = now();
  const end = start + seconds;
  let n = 0;
  let t = start;
  while (t < end) {
    // Check the clock every 32 rows: cheap against a row's cost, fine-grained enough to stop on time.
    for (let k = 0; k < 32; k++) {
      const r = op(n++ % pool);
      if (r instanceof Promise) await r; // only ciphersweet-js is async; no extra tick for ours
    }
    t = now();
  }
  return n / (t - start);
}

/** Alternates the two sides round by round (ABAB, then BABA) so machine drift hits both alike. */
async function compare(rounds: number, seconds: number, pool: number, a: (i: number) => unknown, b: (i: number) => unknown) {
  const rows = { a: 0, b: 0 };
  const runs: { a: number[]; b: number[] } = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const);
    for (const side of order) {
      await settle();
      const perSecond = await rate(pool, seconds, side === "a" ? a : b);
      runs[side].push(perSecond);
      rows[side] += perSecond;
    }
  }
  return { a: rows.a / rounds, b: rows.b / rounds, runs };
}

export const cryptoBench: Benchmark = {
  name: "crypto",
  summary: "encrypt/decrypt one client row (6 fields + 3 blind indexes): Vault vs ciphersweet-js ModernCrypto",
  async run({ quick, log }: BenchOptions) {
    const seconds = quick ? 0.5 : 3;
    const rounds = 2;
    const next = syntheticClients(7);
    const pool: Plain[] = Array.from({ length: 1000 }, () => {
      const c = next();
      return { id: randomUUID(), name: c.name, idNumber: c.idNumber, phone: c.phone, email: c.email, address: c.address, birthDate: c.birthDate };
    });
    // sodium-plus picks its backend at run time; the comparison is only fair with sodium-native.
    const sodium = await createRequire(import.meta.url)("sodium-plus").SodiumPlus.auto();
    const backend: string = sodium.getBackendName();
    if (backend !== "SodiumNativeBackend") log(`warning: ciphersweet-js runs on ${backend}, not sodium-native`);
    const us = await ours();
    const them = ciphersweet();

    // Decrypt inputs, made once by each side; also the correctness check of both.
    const ourSealed = pool.map(us.encrypt);
    const theirSealed: Record<string, string>[] = [];
    for (const p of pool) theirSealed.push((await them.encrypt(p))[0] as Record<string, string>);
    for (const [i, plain] of pool.entries()) {
      assertRoundTrip("ours", plain, us.decrypt(ourSealed[i]!));
      assertRoundTrip("ciphersweet-js", plain, await them.decrypt(theirSealed[i]!));
    }

    // Warm-up: let both sides' code reach optimised tiers before anything is timed.
    for (const op of [
      (i: number) => us.encrypt(pool[i]!),
      (i: number) => them.encrypt(pool[i]!),
      (i: number) => us.decrypt(ourSealed[i]!),
      (i: number) => them.decrypt(theirSealed[i]!),
    ]) {
      await rate(pool.length, quick ? 0.2 : 0.5, op);
    }

    log(`encrypt: ${rounds} rounds x ${seconds}s per side`);
    const enc = await compare(
      rounds,
      seconds,
      pool.length,
      (i) => us.encrypt(pool[i]!),
      (i) => them.encrypt(pool[i]!),
    );
    log(`decrypt: ${rounds} rounds x ${seconds}s per side`);
    const dec = await compare(
      rounds,
      seconds,
      pool.length,
      (i) => us.decrypt(ourSealed[i]!),
      (i) => them.decrypt(theirSealed[i]!),
    );

    const target = { op: ">=" as const, value: 10 };
    return {
      rows: [
        { benchmark: "crypto encrypt row", unit: "rows/s", ours: enc.a, peerLabel: "ciphersweet-js", peer: enc.b, ratio: enc.a / enc.b, target },
        { benchmark: "crypto decrypt row", unit: "rows/s", ours: dec.a, peerLabel: "ciphersweet-js", peer: dec.b, ratio: dec.a / dec.b, target },
      ],
      details: {
        ciphersweetBackend: backend,
        secondsPerRun: seconds,
        rounds,
        fields: FIELDS,
        blindIndexes: INDEXED,
        encrypt: { ours: enc.runs.a, ciphersweet: enc.runs.b },
        decrypt: { ours: dec.runs.a, ciphersweet: dec.runs.b },
      },
    };
  },
};
