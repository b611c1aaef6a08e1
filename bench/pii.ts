/**
 * pii: the Chinese PII detector (src/records/documents/pii) on a generated corpus of legal documents
 * with known identifiers and look-alikes (pii-corpus.ts). Reports precision and recall per type
 * (exact spans), how many planted look-alikes were reported, and throughput in MB/s of text, against
 * @openredaction/openredaction on the same documents (a slice of the corpus: it is much slower).
 * Targets: ≥ 99.5% precision and recall for checksum-validated types; ≥ 5× the peer's throughput.
 */
import { OpenRedaction } from "@openredaction/openredaction";
import { detectPii } from "../src/records/documents/pii/index.js";
import { CHECKSUM_TYPES, PII_TYPES, type PiiType } from "../src/records/documents/pii/types.js";
import { fmt, median, now, settle, type Benchmark, type SummaryRow } from "./lib.js";
import { type CorpusDocument, evaluate, generateCorpus, lookAlikeHits, type TypeScore } from "./pii-corpus.js";

const MB = 1024 * 1024;
type Span = { type: string; start: number; end: number };

/**
 * The peer's types that correspond to ours. It has no Chinese identifier recognisers; its phone
 * types (PHONE_US, PHONE_UK, …) are one class, scored against our mobile and landline together.
 */
function peerClass(type: string): string | null {
  if (type === "EMAIL") return "email";
  if (type === "CREDIT_CARD") return "bank_card";
  if (type.startsWith("PHONE")) return "phone";
  if (type === "NAME") return "person_name";
  if (type.startsWith("ADDRESS")) return "address";
  if (type.includes("PASSPORT")) return "passport";
  return null;
}
const ourClass = (type: PiiType) => (type === "mobile" || type === "landline" ? "phone" : type);
const PEER_CLASSES = ["bank_card", "email", "phone", "person_name", "address", "passport"];

/** Findings computed once per document (scoring is not timed). */
function memo<T extends Span>(docs: readonly CorpusDocument[], scan: (text: string) => readonly T[]) {
  const byDoc = new Map(docs.map((d) => [d, scan(d.text)]));
  return (d: CorpusDocument) => byDoc.get(d)!;
}

function rate(docs: readonly CorpusDocument[], bytes: number, scan: (text: string) => unknown): number {
  const t0 = now();
  for (const d of docs) scan(d.text);
  return bytes / MB / (now() - t0);
}

const pct = (x: number) => `${(x * 100).toFixed(2).padStart(6)}%`;
const scoreLines = (scores: Record<string, TypeScore>, only?: readonly string[]) =>
  Object.entries(scores)
    .filter(([type]) => !only || only.includes(type))
    .map(
      ([type, s]) =>
        `${type.padEnd(24)} truth ${String(s.truth).padStart(6)}  found ${String(s.found).padStart(6)}  precision ${pct(s.precision)}  recall ${pct(s.recall)}${CHECKSUM_TYPES.includes(type as PiiType) ? "  (checksum)" : ""}`,
    );

const info = (benchmark: string, unit: string, ours: number, peerLabel: string, peer: number): SummaryRow => ({
  benchmark,
  unit,
  ours,
  peerLabel,
  peer,
  ratio: ours / peer,
  target: null,
});

