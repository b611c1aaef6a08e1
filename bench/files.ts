/**
 * files: upload and download of one large file through the real HTTP API on a listening socket
 * (POST /api/v1/clients/:id/documents, GET /api/v1/documents/:id/content), served by a child process
 * (this file, `files.ts serve <dataDir>`), against node's raw AES-256-GCM stream piped to and from a
 * plain file, on the same bytes in the same run. Issue #11: ≥ 50% of the baseline's MB/s, and the
 * server's RSS growth < 64 MiB, on the file blob store and (when PostgreSQL answers) the database one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomFillSync } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, fsyncSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { sniffMediaType } from "../src/records/documents/content/index.js";
import { cleanEnv, fmt, MemoryKeyProvider, now, settle, tempDir, type Benchmark, type BenchOptions, type SummaryRow } from "./lib.js";

const MB = 1024 * 1024;
const ROOT = join(import.meta.dirname, "..");
const SELF = fileURLToPath(import.meta.url);
const RSS_LIMIT_MB = 64;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const HEADERS = (token: string) => ({ authorization: `Bearer ${token}`, "x-purpose": "case-handling" });

// --- the server child ------------------------------------------------------------------------

/** Serves Custodia on a temp data dir with one client and a partner token; prints { port, token, clientId }. */
async function serve(dataDir: string): Promise<void> {
  const { loadConfig } = await import("../src/platform/config.js");
  const { openServices } = await import("../src/platform/services.js");
  const { buildServer } = await import("../src/http/server.js");
  const { addUser, CONSOLE_OPERATOR, createToken } = await import("../src/identity/users/user-admin.js");
  const { importClients } = await import("../src/records/clients/client-importer.js");
  const { syntheticClients } = await import("../src/platform/demo/synthetic.js");
  // The parent passes CUSTODIA_DATABASE_* and CUSTODIA_BLOB_STORE for the database store; nothing else.
  const services = await openServices(loadConfig({ dataDir }, process.env), { keyProvider: new MemoryKeyProvider() });
  const email = "partner@bench.example.com";
  await addUser(services, CONSOLE_OPERATOR, { email, role: "partner", password: "bench-password-not-secret" }, "bench-setup-user");
  const { token } = await createToken(services, CONSOLE_OPERATOR, { email, name: "bench" }, "bench-setup-token");
  const [clientId] = await importClients(services, { actor: { userId: "system:bench", role: "partner" }, requestId: "bench-setup-import", purpose: null }, [
    { ...syntheticClients(7)(), purposes: ["case-handling"] },
  ]);
  // Rules keep evaluating on every download (bulk download, off hours …), but one token fetching the
  // same file again and again must not be contained mid-benchmark.
  await services.engine.db.updateTable("detection_rules").set({ containment: "none" }).execute();
  services.detector.invalidate();
  const app = await buildServer(services, { logLevel: "warn", rateLimitPerMinute: 0 });
  await app.listen({ host: "127.0.0.1", port: 0 });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port, token, clientId })}\n`);
  const stop = async () => {
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
}

/** Fastify and @fastify/multipart with nothing behind them: what the transport alone costs. */
async function serveBare(dir: string): Promise<void> {
  const { default: Fastify } = await import("fastify");
  const { default: fastifyMultipart } = await import("@fastify/multipart");
  const app = Fastify({ logger: false });
  await app.register(fastifyMultipart, { limits: { files: 1, fileSize: 1024 ** 4 } });
  app.post("/upload", async (request, reply) => {
    const part = await request.file();
    let sizeBytes = 0;
    for await (const chunk of part!.file) sizeBytes += (chunk as Buffer).length;
    return reply.status(201).send({ id: "bare", sizeBytes });
  });
  app.get<{ Params: { name: string } }>("/download/:name", async (request, reply) => {
    const path = join(dir, basename(request.params.name));
    return reply
      .header("content-type", "application/octet-stream")
      .header("content-length", String(statSync(path).size))
      .send(createReadStream(path, { highWaterMark: 256 * 1024 })); // the file store's read size
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
  process.once("SIGTERM", () => process.exit(0));
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}

interface Child {
  child: ChildProcess;
  port: number;
}
interface Server extends Child {
  token: string;
  clientId: string;
}
type Bare = Child;

async function startServer<T extends Child>(args: string[], env: Record<string, string>): Promise<T> {
  // BENCH_FILES_PROFILE=<dir>: CPU profiles of the servers, to see where the time goes.
  const profile = process.env.BENCH_FILES_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_FILES_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", SELF, ...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`files ${args[0]} server exited with ${code} before listening`)));
  });
  lines.on("line", (line) => console.error(`   [files ${args[0]} server] ${line}`));
  return { child, ...JSON.parse(first) } as T;
}

async function stopServer(server: Child): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.stdin!.end();
  const timer = setTimeout(() => server.child.kill("SIGTERM"), 5000);
  await exited;
  clearTimeout(timer);
}

// --- the server's memory, from /proc ---------------------------------------------------------

const statusKb = (pid: number, field: "VmRSS" | "VmHWM") =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) * 1024;

/**
 * The server's RSS during one request: sampled every 100 ms, and its kernel high-water mark (reset
 * at the start through clear_refs, so a spike between samples is not missed). Growth = max − start.
 */
function watchRss(pid: number) {
  const start = statusKb(pid, "VmRSS");
  let peakReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    peakReset = false;
  }
  let max = start;
  const timer = setInterval(() => {
    max = Math.max(max, statusKb(pid, "VmRSS"));
  }, 100);
  return () => {
    clearInterval(timer);
    const sampledMax = Math.max(max, statusKb(pid, "VmRSS"));
    const peak = peakReset ? Math.max(sampledMax, statusKb(pid, "VmHWM")) : sampledMax;
    return { startMb: start / MB, sampledMaxMb: sampledMax / MB, peakMb: peak / MB, growthMb: (peak - start) / MB };
  };
}

// --- the two clients -------------------------------------------------------------------------

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** POSTs the file as multipart (title, category, then the file part), streamed from disk: nothing is buffered whole. */
async function upload(port: number, path: string, headers: Record<string, string>, source: Source): Promise<{ seconds: number; id: string }> {
  const boundary = `custodia-bench-${randomBytes(12).toString("hex")}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    `${field("title", "bench file")}${field("category", "other")}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const t0 = now();
  const req = request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path,
    headers: { ...headers, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(head.length + source.size + tail.length) },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => req.once("response", resolve).once("error", reject));
  const sent = pipeline(async function* () {
    yield head;
    yield* createReadStream(source.path);
    yield tail;
  }, req);
  // An early refusal (413, 403) closes the socket under the body: the status says more than EPIPE.
  const [res] = await Promise.all([answered, sent.catch(() => undefined)]);
  const body = await readText(res);
  const seconds = now() - t0;
  if (res.statusCode !== 201) throw new Error(`upload answered ${res.statusCode}: ${body.slice(0, 300)}`);
  const stored = JSON.parse(body) as { id: string; sizeBytes: number };
  if (stored.sizeBytes !== source.size) throw new Error(`upload stored ${stored.sizeBytes} bytes of ${source.size}`);
  return { seconds, id: stored.id };
}

/** GETs a file and discards it (hashing it when asked, for the untimed check). */
async function download(
  port: number,
  path: string,
  headers: Record<string, string>,
  size: number,
  hash = false,
): Promise<{ seconds: number; sha256: string | null }> {
  const t0 = now();
  const res = await new Promise<IncomingMessage>((resolve, reject) => request({ host: "127.0.0.1", port, path, headers }, resolve).once("error", reject).end());
  if (res.statusCode !== 200) throw new Error(`download answered ${res.statusCode}: ${(await readText(res)).slice(0, 300)}`);
  const digest = hash ? createHash("sha256") : null;
  let bytes = 0;
  for await (const chunk of res) {
    bytes += (chunk as Buffer).length;
    digest?.update(chunk as Buffer);
  }
  const seconds = now() - t0;
  if (bytes !== size) throw new Error(`download gave ${bytes} bytes of ${size}`);
  return { seconds, sha256: digest?.digest("hex") ?? null };
}

const discard = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

// --- the sides ------------------------------------------------------------------------------

/** Random (incompressible) bytes behind a fixed 16-byte head, so no magic number can make it a scanned format. */
async function generateFile(path: string, size: number): Promise<{ path: string; size: number; sha256: string }> {
  const digest = createHash("sha256");
  await pipeline(async function* () {
    const head = Buffer.from("custodia-bench\n\0");
    let left = size;
    for (let first = true; left > 0; first = false) {
      const block = randomFillSync(Buffer.allocUnsafe(Math.min(MB, left)));
      if (first) head.copy(block, 0, 0, Math.min(head.length, block.length));
      left -= block.length;
      digest.update(block);
      yield block;
    }
  }, createWriteStream(path));
  return { path, size, sha256: digest.digest("hex") };
}

type Source = Awaited<ReturnType<typeof generateFile>>;
type Rss = ReturnType<ReturnType<typeof watchRss>>;
type SideName = "ours" | "baseline" | "bare";

/** One way of moving the file in and out; each call returns its seconds. */
interface Side {
  name: SideName;
  upload(source: Source): Promise<number>;
  download(source: Source): Promise<number>;
}

function oursSide(server: Server, rss: { upload: Rss[]; download: Rss[] }): Side & { last(): string } {
  let document = "";
  return {
    name: "ours",
    last: () => document,
    async upload(source) {
      const done = watchRss(server.child.pid!);
      const result = await upload(server.port, `/api/v1/clients/${server.clientId}/documents`, HEADERS(server.token), source);
      rss.upload.push(done());
      document = result.id;
      return result.seconds;
    },
    async download(source) {
      const done = watchRss(server.child.pid!);
      const { seconds } = await download(server.port, `/api/v1/documents/${document}/content`, HEADERS(server.token), source.size);
      rss.download.push(done());
      return seconds;
    },
  };
}

function baselineSide(encrypted: string): Side & { fsync: number[] } {
  let key = randomBytes(32);
  let iv = randomBytes(12);
  let tag = Buffer.alloc(0);
  const fsync: number[] = [];
  return {
    name: "baseline",
    fsync,
    async upload(source) {
      [key, iv] = [randomBytes(32), randomBytes(12)];
      rmSync(encrypted, { force: true });
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const t0 = now();
      await pipeline(createReadStream(source.path), cipher, createWriteStream(encrypted));
      const seconds = now() - t0;
      tag = cipher.getAuthTag();
      // Not part of the baseline (a plain file write), but ours fsyncs each blob: kept to read the gap.
      const t1 = now();
      const fd = openSync(encrypted, "r+");
      fsyncSync(fd);
      closeSync(fd);
      fsync.push(now() - t1);
      return seconds;
    },
    async download() {
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAuthTag(tag);
      const t0 = now();
      await pipeline(createReadStream(encrypted), decipher, discard());
      return now() - t0;
    },
  };
}

/** The bare server's RSS is watched too: what streaming through Fastify alone grows by. */
function bareSide(server: Bare, rss: { upload: Rss[]; download: Rss[] }): Side {
  return {
    name: "bare",
    async upload(source) {
      const done = watchRss(server.child.pid!);
      const { seconds } = await upload(server.port, "/upload", {}, source);
      rss.upload.push(done());
      return seconds;
    },
    async download(source) {
      const done = watchRss(server.child.pid!);
      const { seconds } = await download(server.port, `/download/${basename(source.path)}`, {}, source.size);
      rss.download.push(done());
      return seconds;
    },
  };
}

// --- one store -------------------------------------------------------------------------------

interface StoreRun {
  rows: SummaryRow[];
  details: Record<string, unknown>;
}

/**
 * Rounds of upload then download on every side, the order reversed each round so drift, the page
 * cache and the disk's writeback fall on all alike. A row is the round with the median ratio: each
 * ratio compares runs seconds apart, which others' load (swinging 3× within a minute) hits alike.
 */
async function measureStore(
  store: string,
  env: Record<string, string>,
  source: Source,
  warm: Source,
  rounds: number,
  log: BenchOptions["log"],
  bare: Bare | null,
): Promise<StoreRun> {
  const dir = tempDir("files");
  const maxBytes = String(Math.max(1024 ** 3, source.size));
  const server = await startServer<Server>(["serve", join(dir.path, "data")], { ...env, CUSTODIA_DOCUMENT_MAX_BYTES: maxBytes });
  try {
    const rss = { upload: [] as Rss[], download: [] as Rss[] };
    const bareRss = { upload: [] as Rss[], download: [] as Rss[] };
    const ours = oursSide(server, rss);
    const baseline = baselineSide(join(dir.path, "baseline.enc"));
    const sides: Side[] = [ours, baseline, ...(bare ? [bareSide(bare, bareRss)] : [])];
    // Warm-up on a small file: lazy imports and JIT are start-up costs, not a file's.
    for (const side of sides) {
      await side.upload(warm);
      await side.download(warm);
    }
    for (const r of [rss, bareRss]) {
      r.upload.length = 0;
      r.download.length = 0;
    }
    baseline.fsync.length = 0;

    const mb = source.size / MB;
    const runs: { upload: Record<string, number>; download: Record<string, number> }[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      const round = { upload: {} as Record<string, number>, download: {} as Record<string, number> };
      for (const side of order) {
        await settle();
        round.upload[side.name] = mb / (await side.upload(source));
      }
      for (const side of order) {
        await settle();
        round.download[side.name] = mb / (await side.download(source));
      }
      runs.push(round);
      const line = (phase: Record<string, number>) => sides.map((s) => `${s.name} ${fmt(phase[s.name]!, 1)}`).join(", ");
      log(
        `${store} round ${r + 1} (MB/s): upload ${line(round.upload)}; download ${line(round.download)}; server RSS +${fmt(rss.upload[r]!.growthMb, 1)} MiB up (from ${fmt(rss.upload[r]!.startMb, 0)}), +${fmt(rss.download[r]!.growthMb, 1)} MiB down${bare ? ` (bare server +${fmt(bareRss.upload[r]!.growthMb, 1)} up, +${fmt(bareRss.download[r]!.growthMb, 1)} down)` : ""}; baseline fsync ${fmt(baseline.fsync[r]!, 2)} s`,
      );
    }
    // Untimed: the benchmark is void unless the last upload comes back byte for byte.
    const check = await download(server.port, `/api/v1/documents/${ours.last()}/content`, HEADERS(server.token), source.size, true);
    if (check.sha256 !== source.sha256) throw new Error(`${store}: the downloaded file differs from the uploaded one`);

    // The round with the median ratio, so the row's two figures are from one round and agree with its ratio.
    const row = (phase: "upload" | "download", peer: SideName, benchmark: string, peerLabel: string, target: SummaryRow["target"]): SummaryRow => {
      const ratio = (x: (typeof runs)[number]) => x[phase].ours! / x[phase][peer]!;
      const mid = [...runs].sort((a, b) => ratio(a) - ratio(b))[runs.length >> 1]!;
      return { benchmark, unit: "MB/s", ours: mid[phase].ours!, peerLabel, peer: mid[phase][peer]!, ratio: ratio(mid), target };
    };
    // The worst round: the limit holds for every transfer, not the typical one.
    const limit = (phase: "upload" | "download"): SummaryRow => {
      const growth = Math.max(...rss[phase].map((x) => x.growthMb));
      return {
        benchmark: `files ${phase} RSS growth, ${store}`,
        unit: "MiB",
        ours: growth,
        peerLabel: "limit",
        peer: RSS_LIMIT_MB,
        ratio: growth / RSS_LIMIT_MB,
        target: { op: "<=", value: 1 },
      };
    };
    const rows = [
      row("upload", "baseline", `files upload, ${store}`, "AES-GCM + file write", { op: ">=", value: 0.5 }),
      row("download", "baseline", `files download, ${store}`, "file read + AES-GCM", { op: ">=", value: 0.5 }),
      limit("upload"),
      limit("download"),
    ];
    if (bare)
      rows.push(
        row("upload", "bare", `files upload vs bare transport, ${store}`, "bare fastify multipart", null),
        row("download", "bare", `files download vs bare transport, ${store}`, "bare fastify file", null),
      );
    return { rows, details: { rounds: runs, rss, ...(bare ? { bareRss } : {}), baselineFsyncSeconds: baseline.fsync } };
  } finally {
    await stopServer(server);
    dir.remove();
  }
}

async function postgresSchema(): Promise<{ schema: string; drop(): Promise<void> } | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    await client.end().catch(() => {});
    return null;
  }
  const schema = `bench_files_${randomBytes(6).toString("hex")}`;
  await client.query(`create schema ${schema}`);
  return {
    schema,
    async drop() {
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

export const filesBench: Benchmark = {
  name: "files",
  summary: "upload and download of a large file through the HTTP API vs raw AES-256-GCM + a plain file; server RSS growth",
  async run({ quick, log }) {
    const sizeMb = Number(process.env.BENCH_FILE_MB ?? (quick ? 32 : 1024));
    if (!Number.isInteger(sizeMb) || sizeMb < 1) throw new Error("BENCH_FILE_MB must be a whole number of MiB ≥ 1");
    const rounds = 3;
    const dir = tempDir("files-source");
    let bare: Bare | null = null;
    try {
      const t0 = now();
      const source = await generateFile(join(dir.path, "source.bin"), sizeMb * MB);
      const warm = await generateFile(join(dir.path, "warm.bin"), 4 * MB);
      log(
        `source: ${fmt(sizeMb)} MiB of random bytes, generated in ${fmt(now() - t0, 1)} s; a 4 MiB warm-up per side, then ${rounds} rounds per store, the order of the sides reversed each round`,
      );
      const media = await sniffMediaType(await firstBytes(source.path, 4100));
      if (media !== "application/octet-stream") throw new Error(`the source file sniffs as ${media}, not a plain binary: a scan would distort the figure`);

      bare = await startServer<Bare>(["serve-bare", dir.path], {});
      const file = await measureStore("file store", {}, source, warm, rounds, log, bare);
      await stopServer(bare);
      bare = null;
      const rows = [...file.rows];
      const details: Record<string, unknown> = { sizeMb, rounds, fileStore: file.details };
      const pgOff = process.env.BENCH_FILES_POSTGRES === "off";
      const schema = pgOff ? null : await postgresSchema();
      if (schema) {
        try {
          const env = { CUSTODIA_DATABASE_URL: POSTGRES_URL, CUSTODIA_DATABASE_SCHEMA: schema.schema, CUSTODIA_BLOB_STORE: "database" };
          const database = await measureStore("database store (PostgreSQL)", env, source, warm, rounds, log, null);
          rows.push(...database.rows);
          details.databaseStore = database.details;
        } finally {
          await schema.drop();
        }
      } else log(pgOff ? "database store skipped (BENCH_FILES_POSTGRES=off)" : `database store skipped: PostgreSQL does not answer at ${POSTGRES_URL}`);
      return { rows, details };
    } finally {
      if (bare) await stopServer(bare);
      dir.remove();
    }
  },
};

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { start: 0, end: n - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// As the servers' child process: `files.ts serve <dataDir>` or `files.ts serve-bare <dir>`.
if (process.argv[1] === SELF) {
  if (process.argv[2] === "serve") await serve(process.argv[3] ?? "");
  else if (process.argv[2] === "serve-bare") await serveBare(process.argv[3] ?? "");
}
