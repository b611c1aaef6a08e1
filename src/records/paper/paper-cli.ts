/**
 * `custodia paper locations | files | labels | checkouts | stocktake …`: the paper archive from the
 * server's console, acting as the archive keeper (records clerk) and audited as `system:console`.
 * `paper stocktake import` reads a scanner's code list (one code a line, blank lines and `#`
 * comments ignored) into an open stocktake, so a scripted scanner can feed it.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { CONSOLE_ACTOR_ID } from "../../access/policy/predicates.js";
import { parseOptions, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { AppError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { createLocation, listLocations } from "./archive-locations.js";
import { parseLabelCode } from "./label-code.js";
import { listCheckouts } from "./paper-checkouts.js";
import { labelSheet, listFiles, registerFile } from "./paper-register.js";
import { FileRegisterInput, LOCATION_KINDS, LocationInput } from "./paper.js";
import { closeStocktake, openStocktake, type PresentedStocktake, readStocktake, scanCode } from "./stocktake.js";

const CONSOLE_ARCHIVE: Actor = Object.freeze({ userId: CONSOLE_ACTOR_ID, role: "records-clerk" });
const archiveContext = (): RequestContext => ({ actor: CONSOLE_ARCHIVE, requestId: `cli-${randomUUID()}`, purpose: null });

/** A place by its code (A-03-2), as people name them. */
async function placeId(s: Services, code: string, field: string): Promise<string> {
  const { items } = await listLocations(s, archiveContext());
  const found = items.find((l) => l.code === code.toUpperCase());
  if (!found) throw ValidationError([{ field, code: "unknown_record", message: "No place with this code." }]);
  return found.id;
}

export function reportText(t: PresentedStocktake): string {
  const r = t.report;
  return [
    `stocktake ${t.id} of ${t.roomCode ?? "the whole archive"}: ${t.status}, ${t.scans} scans`,
    `  expected ${r.expected}, scanned ${r.scanned}, found ${r.found}`,
    `  out (${r.out.length}):${r.out.map((o) => `\n    ${o.code}  ${o.reference}  due ${o.dueOn}`).join("")}`,
    `  missing (${r.missing.length}):${r.missing.map((m) => `\n    ${m.code}  ${m.reference}  home ${m.homeLocationCode}`).join("")}`,
    `  unexpected (${r.unexpected.length}):${r.unexpected.map((u) => `\n    ${u.code}  ${u.reason}`).join("")}`,
    `  misplaced (${r.misplaced.length}):${r.misplaced.map((m) => `\n    ${m.code}  ${m.reference}  home ${m.homeLocationCode}, found at ${m.scannedLocationCode ?? "?"}`).join("")}`,
  ].join("\n");
}

