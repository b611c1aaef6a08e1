import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventHash as chainEventHash } from "../chain.js";
import { nodeHistoryCrypto } from "../history-verifier.js";
import { formatCheckpoint } from "../merkle/checkpoint.js";
import { openNote as syncOpenNote, signNote, verifierKey } from "../merkle/note.js";
import { inclusionProof, treeRoot, verifyInclusion as syncVerifyInclusion } from "../merkle/tree.js";
import { auditLeaf, historyManifestBody as serverManifestBody } from "../tree-checkpoint.js";
import { fromBase64, toBase64 } from "./bytes.js";
import { parseCheckpoint } from "./checkpoint.js";
import { ed25519Available, type HistoryCrypto, webCrypto } from "./crypto.js";
import { eventHash, eventLeaf, type ProvenEvent } from "./event-hash.js";
import { verifyInclusion } from "./inclusion.js";
import { openNote } from "./note.js";
import { historyManifestBody, type ProvenHistory, verifyHistory } from "./verify-history.js";

/** The browser's path, run under Node 20's WebCrypto (which has Ed25519, as Chromium does). */
const browser = webCrypto();
const BOTH: [string, HistoryCrypto][] = [
  ["node:crypto", nodeHistoryCrypto],
  ["WebCrypto", browser],
];

// Published vectors: Go's golang.org/x/mod sumdb/note tests and the C2SP tlog-checkpoint example.
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIGNED = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const CHECKPOINT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

const rawPublicKey = (publicKey: KeyObject) => publicKey.export({ format: "der", type: "spki" }).subarray(-32);
const freshKey = (name = "custodia.audit/test") => {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = rawPublicKey(publicKey);
  return { name, raw, vkey: verifierKey(name, raw), sign: (body: string) => signNote(body, name, raw, (m) => sign(null, m, privateKey)) };
};
const accepts = async (f: () => unknown): Promise<boolean> => {
  try {
    await f();
    return true;
  } catch {
    return false;
  }
};
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);

describe.each(BOTH)("history check on %s: published vectors", (_, crypto) => {
  it("opens Go's signed note and rejects it under another key", async () => {
    expect(await openNote(SIGNED, PETER_VKEY, crypto)).toBe(TEXT);
    await expect(openNote(SIGNED, ENOCH_VKEY, crypto)).rejects.toMatchObject({ code: "note_unverified" });
    await expect(openNote(flip(SIGNED, 5), PETER_VKEY, crypto)).rejects.toMatchObject({ code: "note_unverified" });
    // A key id that does not match the name and key.
    await expect(openNote(SIGNED, PETER_VKEY.replace("c74f20a3", "c74f20a4"), crypto)).rejects.toMatchObject({ code: "note_malformed" });
  });

  it("parses the C2SP example checkpoint, strictly", () => {
    const head = parseCheckpoint(CHECKPOINT);
    expect([head.origin, head.size, toBase64(head.root)]).toEqual(["example.com/behind-the-sofa", 20852163, "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="]);
    expect(() => parseCheckpoint(CHECKPOINT.replace("\n20852163", "\n020852163"))).toThrow();
    expect(() => parseCheckpoint(CHECKPOINT.replace("=\n", "\n"))).toThrow();
  });
});

