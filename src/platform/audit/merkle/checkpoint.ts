import { NoteError } from "./note.js";

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text a log signs to commit to
 * its RFC 6962 tree head. Parsing is strict so one tree head has exactly one text.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  extensions: string[];
}

// A line must be non-empty and fit in a signed note: no control characters, no lone surrogates.
const isLine = (line: unknown): line is string => typeof line === "string" && line !== "" && !/[\x00-\x1f]|\p{Cs}/u.test(line);

const malformed = (why: string) => new NoteError("checkpoint_malformed", `checkpoint: ${why}`);

export function formatCheckpoint(c: Omit<Checkpoint, "extensions"> & { extensions?: string[] }): string {
  const extensions = c.extensions ?? [];
  if (!isLine(c.origin)) throw malformed("origin must be one non-empty line");
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw malformed("size must be a non-negative integer");
  if (!(c.root instanceof Uint8Array) || c.root.length !== 32) throw malformed("root must be 32 bytes");
  if (!extensions.every(isLine)) throw malformed("extension lines must be non-empty lines");
  return `${c.origin}\n${c.size}\n${Buffer.from(c.root).toString("base64")}\n${extensions.map((e) => `${e}\n`).join("")}`;
}

export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== "string" || !body.endsWith("\n")) throw malformed("must end in a newline");
  const [origin, sizeText = "", rootText = "", ...extensions] = body.slice(0, -1).split("\n");
  if (!isLine(origin)) throw malformed("origin must be one non-empty line");
  // No leading zeros or signs: "0" is the only way to write the empty tree.
  const size = Number(sizeText);
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(size)) throw malformed("size must be a decimal without leading zeros");
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) throw malformed("root must be the base64 of 32 bytes");
  if (!extensions.every(isLine)) throw malformed("extension lines must be non-empty lines");
  return { origin, size, root, extensions };
}
