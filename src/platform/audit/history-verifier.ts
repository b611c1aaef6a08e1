/**
 * The offline check of a client's proven access history (`custodia audit verify-package`): no
 * database, no key but the firm's published verifier key. It recomputes each event's chain hash
 * from its columns, proves it into the signed checkpoint's tree, and holds the list against the
 * signed manifest, so an altered, added or dropped event fails.
 */
import type { InclusionProof } from "./audit-proofs.js";
import { eventHash } from "./chain.js";
import { openNote } from "./merkle/note.js";
import { verifyInclusion } from "./merkle/tree.js";
import { auditLeaf, historyManifestBody, openTreeCheckpoint } from "./tree-checkpoint.js";

export interface ProvenHistory {
  format: "custodia.access-history-proof/1";
  clientId: string;
  /** The log's verifier key as the firm published it; a checker should compare it with its own copy. */
  vkey: string;
  checkpoint: string;
  manifest: string;
  events: InclusionProof[];
}

export type HistoryProblem = "checkpoint_unverified" | "manifest_unverified" | "manifest_mismatch" | "event_not_in_tree" | "malformed";

export interface HistoryVerdict {
  ok: boolean;
  treeSize: number | null;
  eventsProven: number;
  problems: { problem: HistoryProblem; seq?: number }[];
}

export function verifyProvenHistory(history: ProvenHistory, trustedVkey = history.vkey): HistoryVerdict {
  const problems: HistoryVerdict["problems"] = [];
  const verdict = (treeSize: number | null, proven: number): HistoryVerdict => ({ ok: problems.length === 0, treeSize, eventsProven: proven, problems });
  if (history?.format !== "custodia.access-history-proof/1" || !Array.isArray(history.events)) {
    problems.push({ problem: "malformed" });
    return verdict(null, 0);
  }
  let tree: ReturnType<typeof openTreeCheckpoint>;
  try {
    tree = openTreeCheckpoint(history.checkpoint, trustedVkey);
  } catch {
    problems.push({ problem: "checkpoint_unverified" });
    return verdict(null, 0);
  }
  let manifest: string;
  try {
    manifest = openNote(history.manifest, trustedVkey).body;
  } catch {
    problems.push({ problem: "manifest_unverified" });
    return verdict(tree.size, 0);
  }
  const seqs = history.events.map((e) => Number(e?.event?.seq));
  if (manifest !== historyManifestBody(history.clientId, tree.size, seqs)) problems.push({ problem: "manifest_mismatch" });
  let proven = 0;
  for (const e of history.events) {
    try {
      const leaf = auditLeaf(eventHash(e.event));
      const proof = e.proof.map((p) => Buffer.from(p, "base64"));
      if (e.event.target_id !== history.clientId || e.index !== e.event.seq - 1 || !verifyInclusion(leaf, e.index, tree.size, proof, tree.root)) {
        problems.push({ problem: "event_not_in_tree", seq: e.event.seq });
      } else proven++;
    } catch {
      problems.push({ problem: "malformed", seq: e?.event?.seq });
    }
  }
  return verdict(tree.size, proven);
}
