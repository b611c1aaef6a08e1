/**
 * `custodia files put | get | scan | trace | sweep` (issue #11), kept here so the CLI entry point
 * only wires it in. put, get and trace act as the staff member whose API token is presented
 * (src/cli/staff-context.ts) through the same commands as the API; scan reads a local file only
 * and touches no vault; sweep is the operator's housekeeping of ciphertext nothing may read.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, readFile, rm, stat } from "node:fs/promises";
import { basename } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { RequestContext } from "../../access/policy/actor.js";
import { progressBar } from "../../cli/progress.js";
import { staffContext } from "../../cli/staff-context.js";
import { loadConfig } from "../../platform/config.js";
import type { Services } from "../../platform/services.js";
import { DOCUMENT_CATEGORIES, type DocumentCategory } from "./document.js";
import { runBlobSweep } from "./document-blob-sweeper.js";
import type { LocalScan } from "./document-local-scan.js";

// The use cases load the content libraries (pdf.js, OCR, office formats): imported when a command
// runs, so every other command starts without them.
const useCases = {
  upload: () => import("./document-uploader.js"),
  download: () => import("./document-downloader.js"),
  trace: () => import("./document-tracer.js"),
  scan: () => import("./document-local-scan.js"),
};

type WithServices = <T>(dataDir: string | undefined, work: (s: Services) => Promise<T>) => Promise<T>;

/** As POST /documents/trace: a leaked file is read whole. */
const TRACE_MAX_BYTES = 256 * 1024 * 1024;

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
};
const tokenFileOption = () => new Option("--token-file <file>", "file holding your API token (owner-only); default: env CUSTODIA_TOKEN");
const purposeOption = () => new Option("--purpose <code>", "the purpose you work on the client for, e.g. case-handling").makeOptionMandatory();

/** The source as it is read, counted for the progress bar; its errors pass on. */
function metered(source: Readable, onBytes: (total: number) => void): Readable {
  let total = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes((total += chunk.length));
      done(null, chunk);
    },
  });
  source.on("error", (error) => meter.destroy(error));
  return source.pipe(meter);
}

const describeScan = (r: LocalScan) =>
  [
    `${r.mediaType}, ${r.sizeBytes} bytes: ${r.status}.`,
    ...r.findings.map(
      (f) => `  ${f.type}: ${f.count} (high ${f.high}, medium ${f.medium}, low ${f.low}) on page${f.pages.length === 1 ? "" : "s"} ${f.pages.join(", ")}`,
    ),
    r.findings.length ? "" : "  no identifiers found",
    `Level as ${r.category}: L${r.level}${r.detectedLevel !== null ? ` (the findings call for L${r.detectedLevel})` : ""}.`,
  ]
    .filter((l) => l !== "")
    .join("\n");

