/**
 * The offline check of a client's proven access history (`custodia audit verify-package`): no
 * database, no key but the firm's published verifier key. The check itself is history-check/,
 * shared with the client portal, which runs it in the browser on WebCrypto; here it runs on node:crypto.
 */
import { createPublicKey, hash, verify } from "node:crypto";
import type { HistoryCrypto } from "./history-check/crypto.js";
import { type HistoryVerdict, type ProvenHistory, verifyHistory } from "./history-check/verify-history.js";

export type { HistoryProblem, HistoryVerdict, ProvenHistory } from "./history-check/verify-history.js";

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export const nodeHistoryCrypto: HistoryCrypto = {
  sha256: async (bytes) => hash("sha256", bytes, "buffer"),
  verifyEd25519: async (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: "der", type: "spki" });
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
};

export const verifyProvenHistory = (history: ProvenHistory, trustedVkey = history?.vkey): Promise<HistoryVerdict> =>
  verifyHistory(history, trustedVkey, nodeHistoryCrypto);
