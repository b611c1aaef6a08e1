import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCheckpoint, parseCheckpoint } from "./checkpoint.js";
import { NoteError, noteKeyId, openNote, parseVerifierKey, signNote, verifierKey } from "./note.js";

/*
 * Published vectors from Go's golang.org/x/mod, sumdb/note/note_test.go (TestNewVerifier, TestSign,
 * TestVerifierList), and the example of https://c2sp.org/tlog-checkpoint (C2SP/C2SP tlog-checkpoint.md).
 */
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIGNED = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const CHECKPOINT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const signerOf = (privateKey: KeyObject) => (message: Buffer) => sign(null, message, privateKey);
const rawPublicKey = (publicKey: KeyObject) => publicKey.export({ format: "der", type: "spki" }).subarray(-32);
const freshKey = () => {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return { publicKey: rawPublicKey(publicKey), signer: signerOf(privateKey) };
};
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof NoteError)) throw e;
    return e.code;
  }
};
const replaceAt = (s: string, i: number) => s.slice(0, i) + (s[i] === "x" ? "y" : "x") + s.slice(i + 1);

describe("signed notes: Go sumdb/note vectors", () => {
  it("opens the published note with its verifier key", () => {
    expect(openNote(SIGNED, PETER_VKEY)).toEqual({ body: TEXT });
  });

  it("parses the verifier key and re-derives it", () => {
    const key = parseVerifierKey(PETER_VKEY);
    expect(key.name).toBe("PeterNeumann");
    expect(key.keyId.toString("hex")).toBe("c74f20a3");
    expect(noteKeyId(key.name, key.publicKey)).toEqual(key.keyId);
    expect(verifierKey(key.name, key.publicKey)).toBe(PETER_VKEY);
  });

  it("reproduces the published signature from Go's test private key", () => {
    // Ed25519 is deterministic, so signing with the same seed must give Go's exact bytes.
    const seed = Buffer.from(PETER_SKEY.split("+").slice(4).join("+"), "base64").subarray(1);
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
    expect(signNote(TEXT, "PeterNeumann", parseVerifierKey(PETER_VKEY).publicKey, signerOf(privateKey))).toBe(SIGNED);
  });

  it("rejects the note once any character of the text or the signature changes", () => {
    const sigStart = SIGNED.lastIndexOf(" ") + 1;
    const positions = [...Array(TEXT.length).keys(), ...Array.from({ length: SIGNED.length - 1 - sigStart }, (_, i) => sigStart + i)];
    for (const i of positions)
      expect(
        codeOf(() => openNote(replaceAt(SIGNED, i), PETER_VKEY)),
        `position ${i}`,
      ).toMatch(/^note_(unverified|malformed)$/);
    expect(codeOf(() => openNote(SIGNED.replace("problem is", "problem is not"), PETER_VKEY))).toBe("note_unverified");
    // Go's base64 wants padding; Node would decode the same bytes without it.
    expect(codeOf(() => openNote(SIGNED.replace("nAM=\n", "nAM\n"), PETER_VKEY))).toBe("note_malformed");
  });

  it("rejects the note under another key", () => {
    expect(codeOf(() => openNote(SIGNED, ENOCH_VKEY))).toBe("note_unverified");
    expect(codeOf(() => openNote(SIGNED, verifierKey("PeterNeumann", freshKey().publicKey)))).toBe("note_unverified");
  });

  it("rejects mangled verifier keys as Go does", () => {
    expect(codeOf(() => parseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))).toBe("note_malformed");
    expect(codeOf(() => parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))).toBe("note_malformed");
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i !== 0 || j !== PETER_VKEY.length)
          expect(
            codeOf(() => parseVerifierKey(PETER_VKEY.slice(i, j))),
            PETER_VKEY.slice(i, j),
          ).toBe("note_malformed");
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const bumped = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(
        codeOf(() => parseVerifierKey(bumped)),
        bumped,
      ).toBe("note_malformed");
    }
  });
});

