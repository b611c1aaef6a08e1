/**
 * The check of a client's proven access history, one implementation for the CLI (node:crypto,
 * history-verifier.ts) and the client portal (WebCrypto). It recomputes each event's chain hash
 * from its columns, proves it into the signed checkpoint's tree, and holds the list against the
 * signed manifest, so an altered, added or dropped event fails. No node: imports here.
 */
import { fromBase64 } from "./bytes.js";
import { parseCheckpoint, type TreeHead } from "./checkpoint.js";
import type { HistoryCrypto } from "./crypto.js";
import { eventLeaf, type ProvenEvent } from "./event-hash.js";
import { verifyInclusion } from "./inclusion.js";
import { openNote } from "./note.js";

export interface ProvenHistory {
  format: "custodia.access-history-proof/1";
  clientId: string;
  /** The log's verifier key as the firm published it; a checker should compare it with its own copy. */
  vkey: string;
  checkpoint: string;
  manifest: string;
  events: { event: ProvenEvent; index: number; proof: string[] }[];
}

export type HistoryProblem = "checkpoint_unverified" | "manifest_unverified" | "manifest_mismatch" | "event_not_in_tree" | "malformed";

export interface HistoryVerdict {
  ok: boolean;
  treeSize: number | null;
  eventsProven: number;
  problems: { problem: HistoryProblem; seq?: number }[];
}

/** The client's events as positions in the log (leaf index + 1): dropping or adding one breaks the signature. */
export const historyManifestBody = (clientId: string, size: number, positions: readonly number[]) =>
  `custodia.access-history/v1\n${clientId}\n${size}\n${positions.join(",")}\n`;

/** The checkpoint must verify with `vkey` and name this log (the key's name is the log's origin). */
async function openTreeHead(note: string, vkey: string, crypto: HistoryCrypto): Promise<TreeHead> {
  const head = parseCheckpoint(await openNote(note, vkey, crypto));
  if (head.origin !== vkey.split("+")[0]) throw new Error("checkpoint of another log");
  return head;
}

export async function verifyHistory(history: ProvenHistory, trustedVkey: string, crypto: HistoryCrypto): Promise<HistoryVerdict> {
  const problems: HistoryVerdict["problems"] = [];
  const verdict = (treeSize: number | null, proven: number): HistoryVerdict => ({ ok: problems.length === 0, treeSize, eventsProven: proven, problems });
  if (history?.format !== "custodia.access-history-proof/1" || !Array.isArray(history.events)) {
    problems.push({ problem: "malformed" });
    return verdict(null, 0);
  }
  let tree: TreeHead;
  try {
    tree = await openTreeHead(history.checkpoint, trustedVkey, crypto);
  } catch {
    problems.push({ problem: "checkpoint_unverified" });
    return verdict(null, 0);
  }
  let manifest: string;
  try {
    manifest = await openNote(history.manifest, trustedVkey, crypto);
  } catch {
    problems.push({ problem: "manifest_unverified" });
    return verdict(tree.size, 0);
  }
  const positions = history.events.map((e) => Number(e?.index) + 1);
  if (manifest !== historyManifestBody(history.clientId, tree.size, positions)) problems.push({ problem: "manifest_mismatch" });
  let proven = 0;
  for (const e of history.events) {
    try {
      const proof = e.proof.map((p) => fromBase64(p) ?? new Uint8Array(0));
      const leaf = await eventLeaf(e.event, crypto);
      if (e.event.target_id !== history.clientId || !(await verifyInclusion(leaf, e.index, tree.size, proof, tree.root, crypto))) {
        problems.push({ problem: "event_not_in_tree", seq: e.event.seq });
      } else proven++;
    } catch {
      problems.push({ problem: "malformed", seq: e?.event?.seq });
    }
  }
  return verdict(tree.size, proven);
}