export function addPaperCommands(program: Command): void {
  const paper = program.command("paper").description("paper files: archive places, files and labels, check-outs, stocktakes (as the archive keeper)");
  const locations = paper.command("locations").description("rooms, cabinets and shelves");
  vaultCommand(locations.command("list").description("every place with its code")).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const { items } = await withServices(o.dataDir, (s) => listLocations(s, archiveContext()));
      return { data: items, text: items.map((l) => `${l.code.padEnd(12)} ${l.kind.padEnd(8)} ${l.label}`).join("\n") || "no places" };
    }),
  );
  vaultCommand(
    locations
      .command("add")
      .description("add a room, a cabinet (--in ROOM) or a shelf (--in CABINET)")
      .addOption(new Option("--kind <kind>").choices([...LOCATION_KINDS]).makeOptionMandatory())
      .requiredOption("--code <code>", "e.g. A, A-03, A-03-2")
      .requiredOption("--label <label>", "a place name")
      .option("--in <code>", "the place it sits in"),
  ).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const l = await withServices(o.dataDir, async (s) =>
        createLocation(
          s,
          archiveContext(),
          parseOptions(LocationInput, { kind: o.kind, code: o.code, label: o.label, parentId: o.in ? await placeId(s, o.in, "in") : undefined }),
        ),
      );
      return { data: l, text: `${l.code} ${l.kind} added (${l.id})` };
    }),
  );

  const files = paper.command("files").description("the paper-file register");
  vaultCommand(files.command("list").description("files with code, reference, home shelf and loan").option("--client <id>")).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const { items } = await withServices(o.dataDir, (s) => listFiles(s, archiveContext(), o.client ? { clientId: o.client } : {}));
      const text = items
        .map(
          (f) =>
            `${f.code}  L${f.level}  ${f.homeLocationCode.padEnd(10)} ${f.status.padEnd(9)} ${f.checkout ? `${f.checkout.status} until ${f.checkout.dueOn}` : "on shelf"}  ${f.reference}`,
        )
        .join("\n");
      return { data: items, text: text || "no files" };
    }),
  );
  vaultCommand(
    files
      .command("add")
      .description("register a client's paper file; the title is read from stdin (it may name people)")
      .requiredOption("--client <id>")
      .option("--matter <id>")
      .option("--reference <ref>", "internal reference, for a file without a matter")
      .requiredOption("--level <n>", "1–4")
      .requiredOption("--shelf <code>", "home shelf code"),
  ).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const title = readFileSync(0, "utf8").trim();
      const f = await withServices(o.dataDir, async (s) =>
        registerFile(
          s,
          archiveContext(),
          parseOptions(FileRegisterInput, {
            clientId: o.client,
            matterId: o.matter,
            reference: o.reference,
            title,
            level: Number(o.level),
            homeShelfId: await placeId(s, o.shelf, "shelf"),
          }),
        ),
      );
      return { data: f, text: `${f.code} registered (${f.reference}, ${f.homeLocationCode})` };
    }),
  );

  vaultCommand(
    paper
      .command("labels")
      .description("write a PDF label sheet for files")
      .requiredOption("--codes <codes>", "comma-separated label codes")
      .requiredOption("--out <file>", "where to write the PDF"),
  ).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const codes = String(o.codes)
        .split(",")
        .map((c) => parseLabelCode(c));
      if (codes.some((c) => c === null)) throw ValidationError([{ field: "codes", code: "invalid_label_code", message: "Not a paper label code." }]);
      const pdf = await withServices(o.dataDir, async (s) => {
        const { items } = await listFiles(s, archiveContext());
        const ids = codes.map((c) => items.find((f) => f.code === c)?.id);
        if (ids.some((id) => !id)) throw new AppError(404, "not_found", "Paper file not found.");
        return labelSheet(s, archiveContext(), ids as string[]);
      });
      writeFileSync(o.out, pdf, { mode: 0o600 });
      return { data: { file: o.out, labels: codes.length }, text: `${codes.length} labels written to ${o.out}` };
    }),
  );

  vaultCommand(paper.command("checkouts").description("loans and copies").option("--overdue", "only files past their due day")).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const out = await withServices(o.dataDir, (s) => listCheckouts(s, archiveContext(), { overdue: Boolean(o.overdue) }));
      const text = out.items
        .map((c) => `${c.fileCode}  ${c.status.padEnd(8)} due ${c.dueOn}${c.overdue ? " OVERDUE" : ""}  ${c.reference}  borrower ${c.borrowerId}`)
        .join("\n");
      return { data: out, text: text || "no check-outs" };
    }),
  );

  const stocktake = paper.command("stocktake").description("stocktakes: open, import a scanner's code list, close and report");
  vaultCommand(stocktake.command("open").description("open a stocktake of a room (or the whole archive)").option("--room <code>")).action((o) =>
    runCommand(Boolean(o.json), async () => {
      const t = await withServices(o.dataDir, async (s) => openStocktake(s, archiveContext(), o.room ? { roomId: await placeId(s, o.room, "room") } : {}));
      return { data: t, text: `stocktake ${t.id} open (${t.report.expected} files expected)` };
    }),
  );
  vaultCommand(
    stocktake
      .command("import")
      .description("scan every code in a file (one a line) into an open stocktake")
      .argument("<id>", "stocktake id")
      .argument("<file>", "code list")
      .option("--location <code>", "where the codes were read (a room or shelf)"),
  ).action((id: string, file: string, o) =>
    runCommand(Boolean(o.json), async () => {
      const lines = readFileSync(file, "utf8")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"));
      const bad = lines.map((l, i) => (parseLabelCode(l) ? null : i + 1)).filter((n) => n !== null);
      if (bad.length)
        throw ValidationError([{ field: "file", code: "invalid_label_code", message: `Not label codes on lines ${bad.slice(0, 20).join(", ")}.` }]);
      const verdicts = await withServices(o.dataDir, async (s) => {
        const locationId = o.location ? await placeId(s, o.location, "location") : undefined;
        const counts: Record<string, number> = {};
        for (const code of lines) {
          const r = await scanCode(s, archiveContext(), id, { code, ...(locationId ? { locationId } : {}) });
          counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
        }
        return counts;
      });
      return {
        data: { scanned: lines.length, verdicts },
        text: `${lines.length} codes scanned: ${Object.entries(verdicts)
          .map(([k, v]) => `${v} ${k}`)
          .join(", ")}`,
      };
    }),
  );
  vaultCommand(stocktake.command("close").description("close a stocktake and print its report").argument("<id>")).action((id: string, o) =>
    runCommand(Boolean(o.json), async () => {
      const t = await withServices(o.dataDir, (s) => closeStocktake(s, archiveContext(), id));
      return { data: t, text: reportText(t) };
    }),
  );
  vaultCommand(stocktake.command("show").description("a stocktake's report (while open: what closing now would say)").argument("<id>")).action(
    (id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const t = await withServices(o.dataDir, (s) => readStocktake(s, archiveContext(), id));
        return { data: t, text: reportText(t) };
      }),
  );
}