/** Writes a delivered copy owner-only, never over an existing file unless forced; a failed write leaves nothing. */
async function save(path: string, content: Buffer | Readable, force: boolean): Promise<void> {
  const out = createWriteStream(path, { flags: force ? "w" : "wx", mode: 0o600 });
  try {
    await pipeline(Buffer.isBuffer(content) ? [content] : content, out);
    // An overwritten file keeps its old mode; a copy of a client document is the owner's alone.
    if (force) await chmod(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") await rm(path, { force: true });
    throw error;
  }
}

export function addFileCommands(
  program: Command,
  dataDirOption: () => Option,
  withServices: WithServices,
  fail: (e: unknown, json: boolean) => void,
  context: () => RequestContext,
): void {
  const files = program.command("files").description("client documents: upload, download (a registered copy), scan, trace a leak, sweep");

  files
    .command("put")
    .description("upload a file to a client as the staff member whose token you present; it is scanned for identifiers")
    .argument("<clientId>")
    .argument("<path>")
    .requiredOption("--title <title>")
    .addOption(new Option("--category <category>").choices([...DOCUMENT_CATEGORIES]).makeOptionMandatory())
    .option("--matter <matterId>", "one of the client's matters")
    .option("--level <n>", "sensitivity level 1-4 (at least the category's default)", positiveInt)
    .option("--filename <name>", "name to store (default: the file's own name)")
    .addOption(purposeOption())
    .addOption(tokenFileOption())
    .option("--json", "machine-readable output")
    .option("--quiet", "no progress bar on stderr")
    .addOption(dataDirOption())
    .action(async (clientId: string, path: string, o) => {
      try {
        const size = (await stat(path)).size;
        const document = await withServices(o.dataDir, async (s) => {
          const ctx = await staffContext(s, { tokenFile: o.tokenFile, purpose: o.purpose });
          const bar = o.quiet || o.json ? null : progressBar("upload", size);
          try {
            const content = metered(createReadStream(path), (n) => bar?.update(n));
            const draft = {
              clientId,
              matterId: o.matter ?? null,
              category: o.category,
              level: o.level ?? null,
              title: o.title,
              filename: o.filename ?? basename(path),
            };
            return await (await useCases.upload()).uploadDocument(s, ctx, draft, content);
          } finally {
            bar?.stop();
          }
        });
        if (o.json) console.log(JSON.stringify(document));
        else {
          const found = Object.entries(document.findings ?? {}).map(([type, c]) => `${type} ${c.count}`);
          console.log(
            `Stored document ${document.id}: L${document.level}, ${document.mediaType}, ${document.sizeBytes} bytes; ${document.scanStatus}${found.length ? `: ${found.join(", ")}` : ""}.`,
          );
        }
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });

  files
    .command("get")
    .description("download a version as the staff member whose token you present: a registered, fingerprinted copy (L3+ needs a copy_document approval)")
    .argument("<documentId>")
    .option("--version <n>", "version (default: the current one)", positiveInt)
    .option("-o, --out <path>", 'where to write it ("-" for stdout; default: its stored file name here)')
    .option("--force", "overwrite an existing file")
    .addOption(purposeOption())
    .addOption(tokenFileOption())
    .option("--json", "machine-readable summary")
    .addOption(dataDirOption())
    .action(async (documentId: string, o) => {
      const toStdout = o.out === "-";
      try {
        const saved = await withServices(o.dataDir, async (s) => {
          const ctx = await staffContext(s, { tokenFile: o.tokenFile, purpose: o.purpose });
          const file = await (await useCases.download()).downloadDocument(s, ctx, documentId, o.version);
          const content = file.bytes ?? file.stream!;
          // Stored names carry no slashes (checked at upload); basename is a second guard.
          const path = toStdout ? "-" : (o.out ?? basename(file.filename));
          if (toStdout) await pipeline(Buffer.isBuffer(content) ? [content] : content, process.stdout, { end: false });
          else await save(path, content, Boolean(o.force));
          return { documentId, path, filename: file.filename, mediaType: file.mediaType, sizeBytes: file.sizeBytes, copyId: file.copyId };
        });
        const line = o.json
          ? JSON.stringify(saved)
          : `Saved ${saved.path === "-" ? "to stdout" : saved.path} (${saved.sizeBytes} bytes, ${saved.mediaType}); registered copy ${saved.copyId}.`;
        if (toStdout) console.error(line);
        else console.log(line);
      } catch (e) {
        fail(e, Boolean(o.json) && !toStdout);
      }
    });

  files
    .command("scan")
    .description(
      "extract the text of a local file (OCR where tesseract is installed) and count the identifiers found per type and page, never their values, with the level it would get; nothing is stored",
    )
    .argument("<path>")
    .addOption(new Option("--category <category>", "category it would be uploaded as").choices([...DOCUMENT_CATEGORIES]).default("other"))
    .option("--json", "machine-readable output")
    .action(async (path: string, o) => {
      try {
        const r = await (await useCases.scan()).scanLocalFile(path, o.category as DocumentCategory);
        console.log(o.json ? JSON.stringify(r) : describeScan(r));
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });

  files
    .command("trace")
    .description("name the downloads or shares a leaked file came from, with their audit events (as the staff member whose token you present; compliance)")
    .argument("<file>")
    .addOption(tokenFileOption())
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (path: string, o) => {
      try {
        if ((await stat(path)).size > TRACE_MAX_BYTES) throw new Error(`${path} is larger than 256 MiB; a leaked copy that large cannot be traced here.`);
        const file = await readFile(path);
        const { result, staff } = await withServices(o.dataDir, async (s) => {
          const ctx = await staffContext(s, { tokenFile: o.tokenFile });
          const result = await (await useCases.trace()).traceLeak(s, ctx, file);
          const ids = [...new Set(result.copies.map((c) => c.userId).filter((id): id is string => id !== null))];
          const staff = ids.length ? await s.engine.db.selectFrom("users").select(["id", "email", "display_name"]).where("id", "in", ids).execute() : [];
          return { result, staff: new Map(staff.map((u) => [u.id, u])) };
        });
        if (o.json) {
          const copies = result.copies.map((c) => ({ ...c, userEmail: c.userId ? (staff.get(c.userId)?.email ?? null) : null }));
          console.log(JSON.stringify({ ...result, copies }));
          return;
        }
        for (const c of result.copies) {
          const who = c.userId
            ? `${staff.get(c.userId)?.display_name ?? "?"} <${staff.get(c.userId)?.email ?? c.userId}>`
            : c.shareId
              ? `share ${c.shareId}`
              : "unknown";
          console.log(
            `copy ${c.copyId}: ${c.kind} of document ${c.documentId} v${c.version} (client ${c.clientId}) to ${who} at ${c.createdAt}; request ${c.requestId ?? "-"}; audit event ${c.auditEventId ?? "-"}; recognised by ${c.evidence}`,
          );
        }
        for (const v of result.versions) console.log(`identical to document ${v.documentId} v${v.version} (client ${v.clientId})`);
        console.log(`${result.copies.length} copies and ${result.versions.length} stored versions match.`);
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });

  files
    .command("sweep")
    .description(
      "delete the files of destroyed documents, and files no document version names that are older than --older-than-hours (cron; erasures do the first at once)",
    )
    .option("--older-than-hours <n>", "age before a file no row names is taken as left over (an upload may still be scanning)", positiveInt, 24)
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const config = loadConfig({ dataDir: o.dataDir });
        const olderThan = new Date(Date.now() - o.olderThanHours * 3_600_000);
        const r = await withServices(o.dataDir, (s) => runBlobSweep(s, context(), { dataDir: config.dataDir, olderThan }));
        if (r.failed) process.exitCode = 1;
        console.log(
          o.json
            ? JSON.stringify(r)
            : `Deleted ${r.purged} files of destroyed documents and ${r.orphans} left-over files; ${r.abandoned} unfinished uploads removed; ${r.unclaimed} recent files with no record kept${r.failed ? `; ${r.failed} FAILED (run again)` : ""}.`,
        );
      } catch (e) {
        fail(e, Boolean(o.json));
      }
    });
}
