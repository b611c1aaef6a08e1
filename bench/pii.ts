/**
 * pii: the Chinese PII detector (src/records/documents/pii) on a generated corpus of legal documents
 * with known identifiers and look-alikes (pii-corpus.ts). Reports precision and recall per type
 * (exact spans) and throughput in MB/s of text, against @openredaction/openredaction on the same
 * documents (a slice of the corpus: it is much slower). Targets: ≥ 99.5% precision and recall for
 * checksum-validated types; ≥ 5× the peer's throughput.
 */
import { OpenRedaction } from "@openredaction/openredaction";
import { detectPii } from "../src/records/documents/pii/index.js";
import { CHECKSUM_TYPES } from "../src/records/documents/pii/types.js";
import { fmt, median, now, settle, type Benchmark } from "./lib.js";
import { type CorpusDocument, evaluate, generateCorpus, type TypeScore } from "./pii-corpus.js";

const MB = 1024 * 1024;

// The peer's types that correspond to ours; it has no Chinese identifier recognisers at all.
function peerType(type: string): string | null {
  if (type === "EMAIL") return "email";
  if (type === "CREDIT_CARD") return "bank_card";
  if (type.startsWith("PHONE")) return "mobile";
  return null;
}

function throughput(docs: readonly CorpusDocument[], bytes: number, scan: (text: string) => unknown, rounds: number): number {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    for (const d of docs) scan(d.text);
    rates.push(bytes / MB / (now() - t0));
  }
  return median(rates);
}

const table = (scores: Record<string, TypeScore>) =>
  Object.entries(scores).map(
    ([type, s]) =>
      `${type.padEnd(24)} truth ${String(s.truth).padStart(6)}  found ${String(s.found).padStart(6)}  precision ${(s.precision * 100).toFixed(2).padStart(6)}%  recall ${(s.recall * 100).toFixed(2).padStart(6)}%`,
  );

export const piiBench: Benchmark = {
  name: "pii",
  summary: "Chinese PII detection: precision/recall per type and MB/s on a generated corpus, vs @openredaction/openredaction",
  async run({ quick, log }) {
    const bytes = quick ? 2 * MB : 20 * MB;
    const peerBytes = quick ? 256 * 1024 : 2 * MB;
    const docs = generateCorpus(20240315, bytes);
    const size = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    const truths = docs.reduce((n, d) => n + d.truth.length, 0);
    log(`corpus: ${docs.length} documents, ${fmt(size / MB, 1)} MB, ${fmt(truths)} identifiers`);

    const ours = evaluate(docs, (d) => detectPii(d.text).findings);
    for (const line of table(ours)) log(`ours  ${line}`);

    // The peer on the first documents up to peerBytes, and ours on the same slice for the ratio.
    const slice: CorpusDocument[] = [];
    let sliceBytes = 0;
    for (const d of docs) {
      if (sliceBytes >= peerBytes) break;
      slice.push(d);
      sliceBytes += Buffer.byteLength(d.text);
    }
    const peer = new OpenRedaction();
    const peerFindings = (d: CorpusDocument) =>
      peer.detect(d.text).detections.flatMap((x) => {
        const type = peerType(x.type);
        return type ? [{ type, start: x.position[0], end: x.position[1] }] : [];
      });
    const theirs = evaluate(slice, peerFindings);
    for (const line of table(theirs)) log(`peer  ${line}`);

    await settle();
    const oursAll = throughput(docs, size, (t) => detectPii(t), quick ? 1 : 3);
    const oursSlice = throughput(slice, sliceBytes, (t) => detectPii(t), 3);
    await settle();
    const peerRate = throughput(slice, sliceBytes, (t) => peer.detect(t), 1);
    log(
      `ours ${fmt(oursAll, 1)} MB/s on ${fmt(size / MB, 1)} MB, ${fmt(oursSlice, 1)} MB/s on the ${fmt(sliceBytes / MB, 2)} MB slice; peer ${fmt(peerRate, 2)} MB/s`,
    );

    const checksum = CHECKSUM_TYPES.map((t) => ours[t]).filter((s): s is TypeScore => s !== undefined);
    const minPrecision = Math.min(...checksum.map((s) => s.precision)) * 100;
    const minRecall = Math.min(...checksum.map((s) => s.recall)) * 100;
    const peerCard = theirs.bank_card ?? { precision: 0, recall: 0 };
    return {
      rows: [
        {
          benchmark: "pii detection throughput",
          unit: "MB/s",
          ours: oursSlice,
          peerLabel: "openredaction",
          peer: peerRate,
          ratio: oursSlice / peerRate,
          target: { op: ">=", value: 5 },
        },
        {
          benchmark: "pii min precision, checksum types",
          unit: "%",
          ours: minPrecision,
          peerLabel: "99.5% target",
          peer: 99.5,
          ratio: minPrecision / 99.5,
          target: { op: ">=", value: 1 },
        },
        {
          benchmark: "pii min recall, checksum types",
          unit: "%",
          ours: minRecall,
          peerLabel: "99.5% target",
          peer: 99.5,
          ratio: minRecall / 99.5,
          target: { op: ">=", value: 1 },
        },
        {
          benchmark: "pii bank card recall vs openredaction",
          unit: "%",
          ours: (ours.bank_card?.recall ?? 0) * 100,
          peerLabel: "openredaction",
          peer: peerCard.recall * 100,
          ratio: (ours.bank_card?.recall ?? 0) / peerCard.recall,
          target: null,
        },
      ],
      details: {
        corpusBytes: size,
        documents: docs.length,
        identifiers: truths,
        peerSliceBytes: sliceBytes,
        throughput: { oursAll, oursSlice, peer: peerRate },
        ours,
        peer: theirs,
      },
    };
  },
};
