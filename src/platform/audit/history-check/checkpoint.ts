/**
 * C2SP tlog-checkpoint parsing (https://c2sp.org/tlog-checkpoint), as strict as merkle/checkpoint.ts:
 * one tree head, one text. Pure, on Uint8Array, so the browser can run it.
 */
import { fromBase64 } from "./bytes.js";
import { CheckError } from "./note.js";

export interface TreeHead {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions: string[];
}

const isLine = (line: unknown): line is string => typeof line === "string" && line !== "" && !/[\x00-\x1f]|\p{Cs}/u.test(line);

export function parseCheckpoint(body: string): TreeHead {
  if (typeof body !== "string" || !body.endsWith("\n")) throw new CheckError("checkpoint_malformed");
  const [origin, sizeText = "", rootText = "", ...extensions] = body.slice(0, -1).split("\n");
  // No leading zeros or signs: "0" is the only way to write the empty tree.
  const size = Number(sizeText);
  const root = fromBase64(rootText);
  if (!isLine(origin) || !/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(size) || root?.length !== 32 || !extensions.every(isLine)) {
    throw new CheckError("checkpoint_malformed");
  }
  return { origin, size, root, extensions };
}