export const piiBench: Benchmark = {
  name: "pii",
  summary: "Chinese PII detection: precision/recall per type and MB/s on a generated corpus, vs @openredaction/openredaction",
  async run({ quick, log }) {
    const bytes = quick ? 2 * MB : 20 * MB;
    const peerBytes = quick ? 256 * 1024 : 2 * MB;
    const rounds = 3;
    const docs = generateCorpus(20240315, bytes);
    const size = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    const truths = docs.reduce((n, d) => n + d.truth.length, 0);
    const planted = docs.reduce((n, d) => n + d.lookAlikes.length, 0);
    const kinds = docs.reduce((m, d) => m.set(d.kind, (m.get(d.kind) ?? 0) + 1), new Map<string, number>());
    log(
      `corpus: ${docs.length} documents (${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}), ${fmt(size / MB, 1)} MB, ${fmt(truths)} identifiers, ${fmt(planted)} look-alikes`,
    );

    const oursOf = memo(docs, (t) => detectPii(t).findings);
    const ours = evaluate(docs, oursOf);
    for (const line of scoreLines(ours)) log(`ours  ${line}`);
    const oursDecoys = lookAlikeHits(docs, oursOf);
    for (const [kind, h] of Object.entries(oursDecoys))
      log(`ours  look-alike ${kind.padEnd(20)} planted ${String(h.planted).padStart(5)}  reported ${h.reported}`);

    // The peer on the first documents up to peerBytes, and ours on the same slice for the ratio.
    const slice: CorpusDocument[] = [];
    let sliceBytes = 0;
    for (const d of docs) {
      if (sliceBytes >= peerBytes) break;
      slice.push(d);
      sliceBytes += Buffer.byteLength(d.text);
    }
    const peer = new OpenRedaction();
    const peerAll = memo(slice, (t) => peer.detect(t).detections.map((x) => ({ type: x.type, start: x.position[0], end: x.position[1] })));
    const peerOf = (d: CorpusDocument) =>
      peerAll(d).flatMap((x) => {
        const type = peerClass(x.type);
        return type ? [{ ...x, type }] : [];
      });
    const theirs = evaluate(slice, peerOf, ourClass);
    const oursClassed = evaluate(slice, (d) => oursOf(d).map((f) => ({ ...f, type: ourClass(f.type) })), ourClass);
    for (const line of scoreLines(theirs, PEER_CLASSES)) log(`peer  ${line}`);
    for (const line of scoreLines(oursClassed, PEER_CLASSES)) log(`ours  (same slice, same classes) ${line}`);
    const unmapped = PII_TYPES.filter((t) => !PEER_CLASSES.includes(ourClass(t)));
    log(`peer  no recogniser for: ${unmapped.join(", ")} (recall 0)`);
    const peerDecoys = lookAlikeHits(slice, peerAll);
    const oursSliceDecoys = lookAlikeHits(slice, oursOf);
    const decoyShare = (h: Record<string, { planted: number; reported: number }>) => {
      const all = Object.values(h);
      return (
        all.reduce((n, x) => n + x.reported, 0) /
        Math.max(
          1,
          all.reduce((n, x) => n + x.planted, 0),
        )
      );
    };
    log(
      `look-alikes touched by any finding on the slice: ours ${pct(decoyShare(oursSliceDecoys))}, peer ${pct(decoyShare(peerDecoys))} (peer, any of its types: ${Object.entries(
        peerDecoys,
      )
        .filter(([, h]) => h.reported)
        .map(([k, h]) => `${k} ${h.reported}/${h.planted}`)
        .join(", ")})`,
    );

    // Throughput: ours and the peer alternate on the same slice (the order flips each round), so drift hits both.
    await settle();
    detectPii(slice[0]!.text);
    peer.detect(slice[0]!.text);
    const runs = { ours: [] as number[], peer: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? (["ours", "peer"] as const) : (["peer", "ours"] as const)) {
        await settle();
        runs[side].push(side === "ours" ? rate(slice, sliceBytes, (t) => detectPii(t)) : rate(slice, sliceBytes, (t) => peer.detect(t)));
      }
    }
    const oursSlice = median(runs.ours);
    const peerRate = median(runs.peer);
    await settle();
    const oursAll = median(Array.from({ length: quick ? 1 : rounds }, () => rate(docs, size, (t) => detectPii(t))));
    log(
      `throughput on the ${fmt(sliceBytes / MB, 2)} MB slice, ${rounds} alternating rounds: ours ${runs.ours.map((x) => fmt(x, 2)).join(" / ")} MB/s, peer ${runs.peer.map((x) => fmt(x, 2)).join(" / ")} MB/s; ours on all ${fmt(size / MB, 1)} MB: ${fmt(oursAll, 2)} MB/s`,
    );

    const checksum = CHECKSUM_TYPES.map((t) => [t, ours[t]] as const).filter((e): e is readonly [PiiType, TypeScore] => e[1] !== undefined);
    if (checksum.length !== CHECKSUM_TYPES.length) throw new Error("the corpus lacks a checksum type: precision and recall would be unmeasured");
    const lowest = (key: "precision" | "recall") => checksum.reduce((a, b) => (b[1][key] < a[1][key] ? b : a));
    const [pType, pScore] = lowest("precision");
    const [rType, rScore] = lowest("recall");
    const recall = (s: Record<string, TypeScore>, c: string) => (s[c]?.recall ?? 0) * 100;
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
          ours: pScore.precision * 100,
          peerLabel: `99.5% target; lowest ${pType}`,
          peer: 99.5,
          ratio: (pScore.precision * 100) / 99.5,
          target: { op: ">=", value: 1 },
        },
        {
          benchmark: "pii min recall, checksum types",
          unit: "%",
          ours: rScore.recall * 100,
          peerLabel: `99.5% target; lowest ${rType}`,
          peer: 99.5,
          ratio: (rScore.recall * 100) / 99.5,
          target: { op: ">=", value: 1 },
        },
        info("pii bank card recall vs openredaction", "%", recall(oursClassed, "bank_card"), "openredaction", recall(theirs, "bank_card")),
        info("pii phone recall vs openredaction", "%", recall(oursClassed, "phone"), "openredaction", recall(theirs, "phone")),
        info("pii email recall vs openredaction", "%", recall(oursClassed, "email"), "openredaction", recall(theirs, "email")),
        info("pii look-alikes reported", "%", decoyShare(oursSliceDecoys) * 100, "openredaction", decoyShare(peerDecoys) * 100),
      ],
      details: {
        corpusBytes: size,
        documents: docs.length,
        identifiers: truths,
        lookAlikes: planted,
        peerSliceBytes: sliceBytes,
        peerSliceDocuments: slice.length,
        throughput: { oursAll, oursSlice, peer: peerRate, runs },
        ours,
        oursLookAlikes: oursDecoys,
        peer: theirs,
        oursOnPeerClasses: oursClassed,
        peerLookAlikes: peerDecoys,
      },
    };
  },
};