describe("signed notes: round trip", () => {
  const { publicKey, signer } = freshKey();
  const name = "custodia.test/audit";
  const vkey = verifierKey(name, publicKey);

  it("opens what it signs, skipping other signers' lines", () => {
    const note = signNote(CHECKPOINT, name, publicKey, signer);
    expect(openNote(note, vkey).body).toBe(CHECKPOINT);
    const witness = freshKey();
    const cosigned = `${note}${signNote(CHECKPOINT, "witness.example", witness.publicKey, witness.signer).split("\n").at(-2)}\n`;
    expect(openNote(cosigned, vkey).body).toBe(CHECKPOINT);
    expect(openNote(cosigned, verifierKey("witness.example", witness.publicKey)).body).toBe(CHECKPOINT);
  });

  it("keeps blank lines inside the text: only the last one separates the signatures", () => {
    const body = "first\n\nsecond\n\n";
    expect(openNote(signNote(body, name, publicKey, signer), vkey).body).toBe(body);
  });

  it("refuses a bad signature by the trusted key even beside a good one", () => {
    const note = signNote(TEXT, name, publicKey, signer);
    const forged = `${note}— ${name} ${Buffer.concat([noteKeyId(name, publicKey), Buffer.alloc(64)]).toString("base64")}\n`;
    expect(codeOf(() => openNote(forged, vkey))).toBe("note_unverified");
  });

  it("refuses to sign what it could not open", () => {
    expect(codeOf(() => signNote("no newline", name, publicKey, signer))).toBe("note_malformed");
    expect(codeOf(() => signNote("tab\there\n", name, publicKey, signer))).toBe("note_malformed");
    expect(codeOf(() => signNote(TEXT, "two words", publicKey, signer))).toBe("note_malformed");
    expect(codeOf(() => signNote(TEXT, "a+b", publicKey, signer))).toBe("note_malformed");
    expect(codeOf(() => signNote(TEXT, name, publicKey.subarray(1), signer))).toBe("note_malformed");
    // A vault answering with another key's signature must not produce an unverifiable note.
    expect(codeOf(() => signNote(TEXT, name, publicKey, freshKey().signer))).toBe("note_unverified");
  });

  it("never opens a mangled note as anything but the signed text", () => {
    const note = signNote(TEXT, name, publicKey, signer);
    const piece = fc.constantFrom("\n", "\n\n", "— ", name, " ", "x", "=", "—", "\r", "\uD800");
    fc.assert(
      fc.property(fc.nat(note.length), fc.nat(8), fc.array(piece, { maxLength: 3 }), (at, cut, inserted) => {
        const mangled = note.slice(0, at) + inserted.join("") + note.slice(Math.min(note.length, at + cut));
        try {
          expect(openNote(mangled, vkey).body).toBe(TEXT);
        } catch (e) {
          expect(e).toBeInstanceOf(NoteError);
        }
      }),
    );
  });
});

describe("checkpoints", () => {
  it("parses the C2SP example and formats it back", () => {
    const checkpoint = parseCheckpoint(CHECKPOINT);
    expect(checkpoint).toEqual({
      origin: "example.com/behind-the-sofa",
      size: 20852163,
      root: Buffer.from("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "base64"),
      extensions: [],
    });
    expect(formatCheckpoint(checkpoint)).toBe(CHECKPOINT);
    expect(parseCheckpoint(`${CHECKPOINT}ext one\n`).extensions).toEqual(["ext one"]);
    expect(parseCheckpoint(CHECKPOINT.replace("20852163", "0")).size).toBe(0);
  });

  it.each([
    ["no final newline", CHECKPOINT.slice(0, -1)],
    ["empty origin", CHECKPOINT.replace("example.com/behind-the-sofa", "")],
    ["leading zero", CHECKPOINT.replace("20852163", "020852163")],
    ["signed size", CHECKPOINT.replace("20852163", "+20852163")],
    ["exponent", CHECKPOINT.replace("20852163", "2e7")],
    ["unsafe size", CHECKPOINT.replace("20852163", "9007199254740993")],
    ["non-canonical base64", CHECKPOINT.replace("q2I=", "q2J=")],
    ["unpadded base64", CHECKPOINT.replace("q2I=", "q2I")],
    ["31-byte root", CHECKPOINT.replace("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", Buffer.alloc(31).toString("base64"))],
    ["empty extension line", `${CHECKPOINT}\n`],
    ["two lines", "example.com\n1\n"],
  ])("rejects a checkpoint with %s", (_, body) => {
    expect(codeOf(() => parseCheckpoint(body))).toBe("checkpoint_malformed");
  });

  const line = fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((s) => !/[\x00-\x1f]/.test(s));
  const checkpoint = fc.record({
    origin: line,
    size: fc.maxSafeNat(),
    root: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b)),
    extensions: fc.array(line, { maxLength: 3 }),
  });

  it("round-trips through format, sign, open and parse", () => {
    const { publicKey, signer } = freshKey();
    const vkey = verifierKey("log.example", publicKey);
    fc.assert(
      fc.property(checkpoint, (c) => {
        expect(parseCheckpoint(formatCheckpoint(c))).toEqual(c);
        expect(parseCheckpoint(openNote(signNote(formatCheckpoint(c), "log.example", publicKey, signer), vkey).body)).toEqual(c);
      }),
      { numRuns: 200 },
    );
  });

  it("throws nothing but NoteError on arbitrary input", () => {
    const codeUnits = fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)) });
    const noteish = fc
      .array(fc.constantFrom("\n", "— ", "PeterNeumann ", "x08go/ZJ", "=", "0", "20852163", CHECKPOINT, SIGNED, " "), { maxLength: 12 })
      .map((p) => p.join(""));
    const text = fc.oneof(fc.string({ unit: "binary" }), codeUnits, noteish);
    fc.assert(
      fc.property(text, fc.oneof(fc.constant(PETER_VKEY), text), (s, vkey) => {
        for (const f of [() => parseCheckpoint(s), () => openNote(s, vkey), () => parseVerifierKey(vkey)]) {
          try {
            f();
          } catch (e) {
            expect(e).toBeInstanceOf(NoteError);
          }
        }
      }),
    );
  });
});