describe("history check: the Node and WebCrypto paths agree", () => {
  it("SHA-256 and Ed25519 give the same answers", async () => {
    const key = freshKey();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.string(), fc.nat(100), async (bytes, text, at) => {
        expect(await browser.sha256(bytes)).toEqual(new Uint8Array(await nodeHistoryCrypto.sha256(bytes)));
        const note = key.sign(`${text.replace(/[\x00-\x1f]|\p{Cs}/gu, "")}\n`);
        const sig = fromBase64(note.slice(note.lastIndexOf(" ") + 1, -1))!.subarray(4);
        const message = new TextEncoder().encode(note.slice(0, note.lastIndexOf("\n\n") + 1));
        const bad = sig.slice();
        bad[at % 64]! ^= 1;
        for (const s of [sig, bad]) {
          const expected = s === sig;
          expect(await browser.verifyEd25519(key.raw, message, s)).toBe(expected);
          expect(await nodeHistoryCrypto.verifyEd25519(key.raw, message, s)).toBe(expected);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("opening a note agrees with merkle/note.ts on signed and damaged notes", async () => {
    const keys = [freshKey("a.example/log"), freshKey("b.example/log")];
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.nat(), fc.boolean(), async (text, at, other) => {
        const note = keys[0]!.sign(`${text.replace(/[\x00-\x1f]|\p{Cs}/gu, "x")}\n`);
        const damaged = flip(note, at % note.length);
        const vkey = keys[other ? 1 : 0]!.vkey;
        for (const n of [note, damaged]) {
          const expected = await accepts(() => syncOpenNote(n, vkey));
          expect(await accepts(() => openNote(n, vkey, nodeHistoryCrypto))).toBe(expected);
          expect(await accepts(() => openNote(n, vkey, browser))).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("inclusion verification agrees with merkle/tree.ts on valid and damaged proofs", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), fc.integer({ min: -1, max: 2 }), async (size, i, byte, shift) => {
        const leaves = Array.from({ length: size }, (_, k) => auditLeaf(k.toString(16).padStart(64, "0")));
        const index = i % size;
        const root = treeRoot(leaves);
        const proof = inclusionProof(leaves, index, size);
        const damaged = proof.map((p, k) => (k === byte % Math.max(proof.length, 1) ? Buffer.from(p).fill(byte % 256, 0, 1) : p));
        for (const [p, idx] of [
          [proof, index],
          [damaged, index],
          [proof, index + shift],
        ] as const) {
          const expected = syncVerifyInclusion(leaves[index]!, idx, size, p, root);
          expect(await verifyInclusion(leaves[index]!, idx, size, p, root, nodeHistoryCrypto)).toBe(expected);
          expect(await verifyInclusion(leaves[index]!, idx, size, p, root, browser)).toBe(expected);
        }
      }),
      { numRuns: 80 },
    );
  });

  it("the event hash and the manifest text are the server's", async () => {
    const nullable = fc.option(fc.string(), { nil: null });
    const event = fc.record({
      seq: fc.nat(),
      id: fc.uuid(),
      at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      actor_id: nullable,
      actor_role: nullable,
      action: fc.string(),
      target_type: nullable,
      target_id: nullable,
      purpose: nullable,
      outcome: fc.string(),
      reason: nullable,
      request_id: nullable,
      details: nullable,
      prev_hash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex")),
    });
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const expected = chainEventHash(e);
        expect(await eventHash(e, nodeHistoryCrypto)).toBe(expected);
        expect(await eventHash(e, browser)).toBe(expected);
        expect(await eventLeaf(e, browser)).toEqual(new Uint8Array(auditLeaf(expected)));
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.uuid(), fc.nat(), fc.array(fc.nat()), (client, size, positions) => {
        expect(historyManifestBody(client, size, positions)).toBe(serverManifestBody(client, size, positions));
      }),
    );
  });
});

/** A log of `size` events, some about the client, with its signed checkpoint and manifest, as access-package.ts builds it. */
function provenHistory(size: number, mine: number[]) {
  const key = freshKey();
  const clientId = "7d3c1c5e-1111-4a4a-9b9b-0123456789ab";
  const events: ProvenEvent[] = Array.from({ length: size }, (_, i) => ({
    seq: i + 1,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    actor_id: "staff-1",
    actor_role: "associate",
    action: "client.read",
    target_type: "client",
    target_id: mine.includes(i) ? clientId : "someone-else",
    purpose: "case-handling",
    outcome: "success",
    reason: null,
    request_id: null,
    details: null,
    prev_hash: "0".repeat(64),
  }));
  const leaves = events.map((e) => auditLeaf(chainEventHash(e)));
  const checkpoint = key.sign(formatCheckpoint({ origin: key.name, size, root: treeRoot(leaves) }));
  const history: ProvenHistory = {
    format: "custodia.access-history-proof/1",
    clientId,
    vkey: key.vkey,
    checkpoint,
    manifest: key.sign(
      serverManifestBody(
        clientId,
        size,
        mine.map((i) => i + 1),
      ),
    ),
    events: mine.map((i) => ({ event: events[i]!, index: i, proof: inclusionProof(leaves, i, size).map((p) => p.toString("base64")) })),
  };
  return history;
}

describe("history check: whole packages", () => {
  it("proves an honest history on both paths, and both reject the same tampering the same way", async () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant("purpose" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("index" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("client" as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 24 }), tamper, async (size, t) => {
        const mine = Array.from({ length: size }, (_, i) => i).filter((i) => i % 3 !== 1);
        const history = provenHistory(size, mine);
        for (const [, crypto] of BOTH) {
          expect(await verifyHistory(history, history.vkey, crypto)).toEqual({ ok: true, treeSize: size, eventsProven: mine.length, problems: [] });
        }
        const bad = structuredClone(history);
        const k = t.at % bad.events.length;
        if (t.kind === "purpose") bad.events[k]!.event.purpose = "marketing";
        if (t.kind === "drop") bad.events.splice(k, 1);
        if (t.kind === "index") bad.events[k]!.index = (bad.events[k]!.index + 1) % size;
        if (t.kind === "client") bad.clientId = "someone-else";
        const [viaNode, viaWeb] = await Promise.all(BOTH.map(([, crypto]) => verifyHistory(bad, history.vkey, crypto)));
        expect(viaWeb).toEqual(viaNode);
        expect(viaNode!.ok).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("names each problem: another firm's key, a bad manifest signature, a malformed file", async () => {
    const history = provenHistory(5, [0, 2, 4]);
    const other = freshKey();
    expect((await verifyHistory(history, other.vkey, browser)).problems).toEqual([{ problem: "checkpoint_unverified" }]);
    const forged = { ...history, manifest: other.sign(serverManifestBody(history.clientId, 5, [1, 3, 5])) };
    expect(await verifyHistory(forged, history.vkey, browser)).toMatchObject({ ok: false, treeSize: 5, problems: [{ problem: "manifest_unverified" }] });
    expect((await verifyHistory({ ...history, format: "x" } as unknown as ProvenHistory, history.vkey, browser)).problems).toEqual([{ problem: "malformed" }]);
    const altered = structuredClone(history);
    altered.events[1]!.event.purpose = "marketing";
    expect((await verifyHistory(altered, history.vkey, browser)).problems).toEqual([{ problem: "event_not_in_tree", seq: 3 }]);
  });
});

describe("history check: a browser without Ed25519", () => {
  const noEd25519 = {
    digest: (_: string, data: Uint8Array) => globalThis.crypto.subtle.digest("SHA-256", new Uint8Array(data)),
    importKey: async () => {
      throw new DOMException("Unrecognized name.", "NotSupportedError");
    },
    verify: async () => true,
  };

  it("is told apart before checking, so no signature is called bad for want of the algorithm", async () => {
    expect(await ed25519Available()).toBe(true);
    expect(await ed25519Available(noEd25519)).toBe(false);
    const history = provenHistory(3, [0, 2]);
    expect((await verifyHistory(history, history.vkey, webCrypto(noEd25519))).problems).toEqual([{ problem: "checkpoint_unverified" }]);
  });
});
